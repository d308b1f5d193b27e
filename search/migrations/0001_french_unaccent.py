"""On PostgreSQL, a French text search configuration that also ignores accents.

PostgreSQL's own "french" configuration stems and drops filler words but keeps accents,
so "evenement" would not find "événement". SQLite's index ignores accents already.
"""

from django.db import migrations

CONFIGURATION = "french_unaccent"

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}",
    f"CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = french)",
    f"ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION} "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
]


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_configuration, drop_configuration)]
