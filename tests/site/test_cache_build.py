"""Builds with the on-disk cache give the same site as builds without it (issue 12 item 3).

Three strict builds of the repository: with an empty cache (cold, fills it), with that cache (warm:
no scenario runs), and with the cache turned off. The three sites must be byte-identical.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def build(site: Path, **env: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000", **env),
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr


def differences(a: Path, b: Path) -> list[str]:
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _same, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(out)


@pytest.mark.slow
def test_cold_warm_and_uncached_builds_are_byte_identical(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(tmp_path / "cold", K8SDOCS_CACHE_DIR=str(cache))
    entries = list(cache.rglob("*.json"))
    assert entries, "the cold build wrote no cache entry"
    before = {p: p.stat().st_mtime_ns for p in entries}
    build(tmp_path / "warm", K8SDOCS_CACHE_DIR=str(cache))
    # Every call hit: nothing was recomputed, so nothing was written.
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.json")} == before
    build(tmp_path / "off", K8SDOCS_CACHE="0")
    assert differences(tmp_path / "cold", tmp_path / "warm") == []
    assert differences(tmp_path / "cold", tmp_path / "off") == []
