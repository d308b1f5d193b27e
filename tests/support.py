"""What the test suite needs from the machine, and what to do when it is missing.

On a developer's machine a missing tool skips the tests that need it, saying why; in CI
(CI=true, as .ci/run sets) it fails them, so a green CI run has really run everything.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.settings.base import s3_storage

ROOT = Path(__file__).resolve().parent.parent


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(reason):
    """Skip, or fail in CI: never pass quietly without having checked anything."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is an error rather than a skip)")
    pytest.skip(reason)


def require_program(name, package):
    """The path of a program from a Debian package that scripts/ensure-test-deps.sh installs."""
    path = shutil.which(name)
    if path is None:
        missing(f"`{name}` not found: install the Debian package {package} (make test does)")
    return path


@dataclass(frozen=True)
class S3Server:
    """Where the test S3 service is and how to sign in to it (TEST_S3_* variables)."""

    endpoint_url: str
    access_key_id: str
    secret_access_key: str

    @classmethod
    def from_environment(cls):
        if not os.environ.get("TEST_S3_ENDPOINT_URL"):
            return None
        return cls(
            os.environ["TEST_S3_ENDPOINT_URL"],
            os.environ["TEST_S3_ACCESS_KEY_ID"],
            os.environ["TEST_S3_SECRET_ACCESS_KEY"],
        )

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            region_name="us-east-1",
        )

    def storage(self, bucket):
        """STORAGES["default"] as production builds it, for `bucket` on this server."""
        return s3_storage(
            bucket,
            endpoint_url=self.endpoint_url,
            access_key=self.access_key_id,
            secret_key=self.secret_access_key,
            region_name="us-east-1",
        )


# What a careless or hostile sender puts in a parameter or a field, whatever the surface:
# digits that int() refuses ("²" is a digit for str.isdigit), numbers and dates out of
# every range, NUL, very long values, markup. Each sweep adds the spellings of its own.
HOSTILE_VALUES = [
    "",
    " ",
    "²",
    "0",
    "-1",
    "9" * 30,
    "1e309",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "a\x00b",
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "🙂",
]


def run_django(*argv, settings_module, timeout=120, **env):
    """`python *argv` from the project root in a fresh process, for what settings decide
    at start-up: the settings are `settings_module` read with `env` alone, none of this
    machine's DJANGO_, REDIS_, S3_ or CSP_ variables. Returns the CompletedProcess."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "S3_", "CSP_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
