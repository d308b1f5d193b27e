"""The site's one error summary, for any form and for the booking journey."""

from types import SimpleNamespace

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


class Form(forms.Form):
    name = forms.CharField(label="Prénom")


def test_one_error_summary_for_forms_and_for_the_booking_journey():
    form = Form(data={})
    form.is_valid()
    journey = SimpleNamespace(errors={"conseiller": "Choisis une personne."})
    html = render_to_string("includes/error_summary.html", {"form": form, "journey": journey})
    assert html.count('class="error-summary"') == 1
    assert 'role="alert"' in html and 'tabindex="-1"' in html
    assert '<a href="#champ-conseiller">Choisis une personne.</a>' in html
    required = gettext("%(label)s: %(error)s") % {
        "label": "Prénom",
        "error": forms.Field.default_error_messages["required"],
    }
    assert f'<a href="#id_name">{required}</a>' in html
    heading = f'<h2 id="error-summary-title">{gettext("Please check the form")}</h2>'
    assert heading in html
    assert heading in render_to_string("includes/error_summary.html", {"form": form})
    assert render_to_string("includes/error_summary.html", {"form": Form()}).strip() == ""
