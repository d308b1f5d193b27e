"""Each backend against a local fake of its provider's API: what it sends (path,
authentication, JSON), what it reads back, and which failures are worth a retry."""

import io

import pytest

from core import sms
from core.sms.backends import console, locmem

from .fake_providers import (
    BREVO_KEY,
    REFUSED_NUMBER,
    SMSFACTOR_TOKEN,
    BrevoHandler,
    FakeProvider,
    SmsFactorHandler,
)

BREVO = "core.sms.backends.brevo.SmsBackend"
SMSFACTOR = "core.sms.backends.smsfactor.SmsBackend"
TEXT = "Léa, ton RDV est confirmé : mardi 8 décembre à 14 h. Gérer : https://ml.fr/r/Ab3dE6gH9"


@pytest.fixture
def brevo(settings):
    with FakeProvider(BrevoHandler) as server:
        settings.SMS_BACKEND = BREVO
        settings.SMS_BREVO_API_KEY = BREVO_KEY
        settings.SMS_BREVO_URL = f"{server.url}/v3/transactionalSMS/sms"
        yield server


@pytest.fixture
def smsfactor(settings):
    with FakeProvider(SmsFactorHandler) as server:
        settings.SMS_BACKEND = SMSFACTOR
        settings.SMS_FACTOR_TOKEN = SMSFACTOR_TOKEN
        settings.SMS_FACTOR_URL = f"{server.url}/send"
        yield server


def test_brevo_gets_a_transactional_sms_with_its_key(brevo):
    result = sms.send_sms("+33612345678", "Ton RDV l’après-midi", sender="MLLens")
    [request] = brevo.requests
    assert request["path"] == "/v3/transactionalSMS/sms"
    assert request["headers"]["api-key"] == BREVO_KEY
    assert request["headers"]["content-type"] == "application/json"
    assert request["json"] == {
        "sender": "MLLens",
        "recipient": "33612345678",
        "content": "Ton RDV l'après-midi",
        "type": "transactional",
    }
    assert result == sms.SmsResult(message_id="1511882900176220", segments=1)


def test_smsfactor_gets_an_alert_with_its_bearer_token(smsfactor):
    result = sms.send_sms("+262692123456", TEXT, sender="MLSud", reference="passerelle-7")
    [request] = smsfactor.requests
    assert request["path"] == "/send"
    assert request["headers"]["authorization"] == f"Bearer {SMSFACTOR_TOKEN}"
    assert request["json"] == {
        "sms": {
            "message": {"text": TEXT, "pushtype": "alert", "sender": "MLSud"},
            "recipients": {"gsm": [{"value": "262692123456", "gsmsmsid": "passerelle-7"}]},
        }
    }
    assert result == sms.SmsResult(message_id="14672468", segments=1)


def test_the_text_is_normalised_before_any_provider_sees_it(smsfactor):
    sms.send_sms("+33612345678", "Reçu « ça » à 14\u202fh – à bientôt…")
    [request] = smsfactor.requests
    assert request["json"]["sms"]["message"]["text"] == 'Recu " ca " à 14 h - à bientot...'


def test_the_install_sender_is_used_when_none_is_given(brevo, settings):
    settings.SMS_DEFAULT_SENDER = "Passerelle"
    sms.send_sms("+33612345678", "Bonjour")
    assert brevo.requests[0]["json"]["sender"] == "Passerelle"


@pytest.mark.parametrize("provider", ["brevo", "smsfactor"])
def test_a_refused_number_is_a_permanent_error(provider, request):
    request.getfixturevalue(provider)
    with pytest.raises(sms.PermanentError):
        sms.send_sms(f"+{REFUSED_NUMBER}", "Bonjour")


def test_a_wrong_brevo_key_is_permanent(brevo, settings):
    settings.SMS_BREVO_API_KEY = "wrong"
    with pytest.raises(sms.PermanentError, match="401"):
        sms.send_sms("+33612345678", "Bonjour")


def test_a_wrong_smsfactor_token_is_permanent_though_answered_200(smsfactor, settings):
    settings.SMS_FACTOR_TOKEN = "wrong"
    with pytest.raises(sms.PermanentError, match="status -1"):
        sms.send_sms("+33612345678", "Bonjour")


@pytest.mark.parametrize("provider", ["brevo", "smsfactor"])
@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_throttling_are_temporary(provider, status, request):
    server = request.getfixturevalue(provider)
    server.fail_with = status
    with pytest.raises(sms.TemporaryError, match=str(status)):
        sms.send_sms("+33612345678", "Bonjour")


@pytest.mark.parametrize("provider", ["brevo", "smsfactor"])
def test_a_provider_that_does_not_answer_in_time_is_temporary(provider, request, settings):
    server = request.getfixturevalue(provider)
    settings.SMS_TIMEOUT = 0.2
    server.fail_with = "slow"
    with pytest.raises(sms.TemporaryError):
        sms.send_sms("+33612345678", "Bonjour")


def test_nobody_listening_is_temporary(settings):
    with FakeProvider(BrevoHandler) as server:
        url = server.url
    settings.SMS_BACKEND = BREVO
    settings.SMS_BREVO_URL = f"{url}/v3/transactionalSMS/sms"
    with pytest.raises(sms.TemporaryError):
        sms.send_sms("+33612345678", "Bonjour")


def test_errors_never_quote_the_number_or_the_text(brevo):
    brevo.fail_with = 500
    with pytest.raises(sms.TemporaryError) as error:
        sms.send_sms("+33612345678", "Secret du RDV")
    assert "612345678" not in str(error.value) and "Secret" not in str(error.value)


def test_locmem_keeps_what_it_sent_in_the_outbox(sms_outbox):
    result = sms.send_sms("+33612345678", "Ça reçu", backend=locmem.SmsBackend())
    [message] = sms_outbox
    assert (message.to, message.text) == ("+33612345678", "Ça recu")
    assert result.segments == 1 and result.message_id.startswith("local-")


def test_the_console_prints_the_message(settings):
    stream = io.StringIO()
    sms.send_sms("+33612345678", "Bonjour", sender="MLLens", backend=console.SmsBackend(stream))
    assert "SMS from MLLens to +33612345678:\nBonjour\n" in stream.getvalue()


def test_the_test_settings_use_the_outbox(settings):
    assert settings.SMS_BACKEND == "core.sms.backends.locmem.SmsBackend"
    assert sms.is_available()
    settings.SMS_BACKEND = ""
    assert not sms.is_available()
