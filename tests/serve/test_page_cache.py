"""Warm builds take a page's rendered Markdown from the cache instead of running Jinja (k8sdocs/macros.py,
``on_pre_page_macros``; issue 12, item 4), and only when that gives the same page."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_serve_survives import make_project  # noqa: E402


def build(root: Path, site: str) -> str:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", K8SDOCS_CACHE_DIR=str(root / ".cache"), K8SDOCS_PREFETCH="0")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site], cwd=root,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return (root / site / "index.html").read_text(encoding="utf-8")


def page_entries(root: Path) -> list[dict]:
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in (root / ".cache").rglob("*.json")
               if p.name != "macros.json"]
    return [e for e in entries if "# Prueba" in e["output"]]


def test_a_warm_build_reuses_the_page_and_an_edited_input_renders_it_again(tmp_path: Path) -> None:
    make_project(tmp_path)
    cold = build(tmp_path, "site-1")
    [entry] = page_entries(tmp_path)
    assert "docs/escenarios/prueba.yaml" in entry["deps"] and "docs/escenarios/manifiestos/cluster.yaml" in entry["deps"]
    assert "{{" not in entry["output"] and "node-a" in entry["output"]
    assert build(tmp_path, "site-2") == cold

    manifests = tmp_path / "docs" / "escenarios" / "manifiestos" / "cluster.yaml"
    original = manifests.read_text(encoding="utf-8")
    manifests.write_text(original.replace("node-a", "node-z"), encoding="utf-8")
    edited = build(tmp_path, "site-3")
    assert "node-z" in edited and "node-a" not in edited
    [entry] = page_entries(tmp_path)  # the same page source: the entry was replaced
    assert "node-z" in entry["output"]

    manifests.write_text(original, encoding="utf-8")
    assert build(tmp_path, "site-4") == cold


def test_a_page_that_reads_a_variable_is_not_stored(tmp_path: Path) -> None:
    make_project(tmp_path)
    index = tmp_path / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nTítulo: {{ page.title }}\n", encoding="utf-8")
    first = build(tmp_path, "site-1")
    assert "Título: Prueba" in first
    assert page_entries(tmp_path) == []
    assert build(tmp_path, "site-2") == first


def test_the_glossary_pattern_is_read_once_while_the_file_is_unchanged(tmp_path: Path, monkeypatch) -> None:
    from k8sdocs import glossary_marks

    glossary = tmp_path / "glossary.yaml"
    glossary.write_bytes(glossary_marks.GLOSSARY_FILE.read_bytes())
    monkeypatch.setattr(glossary_marks, "GLOSSARY_FILE", glossary)
    monkeypatch.setattr(glossary_marks, "_PATTERNS", {})
    reads = []
    real = glossary_marks.concepts
    monkeypatch.setattr(glossary_marks, "concepts", lambda: reads.append(1) or real())
    first = glossary_marks.glossary_pattern()
    assert glossary_marks.glossary_pattern() is first and len(reads) == 1
    os.utime(glossary, ns=(1, 1))  # a new mtime: read again
    assert glossary_marks.glossary_pattern() == first and len(reads) == 2



def test_the_site_hooks_stop_mkdocs_macros_running_git(tmp_path: Path, monkeypatch) -> None:
    """mkdocs-macros' `git` variable is removed from pages (k8sdocs/macros.py), so its 13 git commands are skipped."""
    import mkdocs_macros.context

    from k8sdocs import hooks

    calls = tmp_path / "git-calls"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\nexit 1\n", encoding="utf-8")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(mkdocs_macros.context, "get_git_info", mkdocs_macros.context.get_git_info)  # put back after
    importlib.reload(mkdocs_macros.context)  # the original, even if k8sdocs.hooks was imported before
    mkdocs_macros.context.get_git_info()
    assert calls.exists()  # the real one runs git
    calls.unlink()
    assert hooks.skip_macros_git_info()
    assert mkdocs_macros.context.get_git_info() == {"status": False, "date": None}
    assert not calls.exists()
