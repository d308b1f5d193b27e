"""The headers that tell browsers what the site's pages may do: a strict
Content-Security-Policy on public pages (none on the admin, which needs inline scripts),
a Permissions-Policy everywhere, and HSTS that covers subdomains only when asked."""

import secrets

import pytest
from django.urls import reverse

from tests.support import run_django

pytestmark = pytest.mark.django_db

STRICT_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
]


def directives(response):
    return sorted(part.strip() for part in response["Content-Security-Policy"].split(";"))


def test_public_pages_get_the_strict_policy(client, home):
    for url in (home.url, reverse("booking:flow"), reverse("search")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == sorted(STRICT_POLICY), url


def test_the_admin_gets_no_policy_its_inline_scripts_would_break(client, home):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_the_admin_never_asks_wagtail_org_for_new_releases(admin_client, home):
    """The check would tell releases.wagtail.org, from each staff browser, where we are."""
    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "<h1" in page
    assert 'data-controller="w-upgrade' not in page


def test_every_answer_refuses_camera_microphone_location_and_payment(admin_client, home):
    for response in (
        admin_client.get(home.url),
        admin_client.get(reverse("wagtailadmin_home")),
        admin_client.get("/api/v1/counsellors"),
        admin_client.get("/cette-page-n-existe-pas/"),
    ):
        features = dict(
            part.strip().split("=") for part in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (response.request["PATH_INFO"], feature)
        assert "fullscreen" not in features  # the video players need it


def run_settings(settings_module, code, **env):
    """Run `code` in a fresh process with `settings_module` and `env` (settings read
    the environment once, at start-up); returns what it printed."""
    result = run_django(
        "-c", f"import django\ndjango.setup()\n{code}", settings_module=settings_module, **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


HSTS_OF_AN_ANSWER = (
    "from django.test import Client\n"
    "host = {'host': 'passerelle.example.org'}\n"
    "response = Client().get('/robots.txt', secure=True, headers=host)\n"
    "print(response['Strict-Transport-Security'])"
)
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
    "DJANGO_ALLOWED_HOSTS": "passerelle.example.org",
    # Production refuses to start without a shared cache; robots.txt never reaches it.
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_hsts_leaves_subdomains_and_preload_lists_alone_unless_asked():
    assert run_settings("config.settings.production", HSTS_OF_AN_ANSWER, **PRODUCTION) == (
        "max-age=31536000"
    )
    opted_in = run_settings(
        "config.settings.production",
        HSTS_OF_AN_ANSWER,
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
        **PRODUCTION,
    )
    assert opted_in == "max-age=31536000; includeSubDomains; preload"


def test_the_deployment_checklist_passes_with_hsts_left_to_the_operator():
    result = run_django(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings_module="config.settings.production",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr


def test_media_on_a_bucket_may_be_shown_in_images_and_videos():
    header = run_settings(
        "config.settings.test",
        "from django.test import Client\n"
        "print(Client().get('/robots.txt')['Content-Security-Policy'])",
        S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud/",
        S3_CUSTOM_DOMAIN="media.mission-locale.example.org",
    )
    media = "https://media.mission-locale.example.org https://s3.fr-par.scw.cloud"
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["img-src"] == f"'self' data: {media}"
    assert policy["media-src"] == f"'self' {media}"
