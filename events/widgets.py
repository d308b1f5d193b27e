"""The recurrence editor, made to work inside the Wagtail admin."""

from django import forms
from django.urls import reverse
from recurrence.forms import RecurrenceWidget as BaseRecurrenceWidget


class RecurrenceWidget(BaseRecurrenceWidget):
    """django-recurrence's widget with media that exist here.

    The stock widget asks for the Django admin's jQuery, which is not installed (the
    manifest static storage would then fail the whole edit page), and looks up a
    translation catalogue view that Django no longer has; Wagtail already loads jQuery
    and wagtail_hooks serves the catalogue, so the widget speaks French.
    """

    @property
    def media(self):
        return forms.Media(
            js=[
                reverse("events_recurrence_jsi18n"),
                "events/js/recurrence-admin.js",
                "recurrence/js/recurrence.js",
                "recurrence/js/recurrence-widget.js",
                "recurrence/js/recurrence-widget.init.js",
            ],
            css={"all": ["recurrence/css/recurrence.css", "events/css/recurrence-admin.css"]},
        )
