"""Signing in to the admin: wrong passwords pause one username from one address, and
nobody else (another address, another username, the demo account) notices."""

import io
import json
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.support import run_django

HERE, ELSEWHERE = "203.0.113.7", "198.51.100.20"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def axes_on(settings):
    """Test settings leave django-axes off (the test client signs in without a request)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def editor(db, axes_on):
    return get_user_model().objects.create_superuser("camille", password=PASSWORD)


def sign_in(client, username, password, address=HERE):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_five_times(client, username):
    return [sign_in(client, username, "wrong").status_code for _attempt in range(5)]


def test_five_wrong_passwords_pause_that_name_from_that_address_only(client, editor):
    assert fail_five_times(client, "camille") == [200, 200, 200, 200, 429]

    refused = sign_in(client, "camille", PASSWORD)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Connexion suspendue" in page
    assert "« camille »" in page
    assert "15 minutes" in page
    assert "_auth_user_id" not in client.session

    accepted = sign_in(client, "camille", PASSWORD, address=ELSEWHERE)
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("wagtailadmin_home")


def test_another_name_from_the_same_address_still_signs_in(client, editor):
    get_user_model().objects.create_superuser("sami", password=PASSWORD)
    fail_five_times(client, "camille")

    assert sign_in(client, "sami", PASSWORD).status_code == 302


def test_someone_elsewhere_cannot_lock_the_admin_out(client, editor):
    fail_five_times(client, "camille")  # from HERE, say an attacker

    assert sign_in(client, "camille", PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_demo_login_still_works(client, settings, db, axes_on):
    settings.DEMO_ACCOUNT_ALLOWED = True
    call_command("load_demo", stdout=io.StringIO())

    response = sign_in(client, "admin", "passerelle-demo")

    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


# Five wrong passwords then the right one, here and from elsewhere, through Django's
# authenticate() as the admin's login form calls it, on a database of its own.
ON_ANOTHER_DATABASE = f"""
import json
import django
django.setup()
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

for app in ("auth", "axes"):
    call_command("migrate", app, verbosity=0)
get_user_model().objects.create_user("camille", password={PASSWORD!r})

def signs_in(password, address):
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=address)
    return authenticate(request, username="camille", password=password) is not None

wrong = [signs_in("wrong", {HERE!r}) for _attempt in range(5)]
print(json.dumps([*wrong, signs_in({PASSWORD!r}, {HERE!r}), signs_in({PASSWORD!r}, {ELSEWHERE!r})]))
"""


@pytest.mark.postgres
def test_postgres_keeps_the_pause_too(postgres_url):
    name = f"passerelle_axes_{uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = run_django(
            "-c",
            ON_ANOTHER_DATABASE,
            settings_module="config.settings.dev",
            timeout=300,
            DATABASE_URL=urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}")),
            AXES_FAILURE_LIMIT="5",
        )
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == [False] * 5 + [False, True]
