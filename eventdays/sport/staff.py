"""Sport days in the Wagtail admin, for the staff of the request's structure (managers
and counsellors, as for the registrations): set a day up on a sport event's date, draw
and edit its teams, print their cards, plan the rotation and the matches (and when the
rules admit no plan, relax the one the planner names), publish, hand out the referees'
and recruiters' links, and invite a player to book a follow-up. Every change goes
through `services`; another structure's day gives 404. Each page costs the same queries
whatever the number of teams and players."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from booking import services as booking_services
from booking.models import EventDate
from booking.services.invitations import invite
from booking.staff.base import RestrictedViewSet
from booking.staff.front_desk import StructureStaffMixin
from booking.staff.invitations import InvitationForm
from booking.staff.permissions import counsellor_of, is_manager
from eventdays.planning import matches as match_planner
from eventdays.planning.ranking import Criterion
from events.models import EventType

from . import links, services
from .models import SportDay, Team, TeamMember
from .queries import load_board
from .reasons import CRITERIA


def sport_days_of(structure):
    return SportDay.objects.filter(date__structure=structure).select_related("date")


class SportMixin(StructureStaffMixin):
    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(SPORT_DAYS.get_url_name("index")), "label": _("Sport days")},
            {"url": "", "label": self.page_title},
        ]


class IndexView(SportMixin, TemplateView):
    """The sport events' dates to come, each with its sport day or a button to set it up."""

    template_name = "eventdays/sport/admin/index.html"
    page_title = _("Sport days")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dates"] = (
            EventDate.objects.filter(
                structure=self.request.structure,
                event__event_type=EventType.SPORT,
                cancelled_at__isnull=True,
            )
            .select_related("sport_day")
            .order_by("-start")
        )
        return context

    def post(self, request, *args, **kwargs):
        date = get_object_or_404(
            EventDate.objects.filter(structure=request.structure, sport_day__isnull=True),
            pk=_id(request.POST.get("date")),
        )
        day = services.create_sport_day(date, activities=(), courts=())
        return redirect(SPORT_DAYS.get_url_name("settings"), day.pk)


class DayMixin(SportMixin):
    @cached_property
    def day(self):
        return get_object_or_404(sport_days_of(self.request.structure), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.day.date.title)

    def day_url(self):
        return reverse(SPORT_DAYS.get_url_name("day"), args=[self.day.pk])


def describe_rules(rules):
    per_team, parallel = rules
    return _(
        "a team plays one sport at most %(per_team)s time(s), and one sport is on at most "
        "%(parallel)s court(s) at once"
    ) % {"per_team": per_team.at_most, "parallel": parallel.at_most}


def describe_change(old, new):
    if isinstance(new, match_planner.SportsVaryInParallel):
        return _("allow one sport on %(count)s courts at once") % {"count": new.at_most}
    return _("allow a team to play one sport %(count)s times") % {"count": new.at_most}


class DayView(DayMixin, TemplateView):
    """The day: its teams (move a player, rename), what the teams break, the plan or
    why none holds, the links, fair play and the follow-ups."""

    template_name = "eventdays/sport/admin/day.html"
    page_title = _("Sport day")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = self.day
        board = load_board(day, members=True)
        members = [member for team in board.teams for member in team.members.all()]
        for member in members:
            member.team = board.team_of[member.team_id]
        check = services.team_check(day, members)
        placed = {member.registration_id for member in members}
        context.update(
            day=day,
            board=board,
            check=check,
            unplaced=[
                r
                for r in services.players(day).select_related("young_person")
                if r.pk not in placed
            ],
            rules=describe_rules(services.rules_of(day)),
            infeasible=kwargs.get("infeasible"),
            referee_links=[
                (place, self.request.build_absolute_uri(links.referee_path(place)))
                for place in [*board.stations, *board.courts]
            ],
            recruiters_link=self.request.build_absolute_uri(links.recruiters_path(day)),
            scoreboard_url=reverse("eventdays:sport_scoreboard", args=[day.pk]),
            results_url=reverse("eventdays:sport_results", args=[day.pk]),
        )
        if infeasible := kwargs.get("infeasible"):
            suggestion = infeasible.suggestion
            context["relax"] = (
                {
                    "proven": infeasible.proven,
                    "changes": [describe_change(old, new) for old, new in suggestion.changes],
                    "per_team": suggestion.rules[0].at_most,
                    "parallel": suggestion.rules[1].at_most,
                }
                if infeasible.relaxations
                else {"proven": infeasible.proven}
            )
        return context

    def post(self, request, *args, **kwargs):
        """Every change of the page: one action, through the services."""
        day = self.day
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            return redirect(self.day_url())
        try:
            answer = handler(day, request.POST)
        except services.SportDayError as error:
            messages.error(request, error.message)
            return redirect(self.day_url())
        if isinstance(answer, services.Planned) and answer.infeasible is not None:
            return self.render_to_response(
                self.get_context_data(infeasible=answer.infeasible), status=409
            )
        return redirect(self.day_url() + (answer if isinstance(answer, str) else ""))

    def do_draw(self, day, data):
        teams = services.draw(day)
        messages.success(
            self.request,
            ngettext("%(count)s team drawn.", "%(count)s teams drawn.", len(teams))
            % {"count": len(teams)},
        )

    def do_rename(self, day, data):
        team = get_object_or_404(Team, sport_day=day, pk=_id(data.get("team")))
        services.rename_team(team, data.get("name", ""))
        return f"#team-{team.pk}"

    def do_move(self, day, data):
        member = get_object_or_404(
            TeamMember.objects.select_related("team__sport_day"),
            team__sport_day=day,
            pk=_id(data.get("member")),
        )
        team = get_object_or_404(Team, sport_day=day, pk=_id(data.get("team")))
        services.move_member(member, team)
        return f"#team-{team.pk}"

    def do_plan(self, day, data):
        planned = services.plan(day)
        if planned.infeasible is None:
            messages.success(self.request, _("The rotation and the matches are planned."))
        return planned

    def do_relax(self, day, data):
        rules = (
            match_planner.SportsVaryPerTeam(at_most=_id(data.get("per_team")) or 1),
            match_planner.SportsVaryInParallel(at_most=_id(data.get("parallel")) or 1),
        )
        planned = services.plan(day, rules=rules)
        if planned.infeasible is None:
            messages.success(
                self.request,
                _("Planned with the rule relaxed: %(rules)s.") % {"rules": describe_rules(rules)},
            )
        return planned

    def do_publish(self, day, data):
        services.publish(day)
        messages.success(self.request, _("Published: the referees' links and the scoreboard work."))

    def do_unpublish(self, day, data):
        services.unpublish(day)

    def do_renew(self, day, data):
        kind = {"station": day.stations, "court": day.courts}.get(data.get("kind"))
        if kind is None:
            return None
        place = get_object_or_404(kind, pk=_id(data.get("place")))
        services.renew_link(place)
        messages.success(
            self.request,
            _("New link for %(name)s: the old one no longer works.") % {"name": place.name},
        )
        return "#links"

    def do_renew_recruiters(self, day, data):
        services.renew_recruiters_link(day)
        messages.success(self.request, _("New recruiters' link: the old one no longer works."))
        return "#links"

    def do_fair_play(self, day, data):
        marks = {}
        for team in day.teams.all():
            value = data.get(f"fair_play_{team.pk}", "").strip()
            if not value.isdigit() or int(value) > 100:
                raise services.SportDayError(_("Fair play is a whole number from 0 to 100."))
            marks[team.pk] = int(value)
        services.set_fair_play(day, marks)
        messages.success(self.request, _("Fair play saved."))
        return "#fair-play"


def _id(value):
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else 0


class SettingsForm(forms.ModelForm):
    """The day's rules; activities one a line, courts "name: sport, sport" one a line."""

    activities = forms.CharField(
        label=_("Activities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: every team does each once, its jury places the teams."),
    )
    courts_text = forms.CharField(
        label=_("Courts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'One a line, its name then the sports it allows: "Gymnase: football, handball".'
        ),
    )
    points = forms.CharField(
        label=_("Placement points"),
        help_text=_("From the first place down, separated by dashes: 4-3-2-1."),
    )

    class Meta:
        model = SportDay
        fields = [
            "team_count",
            "round_minutes",
            "break_minutes",
            "win_points",
            "draw_points",
            "loss_points",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day = self.instance
        self.fields["activities"].initial = "\n".join(s.name for s in day.stations.all())
        self.fields["courts_text"].initial = "\n".join(
            f"{court.name}: {court.sports}" for court in day.courts.all()
        )
        self.fields["points"].initial = "-".join(map(str, day.placement_points))
        choices = [("", _("(none)")), *((str(c), CRITERIA[c]) for c in Criterion)]
        for index in range(len(Criterion)):
            self.fields[f"tie_break_{index}"] = forms.ChoiceField(
                label=_("Tie-break %(number)s") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=day.tie_breaks[index] if index < len(day.tie_breaks) else "",
            )

    def clean_points(self):
        parts = [part.strip() for part in self.cleaned_data["points"].split("-")]
        if not parts or any(not part.isdigit() or int(part) > 100 for part in parts):
            raise forms.ValidationError(_("Give whole numbers separated by dashes, like 4-3-2-1."))
        return [int(part) for part in parts]

    def clean_courts_text(self):
        courts = []
        for line in self.cleaned_data["courts_text"].splitlines():
            if not line.strip():
                continue
            name, _colon, sports = line.partition(":")
            sports = [sport.strip() for sport in sports.split(",") if sport.strip()]
            if not name.strip() or not sports:
                raise forms.ValidationError(
                    _(
                        "Each court needs a name and at least one sport: "
                        '"Gymnase: football, handball".'
                    )
                )
            courts.append((name.strip()[:60], sports))
        return courts

    def clean_activities(self):
        return [
            line.strip()[:60]
            for line in self.cleaned_data["activities"].splitlines()
            if line.strip()
        ]

    def clean(self):
        data = super().clean()
        chain = [data.get(f"tie_break_{index}") for index in range(len(Criterion))]
        chain = [criterion for criterion in chain if criterion]
        if len(set(chain)) != len(chain):
            self.add_error("tie_break_0", _("Each tie-break may appear once."))
        data["tie_breaks"] = chain
        return data


class SettingsView(DayMixin, FormView):
    template_name = "eventdays/sport/admin/settings.html"
    page_title = _("Rules of the day")
    form_class = SettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.day}

    def form_valid(self, form):
        if self.day.is_published:
            form.add_error(None, services.NotDraft().message)
            return self.form_invalid(form)
        data = form.cleaned_data
        day = form.save(commit=False)
        day.placement_points = data["points"]
        day.tie_breaks = data["tie_breaks"]
        day.save()
        services.set_activities(day, data["activities"])
        services.set_courts(day, data["courts_text"])
        messages.success(self.request, _("The rules are saved: draw the teams, then plan."))
        return redirect(self.day_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class CardsView(DayMixin, TemplateView):
    """The team cards, printed one a page: the team's name, its players, its day."""

    template_name = "eventdays/sport/admin/cards.html"
    page_title = _("Team cards")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        board = load_board(self.day, members=True)
        cards = []
        for team in board.teams:
            rows = []
            for round in board.rounds:
                what = [v.station.name for v in round.visits if v.team_id == team.pk]
                what += [
                    f"{m.sport}, {m.court.name}: {m.home.name} – {m.away.name}"
                    for m in round.matches
                    if team.pk in (m.home_id, m.away_id)
                ]
                rows.append((round, what))
            cards.append((team, rows))
        context.update(day=self.day, cards=cards)
        return context


class FollowUpView(DayMixin, FormView):
    """Invites one player to book a follow-up, by the booking engine's invitation, to
    the contact they registered with."""

    template_name = "eventdays/sport/admin/follow_up.html"
    page_title = _("Invite to a follow-up")
    form_class = InvitationForm

    @cached_property
    def member(self):
        return get_object_or_404(
            TeamMember.objects.select_related("team", "registration__young_person"),
            team__sport_day=self.day,
            registration__young_person__isnull=False,
            pk=self.kwargs["member"],
        )

    def get_form_kwargs(self):
        person = self.member.registration.young_person
        own = counsellor_of(self.request.user)
        initial = {"contact": person.email or person.phone}
        if own:
            initial["counsellor"] = own.pk
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "structure": self.request.structure,
            "initial": initial,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "member": self.member, "day": self.day}

    def form_valid(self, form):
        try:
            invite(**form.cleaned_data, created_by=self.request.user)
        except booking_services.InvalidDetails as error:
            form.add_error(error.field if error.field in form.fields else "contact", error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The invitation is on its way to %(name)s.")
            % {"name": self.member.registration.young_person.first_name},
        )
        return redirect(self.day_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SportDaysViewSet(RestrictedViewSet):
    name = "eventdays_sport"
    url_prefix = "eventdays/sport"
    icon = "group"
    menu_label = _("Sport days")
    add_to_admin_menu = True
    menu_order = 210

    def may_use(self, user):
        return is_manager(user) or counsellor_of(user) is not None

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("<int:pk>/", DayView.as_view(), name="day"),
            path("<int:pk>/rules/", SettingsView.as_view(), name="settings"),
            path("<int:pk>/cards/", CardsView.as_view(), name="cards"),
            path("<int:pk>/follow-up/<int:member>/", FollowUpView.as_view(), name="follow_up"),
        ]


SPORT_DAYS = SportDaysViewSet()
