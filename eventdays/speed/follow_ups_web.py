"""The pages after an "Adopte un pro" day, each by its signed link: a young person's
choices ("tu", by their registration's link) and a pro's marks ("vous", by their own
link). Thin: they parse, call eventdays.speed.follow_ups, and render; a refused form
keeps what was chosen. Plain selects and checkboxes: no JavaScript needed."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from booking.services.tokens import make_registration_token
from booking.web.views import by_secret_link, limit_posts

from ..models import Pro
from . import follow_ups, links
from .services import PLANNED, Refused
from .timetable import Phase, moment
from .web import _speed_registration

RANKS = [
    ("first", _("Your first choice")),
    ("second", _("Your second choice (optional)")),
    ("third", _("Your third choice (optional)")),
]


def shown_to_young(pro):
    """ "Sophie, Garage Martin (Mécanique)", or a counsellor's name."""
    if pro.kind == Pro.Kind.EMPLOYER and pro.name and pro.name != pro.company:
        return f"{pro.name}, {pro.label}"
    return pro.label


class ChoicesForm(forms.Form):
    consents = forms.MultipleChoiceField(
        label=_("For the employers you choose"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, met, **kwargs):
        super().__init__(*args, **kwargs)
        self.met = {str(pro.pk): pro for pro in met}
        options = [("", _("Nobody"))] + [(pk, shown_to_young(pro)) for pk, pro in self.met.items()]
        for name, label in RANKS:
            self.fields[name] = forms.ChoiceField(label=label, choices=options, required=False)
        self.order_fields([name for name, _label in RANKS])
        employers = [(pk, pro) for pk, pro in self.met.items() if pro.kind == Pro.Kind.EMPLOYER]
        self.fields["consents"].choices = [
            (pk, _("I agree that %(company)s receives my first name and my contact")
             % {"company": pro.company})
            for pk, pro in employers
        ]  # fmt: skip
        if not employers:
            del self.fields["consents"]

    def ranked(self):
        return [self.met.get(self.cleaned_data[name]) for name, _label in RANKS]

    def consented(self):
        return [self.met[pk] for pk in self.cleaned_data.get("consents", [])]


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("speed_choices")
@by_secret_link(_speed_registration)
def choices(request, link):
    registration = link.registration
    meeting = registration.date.speed_meeting
    now = timezone.now()
    terms = follow_ups.terms(meeting)
    open_ = follow_ups.is_open(meeting, terms, now)
    met = follow_ups.met(registration, now=now)
    chosen = list(registration.speed_choices.all())
    initial = {name: "" for name, _label in RANKS}
    for choice in chosen:
        if choice.rank <= len(RANKS):
            initial[RANKS[choice.rank - 1][0]] = str(choice.pro_id)
    initial["consents"] = [str(choice.pro_id) for choice in chosen if choice.consent_at]
    form = ChoicesForm(request.POST or None, initial=initial, met=met)
    token = make_registration_token(registration, sent=link.sent)
    saved = request.GET.get("enregistre") == "1"
    if request.method == "POST" and open_ and form.is_valid():
        try:
            follow_ups.set_choices(registration, form.ranked(), consents=form.consented(), now=now)
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            response = redirect(reverse("eventdays:speed_choices", args=[token]) + "?enregistre=1")
            response.status_code = 303
            return response
    return render(
        request,
        "eventdays/speed/choices.html",
        {
            "registration": registration,
            "meeting": meeting,
            "form": form,
            "open": open_,
            "over": moment(meeting, now).phase == Phase.OVER,
            "terms": terms,
            "met": met,
            "saved": saved and not form.is_bound,
            "token": token,
        },
        status=400 if form.is_bound else 200,
    )


class MarksForm(forms.Form):
    young = forms.MultipleChoiceField(
        label=_("The young people you would like to follow or meet again"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("How many of them can you follow?"),
        min_value=0,
        max_value=50,
        error_messages={
            "required": _("Please say how many young people you can follow."),
            "invalid": _("Please give a number, e.g. 3."),
            "min_value": _("Between 0 and 50 follow-ups."),
            "max_value": _("Between 0 and 50 follow-ups."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to receive the first name and contact of the young people I ticked "
            "who agree to it, to get in touch with them about a job"
        ),
        required=False,
    )

    def __init__(self, *args, pro, met, **kwargs):
        super().__init__(*args, **kwargs)
        label = _("%(name)s (round %(round)s)")
        self.fields["young"].choices = [
            (str(registration.pk), label % {"name": name, "round": number + 1})
            for registration, number, name in met
        ]
        if pro.kind == Pro.Kind.COUNSELLOR:
            del self.fields["consent"]
        else:
            del self.fields["capacity"]


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("speed_marks")
@by_secret_link(links.read_pro_token)
def marks(request, pro):
    meeting = pro.meeting
    now = timezone.now()
    open_ = follow_ups.is_open(meeting, follow_ups.terms(meeting), now)
    met = follow_ups.met_by(pro, now=now)
    row = follow_ups.pro_follow_up(pro)
    initial = {
        "young": [str(pk) for pk in pro.marks.values_list("registration_id", flat=True)],
        "capacity": row.capacity,
        "consent": row.consent_at is not None,
    }
    form = MarksForm(request.POST or None, initial=initial, pro=pro, met=met)
    if request.method == "POST" and open_ and form.is_valid():
        data = form.cleaned_data
        try:
            follow_ups.set_marks(
                pro,
                [int(pk) for pk in data["young"]],
                consent=data.get("consent", False),
                capacity=data.get("capacity"),
                now=now,
            )
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            response = redirect(request.path + "?enregistre=1")
            response.status_code = 303
            return response
    return render(
        request,
        "eventdays/speed/follow_ups_pro.html",
        {
            "pro": pro,
            "meeting": meeting,
            "form": form,
            "open": open_,
            "met": met,
            "saved": request.GET.get("enregistre") == "1" and not form.is_bound,
        },
        status=400 if form.is_bound else 200,
    )


def manage_page_links(sender, registration, **kwargs):
    """booking's manage page asks: once a speed meeting is over, its young people's
    registrations link to their choices."""
    if registration.status not in PLANNED or registration.young_person_id is None:
        return []  # nobody they met: no query
    meeting = getattr(registration.date, "speed_meeting", None)
    if meeting is None:
        return []
    if moment(meeting, timezone.now()).phase != Phase.OVER:
        return []
    token = make_registration_token(registration)
    return [(_("Who I felt best with"), reverse("eventdays:speed_choices", args=[token]))]
