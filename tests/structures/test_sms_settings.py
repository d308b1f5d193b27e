"""What a structure chooses about text messages: whether it sends them, the sender
phones show, and when its SMS reminders go out."""

import pytest
from django.core.exceptions import ValidationError

from structures.models import validate_sms_sender

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sender", ["MLLens", "ML62", "Passerelle", "MissionLoc1"])
def test_an_alphanumeric_sender_of_up_to_11_characters_is_accepted(sender):
    validate_sms_sender(sender)


@pytest.mark.parametrize(
    "sender", ["Mission Locale", "MissionLocale", "ML-Lens", "Liévin", "0612345678", "ML"]
)
def test_other_senders_are_refused_with_what_to_write(sender):
    with pytest.raises(ValidationError) as error:
        validate_sms_sender(sender)
    assert "11" in str(error.value.messages)


def test_defaults_follow_the_install(lens, settings):
    settings.SMS_DEFAULT_SENDER = "Passerelle"
    settings.BOOKING_SMS_REMINDER_HOURS = [2, 24]
    assert lens.sms_enabled
    assert lens.sms_sender_name == "Passerelle"
    assert lens.sms_reminders == [24, 2]


def test_a_structure_sets_its_own_sender_and_sms_reminders(lens):
    lens.sms_sender = "MLLens"
    lens.sms_reminder_hours = "3, 26"
    lens.full_clean()
    assert lens.sms_sender_name == "MLLens"
    assert lens.sms_reminders == [26, 3]


def test_the_admin_form_refuses_a_sender_with_a_space(lens):
    lens.sms_sender = "ML Lens"
    with pytest.raises(ValidationError) as error:
        lens.full_clean()
    assert "sms_sender" in error.value.message_dict
