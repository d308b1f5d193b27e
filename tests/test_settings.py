import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "passerelle.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_check(settings_module, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "S3_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check("config.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key_and_redis():
    result = run_check("config.settings.production", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_redis():
    result = run_check("config.settings.production", **{**PRODUCTION, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "REDIS_URL must point to a Redis server" in result.stderr


def test_production_refuses_an_email_backend_that_sends_nothing():
    backend = "django.core.mail.backends.console.EmailBackend"
    result = run_check("config.settings.production", **PRODUCTION, DJANGO_EMAIL_BACKEND=backend)
    assert result.returncode != 0
    assert "which sends nothing" in result.stderr


def test_production_queues_tasks_in_the_database_for_the_worker():
    result = subprocess.run(
        [sys.executable, "-c", "from config.settings import production; print(production.TASKS)"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "django_tasks_db.DatabaseBackend" in result.stdout, result.stderr


def test_site_speaks_french_in_paris_time(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
