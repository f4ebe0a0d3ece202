"""Exit plan off MkDocs 1.x: ProperDocs builds the same site (issue 7, part 3).

MkDocs 1.6.1 is unmaintained and 2.0 drops plugins (docs-stack.md §1). ProperDocs 1.6.7 is the
drop-in fork of 1.6 (only the command name changes). This test builds the site with it, the same
way the ``built_site`` fixture builds it with ``mkdocs`` (strict, cwd = repository root,
``NO_MKDOCS_2_WARNING=1``, the same ``SOURCE_DATE_EPOCH``), and requires the two outputs to be
equal file by file. The only thing normalized is the ``<meta name="generator">`` tag, which names
the tool that built the page. Sitemaps (``sitemap.xml`` and its ``.gz``) must be byte-identical:
their dates come from ``SOURCE_DATE_EPOCH``. ``make test`` runs this, so CI checks it on every
pull request.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFTEST = ROOT / "tests" / "conftest.py"

# Material's base.html writes `<meta name="generator" content="mkdocs-<version>, mkdocs-material-<version>">`;
# ProperDocs reports itself there as "mkdocs-ProperDocs <version>".
GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')
GENERATOR_PLACEHOLDER = b'<meta name="generator" content="(normalized)">'


def shared_source_date_epoch(config: pytest.Config) -> str:
    """The SOURCE_DATE_EPOCH that tests/conftest.py gives the ``built_site`` build."""
    for plugin in config.pluginmanager.get_plugins():
        path = getattr(plugin, "__file__", None)
        if path and Path(path).resolve() == CONFTEST:
            return str(plugin.SOURCE_DATE_EPOCH)
    raise AssertionError(f"{CONFTEST} is not loaded as a conftest plugin")


def properdocs_build(site_dir: Path, source_date_epoch: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=source_date_epoch)
    return subprocess.run(
        [str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml", "-d", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def normalize(relative: str, data: bytes) -> bytes:
    if relative.endswith(".html"):
        return GENERATOR_META.sub(GENERATOR_PLACEHOLDER, data)
    return data


def files_under(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    try:
        lines_a, lines_b = a.decode().splitlines(), b.decode().splitlines()
    except UnicodeDecodeError:
        return f"binary files differ ({len(a)} vs {len(b)} bytes)"
    diff = list(difflib.unified_diff(lines_a, lines_b, "mkdocs", "properdocs", n=0, lineterm=""))
    return "\n".join(line[:300] for line in diff[:8])


def compare_sites(expected: Path, actual: Path) -> list[str]:
    """Differences between two built sites, ignoring only the generator meta tag; [] = same."""
    problems: list[str] = []
    left, right = files_under(expected), files_under(actual)
    for name in sorted(left.keys() - right.keys()):
        problems.append(f"only in the mkdocs build: {name}")
    for name in sorted(right.keys() - left.keys()):
        problems.append(f"only in the properdocs build: {name}")
    for name in sorted(left.keys() & right.keys()):
        a = normalize(name, left[name].read_bytes())
        b = normalize(name, right[name].read_bytes())
        if a != b:
            problems.append(f"{name} differs:\n{first_difference(a, b)}")
    return problems


@pytest.fixture(scope="module")
def properdocs_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("properdocs") / "site"
    result = properdocs_build(site_dir, shared_source_date_epoch(request.config))
    assert result.returncode == 0, f"properdocs build --strict failed:\n{result.stderr}"
    return site_dir


# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_properdocs_builds_the_same_site_as_mkdocs(built_site: Path, properdocs_site: Path) -> None:
    assert (built_site / "index.html").is_file()
    problems = compare_sites(built_site, properdocs_site)
    assert problems == [], "\n".join(problems[:20])


@pytest.mark.slow
def test_the_two_builds_really_come_from_different_tools(built_site: Path, properdocs_site: Path) -> None:
    # Guards the comparison above: each page has exactly one generator tag, and they differ.
    page = "index.html"
    mk = GENERATOR_META.findall((built_site / page).read_bytes())
    pd = GENERATOR_META.findall((properdocs_site / page).read_bytes())
    assert len(mk) == 1 and len(pd) == 1
    assert mk[0].startswith(b'<meta name="generator" content="mkdocs-1.6.1')
    assert b"ProperDocs 1.6.7" in pd[0]


@pytest.mark.slow
def test_sitemaps_are_byte_identical(
    request: pytest.FixtureRequest, built_site: Path, properdocs_site: Path
) -> None:
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (built_site / name).read_bytes() == (properdocs_site / name).read_bytes(), name
    # MkDocs lists pages only when site_url is set; each <lastmod> is the UTC date of
    # SOURCE_DATE_EPOCH (mkdocs/utils/__init__.py, get_build_date), never the build day.
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    day = datetime.fromtimestamp(int(shared_source_date_epoch(request.config)), tz=timezone.utc)
    lastmods = re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)
    assert sitemap.count("<url>") == len(lastmods)
    assert set(lastmods) <= {day.strftime("%Y-%m-%d")}


def test_comparison_ignores_only_the_generator_tag(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for site, generator, body in (
        (a, "mkdocs-1.6.1, mkdocs-material-9.8.2", "<p>Planificador</p>"),
        (b, "mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2", "<p>Planificador</p>"),
    ):
        (site / "x").mkdir(parents=True)
        (site / "x" / "index.html").write_text(
            f'<head><meta name="generator" content="{generator}"></head>{body}', encoding="utf-8"
        )
        (site / "sitemap.xml").write_text("<lastmod>2023-11-14</lastmod>", encoding="utf-8")
    assert compare_sites(a, b) == []

    (b / "x" / "index.html").write_text(
        '<head><meta name="generator" content="x"></head><p>Programador</p>', encoding="utf-8"
    )
    (b / "sitemap.xml").write_text("<lastmod>2026-11-26</lastmod>", encoding="utf-8")
    (b / "extra.js").write_text("", encoding="utf-8")
    problems = compare_sites(a, b)
    assert [p.split(":")[0].split(" differs")[0] for p in problems] == [
        "only in the properdocs build",
        "sitemap.xml",
        "x/index.html",
    ]
    assert "+<head><meta name=\"generator\" content=\"(normalized)\"></head><p>Programador</p>" in problems[2]


def test_generator_tag_is_not_normalized_outside_html() -> None:
    data = b'<meta name="generator" content="mkdocs-1.6.1">'
    assert normalize("feed.xml", data) == data
    assert normalize("a/index.html", data) == GENERATOR_PLACEHOLDER
