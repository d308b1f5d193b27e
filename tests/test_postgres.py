"""The PostgreSQL server make test starts is really there, for the tests that need one."""

import psycopg
import pytest

pytestmark = pytest.mark.postgres


def test_postgres_server_answers(postgres_url):
    with psycopg.connect(postgres_url, connect_timeout=10) as connection:
        version = connection.execute("select version()").fetchone()[0]
    assert "PostgreSQL" in version
