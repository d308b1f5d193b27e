"""On PostgreSQL, search ignores accents and plurals thanks to the french_unaccent configuration."""

import importlib

import psycopg
import pytest

pytestmark = pytest.mark.postgres

migration = importlib.import_module("search.migrations.0001_french_unaccent")


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Les événements du mois", "evenement"),
        ("Votre conseillère vous reçoit", "conseilleres"),
        ("Un atelier CV", "ateliers"),
    ],
)
def test_french_unaccent_matches_words_typed_loosely(postgres_url, text, query):
    with psycopg.connect(postgres_url, connect_timeout=10) as connection:
        with connection.transaction(force_rollback=True):
            for statement in migration.CREATE:
                connection.execute(statement)
            matches = connection.execute(
                "select to_tsvector(%(config)s::regconfig, %(text)s)"
                " @@ plainto_tsquery(%(config)s::regconfig, %(query)s)",
                {"config": migration.CONFIGURATION, "text": text, "query": query},
            ).fetchone()[0]
    assert matches
