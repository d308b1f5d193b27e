"""The speed meetings' public pages, each reached by a signed link (eventdays.speed.links,
and booking's registration link for the young people): the pros' registration form,
a pro's own page, a young person's wishes and schedule, and the big screen. Thin: they
parse, call eventdays.speed.services, and render; what was typed stays in a refused
form. Pros are adults at work: their pages say "vous"; the young people's say "tu"."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from booking.models import Counsellor, Registration, of_structure
from booking.services.tokens import make_registration_token, read_registration_token
from booking.web.views import by_secret_link, limit_posts
from events.models import EventType

from ..models import Pro, Sector
from . import links, schedules, services
from .timetable import Phase, moment

# How often the big screen reloads itself: the countdown is the server's.
SCREEN_REFRESH_SECONDS = 15


class ProForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("You come as"),
        choices=[
            (Pro.Kind.EMPLOYER, _("An employer (a company, an association, a public service)")),
            (Pro.Kind.COUNSELLOR, _("A counsellor of the structure")),
        ],
        widget=forms.RadioSelect,
        initial=Pro.Kind.EMPLOYER,
    )
    counsellor = forms.ModelChoiceField(
        label=_("Counsellor"),
        queryset=Counsellor.objects.none(),
        required=False,
        help_text=_("Only if you are a counsellor of the structure."),
    )
    name = forms.CharField(
        label=_("Your name, as the young people will see it"),
        max_length=80,
        required=False,
        help_text=_("Your first name is enough. A counsellor may leave it empty."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    company = forms.CharField(
        label=_("Company or organisation"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    job = forms.CharField(
        label=_("Job you offer or present"),
        max_length=120,
        required=False,
        help_text=_("In a few words, e.g. “car mechanic”."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Sector.choices], required=False
    )
    seats = forms.IntegerField(
        label=_("Young people at your table at once"),
        min_value=1,
        max_value=10,
        initial=1,
        error_messages={
            "required": _("Please say how many young people sit at your table."),
            "invalid": _("Please give a number, e.g. 2."),
            "min_value": _("A table seats between 1 and 10 young people."),
            "max_value": _("A table seats between 1 and 10 young people."),
        },
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("So that the structure can write to you about your table. Nothing else."),
        error_messages={
            "required": _("Please give your e-mail address."),
            "invalid": _("This e-mail address looks wrong: please check it."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that these details are used to organise the meeting"),
        error_messages={"required": _("Please confirm that you agree to how we use your details.")},
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = of_structure(
            Counsellor.objects.filter(active=True), structure
        ).order_by("first_name")

    def clean(self):
        data = super().clean()
        if data.get("kind") == Pro.Kind.COUNSELLOR and not data.get("counsellor"):
            self.add_error("counsellor", _("Please choose your name in the list."))
        return data

    def details(self):
        data = self.cleaned_data
        counsellor = data["counsellor"] if data["kind"] == Pro.Kind.COUNSELLOR else None
        return services.ProDetails(
            kind=data["kind"],
            name=data["name"],
            company=data["company"],
            job=data["job"],
            sector=data["sector"],
            seats=data["seats"],
            email=data["email"],
            counsellor=counsellor,
        )


def _refused_on(form, refusal):
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("speed_pros")
@by_secret_link(links.read_pros_token)
def pros_register(request, meeting):
    form = ProForm(request.POST or None, structure=request.structure)
    if request.method == "POST" and form.is_valid():
        try:
            pro = services.add_pro(
                meeting,
                form.details(),
                source=Pro.Source.LINK,
                consent=form.cleaned_data["consent"],
            )
        except services.Refused as refusal:
            _refused_on(form, refusal)
        else:
            page = reverse("eventdays:speed_pro", args=[links.pro_token(pro)])
            services.email_pro_their_page(pro, request.build_absolute_uri(page))
            response = redirect(page)
            response.status_code = 303
            return response
    status = 400 if form.is_bound else 200
    return render(
        request,
        "eventdays/speed/pros_register.html",
        {"meeting": meeting, "form": form},
        status=status,
    )


@by_secret_link(links.read_pro_token)
def pro_page(request, pro):
    meeting = pro.meeting
    return render(
        request,
        "eventdays/speed/pro.html",
        {"pro": pro, "meeting": meeting, "rounds": schedules.pro_schedule(meeting, pro)},
    )


def _speed_registration(token, structure):
    """The registration link of a speed meeting's date (any other: "does not work")."""
    link = read_registration_token(token, structure)
    if not hasattr(link.registration.date, "speed_meeting"):
        raise links.InvalidLink
    return link


class WishesForm(forms.Form):
    sectors = forms.MultipleChoiceField(
        label=_("Sectors you are curious about"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pros = forms.ModelMultipleChoiceField(
        label=_("People you would like to meet"),
        queryset=Pro.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pros"].queryset = meeting.pros.all()
        self.fields["pros"].label_from_instance = lambda pro: pro.label


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("speed_wishes")
@by_secret_link(_speed_registration)
def wishes(request, link):
    registration = link.registration
    meeting = registration.date.speed_meeting
    open_ = registration.is_live and registration.date.start > timezone.now()
    wished = list(registration.speed_wishes.all())
    initial = {
        "sectors": [wish.sector for wish in wished if wish.sector],
        "pros": [wish.pro_id for wish in wished if wish.pro_id],
    }
    form = WishesForm(request.POST or None, initial=initial, meeting=meeting)
    token = make_registration_token(registration, sent=link.sent)
    if request.method == "POST" and open_ and form.is_valid():
        try:
            services.set_wishes(
                registration,
                sectors=form.cleaned_data["sectors"],
                pros=list(form.cleaned_data["pros"]),
            )
        except services.Refused as refusal:
            _refused_on(form, refusal)
        else:
            response = redirect("eventdays:speed_schedule", token=token)
            response.status_code = 303
            return response
    return render(
        request,
        "eventdays/speed/wishes.html",
        {
            "registration": registration,
            "meeting": meeting,
            "form": form,
            "open": open_,
            "token": token,
            "most": services.MAX_WISHES,
        },
        status=400 if form.is_bound else 200,
    )


@by_secret_link(_speed_registration)
def schedule(request, link):
    registration = link.registration
    meeting = registration.date.speed_meeting
    seated = registration.status in services.PLANNED
    return render(
        request,
        "eventdays/speed/schedule.html",
        {
            "registration": registration,
            "meeting": meeting,
            "slots": schedules.person_schedule(meeting, registration) if seated else [],
            "seated": seated,
            "now_round": _round_now(meeting),
            "token": make_registration_token(registration, sent=link.sent),
            "manage_url": reverse(
                "booking:registration", args=[make_registration_token(registration)]
            ),
        },
    )


def _round_now(meeting):
    at = moment(meeting, timezone.now())
    return at.round if at.phase == Phase.ROUND else None


@by_secret_link(links.read_screen_token)
def screen(request, meeting):
    return render(
        request,
        "eventdays/speed/screen.html",
        {
            "meeting": meeting,
            "screen": schedules.screen(meeting, timezone.now()),
            "refresh": SCREEN_REFRESH_SECONDS,
        },
    )


def manage_page_links(sender, registration, **kwargs):
    """booking's manage page asks: a speed meeting's registration links to its schedule
    and wishes. Only a job dating's date may be one, so the others' pages cost no query
    more (their date and event are read already)."""
    if registration.status not in (*Registration.LIVE_STATUSES, Registration.Status.ATTENDED):
        return []
    event = registration.date.event
    if event is None or event.event_type != EventType.JOB_DATING:
        return []
    if not hasattr(registration.date, "speed_meeting"):
        return []
    token = make_registration_token(registration)
    return [
        (_("My schedule for the day"), reverse("eventdays:speed_schedule", args=[token])),
        (_("Whom I would like to meet"), reverse("eventdays:speed_wishes", args=[token])),
    ]
