"""The release in the cache's keys of kept pages (settings.RELEASE): the git commit of a
deploy by git pull, read without running git."""

import pytest

from config.settings.base import git_commit

COMMIT = "3561025f0e3b9a4c8d2e1f0a9b8c7d6e5f4a3b2c"


@pytest.fixture
def checkout(tmp_path):
    (tmp_path / ".git" / "refs" / "heads").mkdir(parents=True)
    return tmp_path


def test_a_branch_checked_out_gives_its_commit(checkout):
    (checkout / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (checkout / ".git" / "refs" / "heads" / "main").write_text(COMMIT + "\n")
    assert git_commit(checkout) == COMMIT


def test_a_packed_branch_gives_its_commit(checkout):
    (checkout / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (checkout / ".git" / "packed-refs").write_text(
        "# pack-refs with: peeled fully-peeled sorted\n"
        f"{'0' * 40} refs/heads/other\n{COMMIT} refs/heads/main\n"
    )
    assert git_commit(checkout) == COMMIT


def test_a_detached_head_is_its_commit(checkout):
    (checkout / ".git" / "HEAD").write_text(COMMIT + "\n")
    assert git_commit(checkout) == COMMIT


def test_no_checkout_gives_nothing(tmp_path):
    assert git_commit(tmp_path) == ""
