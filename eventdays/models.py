"""What an event day stores. Other days' tables live in modules of their own, imported
at the end of this one (Django finds an app's models in `eventdays.models`).

"Adopte un pro" (a speed meeting) builds on booking: its `SpeedMeeting` is one event
date (`booking.EventDate`), its young people that date's registrations, so seats, the
waiting list, messages and the check-in are booking's. Its own rows:

- `Pro`: a person at a table (an employer, or a counsellor of the structure), who
  registered through the meeting's link (`SpeedMeeting.pros_key`) or was added by staff;
- `Wish`: a sector or a named pro a young person would like to meet (optional);
- `Seat`: one young person at one pro's table in one round, in the draft or the
  published plan (`published`): a person's schedule is one query, and the seats of a
  registration go with it.

Only `eventdays.speed` writes them (the admin's forms and the pages call it).
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(16)


class Sector(models.TextChoices):
    """The 14 "grands domaines" of France Travail's ROME, in words young people use."""

    NATURE = "nature", _("Nature, farming and animals")
    CRAFTS = "crafts", _("Arts and crafts")
    FINANCE = "finance", _("Banking, insurance and property")
    RETAIL = "retail", _("Shops and sales")
    MEDIA = "media", _("Communication, media and digital")
    BUILDING = "building", _("Building and public works")
    HOSPITALITY = "hospitality", _("Hotels, restaurants, tourism and leisure")
    INDUSTRY = "industry", _("Industry and manufacturing")
    REPAIR = "repair", _("Installation, maintenance and repair")
    HEALTH = "health", _("Health care")
    CARE = "care", _("Helping people and public services")
    SHOWS = "shows", _("Shows and entertainment")
    OFFICE = "office", _("Office and business support")
    TRANSPORT = "transport", _("Transport and logistics")


class SpeedMeeting(models.Model):
    """An "Adopte un pro" morning or afternoon: one event date's rounds."""

    date = models.OneToOneField(
        "booking.EventDate",
        on_delete=models.CASCADE,
        related_name="speed_meeting",
        verbose_name=_("event date"),
    )
    rounds = models.PositiveSmallIntegerField(_("rounds"), default=8)
    round_minutes = models.PositiveSmallIntegerField(_("minutes per round"), default=10)
    change_minutes = models.PositiveSmallIntegerField(_("minutes to change tables"), default=2)
    first_round_at = models.DateTimeField(_("first round starts"))
    # The secret of the link staff send the pros, and of the big screen's
    # (eventdays.speed.links); a new one makes the links given so far stop working.
    pros_key = models.CharField(_("key of the pros' link"), max_length=32, default=new_key)
    # The draft's changes since the plan was last published (or built): the draft and
    # published seats are both kept, the young people see only the published ones.
    draft_changed_at = models.DateTimeField(_("draft changed"), null=True, blank=True)
    published_at = models.DateTimeField(_("plan published"), null=True, blank=True)
    # Rounds numbered from 0 (the pages say "Tour 1" for round 0). None: not started;
    # `rounds`: over. The rounds before it are played; it started at `round_started_at`.
    round_playing = models.PositiveSmallIntegerField(_("round being played"), null=True, blank=True)
    round_started_at = models.DateTimeField(_("round started"), null=True, blank=True)

    class Meta:
        verbose_name = _("speed meeting")
        verbose_name_plural = _("speed meetings")
        constraints = [
            models.CheckConstraint(condition=Q(rounds__gte=1), name="eventdays_meeting_rounds"),
            models.CheckConstraint(
                condition=Q(round_minutes__gte=1), name="eventdays_meeting_round_minutes"
            ),
            models.CheckConstraint(
                condition=Q(round_playing__isnull=True) | Q(round_playing__lte=models.F("rounds")),
                name="eventdays_meeting_round_playing",
            ),
        ]

    def __str__(self):
        return str(self.date)

    @property
    def structure(self):
        return self.date.structure


class Pro(models.Model):
    """One table of a meeting: the employer or counsellor sitting there."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        COUNSELLOR = "counsellor", _("Counsellor")

    class Source(models.TextChoices):
        LINK = "link", _("The pros' link")
        STAFF = "staff", _("Staff")

    uuid = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        SpeedMeeting, on_delete=models.CASCADE, related_name="pros", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # A counsellor of the structure (their name, their bookings afterwards).
    counsellor = models.ForeignKey(
        "booking.Counsellor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speed_tables",
        verbose_name=_("counsellor"),
    )
    table = models.PositiveSmallIntegerField(_("table"))
    name = models.CharField(
        _("name shown"), max_length=80, help_text=_("As the young people will see it.")
    )
    company = models.CharField(_("company"), max_length=120, blank=True)
    job = models.CharField(_("job offered or presented"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("young people at once"), default=1, help_text=_("How many young people sit at the table.")
    )
    # The one contact kept: to send their link and the day's changes.
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    source = models.CharField(_("registered via"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    # Marked at check-in: the first round (from 0) the pro is not there for, having not
    # come (the first round not played) or left; None while they are there.
    gone_from = models.PositiveSmallIntegerField(_("not there from round"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "table"]
        verbose_name = _("pro")
        verbose_name_plural = _("pros")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "table"], name="eventdays_pro_table_once"),
            models.UniqueConstraint(
                fields=["meeting", "counsellor"],
                condition=Q(counsellor__isnull=False),
                name="eventdays_pro_counsellor_once",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="eventdays_pro_seats"),
            models.CheckConstraint(condition=Q(table__gte=1), name="eventdays_pro_table"),
            models.CheckConstraint(
                condition=Q(kind="counsellor") | ~Q(company=""),
                name="eventdays_pro_employer_has_company",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """ "Garage Martin (Mécanique)", or a counsellor's name."""
        if self.kind == self.Kind.COUNSELLOR:
            return self.name
        return f"{self.company} ({self.job})" if self.job else self.company


class Wish(models.Model):
    """A sector, or a named pro, a young person would like to meet."""

    registration = models.ForeignKey(
        "booking.Registration",
        on_delete=models.CASCADE,
        related_name="speed_wishes",
        verbose_name=_("registration"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    pro = models.ForeignKey(
        Pro,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wished_by",
        verbose_name=_("pro"),
    )

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(pro__isnull=True) & ~Q(sector=""))
                | (Q(pro__isnull=False) & Q(sector="")),
                name="eventdays_wish_sector_or_pro",
            ),
            models.UniqueConstraint(
                fields=["registration", "sector"],
                condition=~Q(sector=""),
                name="eventdays_wish_sector_once",
            ),
            models.UniqueConstraint(
                fields=["registration", "pro"],
                condition=Q(pro__isnull=False),
                name="eventdays_wish_pro_once",
            ),
        ]

    def __str__(self):
        return self.get_sector_display() if self.sector else str(self.pro)


class Seat(models.Model):
    """A young person at a pro's table in one round (from 0), of the draft or of the
    published plan. A break is no row."""

    meeting = models.ForeignKey(
        SpeedMeeting, on_delete=models.CASCADE, related_name="seats", verbose_name=_("meeting")
    )
    published = models.BooleanField(_("published"), default=False)
    round = models.PositiveSmallIntegerField(_("round"))
    pro = models.ForeignKey(
        Pro, on_delete=models.CASCADE, related_name="seated", verbose_name=_("pro")
    )
    registration = models.ForeignKey(
        "booking.Registration",
        on_delete=models.CASCADE,
        related_name="speed_seats",
        verbose_name=_("registration"),
    )

    class Meta:
        ordering = ["round", "pro__table", "pk"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        indexes = [models.Index(fields=["meeting", "published", "round"])]
        constraints = [
            # One table per round; a table over its seats is the draft's to show (check).
            models.UniqueConstraint(
                fields=["registration", "published", "round"],
                name="eventdays_seat_one_table_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.round + 1} — {self.pro}"


# After an "Adopte un pro" day (eventdays.speed.follow_ups writes these) ------------------


class FollowUpTerms(models.Model):
    """How a meeting's choices close and turn into follow-ups: until when the young
    people choose, the format of the counsellors' invitations, when staff sent them."""

    meeting = models.OneToOneField(
        SpeedMeeting, on_delete=models.CASCADE, related_name="follow_up_terms"
    )
    choices_close_at = models.DateTimeField(_("choices close"))
    format = models.ForeignKey(
        "booking.Format",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("format of the follow-ups"),
    )
    sent_at = models.DateTimeField(_("follow-ups sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up terms")
        verbose_name_plural = _("follow-up terms")

    def __str__(self):
        return str(self.meeting)


class Choice(models.Model):
    """One of the (up to three) people a young person felt best with, ranked from 1. For
    an employer, `consent_at`: they agree the employer receives their first name and
    contact."""

    registration = models.ForeignKey(
        "booking.Registration",
        on_delete=models.CASCADE,
        related_name="speed_choices",
        verbose_name=_("registration"),
    )
    pro = models.ForeignKey(
        Pro, on_delete=models.CASCADE, related_name="chosen_by", verbose_name=_("pro")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    consent_at = models.DateTimeField(_("agreed to give their contact"), null=True, blank=True)

    class Meta:
        ordering = ["registration", "rank"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["registration", "rank"], name="eventdays_choice_rank"),
            models.UniqueConstraint(fields=["registration", "pro"], name="eventdays_choice_once"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=3), name="eventdays_choice_rank_range"
            ),
        ]

    def __str__(self):
        return f"{self.rank} — {self.pro}"


class ProFollowUp(models.Model):
    """What a pro said after the day: how many young people a counsellor can follow, an
    employer's consent to receive the contacts of those who agree to give it."""

    pro = models.OneToOneField(Pro, on_delete=models.CASCADE, related_name="follow_up")
    capacity = models.PositiveSmallIntegerField(_("follow-ups they can take"), default=3)
    consent_at = models.DateTimeField(_("agreed to receive contacts"), null=True, blank=True)
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)

    class Meta:
        verbose_name = _("pro's follow-up")
        verbose_name_plural = _("pros' follow-ups")

    def __str__(self):
        return str(self.pro)


class Mark(models.Model):
    """A young person a pro or counsellor would like to follow or meet again."""

    pro = models.ForeignKey(Pro, on_delete=models.CASCADE, related_name="marks")
    registration = models.ForeignKey(
        "booking.Registration", on_delete=models.CASCADE, related_name="speed_marks"
    )

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(fields=["pro", "registration"], name="eventdays_mark_once")
        ]

    def __str__(self):
        return str(self.pro)


class Outcome(models.Model):
    """What a young person was told once staff sent the follow-ups: the counsellor they
    follow up with (and the invitation, whose booking says whether they came), or why
    not; `told_at`: their message recorded (nobody is told twice)."""

    class Reason(models.TextChoices):
        NO_CHOICE = "no_choice", _("Chose nobody")
        NOT_CHOSEN_BACK = "not_chosen_back", _("No mutual choice")
        COUNSELLORS_FULL = "counsellors_full", _("Counsellors full")
        NO_CONSENT = "no_consent", _("Handover without both consents")

    meeting = models.ForeignKey(SpeedMeeting, on_delete=models.CASCADE, related_name="outcomes")
    registration = models.OneToOneField(
        "booking.Registration", on_delete=models.CASCADE, related_name="speed_outcome"
    )
    counsellor = models.ForeignKey(
        Pro, on_delete=models.SET_NULL, null=True, blank=True, related_name="followed"
    )
    invitation = models.OneToOneField(
        "booking.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speed_outcome",
    )
    mutual = models.BooleanField(_("at least one mutual choice"), default=False)
    reason = models.CharField(
        _("why no follow-up"), max_length=20, choices=Reason.choices, blank=True
    )
    told_at = models.DateTimeField(_("told"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return str(self.meeting)


class Handover(models.Model):
    """A young person's first name and contact given to an employer: only made with
    both consents, whose times it keeps; `sent_at`: the employer's e-mail left."""

    registration = models.ForeignKey(
        "booking.Registration", on_delete=models.CASCADE, related_name="speed_handovers"
    )
    pro = models.ForeignKey(Pro, on_delete=models.CASCADE, related_name="handovers")
    young_consent_at = models.DateTimeField(_("young person's consent"))
    employer_consent_at = models.DateTimeField(_("employer's consent"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "pro"], name="eventdays_handover_once")
        ]

    def __str__(self):
        return str(self.pro)


# The sport days' tables (Django finds an app's models here).
from .sport.models import (  # noqa: E402, F401
    Court,
    Match,
    Placing,
    SportDay,
    Station,
    Team,
    TeamMember,
    Visit,
)
