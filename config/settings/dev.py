"""Development: debug on, console email, a fixed key that is useless anywhere else."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = "django-insecure-development-only-never-in-production"
DEMO_ACCOUNT_ALLOWED = True
