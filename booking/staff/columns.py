"""Listing columns that say their values in French: yes or no rather than True or
False, dates as core.dates writes them ("1er septembre 2027") rather than Django's
"1 septembre 2027". Each takes its label from the model field, as a plain
`list_display` name would."""

from django.utils.text import capfirst
from wagtail.admin.ui.tables import BooleanColumn, Column

from core.dates import local_when, long_date


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class YesNoColumn(BooleanColumn):
    """Wagtail's tick and cross, read out as "Oui" or "Non" (Wagtail's own cell says
    "True" or "False" to screen readers)."""

    cell_template_name = "booking/admin/yes_no_cell.html"

    def __init__(self, model, name, **kwargs):
        super().__init__(name, label=_label(model, name), sort_key=name, **kwargs)


def date_column(model, name):
    """A date, or a moment with its time, in words; empty when there is none."""
    say = (
        long_date if model._meta.get_field(name).get_internal_type() == "DateField" else local_when
    )

    def in_words(row):
        value = getattr(row, name)
        return say(value) if value else ""

    return Column(name, label=_label(model, name), accessor=in_words, sort_key=name)
