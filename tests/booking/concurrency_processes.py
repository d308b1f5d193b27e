"""What the tests that start real processes share: the environment of a child process
with its own settings and database, free ports, and a PostgreSQL database of its own."""

import json
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import psycopg
import pytest

from tests.support import ROOT


def subprocess_environment(settings, database_url, var_dir, **extra):
    """This process's environment without its DJANGO_* variables, for `settings`."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=database_url,
        PASSERELLE_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return environment


def free_port(ports):
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"No free port in {ports.start}-{ports.stop - 1}")


@contextmanager
def own_postgres_database(postgres_url, prefix):
    """A new, empty database on the test server; yields its URL, drops it afterwards."""
    name = f"{prefix}_{uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_command_twice_at_once(environment, prepare_module, count, command, *, rounds=3):
    """Prepare `count` rows with `python -m prepare_module count` (its JSON output is
    returned), then run `manage.py command` as two processes at once, `rounds` times:
    what each command must do once, whoever runs it."""

    def start(*arguments):
        return subprocess.Popen(
            [sys.executable, *arguments],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    prepared = start("-m", prepare_module, str(count))
    out, err = prepared.communicate(timeout=300)
    assert prepared.returncode == 0, err[-3000:]
    for _round in range(rounds):
        runs = [start("manage.py", command) for _run in range(2)]
        for run in runs:
            _out, err = run.communicate(timeout=300)
            assert run.returncode == 0, err[-3000:]
    return json.loads(out)
