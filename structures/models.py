"""A structure: one Mission Locale (or PLIE, Maison de l'Emploi…) of the network, with
its own Wagtail site. Its counsellors, places, formats, closures, group sessions and
bookings belong to it, and so do the rules that differ from one structure to the next:
how it signs its messages, its time zone, its regions, how long it keeps data."""

import zoneinfo
from email.utils import formataddr, parseaddr

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from core import sites, sms
from core.localfirst import fragment_cache
from core.validators import validate_https

from .permissions import NETWORK_PERMISSION, StructurePolicy
from .regions import HOLIDAY_REGIONS, PHONE_REGIONS, TIME_ZONES

# Kept whatever the cache settings say: a new version replaces it as soon as it changes,
# and bookings, which renew the pages' versions, do not change it.
CACHE_SECONDS = 24 * 3600


def default_name():
    return settings.WAGTAIL_SITE_NAME


def parse_hours(text):
    """'48, 2' → [48, 2]: the hours before a meeting when a reminder goes out."""
    try:
        hours = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of hours separated by commas, e.g. “48, 2”.")
        ) from None
    if any(h < 1 or h > 24 * 14 for h in hours):
        raise ValidationError(_("Each reminder is sent between 1 hour and 14 days before."))
    return hours[::-1]


# What operators accept as an alphanumeric sender: up to 11 letters and digits, not
# digits alone (a number would be taken for a phone number people can call back).
validate_sms_sender = RegexValidator(
    r"^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$",
    _("Between 3 and 11 letters or digits, without spaces or accents, e.g. “MLLens”."),
)


@register_setting(icon="group")
class Structure(BaseSiteSetting):
    """The structure of one Wagtail site. Its public address is the site's own (Settings
    › Sites: host name and port, https on port 443), so links in e-mails, calendar files
    and feeds can never disagree with the address the site answers on."""

    name = models.CharField(
        _("name"),
        max_length=120,
        default=default_name,
        help_text=_(
            "As it signs e-mails, text messages and calendar entries, e.g. "
            "“Mission Locale de Lens-Liévin”."
        ),
    )
    sender_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_(
            "The address e-mails come from. Leave empty to use the install's "
            "(DJANGO_DEFAULT_FROM_EMAIL)."
        ),
    )
    reply_to_email = models.EmailField(
        _("reply-to address"),
        blank=True,
        help_text=_("Where answers to these e-mails go, e.g. the front desk's mailbox."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TIME_ZONES,
        default="Europe/Paris",
        help_text=_("Every time shown, sent or written in a calendar file is in this zone."),
    )
    phone_region = models.CharField(
        _("phone numbers from"),
        max_length=2,
        choices=PHONE_REGIONS,
        default="FR",
        help_text=_("A number typed without its country code is read as one from here first."),
    )
    accept_eu_mobiles = models.BooleanField(
        _("accept mobile numbers from other EU countries"),
        default=False,
        help_text=_("For structures near a border: Belgian numbers in Lens, for example."),
    )
    holidays_region = models.CharField(
        _("public holidays of"),
        max_length=10,
        choices=HOLIDAY_REGIONS,
        default="FR",
        help_text=_("No online booking on these days."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="structures",
        verbose_name=_("staff"),
        help_text=_(
            "Who manages its appointments and these settings in the admin. Its "
            "counsellors see their own without being listed here; the network's role "
            "and administrators see every structure."
        ),
    )
    # Made and kept in step by structures.editors when the structure is saved.
    editors = models.OneToOneField(
        "auth.Group",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="structure",
        verbose_name=_("editors' group"),
    )
    # Made and kept in step by structures.editors: the structure's counsellors (booking
    # keeps them in it) upload their own videos to its collection, and change only those.
    counsellors_media = models.OneToOneField(
        "auth.Group",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="structure_of_counsellors",
        verbose_name=_("counsellors' media group"),
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="structure",
        verbose_name=_("media collection"),
    )
    video_service_url = models.URLField(
        _("video service"),
        blank=True,
        validators=[validate_https],
        help_text=_(
            "The address of the structure's video meeting service, e.g. "
            "https://visio.numerique.gouv.fr/ or a Jitsi server: each video meeting "
            "booked with a counsellor who has no link of their own gets a room there, "
            "with a random name."
        ),
    )
    caller_phone = models.CharField(
        _("number calls come from"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^\+?[\d .()-]{6,20}$", _("Write a phone number, e.g. 03 21 00 00 00."))
        ],
        help_text=_(
            "Shown to young people their counsellor calls for a meeting by phone: they "
            "answer a number they were told. Leave empty if calls come from other numbers."
        ),
    )
    # The rules below are left empty to follow the install's (BOOKING_* settings).
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "After a meeting, names and contacts are erased once this time has passed. "
            "Leave empty for the install's (12 months unless set otherwise)."
        ),
    )
    reminder_hours = models.CharField(
        _("reminders (hours before)"),
        max_length=40,
        blank=True,
        validators=[parse_hours],
        help_text=_(
            "When reminders go out, in hours before the meeting, e.g. “48, 2”. Leave empty "
            "for the install's (48 hours unless set otherwise)."
        ),
    )
    sms_enabled = models.BooleanField(
        _("send text messages"),
        default=True,
        help_text=_(
            "Confirmations, changes and reminders by SMS to people who gave a mobile number."
        ),
    )
    sms_sender = models.CharField(
        _("text message sender"),
        max_length=11,
        blank=True,
        validators=[validate_sms_sender],
        help_text=_(
            "The name phones show as the sender, e.g. “MLLens”. Leave empty for the "
            "install's (SMS_DEFAULT_SENDER)."
        ),
    )
    sms_reminder_hours = models.CharField(
        _("text message reminders (hours before)"),
        max_length=40,
        blank=True,
        validators=[parse_hours],
        help_text=_(
            "When SMS reminders go out, e.g. “24, 2”. Leave empty for the install's (24 "
            "and 2 hours unless set otherwise)."
        ),
    )
    live_bookings_per_person = models.PositiveSmallIntegerField(
        _("appointments to come per person"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many appointments to come one person may hold, booked online. Staff may "
            "book beyond it. Leave empty for the install's (3 unless set otherwise)."
        ),
    )
    slot_attempts = models.PositiveSmallIntegerField(
        _("refusals of one time per connection"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many times one internet connection may be told within an hour that a "
            "time is taken before it must wait. Leave empty for the install's (5 unless "
            "set otherwise)."
        ),
    )
    rate_limit_attempts = models.PositiveSmallIntegerField(
        _("failed attempts allowed per connection"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many failed bookings one internet connection may try in the period below; "
            "bookings made are not counted, so a class or a front desk sharing one "
            "connection is not stopped. Leave empty for the install's (60 in 10 minutes "
            "unless set otherwise)."
        ),
    )
    rate_limit_minutes = models.PositiveSmallIntegerField(
        _("period (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # The booking privacy notice (booking.web.views.privacy_notice) states itself what is
    # kept, why and for how long; the structure says who answers for it and how to ask.
    privacy_controller = models.TextField(
        _("data controller"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Who is responsible for young people's details, as the privacy notice says "
            "it: the legal name and address of the structure, its data protection "
            "officer. Leave empty to name the structure."
        ),
    )
    privacy_contact = models.TextField(
        _("how to see or erase one's details"),
        blank=True,
        max_length=1000,
        help_text=_(
            "How a young person asks to see, correct or erase their details: an e-mail "
            "address, a phone number, opening hours. Leave empty to point to the "
            "contact details at the bottom of every page."
        ),
    )

    panels = [
        HelpPanel(
            _(
                "The structure's public address is its site's: Settings › Sites, host "
                "name and port (port 443 means https)."
            )
        ),
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("sender_email"), FieldPanel("reply_to_email")]),
                FieldRowPanel([FieldPanel("sms_enabled"), FieldPanel("sms_sender")]),
                FieldPanel("video_service_url"),
                FieldPanel("caller_phone"),
            ],
            _("Messages"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("phone_region"), FieldPanel("accept_eu_mobiles")]),
                FieldPanel("holidays_region"),
            ],
            _("Where the structure is"),
        ),
        # Who works for a structure is the network's to say, not the structure's own.
        FieldPanel(
            "members",
            widget=forms.CheckboxSelectMultiple,
            permission=NETWORK_PERMISSION,
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("reminder_hours"), FieldPanel("sms_reminder_hours")]),
                FieldPanel("retention_months"),
            ],
            _("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("live_bookings_per_person"),
                FieldPanel("slot_attempts"),
                FieldRowPanel(
                    [FieldPanel("rate_limit_attempts"), FieldPanel("rate_limit_minutes")]
                ),
            ],
            _("Limits against abuse"),
        ),
        MultiFieldPanel(
            [FieldPanel("privacy_controller"), FieldPanel("privacy_contact")],
            _("Privacy notice"),
        ),
    ]

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        permissions = [("see_every_structure", _("Can see and manage every structure"))]

    def __str__(self):
        return self.name

    @classmethod
    def get_permission_policy(cls):
        return StructurePolicy(cls)

    @classmethod
    def for_request(cls, request):
        """The structure of the site the request is for (None before any site exists),
        from the shared cache under the sites' version (core.sites): every request
        reads it; saving a site or a structure gives a new version (StructuresConfig)."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = sites.find_for_request(request)
        if site is None:
            return None
        structure = fragment_cache().get_or_set(
            f"structures:structure:{site.pk}",
            lambda: cls.with_site(site),
            CACHE_SECONDS,
            version=sites.version(request),
        )
        setattr(request, attr_name, structure)
        return structure

    @classmethod
    def with_site(cls, site):
        """The site's structure (created with the defaults if new), its site attached:
        its address and domain need no further query."""
        structure = cls.for_site(site)
        structure.site = site
        return structure

    @classmethod
    def default(cls):
        """The default site's structure: for commands and tasks that are given none."""
        return cls.with_site(Site.objects.get(is_default_site=True))

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def public_url(self):
        """The site's address, without a trailing slash: Wagtail's own `root_url`."""
        return self.site.root_url.rstrip("/")

    @property
    def domain(self):
        """What calendar UIDs end with: one per structure, so two never collide."""
        return self.site.hostname

    @property
    def sender_address(self):
        """Its own sender address, or the install's."""
        return self.sender_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    @property
    def from_email(self):
        """'Name <address>': what its e-mails come from."""
        return formataddr((self.name, self.sender_address))

    @property
    def reply_to(self):
        """Where answers go, as EmailMessage's `reply_to` takes it."""
        return [self.reply_to_email] if self.reply_to_email else []

    @property
    def phone_rules(self):
        """How booking.services.normalise_phone reads a number for this structure."""
        return {"region": self.phone_region, "accept_eu_mobiles": self.accept_eu_mobiles}

    @property
    def retention(self):
        """Months personal data is kept after a meeting: its own, or the install's."""
        return self.retention_months or settings.BOOKING_RETENTION_MONTHS

    @property
    def reminders(self):
        """Hours before a meeting when an e-mail reminder goes out, largest first."""
        if self.reminder_hours.strip():
            return parse_hours(self.reminder_hours)
        return sorted(set(settings.BOOKING_REMINDER_HOURS))[::-1]

    @property
    def sms_reminders(self):
        """Hours before a meeting when an SMS reminder goes out, largest first."""
        if self.sms_reminder_hours.strip():
            return parse_hours(self.sms_reminder_hours)
        return sorted(set(settings.BOOKING_SMS_REMINDER_HOURS))[::-1]

    @property
    def sends_sms(self):
        """Whether it sends text messages: its choice, and the install's gateway."""
        return self.sms_enabled and sms.is_available()

    @property
    def sms_sender_name(self):
        """Its own SMS sender, or the install's."""
        return self.sms_sender or settings.SMS_DEFAULT_SENDER

    @property
    def rate_limit(self):
        """Failed booking attempts per client address, (attempts, seconds) as
        core.ratelimit counts them: its own, or the install's."""
        attempts, seconds = settings.BOOKING_RATE_LIMIT
        if self.rate_limit_minutes:
            seconds = self.rate_limit_minutes * 60
        return self.rate_limit_attempts or attempts, seconds

    @property
    def slot_limit(self):
        """Refusals of one slot per client, (attempts, seconds): its own, or the install's."""
        attempts, seconds = settings.BOOKING_SLOT_ATTEMPTS
        return self.slot_attempts or attempts, seconds

    @property
    def live_bookings_limit(self):
        """Appointments to come one person may hold: its own, or the install's."""
        return self.live_bookings_per_person or settings.BOOKING_LIVE_BOOKINGS_PER_PERSON
