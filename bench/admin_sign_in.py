"""A password-guessing run against the admin's sign-in form, with and without django-axes:
prints what each attempt was answered, asserts nothing.

    .venv/bin/python bench/admin_sign_in.py

30 wrong passwords for "camille" from one address, then the right one from that address
and from another one, through Django's test client on a throwaway database.
"""

from collections import Counter

import throwaway  # sets Django up: before anything that needs it

# isort: split

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

GUESSES = 30
PASSWORD = "correct horse battery staple"
ATTACKER, CAMILLE_AT_WORK = "203.0.113.7", "198.51.100.20"


def attempt(password, address):
    response = Client(HTTP_HOST="localhost").post(
        reverse("wagtailadmin_login"),
        {"username": "camille", "password": password},
        REMOTE_ADDR=address,
    )
    return response.status_code


def guessing_run(axes_enabled):
    with override_settings(AXES_ENABLED=axes_enabled):
        guesses = Counter(attempt(f"guess-{number}", ATTACKER) for number in range(GUESSES))
        right_here = attempt(PASSWORD, ATTACKER)
        right_elsewhere = attempt(PASSWORD, CAMILLE_AT_WORK)
    answers = ", ".join(f"{count} × {status}" for status, count in sorted(guesses.items()))
    label = "with axes   " if axes_enabled else "without axes"
    throwaway.report(
        f"{label}: {GUESSES} wrong passwords → {answers}; then the right one: "
        f"{right_here} from the guesser's address, {right_elsewhere} from another"
    )


def main():
    throwaway.migrate()
    get_user_model().objects.create_superuser("camille", password=PASSWORD)
    guessing_run(axes_enabled=False)
    guessing_run(axes_enabled=True)


throwaway.run(main)
