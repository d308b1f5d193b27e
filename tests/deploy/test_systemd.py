"""The systemd units of deploy/systemd are ones systemd accepts as they are installed
(docs/deploy.md): `systemd-analyze verify` loads each, with the shared drop-in, and
complains about any unknown or malformed setting and any missing program."""

import shutil
import subprocess

import pytest

from tests.support import ROOT, require_program

UNITS = ROOT / "deploy" / "systemd"
INSTALLED_CODE = "/srv/passerelle"


@pytest.fixture
def installed_units(tmp_path):
    """The units as installed, the code being this checkout instead of /srv/passerelle,
    since verify checks that every ExecStart program exists."""
    shutil.copytree(UNITS, tmp_path, dirs_exist_ok=True)
    for unit in (path for path in tmp_path.rglob("*") if path.is_file()):
        unit.write_text(unit.read_text().replace(INSTALLED_CODE, str(ROOT)))
    return tmp_path


def test_every_scheduled_command_has_a_timer():
    services = {unit.stem for unit in UNITS.glob("*.service")}
    timers = {unit.stem for unit in UNITS.glob("*.timer")}
    assert timers <= services
    scheduled = " ".join((UNITS / f"{name}.service").read_text() for name in timers)
    for command in (
        "send_reminders",
        "send_counsellor_digests",
        "sweep_registration_offers",
        "send_pending_notifications",
        "sync_external_calendars",
        "purge_booking_data",
        "publish_scheduled",
        "clearsessions",
    ):
        assert f"manage.py {command}" in scheduled


@pytest.mark.parametrize(
    "unit", sorted(path.name for path in UNITS.glob("*.*") if path.is_file()), ids=str
)
def test_systemd_accepts_the_unit(installed_units, unit):
    systemd_analyze = require_program("systemd-analyze", "systemd")
    result = subprocess.run(
        [systemd_analyze, "verify", "--man=no", str(installed_units / unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""


@pytest.mark.parametrize("service", sorted(path.name for path in UNITS.glob("*.service")), ids=str)
def test_every_service_is_hardened(installed_units, service):
    """systemd's own exposure score (0 safe to 10 unprotected) stays at most 2: the code
    and the system read-only, no privileges, no other users' files."""
    systemd_analyze = require_program("systemd-analyze", "systemd")
    result = subprocess.run(
        [systemd_analyze, "security", "--offline=true", "--man=no", "--threshold=20", service],
        cwd=installed_units,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout[-2000:]
