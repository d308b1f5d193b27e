"""What the test suite needs from the machine, and what to do when it is missing.

On a developer's machine a missing tool skips the tests that need it, saying why; in CI
(CI=true, as .ci/run sets) it fails them, so a green CI run has really run everything.
"""

import os
import shutil
from pathlib import Path

import pytest

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
