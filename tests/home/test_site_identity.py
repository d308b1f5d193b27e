"""Editors type the site's name, contact details, menu and social networks once, in the
settings, and every page shows them."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import SiteIdentity


def settings_url(home):
    return reverse("wagtailsettings:edit", args=["home", "siteidentity", home.get_site().pk])


def test_an_editor_changes_the_contact_details_and_every_page_shows_them(admin_client, home):
    url = settings_url(home)
    assert admin_client.get(url).status_code == 200
    data = nested_form_data(
        {
            "name": "Passerelle Liévin",
            "tagline": "",
            "address": "1 place de l'Exemple\n62800 Liévin",
            "phone": "01 02 03 04 05",
            "email": "bonjour@passerelle.example",
            "opening_hours": "Du lundi au vendredi, 9 h – 17 h",
            "main_menu": streamfield(
                [("link", {"page": "", "url": "/rendez-vous/", "label": "Prendre rendez-vous"})]
            ),
            "social_links": streamfield(
                [("social", {"network": "tiktok", "url": "https://www.tiktok.com/", "label": ""})]
            ),
            "hashtags": "SprintCréaMDE, #minedinfos",
            "not_found_text": rich_text(""),
            "footer_links": streamfield(
                [("link", {"page": "", "url": "https://example.org/", "label": "Instagram"})]
            ),
        }
    )
    assert admin_client.post(url, data).status_code == 302

    html = admin_client.get(home.url).content.decode()
    assert "Passerelle Liévin" in html
    assert "1 place de l&#x27;Exemple<br>62800 Liévin" in html
    assert '<a href="mailto:bonjour@passerelle.example">' in html
    assert '<a href="https://example.org/">Instagram</a>' in html
    footer = html[html.index('role="contentinfo"') :]
    assert "Du lundi au vendredi, 9 h – 17 h" in footer
    assert '<a href="https://www.tiktok.com/">TikTok</a>' in footer
    assert "#SprintCréaMDE #minedinfos" in footer
    menu = html[html.index('id="menu"') : html.index("</nav>")]
    assert '<a href="/rendez-vous/">Prendre rendez-vous</a>' in menu


def test_a_menu_link_must_be_a_full_address_or_a_path_of_the_site(admin_client, home):
    data = nested_form_data(
        {
            "name": "Passerelle",
            "main_menu": streamfield(
                [("link", {"page": "", "url": "rendez-vous", "label": "Prendre rendez-vous"})]
            ),
            "social_links": streamfield([]),
            "not_found_text": rich_text(""),
            "footer_links": streamfield([]),
        }
    )
    response = admin_client.post(settings_url(home), data)
    assert response.status_code == 200  # the form comes back with the error
    assert not SiteIdentity.for_site(home.get_site()).main_menu


def test_a_social_link_is_named_after_its_network_unless_given_a_text(home):
    identity = SiteIdentity.for_site(home.get_site())
    identity.social_links = [
        {"type": "social", "value": {"network": "linkedin", "url": "https://a.example/"}},
        {
            "type": "social",
            "value": {"network": "other", "url": "https://b.example/", "label": "Mastodon"},
        },
    ]
    identity.save()
    assert [link.value.text for link in identity.social_links] == ["LinkedIn", "Mastodon"]


def test_hashtags_get_their_hash_however_they_were_typed():
    identity = SiteIdentity(hashtags="SprintCréaMDE,  #minedinfos ,#")
    assert identity.hashtag_list() == ["#SprintCréaMDE", "#minedinfos"]
