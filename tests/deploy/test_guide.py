"""docs/deploy.md's commands, where they can run here."""

import os
import re
import subprocess

from tests.support import ROOT

GUIDE = ROOT / "docs" / "deploy.md"


def test_the_guides_env_file_passes_the_deployment_checklist(tmp_path):
    """The /etc/passerelle/env the guide writes, read by a shell as its manage helper
    does: production starts with it, and `check --deploy` finds nothing to fix."""
    heredoc = re.search(r"cat > /etc/passerelle/env <<EOF\n(.*?)\nEOF\n", GUIDE.read_text(), re.S)
    env_file = tmp_path / "env"
    subprocess.run(
        ["bash", "-c", f'DB_PASSWORD=secret; cat > "$0" <<EOF\n{heredoc[1]}\nEOF', env_file],
        check=True,
    )
    result = subprocess.run(
        ["bash", "-c", 'set -a; . "$0"; set +a; exec "$1" manage.py check --deploy '
         "--fail-level WARNING", env_file, ROOT / ".venv" / "bin" / "python"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ["PATH"]},  # the env file alone, not the test run's
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
