"""The young person's booking journey: choices carried in GET parameters, then one POST.

`Journey` reads the choices (counsellor, format, place, first meeting, slot) in order,
checks each against the database, and stops at the first step that is missing or wrong:
that is the step to show, with the reason. The same parsing serves the GET steps and the
final POST, so the POST re-validates everything.
"""

from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import slug_re
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from booking import services
from booking.models import AvailabilityRule, Counsellor, Format, GroupSession, Place
from booking.scheduling.listing import KEPT_SECONDS, monday_of, parse_slot_key, week_listing
from booking.scheduling.loading import find_slots, load_availability
from booking.scheduling.slots import Slot, compute_slots, merge_counsellors
from booking.services.contacts import needs_email
from booking.services.invitations import read_invitation
from core import pagecache
from core.dates import local_when

ANY_COUNSELLOR = "premier-disponible"
YES, NO = "oui", "non"
MAX_PARAM_LENGTH = 100


class Param(StrEnum):
    """The GET and POST parameters of the journey: French, since people see them in links."""

    COUNSELLOR = "conseiller"
    FORMAT = "format"
    FIRST_MEETING = "premiere"
    PLACE = "lieu"
    SLOT = "creneau"
    STEP = "etape"
    WEEK = "semaine"
    INVITATION = "invitation"


class Step(StrEnum):
    COUNSELLOR = "conseiller"
    FORMAT = "format"
    PLACE = "lieu"
    SLOT = "creneau"
    DETAILS = "coordonnees"


# The GET parameters of each step, in order.
STEP_PARAMS = {
    # An invitation's link (services.invitations) travels with the counsellor it names.
    Step.COUNSELLOR: [Param.COUNSELLOR, Param.INVITATION],
    Step.FORMAT: [Param.FORMAT],
    Step.PLACE: [Param.FIRST_MEETING, Param.PLACE],
    Step.SLOT: [Param.SLOT],
    Step.DETAILS: [],
}

# Where a refusal sends the person back, by the field it concerns (services.errors).
REFUSAL_STEPS = {
    "slot": (Step.SLOT, Param.SLOT),
    "place": (Step.PLACE, Param.PLACE),
    "format": (Step.FORMAT, Param.FORMAT),
}

SLOT_NO_LONGER_FREE = _("This time is no longer free. Please choose another one.")


class Journey:
    """The choices so far among what `structure` offers, validated in order; `step` is
    where the person is now."""

    def __init__(self, data, structure, *, now=None, check_free=True):
        """`check_free=False` (the last step's POST) takes the chosen time as sent: the
        booking service checks it again in its transaction, and one check is enough."""
        self.data = data
        self.structure = structure
        self.now = now or timezone.now()
        self.check_free = check_free
        self.counsellor = None
        self.any_counsellor = False
        self.format = None
        self.place = None
        self.asks_first_meeting = False
        self.first_meeting = None
        self.slot = None
        self.rejected_start = None
        self.errors = {}
        self.step = self._walk()

    # Reading the choices ---------------------------------------------------------

    def value(self, name):
        """A parameter as sent; anything no choice could be (NUL, very long) counts as
        unknown rather than reaching the database."""
        value = self.data.get(name, "")
        if "\x00" in value or len(value) > MAX_PARAM_LENGTH:
            return "?"
        return value

    def _walk(self):
        return (
            self._read_counsellor()
            or self._read_format()
            or self._read_place()
            or self._read_slot()
            or Step.DETAILS
        )

    def _missing(self, step, name, message):
        """The step to show; with an error only if the person sent it without choosing."""
        if self.value(Param.STEP) == step:
            self.errors[name] = message
        return step

    def _read_counsellor(self):
        value = self.value(Param.COUNSELLOR)
        if not value:
            return self._missing(
                Step.COUNSELLOR, Param.COUNSELLOR, _("Please choose who you would like to meet.")
            )
        if value == ANY_COUNSELLOR:
            self.any_counsellor = True
            return None
        self.counsellor = self._named_counsellor(value)
        if self.counsellor is None:
            self.errors[Param.COUNSELLOR] = _(
                "This person cannot be booked online at the moment. Please choose again."
            )
            return Step.COUNSELLOR
        return None

    def _read_format(self):
        value = self.value(Param.FORMAT)
        if not value:
            return self._missing(
                Step.FORMAT, Param.FORMAT, _("Please choose how you would like to meet.")
            )
        self.format = next((offer for offer in self.formats if offer.slug == value), None)
        if self.format is None:
            self.errors[Param.FORMAT] = _(
                "This way of meeting is not offered here. Please choose another one."
            )
            return Step.FORMAT
        return None

    def _read_place(self):
        stage = self.format.meeting_stage
        self.first_meeting = {
            Format.MeetingStage.FIRST: True,
            Format.MeetingStage.FOLLOW_UP: False,
        }.get(stage)
        if self.format.is_group:
            # Group sessions each have their place: it is shown with the session.
            return None
        self.asks_first_meeting = stage == Format.MeetingStage.ANY and not all(
            place.suits_first_meeting for place in self.places
        )
        value = self.value(Param.PLACE)
        if not value and self.value(Param.STEP) != Step.PLACE:
            return Step.PLACE
        self._read_first_meeting()
        self.place = next((place for place in self.places if str(place.pk) == value), None)
        error = self._place_error(value)
        if error:
            self.errors[Param.PLACE] = error
        return Step.PLACE if self.errors else None

    def _read_first_meeting(self):
        """Asked only when the format suits both and a place does not suit a first meeting."""
        if not self.asks_first_meeting:
            return
        first = self.value(Param.FIRST_MEETING)
        if first not in (YES, NO):
            self.errors[Param.FIRST_MEETING] = _("Please tell us whether we have met before.")
        else:
            self.first_meeting = first == YES

    def _place_error(self, value):
        """Why the place sent cannot be chosen, or None."""
        if not value:
            return _("Please choose where you would like to meet.")
        if self.place is None:
            return _(
                "This place is not offered for this way of meeting. Please choose another one."
            )
        if self.first_meeting and not self.place.suits_first_meeting:
            return services.MeetingStageMismatch.NOT_AT_HOME
        return None

    def _read_slot(self):
        value = self.value(Param.SLOT)
        if not value:
            return self._missing(Step.SLOT, Param.SLOT, _("Please choose a day and a time."))
        start, session = self._parse_slot_key(value)
        if start is None:
            self.errors[Param.SLOT] = services.SlotUnavailable.message_for(
                services.SlotUnavailable.OUTSIDE_AVAILABILITY
            )
            return Step.SLOT
        for reason, refused in (
            (services.SlotUnavailable.PAST, start <= self.now),
            (
                services.SlotUnavailable.BEYOND_HORIZON,
                start > self.now + timedelta(days=self.format.horizon_days),
            ),
        ):
            if refused:
                self.errors[Param.SLOT] = services.SlotUnavailable.message_for(reason)
                return Step.SLOT
        self.slot = Slot(
            start=start,
            end=session.end if session else start + timedelta(minutes=self.format.duration_minutes),
            counsellor=self.counsellor,
            format=self.format,
            place=session.place if session else self.place,
            seats_left=session.seats_left if session else 1,
            group_session=session,
        )
        if self.check_free and not self.slot_is_free():
            return Step.SLOT
        return None

    def slot_is_free(self):
        """Whether the chosen time is still free; if not, back to the slot step. The
        answer is kept like the week it was chosen from (listing.KEPT_SECONDS, under the
        site's version that a booking renews): the booking itself checks again."""
        start, session = self.slot.start, self.slot.group_session
        asked = ",".join(str(c.pk) for c in self._counsellors_asked or ())
        name = (
            f"free:{self.format.pk}:{self.place.pk if self.place else ''}:{asked}:"
            f"{self.first_meeting}:{start.isoformat()}:{session.pk if session else ''}"
        )

        def first_match():
            matches = [
                slot
                for slot in self._free_slots(start, start + timedelta(microseconds=1))
                if slot.start == start
                and (slot.group_session.pk if slot.group_session else None)
                == (session.pk if session else None)
            ]
            return (matches[0] if matches else None,)  # a tuple: None is kept too

        (match,) = pagecache.for_site(self.structure.site_id, name, first_match, KEPT_SECONDS)
        if match is None:
            self.reject(Step.SLOT, Param.SLOT, SLOT_NO_LONGER_FREE)
            return False
        self.slot = match
        return True

    def _parse_slot_key(self, value):
        """(start, group session or None); (None, None) if it is not a slot of this format."""
        start, session_id = parse_slot_key(value)
        if self.format.is_group != (session_id is not None):
            return None, None
        if session_id is not None:
            session = (
                GroupSession.objects.with_seats()
                .filter(pk=session_id, format=self.format)
                .select_related("place")
                .first()
            )
            return (session.start, session) if session else (None, None)
        return start, None

    def reject(self, step, name, message):
        """Send the person back to `step` with `message`, e.g. when booking was refused."""
        self.step = step
        self.errors[name] = message
        if step == Step.SLOT and self.slot is not None:
            self.rejected_start = self.slot.start
            self.slot = None
        if step in (Step.FORMAT, Step.PLACE):
            self.slot = None
            if step == Step.FORMAT:
                self.place = None

    def refused(self, error):
        """Send the person back to the step a refusal of `services.book` concerns."""
        step, name = self._refusal_step(error)
        self.reject(step, name, error.message)

    def refused_url(self, error):
        """The link to the step a refusal concerns, for the e-mail that tells it."""
        return self.url(self._refusal_step(error)[0])

    def _refusal_step(self, error):
        """(step, parameter); a place refused for a group session (which has no place
        step) is its format's."""
        field = "format" if error.field == "place" and self.place is None else error.field
        return REFUSAL_STEPS.get(field, REFUSAL_STEPS["slot"])

    @property
    def needs_email(self):
        """Whether the details step must ask for an e-mail address, the outcome being
        told only by e-mail (`contacts.needs_email`)."""
        return self.slot is not None and needs_email(self.booking_target())

    # What each step offers -------------------------------------------------------

    def counsellors(self):
        """Everyone bookable, with their live profile page and portrait when there is one,
        in the rendition the profiles use (the `portrait` tag shows it)."""
        portraits = get_image_model().objects.prefetch_renditions(
            settings.COUNSELLOR_PORTRAIT_FILTER
        )
        counsellors = Counsellor.objects.bookable(self.structure).with_profile_pages(
            Prefetch("photo", queryset=portraits)
        )
        return list(counsellors)

    def _kept(self, name, build):
        """What the structure offers, which every step reads before showing anything:
        kept under its site's version, which any change to counsellors, formats, places
        or opening hours renews, and at most KEPT_SECONDS like the free times."""
        return pagecache.for_site(
            self.structure.site_id, f"journey:{name}", build, seconds=KEPT_SECONDS
        )

    def _named_counsellor(self, slug):
        """Only a value a slug could be reaches the cache and the database."""
        if not slug_re.match(slug):
            return None
        return self._kept(
            f"counsellor:{slug}",
            lambda: Counsellor.objects.filter(
                active=True, slug=slug, structures=self.structure
            ).first(),
        )

    @cached_property
    def formats(self):
        """The formats this counsellor (or anyone) offers."""
        counsellor = self.counsellor.pk if self.counsellor is not None else ANY_COUNSELLOR
        return self._kept(f"formats:{counsellor}", self._read_formats)

    def _read_formats(self):
        formats = Format.objects.filter(active=True, structure=self.structure)
        if self.counsellor is not None:
            return list(formats.filter(counsellors=self.counsellor))
        return list(formats.filter(counsellors__active=True).distinct())

    @cached_property
    def places(self):
        """Places where this format has opening hours with this counsellor (or anyone)."""
        counsellor = self.counsellor.pk if self.counsellor is not None else ANY_COUNSELLOR
        today = timezone.localdate(self.now)
        return self._kept(f"places:{counsellor}:{self.format.pk}:{today}", self._read_places)

    def _read_places(self):
        rules = AvailabilityRule.objects.filter(
            Q(formats=self.format) | Q(formats__isnull=True),
            Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate(self.now)),
            counsellor__active=True,
            counsellor__formats=self.format,
            counsellor__structures=self.structure,
        )
        if self.counsellor is not None:
            rules = rules.filter(counsellor=self.counsellor)
        places = Place.objects.filter(
            active=True,
            structure=self.structure,
            kind__in=self.format.place_kinds,
            availability_rules__in=rules.values("pk"),
        ).distinct()
        # Neutral places first, home last: the right choice for most people comes first.
        return sorted(places, key=lambda place: (not place.suits_first_meeting, place.name))

    def _free_slots(self, start, end):
        """The free slots of the choices so far starting in [start, end)."""
        return self._offered(
            find_slots(
                self.structure,
                now=self.now,
                start=start,
                end=end,
                counsellors=self._counsellors_asked,
                formats=[self.format],
                first_meeting=self.first_meeting,
            )
        )

    @property
    def _counsellors_asked(self):
        return [self.counsellor] if self.counsellor else None

    def _offered(self, slots):
        """Those of `slots` at the chosen place (or the group sessions), one per time
        when anyone will do."""
        if self.format.is_group:
            slots = [slot for slot in slots if slot.group_session is not None]
        else:
            slots = [slot for slot in slots if slot.place.pk == self.place.pk]
        return merge_counsellors(slots) if self.any_counsellor else slots

    @cached_property
    def _horizon(self):
        """What the slot step's weeks are computed from, read once up to the format's
        horizon: reading costs as much as computing a week, and a week with nothing free
        sends the page on to the next."""
        return load_availability(
            self.structure,
            start=self.now,
            counsellors=self._counsellors_asked,
            formats=[self.format],
        )

    def _listed_slots(self, start, end):
        """A full group session is listed too, with the way to its waiting list."""
        return self._offered(
            compute_slots(
                self._horizon,
                now=self.now,
                start=start,
                end=end,
                first_meeting=self.first_meeting,
                full_sessions=self.format.is_group,
            )
        )

    def slot_listing(self, week=None):
        """The free slots of one week (see `week_listing`), computed for that week only."""
        return week_listing(
            self._listed_slots,
            now=self.now,
            horizon_days=self.format.horizon_days,
            week_url=self.week_url,
            week=week,
            around=self.rejected_start,
        )

    # Links and hidden fields -----------------------------------------------------

    @property
    def steps(self):
        steps = list(Step)
        if self.format is not None and self.format.is_group:
            steps.remove(Step.PLACE)
        return steps

    @property
    def step_number(self):
        return self.steps.index(self.step) + 1

    @property
    def step_total(self):
        return len(self.steps)

    def params_before(self, step):
        """(name, value) of the valid choices made before `step`."""
        pairs = []
        for earlier in self.steps[: self.steps.index(step)]:
            for name in STEP_PARAMS[earlier]:
                value = self.value(name)
                if name == Param.FIRST_MEETING and not self.asks_first_meeting:
                    continue
                if value:
                    pairs.append((name, value))
        return pairs

    @property
    def is_shared(self):
        """Whether this step's page is the same for everyone who asks for it this way:
        no error, no invitation, and nothing in the query but the valid choices so far
        and the step they were sent from, once each; so that what the page cache keeps
        (views.flow) is only ever an address the flow itself makes."""
        if self.errors or self.step == Step.DETAILS or self.data.get(Param.INVITATION):
            return False
        expected = [(name, [value]) for name, value in self.params_before(self.step)]
        sent_from = self.data.get(Param.STEP)
        if sent_from:
            if sent_from not in set(Step):
                return False
            expected.append((Param.STEP.value, [sent_from]))
        return sorted(self.data.lists()) == sorted(expected)

    @property
    def hidden_params(self):
        return self.params_before(self.step)

    def url(self, step, **extra):
        query = urlencode([*self.params_before(step), *extra.items()])
        return f"{reverse('booking:flow')}?{query}" if query else reverse("booking:flow")

    @property
    def step_urls(self):
        """Where to go to change each choice (the later ones are then asked again)."""
        return {step.value: self.url(step) for step in self.steps}

    def week_url(self, day):
        return self.url(Step.SLOT, **{Param.WEEK: monday_of(day).isoformat()})

    @property
    def summary(self):
        """The choices before the current step, each with a link to change it."""
        rows = []
        done = self.steps[: self.steps.index(self.step)]
        if Step.COUNSELLOR in done:
            rows.append(
                (
                    _("With"),
                    self.counsellor.first_name
                    if self.counsellor
                    else _("The first person available"),
                    self.url(Step.COUNSELLOR),
                )
            )
        if Step.FORMAT in done:
            rows.append((_("How"), self.format.name, self.url(Step.FORMAT)))
        if Step.PLACE in done:
            rows.append((_("Where"), self.place.name, self.url(Step.PLACE)))
        if Step.SLOT in done:
            rows.append((_("When"), local_when(self.slot.start), self.url(Step.SLOT)))
        return rows

    def booking_target(self):
        """The arguments of services.book() that say what is booked."""
        if self.slot.group_session is not None:
            target = {"group_session": self.slot.group_session}
        else:
            target = {
                "format": self.format,
                "start": self.slot.start,
                "place": self.place,
                "counsellor": self.counsellor,
            }
        if self.invitation is not None:
            target["invitation"] = self.invitation
        return target

    @cached_property
    def invitation(self):
        """The invitation the person came with, while it can still be used and names
        the counsellor and format chosen; otherwise they book like anyone."""
        token = self.value(Param.INVITATION)
        found = read_invitation(token, self.structure) if token else None
        if found is None or not found.usable(self.now):
            return None
        if (found.counsellor, found.format) != (self.counsellor, self.format):
            return None
        return found
