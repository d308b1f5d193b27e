"""What a sport day stores: its activities and courts, its teams (whose members are the
date's registrations, so booking's export, erasure and purge reach the people), the
rotation and the matches the planners made, as rows, and the results typed on the day.

Results are written only by `eventdays.sport.services`, each through a conditional
UPDATE on the row's `version`: a referee's form carries the version it showed, so of two
phones typing at once the second is told, never silently overwritten."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from eventdays.planning.ranking import DEFAULT_CHAIN, Criterion


def new_secret():
    return secrets.token_urlsafe(12)


def default_chain():
    return [str(criterion) for criterion in DEFAULT_CHAIN]


def default_points():
    return [4, 3, 2, 1]


def validate_chain(value):
    names = {str(criterion) for criterion in Criterion}
    if not isinstance(value, list) or any(item not in names for item in value):
        raise ValidationError(_("Unknown tie-break."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each tie-break may appear once."))


def validate_points(value):
    if (
        not isinstance(value, list)
        or not value
        or any(not isinstance(item, int) or item < 0 for item in value)
    ):
        raise ValidationError(_("Give whole numbers of points, from the first place down."))


class SportDay(models.Model):
    """The sport day of one event date; a draft until staff publish its plan."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    date = models.OneToOneField(
        "booking.EventDate",
        on_delete=models.CASCADE,
        related_name="sport_day",
        verbose_name=_("event date"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    team_count = models.PositiveSmallIntegerField(_("teams"), default=4)
    round_minutes = models.PositiveSmallIntegerField(_("minutes per round"), default=20)
    break_minutes = models.PositiveSmallIntegerField(_("minutes between rounds"), default=5)
    placement_points = models.JSONField(
        _("placement points"), default=default_points, validators=[validate_points]
    )
    win_points = models.PositiveSmallIntegerField(_("points for a win"), default=3)
    draw_points = models.PositiveSmallIntegerField(_("points for a draw"), default=1)
    loss_points = models.PositiveSmallIntegerField(_("points for a loss"), default=0)
    tie_breaks = models.JSONField(
        _("tie-breaks"), default=default_chain, validators=[validate_chain]
    )
    # The match rules, relaxed by staff when the planner says no plan holds them.
    sports_per_team_at_most = models.PositiveSmallIntegerField(
        _("times a team may play one sport"), default=1
    )
    sport_in_parallel_at_most = models.PositiveSmallIntegerField(
        _("courts one sport may use at once"), default=1
    )
    # Renewed to revoke every recruiters' link at once.
    recruiter_secret = models.CharField(max_length=32, default=new_secret, editable=False)
    # Renewed by every result typed: the scoreboard is kept under it.
    results_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("sport day")
        verbose_name_plural = _("sport days")

    def __str__(self):
        return str(self.date)

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED


class RefereedMixin(models.Model):
    """A place results are typed from, by whoever holds its link; a new secret revokes it."""

    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Station(RefereedMixin):
    """An activity every team visits once (the quiz, a dance battle), its jury placing them."""

    sport_day = models.ForeignKey(
        SportDay, on_delete=models.CASCADE, related_name="stations", verbose_name=_("sport day")
    )

    class Meta(RefereedMixin.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")


class Court(RefereedMixin):
    """A pitch or a table, and the sports its equipment allows (comma-separated)."""

    sport_day = models.ForeignKey(
        SportDay, on_delete=models.CASCADE, related_name="courts", verbose_name=_("sport day")
    )
    sports = models.CharField(_("sports"), max_length=200)

    class Meta(RefereedMixin.Meta):
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    @property
    def sport_list(self):
        return [sport.strip() for sport in self.sports.split(",") if sport.strip()]


class Team(models.Model):
    sport_day = models.ForeignKey(
        SportDay, on_delete=models.CASCADE, related_name="teams", verbose_name=_("sport day")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=40)
    fair_play = models.PositiveSmallIntegerField(_("fair play"), default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["sport_day", "number"], name="sport_team_number_once")
        ]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    """A registration in a team: the person through booking's row, which names nobody
    once their data is erased or purged."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    registration = models.OneToOneField(
        "booking.Registration",
        on_delete=models.CASCADE,
        related_name="sport_team_member",
        verbose_name=_("registration"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return f"{self.team} — {self.registration_id}"


class Visit(models.Model):
    """A team at an activity in a round of the rotation."""

    sport_day = models.ForeignKey(SportDay, on_delete=models.CASCADE, related_name="visits")
    round = models.PositiveSmallIntegerField(_("round"))
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="visits")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="visits")

    class Meta:
        ordering = ["round", "station__position", "station__pk"]
        constraints = [
            models.UniqueConstraint(fields=["station", "round"], name="sport_visit_station_once"),
            models.UniqueConstraint(fields=["team", "round"], name="sport_visit_team_once"),
        ]

    def __str__(self):
        return f"{self.round}: {self.team} — {self.station}"


class Match(models.Model):
    """A match of the round robin, on a court at a sport, and its score once typed."""

    sport_day = models.ForeignKey(SportDay, on_delete=models.CASCADE, related_name="matches")
    slot = models.PositiveSmallIntegerField(_("round"))
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="matches")
    sport = models.CharField(_("sport"), max_length=40)
    home = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="home_matches")
    away = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="away_matches")
    home_score = models.PositiveSmallIntegerField(_("home score"), null=True, blank=True)
    away_score = models.PositiveSmallIntegerField(_("away score"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["slot", "court__position", "court__pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["court", "slot"], name="sport_match_court_once"),
            models.CheckConstraint(condition=~Q(home=F("away")), name="sport_match_two_teams"),
            models.CheckConstraint(
                condition=Q(home_score__isnull=True, away_score__isnull=True)
                | Q(home_score__isnull=False, away_score__isnull=False),
                name="sport_match_both_scores",
            ),
        ]

    def __str__(self):
        return f"{self.slot}: {self.home} — {self.away}"

    @property
    def played(self):
        return self.home_score is not None


class Placing(models.Model):
    """A team's place at an activity, as its jury typed it (tied teams share a place)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="placings")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="placings")
    place = models.PositiveSmallIntegerField(_("place"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "team"], name="sport_placing_once"),
            models.CheckConstraint(condition=Q(place__gte=1), name="sport_placing_from_one"),
        ]

    def __str__(self):
        return f"{self.station} — {self.team}: {self.place}"
