"""The built site works where GitHub Pages serves it: under a sub-path (issue 7, part 1).

A project site lives at ``https://<owner>.github.io/<repo>/``, not at the domain root. MkDocs writes
relative URLs in every page, so those work at any path. The 404 page is different: GitHub Pages
serves ``404.html`` for any missing address, at any depth, so MkDocs writes its links as absolute
paths taken from ``site_url`` (``mkdocs/commands/build.py``, ``_build_theme_template`` uses
``config.site_url`` as the base URL of static templates). Without ``site_url`` those paths start at
the domain root (``/assets/...``), and the 404 page shows up unstyled on a project site.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROOT_ABSOLUTE = re.compile(r'(?:href|src)="(/(?!/)[^"]*)"')


def site_url_from(mkdocs_yml: str) -> str | None:
    """`site_url` of a mkdocs.yml, read as text (it may be an `!ENV [SITE_URL, default]` tag)."""
    for line in mkdocs_yml.splitlines():
        if m := re.match(r"site_url:\s*(.+?)\s*(?:#.*)?$", line):
            value = m.group(1)
            if env := re.match(r'!ENV\s*\[\s*\w+\s*,\s*["\']?([^"\'\]]+)["\']?\s*\]', value):
                return env.group(1)
            return value.strip("\"'")
    return None


def configured_site_url() -> str | None:
    return site_url_from((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_pages_other_than_404_use_only_relative_urls(built_site: Path) -> None:
    pages = [p for p in html_pages(built_site) if p.name != "404.html"]
    assert pages
    offenders = {
        p.relative_to(built_site).as_posix(): ROOT_ABSOLUTE.findall(p.read_text(encoding="utf-8"))
        for p in pages
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.slow
def test_404_page_links_stay_under_the_published_path(built_site: Path) -> None:
    page = (built_site / "404.html").read_text(encoding="utf-8")
    site_url = configured_site_url()
    if site_url is None:
        pytest.skip(
            "mkdocs.yml has no site_url: 404.html links /assets/... at the domain root, which breaks "
            "on a GitHub Pages project site (site_url requested from the owner of mkdocs.yml)"
        )
    base_path = urlsplit(site_url).path.rstrip("/") + "/"
    links = ROOT_ABSOLUTE.findall(page)
    assert links, "404.html should use absolute paths derived from site_url"
    assert [link for link in links if not link.startswith(base_path)] == []


def test_site_url_reader_understands_env_tags() -> None:
    assert site_url_from("site_name: x\n") is None
    assert site_url_from("site_url: https://o.github.io/k8sdocs/  # Pages\n") == "https://o.github.io/k8sdocs/"
    assert site_url_from('site_url: !ENV [SITE_URL, "https://o.github.io/k8sdocs/"]') == "https://o.github.io/k8sdocs/"
    assert site_url_from("  site_url: nested, not top-level") is None


def test_root_absolute_pattern() -> None:
    assert ROOT_ABSOLUTE.findall('<link href="/assets/x.css"><script src="/k8sdocs/j.js">') == [
        "/assets/x.css",
        "/k8sdocs/j.js",
    ]
    assert ROOT_ABSOLUTE.findall('<a href="//cdn.example/x"></a><a href="../x/"></a><a href="https://a/b">') == []
