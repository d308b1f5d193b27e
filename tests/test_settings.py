from tests.support import run_django

PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "passerelle.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_check(settings_module, **env):
    return run_django("manage.py", "check", settings_module=settings_module, **env)


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
    assert "django_tasks_db.DatabaseBackend" in read_setting("TASKS")


def test_site_speaks_french_in_paris_time(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True


def test_a_silent_mail_server_is_given_up_on_after_ten_seconds(settings):
    assert settings.EMAIL_TIMEOUT == 10


def read_setting(name, **env):
    """A production setting as the environment `env` makes it."""
    result = run_django(
        "-c",
        f"from config.settings import production; print(production.{name})",
        settings_module="config.settings.production",
        **{**PRODUCTION, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_redis_holds_the_cache_and_wagtails_renditions_apart():
    caches = read_setting("CACHES", REDIS_URL="redis://cache.internal:6379/2")
    assert caches.count("'BACKEND': 'django_redis.cache.RedisCache'") == 2
    assert "'renditions': {" in caches and "'KEY_PREFIX': 'renditions'" in caches
    assert caches.count("redis://cache.internal:6379/2") == 2


def test_a_bucket_name_puts_media_in_s3_at_unsigned_addresses():
    storages = read_setting(
        "STORAGES", S3_BUCKET_NAME="passerelle-media", S3_CUSTOM_DOMAIN="media.example.org"
    )
    assert "'BACKEND': 'storages.backends.s3.S3Storage'" in storages
    assert "'bucket_name': 'passerelle-media'" in storages
    assert "'custom_domain': 'media.example.org'" in storages
    assert "'querystring_auth': False" in storages


def test_health_probes_over_plain_http_are_not_redirected():
    exempt = read_setting("SECURE_REDIRECT_EXEMPT")
    assert "'^healthz$'" in exempt


def test_production_reuses_database_connections_after_checking_them():
    """A new PostgreSQL connection per request cost a booking 10 to 20 ms."""
    assert read_setting('DATABASES["default"]["CONN_MAX_AGE"]').strip() == "60"
    assert read_setting('DATABASES["default"]["CONN_HEALTH_CHECKS"]').strip() == "True"
    assert (
        read_setting('DATABASES["default"]["CONN_MAX_AGE"]', DATABASE_CONN_MAX_AGE="0").strip()
        == "0"
    )


def test_production_sends_no_sms_unless_a_provider_is_chosen():
    assert read_setting("SMS_BACKEND").strip() == ""


def test_production_refuses_an_sms_provider_without_its_credential():
    backend = "core.sms.backends.smsfactor.SmsBackend"
    result = run_check("config.settings.production", **PRODUCTION, SMS_BACKEND=backend)
    assert result.returncode != 0
    assert "SMS_FACTOR_TOKEN must be set" in result.stderr
    result = run_check(
        "config.settings.production", **PRODUCTION, SMS_BACKEND=backend, SMS_FACTOR_TOKEN="t"
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_an_sms_backend_that_sends_nothing():
    backend = "core.sms.backends.console.SmsBackend"
    result = run_check("config.settings.production", **PRODUCTION, SMS_BACKEND=backend)
    assert result.returncode != 0
    assert "which sends nothing" in result.stderr


def test_the_fair_limits_are_set_from_the_environment():
    env = {
        "BOOKING_RATE_LIMIT_ATTEMPTS": "100",
        "BOOKING_RATE_LIMIT_PERIOD": "300",
        "BOOKING_SLOT_ATTEMPTS": "8",
        "BOOKING_LIVE_BOOKINGS_PER_PERSON": "5",
        "BOOKING_API_KEY_RATE_LIMIT_ATTEMPTS": "1000",
    }

    assert read_setting("BOOKING_RATE_LIMIT", **env).strip() == "(100, 300)"
    assert read_setting("BOOKING_SLOT_ATTEMPTS", **env).strip() == "(8, 3600)"
    assert read_setting("BOOKING_LIVE_BOOKINGS_PER_PERSON", **env).strip() == "5"
    assert read_setting("BOOKING_API_KEY_RATE_LIMIT", **env).strip() == "(1000, 600)"
    assert read_setting("BOOKING_RATE_LIMIT").strip() == "(60, 600)", "the default"
