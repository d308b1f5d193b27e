"""Page addresses in plain ASCII: new pages get one whatever was typed, and older
accented ones are turned into ASCII by `ascii_slugs` without breaking their links."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import StandardPage

from .factories import StandardPageFactory


def test_a_page_titled_with_accents_gets_an_ascii_address(home):
    page = home.add_child(instance=StandardPage(title="Café des métiers", intro=""))

    assert page.slug == "cafe-des-metiers"
    assert page.url == "/cafe-des-metiers/"


def test_a_slug_typed_with_accents_is_saved_in_ascii_without_javascript(admin_client, home):
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    data = nested_form_data(
        {
            "title": "Café rencontre",
            "slug": "café-rencontre-été",
            "intro": "",
            "body": streamfield([("paragraph", rich_text("<p>Viens comme tu es.</p>"))]),
            "action-publish": "action-publish",
        }
    )
    assert admin_client.post(url, data).status_code == 302

    page = StandardPage.objects.get(title="Café rencontre")
    assert page.slug == "cafe-rencontre-ete"
    assert admin_client.get("/cafe-rencontre-ete/").status_code == 200


@pytest.fixture
def accented(settings, home):
    """Pages made before addresses were ASCII: "Café" with a subpage "Été"."""
    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = True
    cafe = StandardPageFactory(parent=home, title="Café", slug="café")
    summer = StandardPageFactory(parent=cafe, title="Été", slug="été")
    for page in (cafe, summer):
        page.save_revision()
    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = False
    return cafe, summer


def test_older_accented_addresses_become_ascii_and_the_old_ones_redirect(
    client, accented, django_capture_on_commit_callbacks
):
    cafe, summer = accented
    output = StringIO()

    with django_capture_on_commit_callbacks(execute=True):  # Wagtail redirects on commit
        call_command("ascii_slugs", stdout=output)

    cafe.refresh_from_db()
    summer.refresh_from_db()
    assert (cafe.slug, summer.slug) == ("cafe", "ete")
    assert summer.url == "/cafe/ete/"
    assert client.get("/cafe/ete/").status_code == 200
    for old, new in (("/café/", "/cafe/"), ("/café/été/", "/cafe/ete/")):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"].endswith(new)
    assert "2 page(s)" in output.getvalue()


def test_the_editor_opens_the_new_slug_not_the_old_one(accented):
    cafe, _ = accented
    call_command("ascii_slugs", stdout=StringIO())

    cafe.refresh_from_db()
    assert cafe.get_latest_revision_as_object().slug == "cafe"


def test_a_sibling_with_the_ascii_slug_keeps_it(accented, home):
    cafe, _ = accented
    StandardPageFactory(parent=home, title="Cafe", slug="cafe")

    call_command("ascii_slugs", stdout=StringIO())

    cafe.refresh_from_db()
    assert cafe.slug == "cafe-2"


def test_a_second_run_changes_nothing(accented, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ascii_slugs", stdout=StringIO())
    redirects = Redirect.objects.count()
    output = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("ascii_slugs", stdout=output)

    assert "0 page(s)" in output.getvalue()
    assert redirects
    assert Redirect.objects.count() == redirects
