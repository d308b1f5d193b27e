"""What people see when a page is missing or the server fails."""

from django.test import RequestFactory
from django.views.defaults import server_error

from home.models import SiteIdentity


def test_missing_page_keeps_the_site_layout_and_offers_a_way_back(client, home):
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert html.count("<h1>") == 1
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<a href="/">' in html


def test_server_error_page_needs_no_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert html.count("<h1>") == 1
    assert '<a class="button" href="/">' in html


def test_missing_page_shows_the_message_editors_wrote(client, home):
    identity = SiteIdentity.for_site(home.get_site())
    identity.not_found_text = (
        '<p>Oups ! Tu cherchais <a href="/rendez-vous/">un rendez-vous</a> ?</p>'
    )
    identity.save()
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'Oups ! Tu cherchais <a href="/rendez-vous/">un rendez-vous</a> ?' in html
    assert html.count("<h1>") == 1
