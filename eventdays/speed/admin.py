"""The speed meetings in the admin ("vous"), for the staff of the request's structure
(its managers and counsellors, as for the registrations: booking.staff): set a job
dating's date up as a meeting, its pros and their link, the draft (built by the
planner, its grid of rounds × tables, its figures beside the plain rotation's, every
rule it breaks), a young person moved to another table or a break, publishing, the
re-plan at check-in, the next round, the big screen and the printed sheets. Every row is
of the request's structure: another's pk gives 404. Each page costs the same queries
whatever the number of young people and pros."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from booking.models import Counsellor, EventDate, Registration, of_structure
from booking.services.registrations import event_date
from booking.services.tokens import make_registration_token
from booking.staff.base import RestrictedViewSet
from booking.staff.front_desk import StructureStaffMixin
from booking.staff.permissions import counsellor_of, is_manager
from core.dates import local_when
from events.models import EventPage, EventType

from ..models import Pro, SpeedMeeting
from ..planning import speed_meeting as planner
from . import links, qr, schedules, services
from .timetable import moment, round_end, round_start

ID_MAX = 2**63 - 1


def number_in(data, name):
    """A positive id typed in a form, or None (a bad one is no row's)."""
    try:
        value = int(data.get(name, ""))
    except ValueError:
        return None
    return value if 0 < value <= ID_MAX else None


class StaffMixin(StructureStaffMixin):
    def index_crumb(self):
        return {"url": reverse(SPEED.get_url_name("index")), "label": _("Adopte un pro")}


class IndexView(StaffMixin, TemplateView):
    """The job datings' dates to come, set up as speed meetings or not, and the
    meetings past."""

    template_name = "eventdays/speed/admin/index.html"
    page_title = _("Adopte un pro")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        structure = self.request.structure
        pages = (
            EventPage.objects.live()
            .descendant_of(structure.site.root_page)
            .filter(event_type=EventType.JOB_DATING, registrations_open=True)
        )
        dates = {
            (date.event_id, date.key): date
            for date in EventDate.objects.filter(structure=structure, event__in=pages)
            .select_related("speed_meeting")
            .filter(cancelled_at__isnull=True)
        }
        upcoming = []
        for page in pages:
            for key, occurrence in page.upcoming_registration_occurrences(now).items():
                date = dates.get((page.pk, key))
                meeting = getattr(date, "speed_meeting", None) if date else None
                upcoming.append((page, key, occurrence, meeting))
        upcoming.sort(key=lambda row: row[2].start)
        context["upcoming"] = upcoming
        context["past"] = (
            SpeedMeeting.objects.filter(date__structure=structure, date__end__lt=now)
            .select_related("date")
            .order_by("-date__start")
        )
        return context

    def post(self, request, *args, **kwargs):
        """Set a date up as a speed meeting (its row made if nobody registered yet)."""
        page = (
            EventPage.objects.live()
            .descendant_of(request.structure.site.root_page)
            .filter(event_type=EventType.JOB_DATING, pk=number_in(request.POST, "page"))
            .first()
        )
        occurrence = (
            page.registration_occurrence(request.POST.get("key", ""), timezone.now())
            if page
            else None
        )
        if occurrence is None:
            messages.error(request, _("This date is no longer to come: here are the others."))
            return redirect(SPEED.get_url_name("index"))
        meeting = services.set_up(event_date(request.structure, page, occurrence))
        messages.success(request, _("The date is set up as a speed meeting: add its pros."))
        return redirect(SPEED.get_url_name("meeting"), meeting.pk)


class MeetingMixin(StaffMixin):
    @cached_property
    def meeting(self):
        return get_object_or_404(
            SpeedMeeting.objects.select_related("date__event", "date__structure__site"),
            pk=self.kwargs["pk"],
            date__structure=self.request.structure,
        )

    def meeting_url(self, name="meeting"):
        return reverse(SPEED.get_url_name(name), args=[self.meeting.pk])

    def get_page_subtitle(self):
        return f"{self.meeting.date.title}, {local_when(self.meeting.date.start)}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.index_crumb(),
            {"url": self.meeting_url(), "label": self.get_page_subtitle()},
            {"url": "", "label": self.page_title},
        ]


class MoveForm(forms.Form):
    registration = forms.TypedChoiceField(label=_("Young person"), coerce=int)
    round = forms.TypedChoiceField(label=_("Round"), coerce=int)
    pro = forms.TypedChoiceField(label=_("To"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, meeting, state, **kwargs):
        super().__init__(*args, **kwargs)
        shown = schedules.names(list(state.registrations.values()))
        self.fields["registration"].choices = sorted(
            shown.items(), key=lambda pair: pair[1].casefold()
        )
        self.fields["round"].choices = [
            (number, _("Round %(number)s") % {"number": number + 1})
            for number in range(meeting.rounds)
        ]
        self.fields["pro"].choices = [("", _("A break"))] + [
            (pro.pk, _("Table %(table)s: %(pro)s") % {"table": pro.table, "pro": pro.label})
            for pro in state.pros.values()
        ]


class MeetingView(MeetingMixin, TemplateView):
    """The meeting: its pros, its links, and the draft to review and publish."""

    template_name = "eventdays/speed/admin/meeting.html"

    @property
    def page_title(self):
        return self.meeting.date.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.index_crumb(),
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, now = self.meeting, timezone.now()
        draft = services.state(meeting, published=False, now=now)
        figures = schedules.summary(draft.plan)
        rotation = schedules.summary(planner.rotation(draft.plan.meeting))
        request = self.request
        context.update(
            meeting=meeting,
            pros=list(draft.pros.values()),
            draft=draft,
            grid=schedules.grid(meeting, draft),
            figures=figures,
            rotation=rotation,
            issues=schedules.issues_in_words(draft),
            at=moment(meeting, now),
            round_to_start=services.round_to_start(meeting, now),
            move=MoveForm(meeting=meeting, state=draft),
            has_seats=any(round_.seated() for round_ in draft.plan.rounds),
            pros_url=request.build_absolute_uri(
                reverse("eventdays:speed_pros", args=[links.pros_token(meeting)])
            ),
            screen_url=reverse("eventdays:speed_screen", args=[links.screen_token(meeting)]),
            check_in_url=reverse("booking_registrations:check_in", args=[meeting.date.pk]),
            expected=sum(
                1
                for row in draft.registrations.values()
                if row.status == Registration.Status.CONFIRMED
            ),
        )
        return context


class PlanView(MeetingMixin, View):
    """POST only: build the draft, publish it, re-plan, start the next round, or give the
    pros a new link."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting, action = self.meeting, request.POST.get("action")
        try:
            if action == "draft":
                services.draft(meeting)
                messages.success(
                    request, _("The draft is ready: review it below, then publish it.")
                )
            elif action == "replan":
                services.replan(meeting)
                messages.success(
                    request,
                    _("The draft is re-planned from the check-in: review it, then publish it."),
                )
            elif action == "publish":
                services.publish(meeting)
                messages.success(
                    request, _("The plan is published: the young people and pros see it.")
                )
            elif action == "next_round":
                starting = request.POST.get("starting", "")
                starting = int(starting) if starting.isdigit() else None
                if not services.next_round(meeting, starting=starting):
                    messages.error(request, _("The round had already moved on: here it is."))
            elif action == "new_link":
                services.new_pros_link(meeting)
                messages.success(
                    request, _("New link made: the pros' links sent so far no longer work.")
                )
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        return redirect(self.meeting_url())


class MoveView(MeetingMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.meeting
        draft = services.state(meeting, published=False)
        form = MoveForm(request.POST, meeting=meeting, state=draft)
        if form.is_valid():
            try:
                services.move(
                    meeting,
                    form.cleaned_data["registration"],
                    form.cleaned_data["round"],
                    form.cleaned_data["pro"],
                )
            except services.Refused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("Moved in the draft. Publish it when it suits you."))
            return redirect(self.meeting_url() + "#grille")
        messages.error(request, _("Choose a young person, a round and a table or a break."))
        return redirect(self.meeting_url() + "#grille")


class SettingsForm(forms.ModelForm):
    first_round_at = forms.DateTimeField(
        label=_("First round starts"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = SpeedMeeting
        fields = ["rounds", "round_minutes", "change_minutes", "first_round_at"]

    def clean_rounds(self):
        rounds = self.cleaned_data["rounds"]
        if not 1 <= rounds <= 30:
            raise forms.ValidationError(_("Between 1 and 30 rounds."))
        return rounds

    def clean_round_minutes(self):
        minutes = self.cleaned_data["round_minutes"]
        if not 1 <= minutes <= 120:
            raise forms.ValidationError(_("Between 1 and 120 minutes."))
        return minutes


class SettingsView(MeetingMixin, FormView):
    template_name = "eventdays/speed/admin/form.html"
    form_class = SettingsForm
    page_title = _("Rounds and times")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def form_valid(self, form):
        data = form.cleaned_data
        services.change_settings(
            self.meeting,
            rounds=data["rounds"],
            round_minutes=data["round_minutes"],
            change_minutes=data["change_minutes"],
            first_round_at=data["first_round_at"],
        )
        messages.success(self.request, _("Rounds and times saved."))
        return redirect(self.meeting_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


PRO_FIELDS = ["kind", "counsellor", "name", "company", "job", "sector", "seats", "email"]


class StaffProForm(forms.Form):
    """The pro's fields as the model labels them; the services check and write the row."""

    def __init__(self, *args, structure, instance=None, initial=None, **kwargs):
        if instance is not None:
            initial = forms.model_to_dict(instance, fields=PRO_FIELDS)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(forms.fields_for_model(Pro, fields=PRO_FIELDS))
        self.fields["counsellor"].queryset = of_structure(
            Counsellor.objects.filter(active=True), structure
        ).order_by("first_name")
        self.fields["name"].required = False

    def details(self):
        data = self.cleaned_data
        return services.ProDetails(
            **{name: data[name] for name in ("kind", "name", "company", "job", "sector")},
            seats=data["seats"],
            email=data["email"],
            counsellor=data["counsellor"] if data["kind"] == Pro.Kind.COUNSELLOR else None,
        )


class ProView(MeetingMixin, FormView):
    """Add a pro (no pk), or change one."""

    template_name = "eventdays/speed/admin/form.html"

    @property
    def page_title(self):
        return _("Change a pro") if self.pro else _("Add a pro")

    @cached_property
    def pro(self):
        if "pro" not in self.kwargs:
            return None
        return get_object_or_404(self.meeting.pros, pk=self.kwargs["pro"])

    def get_form(self, form_class=None):
        return StaffProForm(
            **self.get_form_kwargs(), instance=self.pro, structure=self.request.structure
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.pro:
            context["delete_url"] = reverse(
                SPEED.get_url_name("delete_pro"), args=[self.meeting.pk, self.pro.pk]
            )
        return context

    def form_valid(self, form):
        try:
            if self.pro:
                services.change_pro(self.pro, form.details())
            else:
                services.add_pro(self.meeting, form.details(), source=Pro.Source.STAFF)
        except services.Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Saved. Re-plan the draft to seat the young people at it.")
        )
        return redirect(self.meeting_url() + "#pros")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DeleteProView(MeetingMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pro = get_object_or_404(self.meeting.pros, pk=self.kwargs["pro"])
        services.remove_pro(pro)
        messages.success(request, _("The table of %(pro)s is removed.") % {"pro": pro.label})
        return redirect(self.meeting_url() + "#pros")


class ProGoneView(MeetingMixin, View):
    """At check-in: a pro did not come or has left (or is back)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pro = get_object_or_404(self.meeting.pros, pk=self.kwargs["pro"])
        if request.POST.get("back"):
            services.mark_pro_back(pro)
            messages.success(request, _("%(pro)s is there again.") % {"pro": pro.label})
        else:
            services.mark_pro_gone(pro)
            messages.success(
                request,
                _("%(pro)s is marked not there: re-plan to seat their young people elsewhere.")
                % {"pro": pro.label},
            )
        return redirect(self.meeting_url() + "#pros")


class SchedulesPrintView(MeetingMixin, TemplateView):
    """One page per young person of the published plan: their rounds and the QR code of
    their schedule's link."""

    template_name = "eventdays/speed/print_schedules.html"
    page_title = _("Printed schedules")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        published = services.state(meeting, published=True)
        shown = schedules.names(list(published.registrations.values()))
        sheets = []
        for pk, registration in published.registrations.items():
            if pk in published.plan.absent:
                continue
            url = self.request.build_absolute_uri(
                reverse("eventdays:speed_schedule", args=[make_registration_token(registration)])
            )
            seated = {
                number: published.pros[table.pro]
                for number, round_ in enumerate(published.plan.rounds)
                for table in round_.tables
                if pk in table.young
            }
            slots = [
                schedules.Slot(
                    number,
                    round_start(meeting, number),
                    round_end(meeting, number),
                    seated.get(number),
                )
                for number in range(meeting.rounds)
            ]
            sheets.append((shown[pk], slots, qr.svg(url)))
        context.update(meeting=meeting, sheets=sheets)
        return context


class TablesPrintView(MeetingMixin, TemplateView):
    template_name = "eventdays/speed/print_tables.html"
    page_title = _("Table cards")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.meeting, pros=self.meeting.pros.all())
        return context


class SpeedMeetingsViewSet(RestrictedViewSet):
    name = "eventdays_speed"
    url_prefix = "eventdays/speed"
    icon = "group"
    menu_label = _("Adopte un pro")
    add_to_admin_menu = True
    menu_order = 210  # after the appointments

    def may_use(self, user):
        return is_manager(user) or counsellor_of(user) is not None

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("<int:pk>/", MeetingView.as_view(), name="meeting"),
            path("<int:pk>/plan/", PlanView.as_view(), name="plan"),
            path("<int:pk>/move/", MoveView.as_view(), name="move"),
            path("<int:pk>/settings/", SettingsView.as_view(), name="settings"),
            path("<int:pk>/pros/add/", ProView.as_view(), name="add_pro"),
            path("<int:pk>/pros/<int:pro>/", ProView.as_view(), name="pro"),
            path("<int:pk>/pros/<int:pro>/delete/", DeleteProView.as_view(), name="delete_pro"),
            path("<int:pk>/pros/<int:pro>/gone/", ProGoneView.as_view(), name="pro_gone"),
            path("<int:pk>/print/schedules/", SchedulesPrintView.as_view(), name="print_schedules"),
            path("<int:pk>/print/tables/", TablesPrintView.as_view(), name="print_tables"),
        ]


SPEED = SpeedMeetingsViewSet()
