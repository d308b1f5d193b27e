"""The ideas page: what young people proposed, what became of it, and a form for more."""

import pytest
from django.core import mail
from django.utils.translation import gettext
from wagtail.contrib.forms.models import FormSubmission

from home.models import HONEYPOT_FIELD, Idea, IdeaStatus

from .factories import IdeaFormFieldFactory, IdeasPageFactory, WelcomePageFactory


@pytest.fixture
def ideas_page(home):
    page = IdeasPageFactory(parent=home, thank_you_text="<p>Merci, on lit tout !</p>")
    IdeaFormFieldFactory(page=page, label="Ton idée", required=True)
    IdeaFormFieldFactory(page=page, label="Ton prénom", field_type="singleline", required=False)
    return page


def test_ideas_show_their_status_in_words_and_where_to_see_them(client, home, ideas_page):
    booklet = WelcomePageFactory(parent=home)
    Idea.objects.create(
        page=ideas_page,
        title="Repenser l'accueil",
        proposal="Un livret d'accueil en vidéo.",
        follow_up="Il est en ligne.",
        status=IdeaStatus.DONE,
        link_page=booklet,
    )
    html = client.get(ideas_page.url).content.decode()
    assert "Repenser l&#x27;accueil" in html
    assert gettext("Status: %(status)s") % {"status": gettext("done")} in html
    assert f'href="{booklet.url}"' in html


def test_the_form_labels_every_field_and_marks_the_required_one(client, ideas_page):
    html = client.get(ideas_page.url).content.decode()
    assert '<label for="id_ton_idee">Ton idée' in html
    assert html.count(gettext("(required)")) == 1
    assert 'class="honeypot" aria-hidden="true"' in html


def test_an_idea_is_kept_and_thanked_for(client, ideas_page):
    response = client.post(ideas_page.url, {"ton_idee": "Un tournoi de foot", "ton_prenom": "Lina"})
    assert "Merci, on lit tout !" in response.content.decode()
    submission = FormSubmission.objects.get(page=ideas_page)
    assert submission.get_data()["ton_idee"] == "Un tournoi de foot"
    assert HONEYPOT_FIELD not in submission.form_data


def test_ideas_are_mailed_when_the_team_gives_an_address(client, ideas_page):
    ideas_page.to_address = "equipe@passerelle.example"
    ideas_page.from_address = "site@passerelle.example"
    ideas_page.subject = "Nouvelle idée"
    ideas_page.save()
    client.post(ideas_page.url, {"ton_idee": "Un atelier CV en musique"})
    assert len(mail.outbox) == 1
    assert "Un atelier CV en musique" in mail.outbox[0].body


def test_a_robot_filling_the_hidden_field_is_thanked_but_nothing_is_kept_or_sent(
    client, ideas_page
):
    ideas_page.to_address = "equipe@passerelle.example"
    ideas_page.save()
    response = client.post(
        ideas_page.url, {"ton_idee": "Buy cheap stuff", HONEYPOT_FIELD: "http://spam.example"}
    )
    assert response.status_code == 200
    assert "Merci, on lit tout !" in response.content.decode()
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


def test_a_missing_idea_is_explained_next_to_the_field_and_at_the_top(client, ideas_page):
    response = client.post(ideas_page.url, {"ton_idee": "", "ton_prenom": "Lina"})
    html = response.content.decode()
    assert not FormSubmission.objects.exists()
    assert 'role="alert"' in html and 'href="#id_ton_idee"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_ton_idee_error"' in html
    assert 'value="Lina"' in html
