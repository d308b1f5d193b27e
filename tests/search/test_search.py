"""The site search, as a visitor uses it: French words typed loosely still find pages."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction, Site

SEARCH_URL = "/recherche/"


@pytest.fixture
def site_root(db):
    """A site of its own, so the pages Wagtail's migrations create stay out of the way."""
    site_root = Page.get_first_root_node().add_child(instance=Page(title="Accueil", slug="accueil"))
    Site.objects.exclude(is_default_site=True).delete()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": site_root},
    )
    return site_root


def add_page(parent, title, **fields):
    return parent.add_child(instance=Page(title=title, slug=slugify(title), **fields))


def search(client, query, **params):
    response = client.get(SEARCH_URL, {"q": query, **params})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_titles(soup):
    return [link.get_text(strip=True) for link in soup.select(".search-results h2 a")]


def status(soup):
    return " ".join(soup.find(role="status").get_text().split())


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("evenement", "Événement sportif au stade"),
        ("EVENEMENT", "Événement sportif au stade"),
        ("événement", "Événement sportif au stade"),
        ("conseillere", "Votre conseillère emploi"),
        ("Conseillère", "Votre conseillère emploi"),
    ],
)
def test_accents_and_capitals_do_not_matter(client, site_root, query, title):
    add_page(site_root, "Événement sportif au stade")
    add_page(site_root, "Votre conseillère emploi")
    assert result_titles(search(client, query)) == [title]


@pytest.mark.parametrize(
    "query",
    ["les ateliers", "atelier", "l'atelier du CV", "Ateliers CV ?", "des ateliers pour le cv"],
)
def test_plurals_elisions_and_small_words_do_not_hide_a_page(client, site_root, query):
    add_page(site_root, "Atelier CV")
    add_page(site_root, "Jeux de rôle")
    assert result_titles(search(client, query)) == ["Atelier CV"]


def test_every_word_must_match(client, site_root):
    add_page(site_root, "Atelier CV")
    add_page(site_root, "Atelier lettre de motivation")
    assert result_titles(search(client, "atelier motivation")) == ["Atelier lettre de motivation"]


def test_a_result_shows_its_title_description_and_link(client, site_root):
    page = add_page(
        site_root, "Job dating", search_description="Rencontrez des employeurs qui recrutent."
    )
    soup = search(client, "job dating")
    result = soup.select_one(".search-results li")
    assert result.h2.a["href"] == page.url
    assert result.h2.a.get_text(strip=True) == "Job dating"
    assert "Rencontrez des employeurs qui recrutent." in result.get_text()
    assert "1" in status(soup) and "job dating" in status(soup)


def test_only_published_public_pages_of_this_site_are_found(client, site_root):
    add_page(site_root, "Atelier publié")
    add_page(site_root, "Atelier brouillon", live=False)
    private = add_page(site_root, "Atelier réservé")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    add_page(Page.get_first_root_node(), "Atelier ailleurs")
    assert result_titles(search(client, "atelier")) == ["Atelier publié"]


def test_no_result_says_so_and_lists_nothing(client, site_root):
    add_page(site_root, "Atelier CV")
    soup = search(client, "plongée sous-marine")
    assert result_titles(soup) == []
    assert "plongée sous-marine" in status(soup)
    assert "0" not in status(soup)
    assert soup.select(".pagination") == []


def test_empty_query_shows_the_form_and_no_results(client, site_root):
    add_page(site_root, "Atelier CV")
    response = client.get(SEARCH_URL)
    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert result_titles(soup) == []
    assert status(soup)  # an invitation to type, not silence
    assert soup.select_one("input[name=q]")["value"] == ""


@pytest.mark.parametrize("query", ['"', 'a"b', "(", "*", "NEAR(", "x:y", "-", "l'", "AND OR NOT"])
def test_punctuation_and_search_syntax_never_break_the_page(client, site_root, query):
    add_page(site_root, "Atelier CV")
    search(client, query)


def test_form_is_labelled_uses_get_and_keeps_the_query(client, site_root):
    soup = search(client, '<script>alert("x")</script> atelier')
    form = soup.find("form", role="search")
    assert form["method"] == "get"
    field = form.find("input", attrs={"name": "q"})
    assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    assert field["value"] == '<script>alert("x")</script> atelier'
    assert soup.find("script", string='alert("x")') is None


def test_results_are_not_indexed_by_search_engines(client, site_root):
    soup = search(client, "atelier")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_results_come_ten_per_page_with_links_between_pages(client, site_root):
    for number in range(1, 13):
        add_page(site_root, f"Atelier numéro {number}")

    first = search(client, "atelier")
    assert len(result_titles(first)) == 10
    assert "12" in status(first)
    assert "12" in first.title.get_text()
    nav = first.find("nav", class_="pagination")
    assert nav["aria-label"]
    assert nav.find(attrs={"aria-current": "page"})
    next_link = nav.find("a", rel="next")
    assert "q=atelier" in next_link["href"] and "page=2" in next_link["href"]
    assert nav.find("a", rel="prev") is None

    second = search(client, "atelier", page=2)
    assert len(result_titles(second)) == 2
    assert second.select_one(".search-results")["start"] == "11"
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    assert second.find("nav", class_="pagination").find("a", rel="prev")

    assert result_titles(search(client, "atelier", page="n'importe")) == result_titles(first)
    assert result_titles(search(client, "atelier", page=99)) == result_titles(second)


def count_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        search(client, query)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_results(client, site_root):
    add_page(site_root, "Forum unique")
    for number in range(1, 11):
        add_page(site_root, f"Atelier numéro {number}", search_description="Deux heures.")
    search(client, "forum")  # warm the per-process caches (site, content types)
    assert count_queries(client, "forum") == count_queries(client, "atelier")


# What young people type ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("rdv", "Rendez-vous avec un conseiller"),
        ("RDV conseillers", "Rendez-vous avec un conseiller"),
        ("job", "Trouver un emploi"),
        ("jobs d'été", "Trouver un emploi d'été"),
        ("boulot", "Trouver un emploi"),
        ("conseillé", "Ta conseillère"),
        ("un cv", "Curriculum vitae : nos conseils"),
        ("appart", "Trouver un logement"),
    ],
)
def test_the_words_young_people_type_find_the_words_pages_say(client, site_root, query, title):
    add_page(site_root, "Rendez-vous avec un conseiller")
    add_page(site_root, "Trouver un emploi")
    add_page(site_root, "Trouver un emploi d'été")
    add_page(site_root, "Ta conseillère")
    add_page(site_root, "Curriculum vitae : nos conseils")
    add_page(site_root, "Trouver un logement")
    assert title in result_titles(search(client, query))


def test_a_synonym_does_not_loosen_the_other_words(client, site_root):
    add_page(site_root, "Trouver un emploi d'été")
    add_page(site_root, "Trouver un emploi")
    assert result_titles(search(client, "job été")) == ["Trouver un emploi d'été"]


def booking_offer(soup):
    return soup.select_one(".search-result--booking h2 a")


@pytest.mark.parametrize(
    "query", ["rdv", "prendre un RDV", "rendez-vous", "Prendre rendez vous", "réserver"]
)
def test_asking_for_an_appointment_leads_to_the_booking_flow(client, site_root, query):
    soup = search(client, query)

    link = booking_offer(soup)
    assert link.get_text(strip=True) == "Prendre rendez-vous"
    assert client.get(link["href"]).status_code == 200
    assert link["href"] == "/rendez-vous/"


def test_the_booking_flow_comes_before_the_pages_found(client, site_root):
    add_page(site_root, "Rendez-vous de l'emploi")
    soup = search(client, "rdv")
    offer, found = booking_offer(soup), soup.select_one(".search-results")
    assert offer is not None and found is not None
    assert offer.find_all_next("ol", class_="search-results")
    assert result_titles(soup) == ["Rendez-vous de l'emploi"]


@pytest.mark.parametrize("query", ["atelier", "vous", ""])
def test_other_searches_offer_no_booking(client, site_root, query):
    add_page(site_root, "Atelier CV")
    assert booking_offer(search(client, query)) is None


def test_the_same_words_are_searched_once_until_a_page_changes(client, site_root, settings):
    """What the words find is kept under the site's version: the same words again cost
    no search, and a page published since is found at once."""
    settings.FRAGMENT_CACHE_SECONDS = 300
    add_page(site_root, "Atelier CV")
    assert result_titles(search(client, "atelier")) == ["Atelier CV"]
    with CaptureQueriesContext(connection) as queries:
        assert result_titles(search(client, "atelier")) == ["Atelier CV"]
    assert not [q for q in queries.captured_queries if "wagtailsearch" in q["sql"]]
    add_page(site_root, "Atelier lettre de motivation")
    assert sorted(result_titles(search(client, "atelier"))) == [
        "Atelier CV",
        "Atelier lettre de motivation",
    ]
