"""What every page shares: landmarks, one h1, menu, breadcrumbs, footer, meta tags."""

import datetime
import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.translation import gettext
from wagtail_factories import ImageFactory

from home.models import ComplianceStatus, SiteIdentity
from structures.models import Structure

from .factories import AccessibilityPageFactory, StandardPageFactory, WelcomePageFactory


def body_of(response):
    return response.content.decode()


@pytest.fixture
def pages(home):
    welcome = WelcomePageFactory(parent=home, show_in_menus=True)
    about = StandardPageFactory(parent=home, title="Qui sommes-nous", show_in_menus=True)
    team = StandardPageFactory(parent=about, title="L'équipe", show_in_menus=True)
    legal = StandardPageFactory(parent=home, title="Mentions légales")
    draft = StandardPageFactory(parent=home, title="Brouillon", show_in_menus=True, live=False)
    return {"welcome": welcome, "about": about, "team": team, "legal": legal, "draft": draft}


def test_every_page_has_landmarks_one_h1_and_a_skip_link_to_the_content(client, home, pages):
    for page in (home, pages["welcome"], pages["team"]):
        html = body_of(client.get(page.url))
        assert len(re.findall(r"<h1[\s>]", html)) == 1, page
        for landmark in ('role="banner"', 'role="main"', 'role="contentinfo"'):
            assert landmark in html
        assert 'href="#contenu"' in html and 'id="contenu"' in html
        assert '<html lang="fr">' in html


def test_menu_lists_published_pages_ticked_for_menus_and_marks_the_current_one(client, pages):
    html = body_of(client.get(pages["welcome"].url))
    menu = html[html.index('id="menu"') : html.index("</nav>")]
    assert f'<a href="{pages["welcome"].url}" aria-current="page">' in menu
    assert f'<a href="{pages["about"].url}">' in menu
    assert "Mentions légales" not in menu  # not ticked for menus
    assert "Brouillon" not in menu  # not published
    assert "L'équipe" not in menu  # only the first level


def test_menu_marks_the_section_of_a_deeper_page(client, pages):
    html = body_of(client.get(pages["team"].url))
    assert f'<a href="{pages["about"].url}" aria-current="true">' in html


def test_breadcrumbs_appear_only_below_the_first_level(client, home, pages):
    assert "breadcrumbs" not in body_of(client.get(pages["about"].url))
    html = body_of(client.get(pages["team"].url))
    trail = html[html.index('class="breadcrumbs"') :]
    trail = trail[: trail.index("</nav>")]
    assert trail.index(home.url) < trail.index(pages["about"].url) < trail.index("aria-current")


def test_title_and_header_use_the_site_name_from_settings(client, home, pages):
    identity = SiteIdentity.for_site(home.get_site())
    identity.name = "Passerelle Lens"
    identity.tagline = "Ton accompagnement, à ta façon"
    identity.save()
    html = body_of(client.get(pages["welcome"].url))
    assert "<title>Livret d&#x27;accueil | Passerelle Lens</title>" in html
    assert "Ton accompagnement, à ta façon" in html


def test_search_engines_and_social_networks_get_description_canonical_and_image(
    client, home, pages
):
    page = pages["about"]
    page.search_description = "Une équipe qui écoute."
    page.social_image = ImageFactory(file__width=1600, file__height=1000)
    page.save()
    html = body_of(client.get(page.url))
    assert '<meta name="description" content="Une équipe qui écoute.">' in html
    assert f'<link rel="canonical" href="{page.full_url}">' in html
    assert re.search(r'<meta property="og:image" content="http[^"]+fill-1200x630[^"]*">', html)
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html


def test_footer_shows_contact_details_and_editor_links(client, home, pages):
    identity = SiteIdentity.for_site(home.get_site())
    structure = Structure.for_site(home.get_site())
    structure.name = "Mission Locale de démonstration"
    structure.save()
    identity.phone = "01 02 03 04 05"
    identity.footer_links = [
        {"type": "link", "value": {"page": pages["legal"].pk, "url": "", "label": ""}},
        {
            "type": "link",
            "value": {"page": None, "url": "https://example.org/", "label": "Instagram"},
        },
    ]
    identity.save()
    html = body_of(client.get(home.url))
    footer = html[html.index('role="contentinfo"') :]
    assert '<a href="tel:0102030405">01 02 03 04 05</a>' in footer
    assert f'<a href="{pages["legal"].url}">Mentions légales</a>' in footer
    assert '<a href="https://example.org/">Instagram</a>' in footer


def test_footer_states_the_accessibility_status_on_every_page(client, home, pages):
    declaration = AccessibilityPageFactory(
        parent=home, compliance_status=ComplianceStatus.PARTIAL, audit_date=datetime.date.today()
    )
    expected = gettext("Accessibility: %(status)s") % {"status": gettext("partially compliant")}
    for page in (home, pages["team"]):
        footer = body_of(client.get(page.url)).split('role="contentinfo"')[1]
        assert f'<a href="{declaration.url}">{expected}</a>' in footer


def test_no_accessibility_link_before_a_declaration_exists(client, home):
    footer = body_of(client.get(home.url)).split('role="contentinfo"')[1]
    assert gettext("Accessibility: %(status)s").split(":")[0] not in footer


def test_menu_and_footer_cost_the_same_few_queries_however_many_pages(
    client, home, pages, django_assert_max_num_queries
):
    AccessibilityPageFactory(parent=home)
    url = pages["team"].url
    client.get(url)  # the settings row is created on the first visit
    # Wagtail's routing to a third-level page takes 8; the layout adds settings, menu,
    # breadcrumbs and the accessibility status.
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    for number in range(5):
        StandardPageFactory(parent=home, title=f"Rubrique {number}", show_in_menus=True)
    with django_assert_max_num_queries(len(first)):
        response = client.get(url)
    assert "Rubrique 4" in body_of(response)


def test_layout_works_for_views_whose_page_variable_is_a_paginator_page(rf, home):
    results = Paginator(["un", "deux"], 1).get_page(2)
    html = render_to_string("base.html", {"page": results}, request=rf.get("/recherche/"))
    assert 'role="main"' in html and "breadcrumbs" not in html


def test_menu_typed_in_the_settings_replaces_the_page_tree_menu(client, home, pages):
    identity = SiteIdentity.for_site(home.get_site())
    identity.main_menu = [
        {"type": "link", "value": {"page": pages["legal"].pk, "url": "", "label": ""}},
        {
            "type": "link",
            "value": {"page": pages["about"].pk, "url": "", "label": "Nous connaître"},
        },
        {
            "type": "link",
            "value": {"page": None, "url": "/rendez-vous/", "label": "Prendre rendez-vous"},
        },
    ]
    identity.save()
    html = body_of(client.get(pages["team"].url))
    menu = html[html.index('id="menu"') : html.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
    assert links[:3] == [
        (pages["legal"].url, "Mentions légales"),
        (pages["about"].url, "Nous connaître"),
        ("/rendez-vous/", "Prendre rendez-vous"),
    ]
    assert pages["welcome"].url not in menu  # ticked for menus, but not typed in
    assert f'<a href="{pages["about"].url}" aria-current="true">' in menu


def test_footer_shows_opening_hours_social_networks_by_name_and_hashtags(client, home):
    identity = SiteIdentity.for_site(home.get_site())
    identity.opening_hours = "Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h"
    identity.social_links = [
        {"type": "social", "value": {"network": "snapchat", "url": "https://sc.example/"}}
    ]
    identity.hashtags = "#SprintCréaMDE #minedinfos"
    identity.save()
    footer = body_of(client.get(home.url)).split('role="contentinfo"')[1]
    assert "Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h" in footer
    assert '<a href="https://sc.example/">Snapchat</a>' in footer
    assert "#SprintCréaMDE #minedinfos" in footer
