"""Support staff give a counsellor their feed address from the shell."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Site

from booking.models import Counsellor

FEED_PATH = re.compile(r"https?://[^/\s]+(/rendez-vous/agenda/[A-Za-z0-9_-]+\.ics)")


def run(*args):
    out = StringIO()
    call_command("calendar_feed_url", *args, stdout=out)
    return out.getvalue()


def feed_path(output):
    [path] = set(FEED_PATH.findall(output))
    return path


def test_a_counsellor_without_a_feed_gets_one_by_slug_or_id(samia, make_counsellor, settings):
    Site.objects.filter(is_default_site=True).update(hostname="rdv.example.org", port=443)
    julien = make_counsellor("julien")

    output = run("samia")

    path = feed_path(output)
    assert f"https://rdv.example.org{path}" in output
    assert f"webcal://rdv.example.org{path}" in output
    assert Client().get(path).status_code == 200
    assert Counsellor.objects.get(pk=julien.pk).calendar_feed_token_hash == ""
    assert Client().get(feed_path(run(str(julien.pk)))).status_code == 200


def test_an_existing_address_is_not_shown_again_but_can_be_rotated(samia):
    old = feed_path(run("samia"))

    with pytest.raises(CommandError, match="--rotate"):
        run("samia")
    assert Client().get(old).status_code == 200, "a refusal changes nothing"

    new = feed_path(run("samia", "--rotate"))
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_an_unknown_counsellor_is_refused(samia):
    with pytest.raises(CommandError, match="nobody"):
        run("nobody")
