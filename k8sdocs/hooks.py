"""MkDocs hooks for the k8sdocs site (declared in mkdocs.yml under ``hooks:``).

Four small jobs, all at build time, none touching the cluster model:

1. Serve the top-level ``imagenes/`` folder as if it were inside ``docs/`` (pages write
   ``![…](imagenes/x.svg)``), so the images stay where GitHub renders them next to the README.
2. Keep diagrams static: they are SVG drawn at build time by ``k8sdocs/render/`` (no Mermaid, no
   diagram JavaScript). A ```` ```mermaid ```` fence fails the build with one line naming the page: the
   site ships no Mermaid, and Material would otherwise fetch it from ``unpkg.com`` (docs-stack.md §3).
3. Write every inline diagram also as a standalone file ``diagramas/<id>.svg`` and link it under the
   diagram ("Abrir el diagrama a tamaño completo"), for readers who want it in a tab of its own.
4. Give GitHub-style alerts (``> [!NOTE]``, rendered by ``pymdownx.quotes`` with
   ``callouts: true``) and untitled admonitions a Spanish title. ``pymdownx.quotes`` titles an
   alert with ``alert[0].title()`` (pymdownx/quotes.py, QuotesProcessor.run) and ``admonition``
   with ``klass.capitalize()``, both English. Writing ``> [!NOTE] Nota`` would break GitHub's
   rendering of the source, which needs ``[!NOTE]`` alone on its line.

MkDocs caches hook modules (mkdocs/mkdocs#3993): ``make serve`` (k8sdocs/serve.py) restarts MkDocs when this file changes.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

import k8sdocs.report  # noqa: F401  (loaded with mkdocs.yml: hides mkdocs-macros' chatter from the start)
from k8sdocs import collector, playground
from k8sdocs.cache import cache_base
from k8sdocs.jinjacache import on_env  # noqa: F401  (MkDocs event: compiled templates reused under serve)

IMAGES_DIR = "imagenes"
DIAGRAMS_DIR = "diagramas"
# What mkdocs-macros' get_git_info() answers outside a git checkout (mkdocs_macros/context.py).
NO_GIT_INFO = {"status": False, "date": None}


def skip_macros_git_info() -> bool:
    """mkdocs-macros runs up to 13 ``git`` commands on every build and every ``make serve`` rebuild (0.1–0.5 s of
    wall time on this machine) to fill its ``git`` page variable, which k8sdocs/macros.py removes from every page
    (``UNSAFE_VARIABLES``): answer "no git" without running them. Only when the macros plugin is loaded (MkDocs
    loads plugins before hooks); a build without it does not import mkdocs-macros for this."""
    context = sys.modules.get("mkdocs_macros.context")
    if context is None or not hasattr(context, "get_git_info"):
        return False
    context.__dict__["get_git_info"] = lambda: dict(NO_GIT_INFO)
    return True


skip_macros_git_info()

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
        # MkDocs types the option as names, but hands the list to markdown.Markdown(extensions=...),
        # which also takes Extension instances
        config.markdown_extensions.append(SpanishAdmonitionTitlesExtension())  # type: ignore[arg-type]
    return config


def on_pre_build(config: MkDocsConfig, **_: Any) -> None:
    """Before MkDocs walks docs/ (following symlinks): no symlink under docs/, imagenes/ or overrides/ may lead
    outside those folders, or the build would copy a file of the build machine into the site (issue 15). Then
    what lives through the build leaves the collector's scans (k8sdocs/collector.py)."""
    from k8sdocs.model.confine import ConfinementError, check_tree  # pure path checks, no model code

    collector.freeze()

    root = _project_root(config)
    allowed = [Path(config.docs_dir), root / IMAGES_DIR, root / "overrides"]
    for folder, label in ((Path(config.docs_dir), "docs"), (root / IMAGES_DIR, IMAGES_DIR), (root / "overrides", "overrides")):
        try:
            check_tree(folder, allowed, label)
        except ConfinementError as err:
            raise PluginError(f"k8sdocs/hooks.py: {err}") from None


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


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
    for uri, source in image_files(root):
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"k8sdocs/hooks.py: docs/{uri} tapa el archivo generado desde {source}; bórralo de docs/.")
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    try:  # the playground's Pyodide and Python bundle (k8sdocs/playground.py), rebuilt only when its inputs change
        extra = playground.site_files(config, cache_dir=cache_base(root))
    except playground.AssetError as err:
        raise PluginError(f"k8sdocs/playground.py: {err}") from None
    for file in extra:
        if files.get_file_from_path(file.src_uri) is not None:
            raise PluginError(f"k8sdocs/hooks.py: docs/{file.src_uri} tapa un archivo generado; bórralo de docs/.")
        files.append(file)
    return files


# Material's search dialog has no accessible name (axe aria-dialog-name, reported by Lighthouse).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
# A Mermaid fence, with the custom fence (pre.mermaid) or as plain highlighted code (language-mermaid).
_MERMAID_FENCE = re.compile(r'<pre class="mermaid"|class="[^"]*\blanguage-mermaid\b|<div class="mermaid"')
# An inline diagram drawn by k8sdocs/render/svg.py (svg_document), up to its closing tag.
_INLINE_DIAGRAM = re.compile(r'(<svg xmlns="http://www.w3.org/2000/svg" class="k8s-svg[^"]*"[^>]*'
                             r'data-k8s-diagram="(k8s-[a-z]+-[0-9a-f]+)">.*?</svg>\n</div>)', re.S)


# Identifiers and paths inside tables may break only after these characters (and after "_", written &#95; by
# render/markdown.py code(), the snake_case word boundary), never mid-word: the stylesheet
# sets word-break: normal on table code, and <wbr> marks where a line may end (scheduler/fit_filter.yaml,
# /registry/endpointslices/default/web, disktype=ssd, 10.244.0.2:80).
_BREAK_AFTER = re.compile(r"([/.=_-]|&#95;)(?=[^\s&<])")
_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_TEXT = re.compile(r">([^<]+)<")


def identifier_breaks(html: str) -> str:
    """Add ``<wbr>`` after ``/ . - = _`` in the text of every table (outside tags; entities left whole)."""
    def text(match: re.Match[str]) -> str:
        return ">" + _BREAK_AFTER.sub(r"\1<wbr>", match.group(1)) + "<"

    return _TABLE.sub(lambda table: _TEXT.sub(text, table.group(0)), html)


# A fence opening a Mermaid block in Markdown: ```mermaid, ~~~ mermaid, ``` {.mermaid}, ```mermaid title="x"...
_MERMAID_MARKDOWN = re.compile(r"^ {0,3}(?:`{3,}|~{3,})\s*\{?\s*\.?mermaid\b", re.M | re.I)


def _refuse_mermaid(page: Any) -> None:
    raise PluginError(
        f"k8sdocs: {page.file.src_path}: bloque ```mermaid: el sitio no publica Mermaid; dibuja el diagrama con "
        "k8sdocs/render/ (sequence_svg, flowchart_svg o la macro diagrama_cadena)"
    )


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Refuse a Mermaid fence: diagrams are drawn at build time by k8sdocs/render/ (Material would fetch Mermaid
    from unpkg.com for a pre.mermaid block)."""
    if _MERMAID_MARKDOWN.search(markdown):
        _refuse_mermaid(page)
    return markdown


# Pygments wraps every run of whitespace in code in <span class="w">, a class no stylesheet styles (Material 9.8
# colours .w nowhere): a third of the elements of a page of YAML (kube-scheduler: ~300 of ~900 spans), each one
# styled again on every full style recalculation (issue 10, item 7: Lighthouse mobile). The bare whitespace looks,
# copies and searches the same.
_WHITESPACE_SPAN = re.compile(r'<span class="w">(\s*)</span>')


def bare_whitespace(html: str) -> str:
    """Replace each whitespace-only highlight span (``<span class="w">  </span>``) by its whitespace."""
    return _WHITESPACE_SPAN.sub(r"\1", html)


# Material's JavaScript wraps every `table:not([class])` in `.md-typeset__scrollwrap > .md-typeset__table` when the
# page loads (mountDataTable, material/templates/assets/javascripts/components/content/table: the table is taken out
# of the page and put back, so the browser styles and lays it out again): a quarter to a third of the style work of
# a table-heavy page on a phone (issue 10, item 7: Lighthouse mobile). The same wrapper written here, with the class
# `k8s-table` so that Material's script passes the table by; docs/stylesheets/k8sdocs.css gives `.k8s-table` the
# rules Material gives `table:not([class])`.
TABLE_CLASS = "k8s-table"
# The body may not hold another <table> (raw HTML can nest them): an outer table is left to Material's script.
_BARE_TABLE = re.compile(r"<table((?:\s+(?!class\b)[a-z-]+(?:=\"[^\"]*\")?)*)\s*>((?:(?!<table\b).)*?)</table>", re.S)


def wrapped_tables(html: str) -> str:
    """Wrap each table without a class in Material's scroll wrapper and give it :data:`TABLE_CLASS`."""
    return _BARE_TABLE.sub(
        lambda m: f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="{TABLE_CLASS}"'
                  f'{m.group(1)}>{m.group(2)}</table></div></div>', html)


def on_page_content(html: str, page: Any, **_: Any) -> str:
    """Refuse Mermaid blocks however they were made; let table identifiers break cleanly; unwrap whitespace spans;
    wrap tables as Material's script would."""
    if _MERMAID_FENCE.search(html):
        _refuse_mermaid(page)
    return wrapped_tables(bare_whitespace(identifier_breaks(html)))


def _site_prefix(page: Any) -> str:
    """Relative path from a page's URL to the site root (``a/b/`` -> ``../../``)."""
    return "../" * (getattr(page, "url", "") or "").count("/")


def standalone_diagrams(output: str, prefix: str) -> tuple[str, dict[str, str]]:
    """Link each inline diagram to its standalone file; returns the page and {file name: SVG text}."""
    files: dict[str, str] = {}

    def link(match: re.Match[str]) -> str:
        block, ident = match.group(1), match.group(2)
        svg = block[: block.rindex("</svg>") + len("</svg>")]
        name = f"{ident}.svg"
        files[name] = '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
        href = f"{prefix}{DIAGRAMS_DIR}/{name}"
        return (block + f'\n<figcaption><a class="k8s-diagram__open" href="{href}">'
                "Abrir el diagrama a tamaño completo</a></figcaption>")

    return _INLINE_DIAGRAM.sub(link, output), files


def on_post_page(output: str, page: Any = None, config: MkDocsConfig | None = None, **_: Any) -> str:
    """Link and write the standalone diagram files; name the search dialog in Spanish."""
    if page is not None and config is not None:
        output, files = standalone_diagrams(output, _site_prefix(page))
        folder = Path(config.site_dir) / DIAGRAMS_DIR
        for name, svg in sorted(files.items()):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(svg, encoding="utf-8")
    output = playground.strip_page_script(output)
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Búsqueda">')


def on_post_template(output_content: str, **_: Any) -> str:
    """The same for theme templates rendered without a page (404.html)."""
    return on_post_page(output_content)


def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    """The build's objects go back to the collector (k8sdocs/collector.py): under serve, before the next build."""
    collector.release()


def on_build_error(error: Exception, **_: Any) -> None:
    collector.release()
