"""Every page carries its own description, Open Graph tags and an edit link; the 404 page is Spanish."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def nav_pages() -> list[str]:
    """Markdown files listed in mkdocs.yml's nav (the !ENV tag is irrelevant here)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    found: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, str) and item.endswith(".md"):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(config["nav"])
    return found


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(match.group(1)) if match else {}


def built_page(site: Path, src: str) -> str:
    rel = "index.html" if src == "index.md" else src.removesuffix(".md") + "/index.html"
    return (site / rel).read_text(encoding="utf-8")


def meta(page_html: str, attr: str, name: str) -> str | None:
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', page_html)
    return html.unescape(match.group(1)) if match else None


def test_every_page_has_its_own_description_in_meta_and_open_graph(built_site: Path) -> None:
    pages = nav_pages()
    assert len(pages) >= 15
    descriptions = set()
    for src in pages:
        description = front_matter(ROOT / "docs" / src).get("description")
        assert description, f"{src} has no `description:` in its front matter"
        page_html = built_page(built_site, src)
        assert meta(page_html, "name", "description") == description, src
        assert meta(page_html, "property", "og:description") == description, src
        assert meta(page_html, "property", "og:locale") == "es_ES", src
        descriptions.add(description)
    assert len(descriptions) == len(pages), "two pages share a description"


def test_every_page_links_to_its_source_for_editing(built_site: Path) -> None:
    for src in nav_pages():
        page_html = built_page(built_site, src)
        assert f'href="https://github.com/k8sdocs/k8sdocs/edit/main/docs/{src}"' in page_html, src


def test_404_page_is_in_spanish(built_site: Path) -> None:
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>404: página no encontrada</h1>" in page
    assert "Not found" not in page
