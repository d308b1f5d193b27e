"""After the day, in the admin ("vous"): when the choices close and in which format the
counsellors' invitations are, the planner's answer for every young person before
sending it, the sending (once), and the figures. The meeting's page shows the figures
and links here (`templatetags.speed_follow_ups`). Same staff and structure as the
meeting's own pages (eventdays.speed.admin); the same queries whatever the numbers."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from booking.models import Format
from booking.staff.base import RestrictedViewSet
from booking.staff.permissions import counsellor_of, is_manager

from . import follow_ups, links
from .admin import MeetingMixin
from .services import Refused


class TermsForm(forms.Form):
    choices_close_at = forms.SplitDateTimeField(
        label=_("Choices close"),
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date", "aria-label": _("Day the choices close")},
            time_attrs={"type": "time", "aria-label": _("Time the choices close")},
        ),
        error_messages={"required": _("Please give the date and time the choices close.")},
    )
    format = forms.ModelChoiceField(
        label=_("Format of the counsellors' invitations"),
        queryset=Format.objects.none(),
        required=False,
        empty_label=_("Each counsellor's first format for a first meeting"),
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].queryset = Format.objects.filter(structure=structure, active=True)


class FollowUpsView(MeetingMixin, TemplateView):
    """GET: the terms, the answer to send and the figures. POST: save the terms, or
    send."""

    template_name = "eventdays/speed/admin/follow_ups.html"
    page_title = _("After the day: choices and follow-ups")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, now = self.meeting, timezone.now()
        terms = follow_ups.terms(meeting)
        lines = follow_ups.preview(meeting, now=now) if terms.sent_at is None else None
        context.update(
            meeting=meeting,
            terms=terms,
            open=follow_ups.is_open(meeting, terms, now),
            form=form
            or TermsForm(
                initial={"choices_close_at": terms.choices_close_at, "format": terms.format},
                structure=self.request.structure,
            ),
            lines=lines,
            outcomes=follow_ups.outcomes(meeting) if terms.sent_at is not None else None,
            figures=follow_ups.figures(meeting, lines=lines, now=now),
            pro_links=[
                (pro, reverse("eventdays:speed_marks", args=[links.pro_token(pro)]))
                for pro in meeting.pros.all()
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.meeting
        if request.POST.get("action") == "send":
            told = follow_ups.send(meeting, by=request.user)
            if told:
                messages.success(
                    request,
                    _("Sent: %(count)s young people are told what happens next.") % {"count": told},
                )
            else:
                messages.warning(request, _("Nothing sent: the follow-ups were already sent."))
            return redirect(self.request.path)
        form = TermsForm(request.POST, structure=request.structure)
        if form.is_valid():
            try:
                follow_ups.set_terms(
                    meeting,
                    choices_close_at=form.cleaned_data["choices_close_at"],
                    format=form.cleaned_data["format"],
                )
            except Refused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FollowUpsViewSet(RestrictedViewSet):
    name = "eventdays_speed_after"
    url_prefix = "eventdays/speed-after"
    icon = "group"

    def may_use(self, user):
        return is_manager(user) or counsellor_of(user) is not None

    def get_urlpatterns(self):
        return [path("<int:pk>/", FollowUpsView.as_view(), name="follow_ups")]


FOLLOW_UPS = FollowUpsViewSet()
