"""Settings of the processes the delivery test starts: the test settings, with tasks in
the database (django-tasks-db, run by `manage.py db_worker`) and e-mail sent over SMTP
to the test's mail server on DJANGO_EMAIL_PORT (base.py)."""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS

if "django_tasks_db" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
