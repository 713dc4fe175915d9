"""The direction of imports between the apps, as pyproject.toml's import-linter contracts say
it: hub <- partnership <- reviews <- learning <- training, and nothing imports search or
operations.
A new import that points the wrong way fails here, naming the chain of modules."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_imports_point_one_way():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout, result.stdout
