"""The French catalogue is complete, and the compiled one in git matches it.

The compiled locale/fr/LC_MESSAGES/django.mo is committed, so `make run` shows French on a
machine without gettext; these tests use gettext (installed by make test) to check it.
`make messages` refreshes both files; then translate what it added and run it again.
"""

import gettext
import os
import shutil
import subprocess
import sys

import pytest

from tests.support import ROOT, require_program

CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# Neither part of the site nor ours to translate; the same list as `make messages`.
NOT_OURS = [".venv", "node_modules", "var"]
SHOWN = 40  # entries listed in a failure message


def run(command, **options):
    """stdout of a command that must succeed; its stderr in the failure message if not."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert result.returncode == 0, f"{command} failed:\n{result.stderr}"
    return result.stdout


def load_catalogue(path):
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)._catalog


def msgids(po_text):
    """The msgids of the entries of a .po file, header aside."""
    found, current = [], None
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current = [line.removeprefix("msgid ")]
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            if current is not None:
                found.append("".join(part[1:-1] for part in current))
            current = None
    return [msgid for msgid in found if msgid]


def listed(entries):
    more = f"\n  ... and {len(entries) - SHOWN} more" if len(entries) > SHOWN else ""
    return "".join(f"\n  {entry}" for entry in entries[:SHOWN]) + more


def test_committed_compiled_catalogue_matches_the_po_file(tmp_path):
    msgfmt = require_program("msgfmt", "gettext")
    assert CATALOGUE.is_file(), f"{CATALOGUE.relative_to(ROOT)} is missing: run `make messages`"
    assert COMPILED.is_file(), f"{COMPILED.relative_to(ROOT)} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    run([msgfmt, "--check-format", "-o", fresh, CATALOGUE])
    assert load_catalogue(COMPILED) == load_catalogue(fresh), (
        f"{COMPILED.relative_to(ROOT)} was not compiled from the current django.po: "
        "run `make messages` and commit both files"
    )


def test_every_message_of_the_code_is_translated(tmp_path):
    """Runs `make messages`' extraction on a copy of the project, so the real catalogue
    is left alone, then lists what would show in English: new or untranslated messages,
    and fuzzy ones (guessed by gettext from a message that changed)."""
    msgattrib = require_program("msgattrib", "gettext")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(*NOT_OURS, ".*", "__pycache__", "test-results"),
    )
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PASSERELLE_VAR_DIR": str(tmp_path / "var"),
    }
    run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"]
        + [f"--ignore={path}" for path in NOT_OURS],
        cwd=copy,
        env=environment,
    )
    merged = copy / CATALOGUE.relative_to(ROOT)

    def entries(option):
        return msgids(run([msgattrib, option, "--no-wrap", "--no-location", merged]))

    untranslated, fuzzy = entries("--untranslated"), entries("--only-fuzzy")
    if untranslated or fuzzy:
        pytest.fail(
            f"{CATALOGUE.relative_to(ROOT)} is not up to date: run `make messages`, translate, "
            "remove the fuzzy marks, run `make messages` again."
            f"\n{len(untranslated)} messages not translated:{listed(untranslated)}"
            f"\n{len(fuzzy)} fuzzy translations:{listed(fuzzy)}",
            pytrace=False,
        )
