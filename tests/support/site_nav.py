"""The pages of the site as mkdocs.yml's ``nav:`` lists them (read without running its tags)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (!ENV, !!python/name:...)."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_files(nav: Any) -> list[str]:
    """The Markdown files of a mkdocs.yml ``nav:``, in order (sections flattened, URLs left out)."""
    if isinstance(nav, str):
        return [] if "://" in nav else [nav]
    if isinstance(nav, list):
        return [name for entry in nav for name in nav_files(entry)]
    if isinstance(nav, dict):
        return [name for value in nav.values() for name in nav_files(value)]
    return []


def page_url(markdown_file: str) -> str:
    """The served path of a docs/ file with MkDocs' default use_directory_urls: a/b.md -> /a/b/."""
    stem = markdown_file.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    return "/" + (stem + "/" if stem and not stem.endswith("/") else stem)


CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
NAV_PAGES = [page_url(name) for name in nav_files(CONFIG["nav"])]
