"""What the young person types at the last step of the journey."""

from django import forms
from django.utils.translation import gettext_lazy as _

from booking import services
from booking.models import Booking, Place, YoungPerson
from booking.models.bookings import (
    HOME_ACCESS_MAX_LENGTH,
    HOME_STREET_MAX_LENGTH,
    HOME_TOWN_MAX_LENGTH,
)
from booking.services.contacts import check_answerable, normalise_postcode


class DetailsForm(forms.Form):
    """What the person types at the last step. Contact rules come from services."""

    first_name = forms.CharField(
        label=_("Your first name"),
        max_length=services.FIRST_NAME_MAX_LENGTH,
        error_messages={
            "required": _("Please tell us your first name."),
            "max_length": _("This first name is too long."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "autocapitalize": "words"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=30,
        help_text=_("A mobile number, e.g. 06 12 34 56 78 or 0692 12 34 56."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_channel = forms.ChoiceField(
        label=_("If you give both, how should we let you know?"),
        required=False,
        choices=YoungPerson.Channel.choices,
        widget=forms.RadioSelect,
    )
    # Asked only for a meeting at home (see __init__).
    home_street = forms.CharField(
        label=_("Street and number"),
        max_length=HOME_STREET_MAX_LENGTH,
        error_messages={"required": _("Please give your street and number.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    home_postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        error_messages={"required": _("Please give your postcode.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    home_town = forms.CharField(
        label=_("Town"),
        max_length=HOME_TOWN_MAX_LENGTH,
        error_messages={"required": _("Please give your town.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    home_access = forms.CharField(
        label=_("How to find your door (optional)"),
        required=False,
        max_length=HOME_ACCESS_MAX_LENGTH,
        error_messages={"max_length": _("Please keep these notes under 300 characters.")},
        help_text=_("Building, floor, door code, name on the bell…"),
        widget=forms.TextInput(),
    )
    message = forms.CharField(
        label=_("A message for us (optional)"),
        required=False,
        max_length=Booking.MESSAGE_MAX_LENGTH,
        error_messages={"max_length": _("Please keep your message under 500 characters.")},
        help_text=_(
            "For example what you would like to talk about. Please do not write anything "
            "about your health, your family or your private life."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my details are used to organise this appointment"),
        error_messages={"required": _("Please confirm that you agree to how we use your details.")},
    )
    website = forms.CharField(label=_("Do not fill in"), required=False)

    CARRIED = ("first_name", "email", "phone", "preferred_channel", *Booking.HOME_FIELDS)
    CARRIED += ("message", "consent")

    def __init__(self, *args, structure, place=None, target=None, **kwargs):
        """`place`: where the meeting is (its address is asked for a meeting at home);
        `target`: what is booked (`Journey.booking_target`), once it is known; the
        number is read with the `structure`'s phone rules."""
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.place = place
        self.target = target
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.asks_address:
            for name in Booking.HOME_FIELDS:
                del self.fields[name]

    @property
    def asks_address(self):
        return self.place is not None and self.place.kind == Place.Kind.HOME

    def address_fields(self):
        return [self[name] for name in Booking.HOME_FIELDS if name in self.fields]

    def clean_home_postcode(self):
        """Checked with the other fields, so that every mistake shows at once."""
        try:
            return normalise_postcode(self.cleaned_data["home_postcode"])
        except services.InvalidDetails as error:
            raise forms.ValidationError(error.message) from None

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Your request could not be sent. Please check your details and try again."),
                code="honeypot",
            )
        if "email" in data and "phone" in data:
            try:
                data["email"], data["phone"] = services.normalise_contact(
                    data["email"], data["phone"], **self.structure.phone_rules
                )
            except services.InvalidContact as error:
                self.add_error(error.field, error.message)
                self._clean_address(data)
                return data
            try:
                data["preferred_channel"] = services.choose_channel(
                    data.get("preferred_channel"), email=data["email"], phone=data["phone"]
                )
                if self.place is not None:
                    services.check_reachable(self.place, phone=data["phone"])
                if self.target is not None:
                    check_answerable(self.target, email=data["email"])
            except services.InvalidDetails as error:
                self.add_error(error.field, error.message)
        self._clean_address(data)
        return data

    def _clean_address(self, data):
        """The rules of `services.clean_home_address`, on the fields still without error."""
        if not self.asks_address or any(name in self.errors for name in Booking.HOME_FIELDS):
            return
        try:
            data.update(services.clean_home_address(self.place, data))
        except services.InvalidDetails as error:
            self.add_error(error.field, error.message)

    def booking_details(self):
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "email": data["email"],
            "phone": data["phone"],
            "preferred_channel": data["preferred_channel"],
            "home_address": {name: data[name] for name in Booking.HOME_FIELDS if name in data},
            "message": data["message"],
            "consent": data["consent"],
        }

    @classmethod
    def carried(cls, data):
        """What was typed, to carry through a step shown again after a refused booking."""
        return [(name, data.get(name, "")) for name in cls.CARRIED if data.get(name)]
