"""MkDocs hooks for the k8sdocs site (declared in mkdocs.yml under ``hooks:``).

Three small jobs, all at build time, none touching the cluster model:

1. Serve the top-level ``imagenes/`` folder as if it were inside ``docs/`` (pages write
   ``![…](imagenes/x.svg)``), so the images stay where GitHub renders them next to the README.
2. Ship Mermaid from ``node_modules`` (pinned in package.json, installed by ``npm ci``) as the
   generated file ``javascripts/mermaid.min.js``. mkdocs.yml loads it with ``extra_javascript``,
   so Material never fetches ``https://unpkg.com/mermaid@11`` (docs-stack.md §3). Missing file:
   the build stops and says how to install it.
3. Give GitHub-style alerts (``> [!NOTE]``, rendered by ``pymdownx.quotes`` with
   ``callouts: true``) and untitled admonitions a Spanish title. ``pymdownx.quotes`` titles an
   alert with ``alert[0].title()`` (pymdownx/quotes.py, QuotesProcessor.run) and ``admonition``
   with ``klass.capitalize()``, both English. Writing ``> [!NOTE] Nota`` would break GitHub's
   rendering of the source, which needs ``[!NOTE]`` alone on its line.

MkDocs caches hook modules (mkdocs/mkdocs#3993): restart ``mkdocs serve`` after editing this file.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from k8sdocs import playground

IMAGES_DIR = "imagenes"
MERMAID_SRC = Path("node_modules/mermaid/dist/mermaid.min.js")
MERMAID_URI = "javascripts/mermaid.min.js"

# Spanish title for each admonition type that Material styles (material/templates/assets/
# stylesheets/main.*.css: note, abstract, info, tip, success, question, warning, failure,
# danger, bug, example, quote and their aliases) plus GitHub's IMPORTANT and CAUTION.
SPANISH_TITLES: dict[str, str] = {
    "note": "Nota",
    "abstract": "Resumen",
    "summary": "Resumen",
    "tldr": "Resumen",
    "info": "Información",
    "todo": "Pendiente",
    "tip": "Consejo",
    "hint": "Pista",
    "important": "Importante",
    "success": "Correcto",
    "check": "Comprobado",
    "done": "Hecho",
    "question": "Pregunta",
    "help": "Ayuda",
    "faq": "Preguntas frecuentes",
    "warning": "Advertencia",
    "caution": "Precaución",
    "attention": "Atención",
    "failure": "Fallo",
    "fail": "Fallo",
    "missing": "Falta",
    "danger": "Peligro",
    "error": "Error",
    "bug": "Fallo de software",
    "example": "Ejemplo",
    "quote": "Cita",
    "cite": "Cita",
}


def spanish_title(classes: list[str], title: str) -> str | None:
    """Return the Spanish title when ``title`` is the English default of one of ``classes``."""
    key = title.strip().lower()
    if key in SPANISH_TITLES and key in classes:
        return SPANISH_TITLES[key]
    return None


class SpanishAdmonitionTitles(Treeprocessor):
    """Replace default English titles (``Note``) by Spanish ones (``Nota``); keep custom titles."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            classes = element.get("class", "").split()
            if element.tag == "div" and "admonition" in classes:
                title_tag, title_class = "p", "admonition-title"
            elif element.tag == "details":
                title_tag, title_class = "summary", None
            else:
                continue
            first = element.find("*")
            if first is None or first.tag != title_tag or len(first) or first.text is None:
                continue
            if title_class and title_class not in first.get("class", "").split():
                continue
            replacement = spanish_title(classes, first.text)
            if replacement is not None:
                first.text = replacement


class SpanishAdmonitionTitlesExtension(Extension):
    """Markdown extension wrapper; runs after pymdownx.quotes' tree processor (priority 19.99)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(SpanishAdmonitionTitles(md), "k8sdocs_spanish_titles", 5)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Add the Spanish-titles extension once (serve reloads the config on every rebuild)."""
    if not any(isinstance(ext, SpanishAdmonitionTitlesExtension) for ext in config.markdown_extensions):
        config.markdown_extensions.append(SpanishAdmonitionTitlesExtension())
    return config


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _locked_npm_version(root: Path, package: str) -> str | None:
    """Version of ``package`` that package-lock.json pins (None when there is no lock entry)."""
    lock = root / "package-lock.json"
    if not lock.is_file():
        return None
    entry = json.loads(lock.read_text(encoding="utf-8")).get("packages", {}).get(f"node_modules/{package}")
    return entry.get("version") if entry else None


def mermaid_file(root: Path) -> Path:
    """Path of the vendored Mermaid bundle; raises PluginError with the fix when it is unusable."""
    source = root / MERMAID_SRC
    if not source.is_file():
        raise PluginError(
            f"k8sdocs/hooks.py: falta {MERMAID_SRC.as_posix()} (Mermaid, fijado en package.json), "
            "que el sitio publica en lugar de pedirlo a unpkg.com. "
            "Instálalo con `npm ci` o ejecuta `make serve` / `make test`, que lo instalan."
        )
    locked = _locked_npm_version(root, "mermaid")
    installed_manifest = root / "node_modules/mermaid/package.json"
    if locked and installed_manifest.is_file():
        installed = json.loads(installed_manifest.read_text(encoding="utf-8")).get("version")
        if installed != locked:
            raise PluginError(
                f"k8sdocs/hooks.py: node_modules tiene mermaid {installed}, pero package-lock.json fija {locked}. "
                "Ejecuta `npm ci` (o `make serve` / `make test`)."
            )
    return source


def image_files(root: Path) -> list[tuple[str, Path]]:
    """(site URI, source path) for every file under imagenes/, sorted so builds are reproducible."""
    folder = root / IMAGES_DIR
    if not folder.is_dir():
        return []
    paths = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    return [(f"{IMAGES_DIR}/{p.relative_to(folder).as_posix()}", p) for p in paths]


@event_priority(100)  # before any plugin that snapshots the file list (docs-stack.md §7, §8)
def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    root = _project_root(config)
    generated = [*image_files(root), (MERMAID_URI, mermaid_file(root))]
    for uri, source in generated:
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"k8sdocs/hooks.py: docs/{uri} tapa el archivo generado desde {source}; bórralo de docs/.")
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    try:  # the playground's Pyodide and Python bundle (k8sdocs/playground.py)
        extra = playground.site_files(config)
    except playground.AssetError as err:
        raise PluginError(f"k8sdocs/playground.py: {err}") from None
    for file in extra:
        if files.get_file_from_path(file.src_uri) is not None:
            raise PluginError(f"k8sdocs/hooks.py: docs/{file.src_uri} tapa un archivo generado; bórralo de docs/.")
        files.append(file)
    return files


# Material renders a diagram only where a ``pre.mermaid`` block exists and loads Mermaid lazily
# (docs-stack.md §3), so a page without diagrams never needs the 3.5 MB bundle: Lighthouse measured
# 160-590 ms of blocked main thread from it on every page (bench/README.md).
_MERMAID_SCRIPT = re.compile(r'<script src="[^"]*' + re.escape(MERMAID_URI) + r'"></script>\n?')
# Material's search dialog has no accessible name (axe aria-dialog-name, reported by Lighthouse).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, **_: Any) -> str:
    """Drop the Mermaid script from pages without a diagram; name the search dialog in Spanish."""
    if 'class="mermaid"' not in output:
        output = _MERMAID_SCRIPT.sub("", output)
    output = playground.strip_page_script(output)
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Búsqueda">')


def on_post_template(output_content: str, **_: Any) -> str:
    """The same for theme templates rendered without a page (404.html)."""
    return on_post_page(output_content)
