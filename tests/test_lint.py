"""`make test` runs ruff and mypy (config in pyproject.toml, [tool.ruff] and [tool.mypy]); any finding fails the run
(issue 14, item 5)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_reports_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_reports_nothing():
    """mypy over k8sdocs/ (pyproject.toml, [tool.mypy]): the defaults everywhere, --strict's flags on the model."""
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
