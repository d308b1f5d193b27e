"""Fixtures shared by every test folder."""

import os

import pytest

from tests.support import missing


@pytest.fixture(scope="session")
def postgres_url():
    """The throwaway PostgreSQL server that scripts/with-postgres.sh starts for make test."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        missing("TEST_POSTGRES_URL is not set: run the suite with `make test`")
    return url
