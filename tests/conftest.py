"""Fixtures shared by every test folder.

``built_site``: the site built ONCE per pytest session exactly as CI builds it
(``python -m mkdocs build --strict`` from the repository root), returned as the Path of the
output folder. Any test folder can ask for it; the build runs only when a test needs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Fixed so two builds are byte-identical (MkDocs uses it for sitemap dates; docs-stack.md §6).
SOURCE_DATE_EPOCH = "1700000000"


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run a strict MkDocs build of ``project`` (cwd = project root, as mkdocs-macros requires)."""
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",  # hides Material's end-of-life banner (a print to stderr)
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
    )
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site of this repository (strict build, fixed SOURCE_DATE_EPOCH)."""
    site_dir = tmp_path_factory.mktemp("built_site") / "site"
    result = mkdocs_build(ROOT, site_dir)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stderr}", pytrace=False)
    return site_dir


@pytest.fixture(scope="session")
def build_project() -> Callable[[Path, Path], subprocess.CompletedProcess[str]]:
    """The function ``built_site`` uses, for tests that build a modified copy of the project."""
    return mkdocs_build
