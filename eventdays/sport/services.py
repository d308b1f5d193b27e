"""The only code that writes a sport day: its teams drawn from the registrations and
edited, its plan made by the planners and stored as rows, its publication and the
results referees type. Views and the admin call these functions; each writes in one
transaction, and a result is refused, not overwritten, when its row changed since the
form was shown (`ResultChanged`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from booking.models import Registration
from eventdays.planning import matches as match_planner
from eventdays.planning import ranking, stations, teams

from .models import Court, Match, Placing, SportDay, Station, Team, TeamMember, Visit

# Who plays: those registered and expected, or ticked present at the check-in.
PLAYING = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
NAME_MAX_LENGTH = Team._meta.get_field("name").max_length


class SportDayError(Exception):
    """A change refused, with its `message` in plain words and the `field` it is about."""

    field = None

    def __init__(self, message, *, field=None):
        self.message = message
        self.field = field or self.field
        super().__init__(str(message))


class ResultChanged(SportDayError):
    """Someone else typed a result here since this form was shown."""

    def __init__(self):
        super().__init__(
            _("Someone else typed a result here meanwhile: check it, then send yours again.")
        )


class NotDraft(SportDayError):
    def __init__(self):
        super().__init__(_("This sport day is published: its teams and plan no longer change."))


def create_sport_day(date, *, activities, courts):
    """A draft sport day for `date`, with its `activities` (names) and `courts` (pairs of
    a name and its sports)."""
    with transaction.atomic():
        day = SportDay.objects.create(date=date)
        set_activities(day, activities)
        set_courts(day, courts)
    return day


def set_activities(day, names):
    _draft(day)
    day.stations.all().delete()
    Station.objects.bulk_create(
        Station(sport_day=day, name=name, position=index) for index, name in enumerate(names)
    )


def set_courts(day, courts):
    _draft(day)
    day.courts.all().delete()
    Court.objects.bulk_create(
        Court(sport_day=day, name=name, sports=", ".join(sports), position=index)
        for index, (name, sports) in enumerate(courts)
    )


def players(day):
    """The date's registrations that play, in the order they registered."""
    return Registration.objects.filter(date_id=day.date_id, status__in=PLAYING).order_by(
        "created_at", "pk"
    )


def _registrants(registrations):
    """One registrant per seat: "moi + 1 ami" are two people who stay together."""
    return [
        teams.Registrant(
            id=(registration.pk, seat),
            party=registration.pk if registration.party_size > 1 else None,
        )
        for registration in registrations
        for seat in range(registration.party_size)
    ]


def draw(day, *, seed=0):
    """Draws `day.team_count` even teams from the players, replacing teams and plan.
    Raises SportDayError when there are fewer players than teams or friends do not fit."""
    _draft(day)
    registrations = list(players(day))
    try:
        drawn = teams.draw_teams(_registrants(registrations), day.team_count, seed=seed)
    except teams.PartiesDoNotFit:
        raise SportDayError(
            _(
                "Friends who came together cannot all fit in teams this size: change "
                "the number of teams."
            )
        ) from None
    except ValueError:
        raise SportDayError(
            _("There are fewer players than teams: change the number of teams."),
            field="team_count",
        ) from None
    with transaction.atomic():
        day.teams.all().delete()
        for team in drawn:
            row = Team.objects.create(
                sport_day=day, number=team.number, name=default_team_name(team.number)
            )
            members = dict.fromkeys(registration for registration, _seat in team.members)
            TeamMember.objects.bulk_create(
                TeamMember(team=row, registration_id=registration) for registration in members
            )
    return day.teams.all()


def default_team_name(number):
    return str(_("Team %(number)s") % {"number": number})


def rename_team(team, name):
    name = " ".join(name.split())
    if not name:
        raise SportDayError(_("Please give the team a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise SportDayError(
            _("A team's name fits in %(count)s characters.") % {"count": NAME_MAX_LENGTH},
            field="name",
        )
    Team.objects.filter(pk=team.pk).update(name=name)
    team.name = name
    return team


def move_member(member, team):
    """Moves a player to another team of the same day (the plan stays: it names teams)."""
    _draft(team.sport_day)
    if team.sport_day_id != member.team.sport_day_id:
        raise SportDayError(_("This team is not of this sport day."), field="team")
    TeamMember.objects.filter(pk=member.pk).update(team=team)
    member.team = team
    return member


def team_check(day, members=None):
    """What the teams as they stand break (sizes, friends split, players left out)."""
    if members is None:
        members = TeamMember.objects.filter(team__sport_day=day).select_related("team")
    registrations = list(players(day))
    seats = {registration.pk: registration.party_size for registration in registrations}
    drawn = {}
    for member in members:
        size = seats.get(member.registration_id, 1)
        drawn.setdefault(member.team.number, []).extend(
            (member.registration_id, seat) for seat in range(size)
        )
    return teams.check(
        [teams.Team(number, tuple(ids)) for number, ids in sorted(drawn.items())],
        _registrants(registrations),
    )


def rules_of(day):
    return (
        match_planner.SportsVaryPerTeam(at_most=day.sports_per_team_at_most),
        match_planner.SportsVaryInParallel(at_most=day.sport_in_parallel_at_most),
    )


@dataclass(frozen=True)
class Planned:
    """What planning gave: the plan stored, or why none holds the rules (`infeasible`)."""

    infeasible: match_planner.Infeasible | None = None


def plan(day, *, rules=None):
    """Stores the rotation and the matches of `day`'s teams; with `rules` (a relaxation
    the planner suggested), keeps them as the day's rules first. Answers Planned, whose
    `infeasible` says which rule to relax when none of the plans holds them."""
    _draft(day)
    day_teams = list(day.teams.all())
    day_stations = list(day.stations.all())
    day_courts = list(day.courts.all())
    if len(day_teams) < 2:
        raise SportDayError(_("Draw the teams first."))
    if not day_stations and not day_courts:
        raise SportDayError(_("Add activities or courts first."))
    if rules is not None:
        per_team, parallel = rules
        day.sports_per_team_at_most = per_team.at_most
        day.sport_in_parallel_at_most = parallel.at_most
    courts = [match_planner.Court(court.pk, court.sport_list) for court in day_courts]
    planned_matches = None
    if courts:
        planned_matches = match_planner.plan_matches(
            [t.pk for t in day_teams], courts, rules_of(day)
        )
        if isinstance(planned_matches, match_planner.Infeasible):
            return Planned(infeasible=planned_matches)
    with transaction.atomic():
        day.save(update_fields=["sports_per_team_at_most", "sport_in_parallel_at_most"])
        day.visits.all().delete()
        day.matches.all().delete()
        if day_stations:
            rotation = stations.rotation([t.pk for t in day_teams], [s.pk for s in day_stations])
            Visit.objects.bulk_create(
                Visit(
                    sport_day=day, round=round.number, team_id=visit.team, station_id=visit.station
                )
                for round in rotation.rounds
                for visit in round.visits
            )
        if planned_matches is not None:
            Match.objects.bulk_create(
                Match(
                    sport_day=day,
                    slot=match.slot,
                    court_id=match.court,
                    sport=match.sport,
                    home_id=match.home,
                    away_id=match.away,
                )
                for match in planned_matches.matches
            )
    return Planned()


def relaxed_rules(infeasible):
    """The rules of the planner's suggestion, as plan(rules=...) takes them."""
    return infeasible.suggestion.rules


def publish(day):
    """Publishes a planned day whose teams hold together."""
    if not day.visits.exists() and not day.matches.exists():
        raise SportDayError(_("Plan the activities and matches first."))
    if not team_check(day).ok:
        raise SportDayError(_("The teams need fixing first: see what is wrong above them."))
    SportDay.objects.filter(pk=day.pk).update(state=SportDay.State.PUBLISHED)
    day.state = SportDay.State.PUBLISHED


def unpublish(day):
    """Back to draft, to change teams or plan: only before any result, which a new draw
    or plan would delete."""
    if (
        Placing.objects.filter(station__sport_day=day).exists()
        or day.matches.filter(home_score__isnull=False).exists()
    ):
        raise SportDayError(_("Results are typed already: the teams and the plan stay."))
    SportDay.objects.filter(pk=day.pk).update(state=SportDay.State.DRAFT)
    day.state = SportDay.State.DRAFT


def _draft(day):
    if day.is_published:
        raise NotDraft


def _renew(model, pk, version):
    """Takes the row's version, or raises ResultChanged: the database decides who wins."""
    if not model.objects.filter(pk=pk, version=version).update(version=F("version") + 1):
        raise ResultChanged


def _results_changed(day_id):
    SportDay.objects.filter(pk=day_id).update(results_version=F("results_version") + 1)


def record_score(match, *, home_score, away_score, version):
    """A match's score, as its referee typed it for the match at `version`."""
    for value, field in ((home_score, "home_score"), (away_score, "away_score")):
        if value is None or not 0 <= value <= 999:
            raise SportDayError(_("Type a score from 0 to 999."), field=field)
    with transaction.atomic():
        _renew(Match, match.pk, version)
        Match.objects.filter(pk=match.pk).update(home_score=home_score, away_score=away_score)
        _results_changed(match.sport_day_id)
    match.home_score, match.away_score, match.version = home_score, away_score, version + 1
    return match


def record_placings(station, places, *, version):
    """An activity's placings as its jury typed them ({team id: place}), for the station
    at `version`. Tied teams share a place; every team that came gets one."""
    visiting = set(station.visits.values_list("team_id", flat=True))
    if set(places) != visiting:
        raise SportDayError(_("Give every team that came a place."))
    for team, place in places.items():
        if place is None or not 1 <= place <= len(visiting):
            raise SportDayError(
                _("A place goes from 1 to %(count)s.") % {"count": len(visiting)},
                field=f"team_{team}",
            )
    with transaction.atomic():
        _renew(Station, station.pk, version)
        Placing.objects.filter(station=station).delete()
        Placing.objects.bulk_create(
            Placing(station=station, team_id=team, place=place) for team, place in places.items()
        )
        _results_changed(station.sport_day_id)
    station.version = version + 1
    return station


def set_fair_play(day, marks):
    """The fair play marks ({team id: mark}) the jury gave at the end of the day."""
    with transaction.atomic():
        for team, mark in marks.items():
            day.teams.filter(pk=team).update(fair_play=mark)
        _results_changed(day.pk)


def renew_link(referee):
    """A new secret for a station's or a court's link: the old link stops working."""
    referee.secret = type(referee)._meta.get_field("secret").default()
    type(referee).objects.filter(pk=referee.pk).update(secret=referee.secret)
    return referee


def renew_recruiters_link(day):
    day.recruiter_secret = SportDay._meta.get_field("recruiter_secret").default()
    SportDay.objects.filter(pk=day.pk).update(recruiter_secret=day.recruiter_secret)
    return day


def round_times(day, count):
    """When each of `count` rounds starts, from the date's start, round after round."""
    step = timedelta(minutes=day.round_minutes + day.break_minutes)
    return [day.date.start + step * index for index in range(count)]


def standings(day, team_rows, placings, played):
    """The ranking of `team_rows` from results already read (no query)."""
    return ranking.rank(
        [team.pk for team in team_rows],
        placings=[ranking.Placing(p.station_id, p.team_id, p.place) for p in placings],
        scores=[ranking.Score(m.home_id, m.away_id, m.home_score, m.away_score) for m in played],
        fair_play={team.pk: team.fair_play for team in team_rows},
        scoring=ranking.Scoring(
            placement_points=tuple(day.placement_points),
            win=day.win_points,
            draw=day.draw_points,
            loss=day.loss_points,
        ),
        chain=day.tie_breaks,
    )
