"""Rules of the layout that import-linter cannot express (its contracts are in
.importlinter): only booking.services writes bookings, registrations and seat counters."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "home", "counsellors", "events", "booking", "search", "eventdays", "config"]
# The one writer, and the demo loader that seeds sessions for `make run`.
ALLOWED = ("booking/services/", "booking/demo.py")
# What a write of bookings or registrations is called on, and the seat counters.
WRITTEN = ("Booking", "bookings", "Registration", "registrations", "SeatPool", "pools")
COUNTERS = ("seats_booked", "seats_confirmed", "seats_offered")
WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
    "save",
}


def chain(node):
    """The names along an attribute/call chain, e.g. Booking.objects.filter().update
    gives ["Booking", "objects", "filter", "update"]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def booking_writes(source):
    """(line, what) for each statement that writes bookings or a seat counter."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            names = chain(node.func)
            on_bookings = any(name in WRITTEN for name in names[:-1])
            on_a_booking = names[-1] in ("save", "delete") and any(
                name.endswith(("booking", "registration")) for name in names[:-1]
            )
            if names[-1] in WRITES and (on_bookings or on_a_booking):
                found.append((node.lineno, ".".join(names)))
            for keyword in node.keywords:
                if keyword.arg in COUNTERS:
                    found.append((node.lineno, f"{keyword.arg}="))
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in COUNTERS:
                found.append((node.lineno, f"{target.attr} ="))
    return found


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text()


def test_only_the_services_write_bookings_and_seat_counters():
    outside = [
        f"{name}:{line} {what}"
        for name, source in app_modules()
        if not name.startswith(ALLOWED)
        for line, what in booking_writes(source)
    ]
    assert outside == [], "Write bookings through booking.services:\n" + "\n".join(outside)


def test_the_check_sees_the_services_writes():
    """Guards the check itself: it finds the writes the services do make."""
    services = dict(app_modules())
    found = {what for line, what in booking_writes(services["booking/services/bookings.py"])}
    assert "Booking.objects.create" in found
    assert booking_writes(services["booking/services/privacy.py"])
    found = {what for line, what in booking_writes(services["booking/services/registrations.py"])}
    assert {"Registration.objects.create", "seats_confirmed=", "seats_offered="} <= found


@pytest.mark.parametrize(
    "code",
    [
        "Booking.objects.filter(pk=1).update(status='x')",
        "person.bookings.update(message='')",
        "GroupSession.objects.filter(pk=1).update(seats_booked=F('seats_booked') + 1)",
        "session.seats_booked += 1",
        "Booking(start=now).save()",
        "self.booking.save(update_fields=['status'])",
        "Registration.objects.filter(pk=1).update(status='x')",
        "SeatPool.objects.filter(pk=1).update(seats_offered=F('seats_offered') + 1)",
        "pool.seats_confirmed += 1",
        "registration.save()",
    ],
)
def test_the_check_recognises_a_write(code):
    assert booking_writes(code)
