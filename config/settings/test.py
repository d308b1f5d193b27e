"""Tests: fast hashing, plain static storage, immediate tasks, in-memory e-mail and SMS."""

from .base import *  # noqa: F403

SECRET_KEY = "tests-only-secret-key"
DEBUG = False
DEMO_ACCOUNT_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "core.sms.backends.locmem.SmsBackend"
# Tests book and send at whatever hour they run; those of the quiet hours set them.
SMS_QUIET_HOURS = None
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Django's test client signs in without a request, which django-axes refuses: the tests
# of the admin sign-in lockout turn it back on.
AXES_ENABLED = False
# Pages are rendered afresh, so tests see what they just saved; the tests of the page
# cache (tests/core/test_pagecache.py) and of query counts turn the caches on.
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0
