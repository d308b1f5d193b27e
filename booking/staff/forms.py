"""The admin's forms: a counsellor's own rows, opening hours as weekdays, group sessions
fixed once booked, formats and counsellors."""

from datetime import timedelta

import recurrence
from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from booking.models import Place
from core.dates import local_midnight

from .permissions import COUNSELLORS_GROUP, counsellor_of


class CounsellorOwnedForm(WagtailAdminModelForm):
    """A counsellor's own rows: the counsellor field is for managers only (a panel
    permission removes it); for everyone else the row is theirs, and places and formats
    are limited to those they offer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "counsellor" in self.fields:
            return
        counsellor = counsellor_of(self.for_user)
        if self.instance.counsellor_id is None:
            self.instance.counsellor = counsellor
        if "place" in self.fields:
            self.fields["place"].queryset = counsellor.places.all()
        if "formats" in self.fields:
            self.fields["formats"].queryset = counsellor.formats.all()
        if "format" in self.fields:
            self.fields["format"].queryset = counsellor.formats.filter(capacity__gt=1)


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

EVERY_CHOICES = [(1, _("Every week")), (2, _("Every other week"))]


class AvailabilityRuleForm(CounsellorOwnedForm):
    """Days of the week and "every week / every other week", as RDV-Solidarités asks for
    opening hours: stored as a weekly recurrence, read by booking.scheduling.

    Plain checkboxes rather than django-recurrence's widget, which needs JavaScript and
    offers yearly or hourly rules nobody needs here. Other recurrences (made in code) are
    replaced when the form is saved.
    """

    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    every = forms.TypedChoiceField(
        label=_("Repeats"),
        choices=EVERY_CHOICES,
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
        help_text=_("Every other week starts with the week of “valid from”, or this week."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = self.instance.recurrence.rrules if self.instance.recurrence else []
        weekly = [rule for rule in rules if rule.freq == recurrence.WEEKLY]
        if weekly:
            self.initial["days"] = sorted(
                {getattr(day, "number", day) for rule in weekly for day in rule.byday or []}
            )
            self.initial["every"] = weekly[0].interval

    def clean(self):
        cleaned_data = super().clean()
        days, every = cleaned_data.get("days"), cleaned_data.get("every")
        if days and every:
            self.instance.recurrence = recurrence.Recurrence(
                dtstart=self._phase_start(every),
                rrules=[
                    recurrence.Rule(
                        recurrence.WEEKLY,
                        interval=every,
                        byday=[recurrence.base.WEEKDAYS[day] for day in days],
                    )
                ],
            )
        start, end = cleaned_data.get("start_time"), cleaned_data.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", _("The end must come after the start."))
        return cleaned_data

    def _phase_start(self, every):
        """The Monday that anchors "every other week"; kept when the rule already has one."""
        if every == 1:
            return None
        current = self.instance.recurrence
        if current and current.dtstart:
            return current.dtstart
        first = self.cleaned_data.get("valid_from") or timezone.localdate()
        monday = first - timedelta(days=first.weekday())
        return local_midnight(monday)


class StartEndForm(CounsellorOwnedForm):
    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and start >= end:
            self.add_error("end", _("The end must come after the start."))
        return cleaned_data


class GroupSessionForm(StartEndForm):
    """Once places are booked, the time, place and format are fixed: the bookings copied
    them, and only booking.services may move bookings."""

    FIXED_ONCE_BOOKED = ("format", "place", "start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.seats_held:
            for name in self.FIXED_ONCE_BOOKED:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Places are booked: cancel or move those bookings to change this."
                    )


class FormatForm(WagtailAdminModelForm):
    place_kinds = forms.MultipleChoiceField(
        label=_("kinds of place allowed"),
        choices=Place.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class CounsellorForm(WagtailAdminModelForm):
    """A new counsellor joins the counsellors' group, so they can sign in and see their
    bookings without a second step."""

    def save(self, commit=True):
        counsellor = super().save(commit=commit)
        group = Group.objects.filter(name=COUNSELLORS_GROUP).first()
        if commit and group is not None:
            counsellor.user.groups.add(group)
        return counsellor
