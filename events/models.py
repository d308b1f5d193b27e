"""Events: open days, sport days, job datings and workshops that make young people want to come.

An EventPage holds explicit dates (EventOccurrence rows) and, for regular open days, an
optional recurrence; events.occurrences turns both into concrete slots. Listings sort in
Python after one prefetch, so their cost in queries does not grow with the number of events.
"""

import hashlib
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from modelcluster.fields import ParentalKey
from recurrence import DAILY, MONTHLY, WEEKLY, YEARLY
from recurrence.fields import RecurrenceField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PageLogEntry, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from core import calendar_links, date_notes, pagecache
from core.ical import calendar_file_response, conditional_feed_response
from home.models import BasePage, SiteIdentity

from . import ics, occurrences
from .widgets import RecurrenceWidget

# Dates listed on an event page; a recurrence can go on for years.
UPCOMING_DATES_SHOWN = 6
PAST_EVENTS_PER_PAGE = 20


class EventType(models.TextChoices):
    OPEN_DAY = "open_day", _("Open day")
    SPORT = "sport", _("Sport and employment")
    JOB_DATING = "job_dating", _("Job dating and speed meetings")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other")


class AttendanceMode(models.TextChoices):
    """schema.org's EventAttendanceModeEnumeration: Offline, Online, Mixed."""

    IN_PERSON = "in_person", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("On site or online")


ON_SITE = (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID)
ONLINE = (AttendanceMode.ONLINE, AttendanceMode.HYBRID)


class EventListing(NamedTuple):
    """An event with the date that places it in a list (next one, or last one if past)."""

    event: "EventPage"
    occurrence: occurrences.Occurrence


class EventPageQuerySet(PageQuerySet):
    def with_dates(self):
        """Fetch every event's explicit dates in one extra query."""
        return self.prefetch_related(self.dates_prefetch())

    @staticmethod
    def dates_prefetch():
        return Prefetch("occurrences", queryset=EventOccurrence.objects.order_by("start"))

    def with_publication_count(self):
        """Annotate ``publication_count``, from which calendar files derive SEQUENCE (see
        events.ics), in the same query as the pages."""
        publications = (
            PageLogEntry.objects.filter(page=OuterRef("pk"), action="wagtail.publish")
            .order_by()
            .values("page")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(publication_count=Coalesce(Subquery(publications), 0))

    def upcoming(self, now=None, limit=None):
        """Events still to come or in progress, soonest first, as a list: two queries
        (pages, then their dates), plus one for ``.public()``'s view restrictions.

        For the home page: ``EventPage.objects.live().public().upcoming(limit=3)``.
        """
        now = now or timezone.now()
        listings = []
        for event in self.with_dates():
            occurrence = occurrences.next_occurrence(event, now)
            if occurrence is not None:
                listings.append(EventListing(event, occurrence))
        listings.sort(key=lambda listing: (listing.occurrence.start, listing.event.title))
        return listings[:limit]

    def past(self, now=None):
        """Events whose every date is over, the most recent first."""
        now = now or timezone.now()
        listings = []
        for event in self.with_dates():
            if occurrences.next_occurrence(event, now) is not None:
                continue
            occurrence = occurrences.last_occurrence(event, now)
            if occurrence is not None:
                listings.append(EventListing(event, occurrence))
        listings.sort(key=lambda listing: (listing.occurrence.start, listing.event.title))
        listings.reverse()
        return listings


def feed_state(listings, name, now, notes=None):
    """The events feed's ETag and the moment it stops being true, from what the file is
    written from: the events and their publications, its name, the language, the day
    (a rule one RRULE cannot say is listed from today) and the dates' notes
    (`core.date_notes`: the seats left). Nothing but publishing, a registration (which
    renews the site's version the state is kept under) or time changes those: the
    events' list loses one only when a date of it ends, and the notes change on their
    own only at their `until` (a waiting list closing), so the tag holds until the
    soonest of those, the end of the dates shown next, or midnight."""
    parts = [name, get_language(), timezone.localdate(now).isoformat()]
    parts += [f"{page}:{key}:{text}" for (page, key), text in sorted((notes or {}).items())]
    parts += [
        f"{listing.event.pk}:{listing.event.last_published_at}:{listing.event.publication_count}"
        for listing in listings
    ]
    midnight = datetime.combine(
        timezone.localdate(now) + timedelta(days=1), time(), tzinfo=timezone.get_current_timezone()
    )
    noted = getattr(notes, "until", None)
    ends = [listing.occurrence.end for listing in listings]
    until = min([midnight, *ends, *([noted] if noted is not None else [])])
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f'"{digest}"', until


class EventIndexPage(RoutablePageMixin, BasePage):
    """The list of events: upcoming ones here, past ones under passes/, filterable by type."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        verbose_name=_("introduction"),
        help_text=_("A few words shown above the list of events."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("event list")

    def selected_type(self, request):
        value = request.GET.get("type", "")
        return value if value in EventType.values else ""

    def events(self, event_type=""):
        events = EventPage.objects.child_of(self).live().public()
        if event_type:
            events = events.filter(event_type=event_type)
        return events

    @path("", name="upcoming")
    def upcoming_events(self, request):
        event_type = self.selected_type(request)
        return self.render(
            request,
            context_overrides={
                # Read when the content is rendered, not when it is kept.
                "listings": SimpleLazyObject(lambda: self.events(event_type).upcoming()),
                "selected_type": event_type,
                "event_types": EventType.choices,
                "feed_urls": self.calendar_urls(request),
            },
        )

    def feed_listings(self, now):
        return self.events().with_publication_count().upcoming(now)

    @path("ical/", name="ics")
    @method_decorator(require_safe)
    def calendar_feed(self, request):
        """All upcoming events, for calendars that subscribe: public and cacheable, and
        a client that already has this version gets a 304 without the file being written
        (calendar clients poll every hour, and most often nothing has changed)."""
        now = timezone.now()
        name = f"{SiteIdentity.for_request(request).name} – {self.title}"
        key = f"events:feed:{self.pk}:{get_language()}"
        version = pagecache.site_version(Site.find_for_request(request).pk)
        listings, notes = [], None
        state = cache.get(key, version=version)
        if state is None or state[1] <= now:
            listings = self.feed_listings(now)
            notes = date_notes.notes([listing.event for listing in listings], now=now)
            state = feed_state(listings, name, now, notes)
            cache.set(key, state, settings.FRAGMENT_CACHE_SECONDS, version=version)

        def build():
            events = [listing.event for listing in listings or self.feed_listings(now)]
            dated = notes if notes is not None else date_notes.notes(events, now=now)
            return ics.events_feed(events, name, request, notes=dated)

        return conditional_feed_response(request, build, f"{self.slug}.ics", etag=state[0])

    def calendar_urls(self, request):
        return calendar_links.subscription_links(
            self.get_full_url(request) + self.reverse_subpage("ics")
        )

    @path("passes/", name="past")
    def past_events(self, request):
        event_type = self.selected_type(request)
        listings = Paginator(self.events(event_type).past(), PAST_EVENTS_PER_PAGE)
        return self.render(
            request,
            template="events/event_index_page_past.html",
            context_overrides={
                "listings": listings.get_page(request.GET.get("page")),
                "selected_type": event_type,
                "event_types": EventType.choices,
                "canonical_url": self.get_full_url(request) + self.reverse_subpage("past"),
            },
        )


class EventPageForm(WagtailAdminPageForm):
    """Restricts the recurrence to days (hours have their own fields) and asks for a date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recurrence = self.fields["recurrence"]
        recurrence.accept_dtstart = recurrence.accept_dtend = False
        recurrence.frequencies = (YEARLY, MONTHLY, WEEKLY, DAILY)

    def clean(self):
        cleaned_data = super().clean()
        # A draft may be saved without dates; publishing needs at least one.
        if self.is_deferred_validation:
            return cleaned_data
        formset = self.formsets["occurrences"]
        has_rows = formset.is_valid() and any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in formset.forms
        )
        recurrence = cleaned_data.get("recurrence")
        has_recurrence = bool(recurrence and (recurrence.rrules or recurrence.rdates))
        if not has_rows and not has_recurrence:
            raise ValidationError(
                _("Add at least one date, or dates that repeat."), code="no_dates"
            )
        self.check_moved_dates(formset, cleaned_data)
        return cleaned_data

    def check_moved_dates(self, formset, cleaned_data):
        """A moved date must be one of the repeated dates, or calendars would be told to
        move a date they never had."""
        schedule = SimpleNamespace(
            recurrence=cleaned_data.get("recurrence"),
            **{
                name: cleaned_data.get(name)
                for name in (
                    "recurrence_from",
                    "recurrence_until",
                    "recurrence_start_time",
                    "recurrence_end_time",
                )
            },
        )
        for form in formset.forms:
            day = (form.cleaned_data or {}).get("replaces_date")
            if day and not form.cleaned_data.get("DELETE"):
                if not occurrences.is_recurring_day(schedule, day):
                    form.add_error(
                        "replaces_date",
                        _("This day is not one of the repeated dates."),
                    )


class EventPage(RoutablePageMixin, BasePage):
    """One event, on one or several dates. Places, hours and help are fields, not prose,
    so that lists, the page and (later) calendar files all say the same thing."""

    route_select_related = ("image",)

    event_type = models.CharField(
        _("type of event"),
        max_length=20,
        choices=EventType.choices,
        help_text=_("Used to sort events and to let visitors filter the list."),
    )
    intro = models.TextField(
        _("short introduction"),
        max_length=300,
        help_text=_("One or two sentences shown in the list of events. 300 characters at most."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("Optional. Describe the image in its description field for blind visitors."),
    )
    body = RichTextField(
        _("description"),
        blank=True,
        features=["h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        help_text=_(
            "What will happen, step by step, in short sentences. "
            "Subheadings can split it into parts."
        ),
    )

    attendance_mode = models.CharField(
        _("how to take part"),
        max_length=20,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
        help_text=_("On site needs an address, online needs a link, both needs both."),
    )
    venue_name = models.CharField(
        _("name of the place"),
        max_length=255,
        blank=True,
        help_text=_("For example: Salle des fêtes, Mission locale de Lens."),
    )
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("Street, postcode and town, as on an envelope."),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("The address of the video call or online room, starting with https://."),
    )

    audience = models.TextField(
        _("who is it for"),
        blank=True,
        help_text=_("For example: young people aged 16 to 29, with or without a diploma."),
    )
    what_to_bring = models.TextField(
        _("what to bring"),
        blank=True,
        help_text=_("For example: sports clothes, an ID card, a CV if you have one."),
    )
    travel_help = models.TextField(
        _("travel help"),
        blank=True,
        help_text=_("How travel costs are covered and how to get there: bus, car sharing…"),
    )

    contact_name = models.CharField(
        _("contact name"),
        max_length=255,
        blank=True,
        help_text=_("A person or a team, for example: Accueil de la Mission locale."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    recurrence = RecurrenceField(
        verbose_name=_("repeated dates"),
        blank=True,
        help_text=_(
            "For an event held regularly, such as open days. Add a rule (for example "
            "the first Wednesday of March, June, September and December), and exclude "
            "a date to cancel it. For one-off dates, use the dates above instead."
        ),
    )
    recurrence_from = models.DateField(
        _("repeat from"),
        null=True,
        blank=True,
        help_text=_("The first day the rule applies."),
    )
    recurrence_until = models.DateField(
        _("repeat until"),
        null=True,
        blank=True,
        help_text=_("Optional. The last day the rule applies; leave empty to repeat with no end."),
    )
    recurrence_start_time = models.TimeField(
        _("starts at"),
        null=True,
        blank=True,
        help_text=_("Time in France, for example 14:00."),
    )
    recurrence_end_time = models.TimeField(
        _("ends at"),
        null=True,
        blank=True,
        help_text=_("Time in France, for example 17:00."),
    )

    registrations_open = models.BooleanField(
        _("registrations open"),
        default=False,
        help_text=_(
            "Young people register on the page, each date with its seats and its waiting list."
        ),
    )
    onsite_capacity = models.PositiveIntegerField(
        _("seats on site"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For each date. Needed when people take part on site."),
    )
    online_capacity = models.PositiveIntegerField(
        _("seats online"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For each date. Leave empty for no limit."),
    )
    party_size_max = models.PositiveSmallIntegerField(
        _("seats per registration"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("2: a young person may bring a friend."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to answer an offered seat"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_(
            "When a seat frees up, the next person on the waiting list has this long to "
            "take it, counted from when the message can be read."
        ),
    )
    offer_cutoff_hours = models.PositiveSmallIntegerField(
        _("no offers in the last hours"),
        default=3,
        help_text=_(
            "Hours before the start when the waiting list stops: offers end by then, "
            "and seats freed later are open to anyone."
        ),
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()

    base_form_class = EventPageForm

    content_panels = BasePage.content_panels + [
        FieldPanel("event_type"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel(
            "occurrences",
            heading=_("Dates"),
            label=_("Date"),
            help_text=_("Each date with its start and end. Add a note to tell editions apart."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("recurrence", widget=RecurrenceWidget),
                FieldRowPanel([FieldPanel("recurrence_from"), FieldPanel("recurrence_until")]),
                FieldRowPanel(
                    [FieldPanel("recurrence_start_time"), FieldPanel("recurrence_end_time")]
                ),
            ],
            heading=_("Repeated dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("attendance_mode"),
                FieldPanel("venue_name"),
                FieldPanel("address"),
                FieldPanel("online_url"),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registrations_open"),
                FieldRowPanel([FieldPanel("onsite_capacity"), FieldPanel("online_capacity")]),
                FieldPanel("party_size_max"),
                FieldRowPanel([FieldPanel("offer_hours"), FieldPanel("offer_cutoff_hours")]),
            ],
            heading=_("Registrations"),
        ),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("what_to_bring"), FieldPanel("travel_help")],
            heading=_("Practical information"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact"),
        ),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("venue_name"),
        index.SearchField("address"),
        index.FilterField("event_type"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")

    def clean(self):
        super().clean()
        errors = {
            **self._place_errors(),
            **self._recurrence_errors(),
            **self._registration_errors(),
        }
        if errors:
            raise ValidationError(errors)

    def _place_errors(self):
        """On site needs an address, online a link, hybrid both."""
        errors = {}
        if self.attendance_mode in ON_SITE and not self.address.strip():
            errors["address"] = _("Give the address: this event takes place on site.")
        if self.attendance_mode in ONLINE and not self.online_url:
            errors["online_url"] = _("Give the online link: this event can be joined online.")
        return errors

    def _registration_errors(self):
        if self.registrations_open and self.attendance_mode in ON_SITE and not self.onsite_capacity:
            return {"onsite_capacity": _("Give the seats on site: registrations are open.")}
        return {}

    def registration_occurrence(self, key, now):
        """The date to come named `key` (`Occurrence.key`), or None: what a registration
        is for (booking.services.registrations reads the page through this)."""
        return self.upcoming_registration_occurrences(now).get(key)

    def upcoming_registration_occurrences(self, now):
        """Every date to come, by key, as the page and the calendars list them."""
        return {
            occurrence.key: occurrence
            for occurrence in occurrences.expand(self, now)
            if occurrence.start > now
        }

    def _recurrence_errors(self):
        """Repeated dates need their hours, in order, and a rule its first day."""
        repeats = bool(self.recurrence and (self.recurrence.rrules or self.recurrence.rdates))
        errors = self._recurrence_hours_errors(repeats)
        if repeats and self.recurrence.rrules and not self.recurrence_from:
            errors["recurrence_from"] = _("Give the first day the rule applies.")
        first, last = self.recurrence_from, self.recurrence_until
        if first and last and last < first:
            errors["recurrence_until"] = _("The last day must come after the first day.")
        return errors

    def _recurrence_hours_errors(self, repeats):
        errors = {}
        start, end = self.recurrence_start_time, self.recurrence_end_time
        if repeats and not start:
            errors["recurrence_start_time"] = _("Give the start time of the repeated dates.")
        if repeats and not end:
            errors["recurrence_end_time"] = _("Give the end time of the repeated dates.")
        if start and end and end <= start:
            errors["recurrence_end_time"] = _("The end time must be after the start time.")
        return errors

    def feed_listings(self, now):
        return self.events().with_publication_count().upcoming(now)

    @path("ical/", name="ics")
    @method_decorator(require_safe)
    def calendar_file(self, request):
        """All the dates of this event as a file to add to a calendar."""
        page = EventPage.objects.with_publication_count().with_dates().get(pk=self.pk)
        notes = date_notes.notes([page], now=timezone.now())
        return calendar_file_response(
            ics.event_calendar(page, request, notes=notes), f"{self.slug}.ics"
        )

    def get_context(self, request, *args, **kwargs):
        """The dates are read when the content is rendered, not when it is kept
        ({% pagecontentcache %})."""
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()

        def upcoming():
            if not getattr(request, "is_preview", False):
                # One query for the dates every helper below reads; a preview shows the
                # editor's unsaved dates, which a query would replace.
                prefetch_related_objects([self], EventPageQuerySet.dates_prefetch())
            return occurrences.expand(self, now, limit=UPCOMING_DATES_SHOWN)

        upcoming_occurrences = SimpleLazyObject(upcoming)
        context["now"] = now
        context["upcoming_occurrences"] = upcoming_occurrences
        # For the Google and Outlook.com links: short, as they travel in the address.
        context["calendar_details"] = SimpleLazyObject(
            lambda: f"{self.intro}\n\n{self.get_full_url(request)}"
        )
        context["calendar_location"] = ics.location(self)
        context["last_occurrence"] = SimpleLazyObject(
            lambda: None if upcoming_occurrences else occurrences.last_occurrence(self, now)
        )
        return context


class EventOccurrence(Orderable):
    """One explicit date of an event. Its pk stays stable, to identify it in calendars."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(_("start"), help_text=_("Day and time in France."))
    end = models.DateTimeField(_("end"), help_text=_("Day and time in France."))
    note = models.CharField(
        _("note"),
        max_length=100,
        blank=True,
        help_text=_("Optional, shown next to the date. For example: spring edition."),
    )
    replaces_date = models.DateField(
        _("moves the repeated date of"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. To move one of the repeated dates, give its day here: it is "
            "replaced by this date, also in the calendars of people who subscribed."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("note"),
        FieldPanel("replaces_date"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("date")
        verbose_name_plural = _("dates")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
