"""On PostgreSQL, the database itself refuses two overlapping live bookings of one counsellor.

Measured: without it, READ COMMITTED lets two concurrent check-then-insert transactions
both succeed. The range covers [start, busy_until), so the break after a meeting is
protected too and back-to-back meetings are allowed. Group bookings are left out (the
seat counter guards them), and so are cancelled ones (they free the slot at once).

Not declared in Model.Meta: Django 5.2 would emit "EXCLUDE" on SQLite too and break
migrate there. On SQLite, IMMEDIATE transactions serialise writers instead.
"""

from django.db import migrations

CONSTRAINT = "booking_no_overlap_per_counsellor"

ADD_GUARD = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_booking ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (
        counsellor_id WITH =,
        tstzrange("start", busy_until, '[)') WITH &&
    )
    WHERE (
        group_session_id IS NULL
        AND status NOT IN ('cancelled_by_person', 'cancelled_by_staff')
    );
"""

DROP_GUARD = f"ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def add_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_GUARD)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_GUARD)


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_seed_formats")]

    operations = [migrations.RunPython(add_guard, drop_guard)]
