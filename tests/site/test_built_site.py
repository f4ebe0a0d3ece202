"""What the strict build of the real site contains (one build per session: ``built_site``)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest

from support.built_html import admonition_titles, external_resources, html_lang, resources, text_of

ROOT = Path(__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"
FIGURE = "imagenes/03-arquitectura-general.svg"

# The eight components of kubernetes/website content/en/docs/concepts/overview/components.md
# (control plane: kube-apiserver, etcd, kube-scheduler, kube-controller-manager,
# cloud-controller-manager; node: kubelet, kube-proxy, container runtime), as the page names them.
COMPONENTS = (
    "kube-apiserver",
    "etcd",
    "kube-scheduler",
    "kube-controller-manager",
    "cloud-controller-manager",
    "kubelet",
    "kube-proxy",
    "entorno de ejecución de contenedores",
)

# Default (English) titles that admonition / pymdownx.quotes / pymdownx.details print for an
# untitled block: ``klass.capitalize()`` and ``alert[0].title()``. "Error" is also Spanish.
ENGLISH_TITLES = {
    "Note", "Abstract", "Summary", "Tldr", "Info", "Todo", "Tip", "Hint", "Important", "Success",
    "Check", "Done", "Question", "Help", "Faq", "Warning", "Caution", "Attention", "Failure", "Fail",
    "Missing", "Danger", "Bug", "Example", "Quote", "Cite",
}


def article_text(path: Path) -> str:
    """The article's text as a reader sees it (whitespace collapsed)."""
    return text_of(path.read_text(encoding="utf-8"))


def page_resources(path: Path) -> list[tuple[str, str]]:
    return resources(path.read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_site_has_the_pages_of_the_nav(built_site: Path) -> None:
    assert (built_site / "index.html").is_file()
    assert (built_site / "arquitectura" / "index.html").is_file()


@pytest.mark.parametrize("component", COMPONENTS)
def test_architecture_page_names_each_component(built_site: Path, component: str) -> None:
    text = article_text(built_site / "arquitectura" / "index.html")
    assert component.lower() in text.lower()


def test_architecture_page_has_both_kinds_of_node(built_site: Path) -> None:
    text = article_text(built_site / "arquitectura" / "index.html")
    assert "Plano de control" in text and "(control plane;" in text
    assert "Nodos de trabajo" in text and "(worker nodes)" in text


def test_architecture_page_fixes_the_seed_typos(built_site: Path) -> None:
    text = article_text(built_site / "arquitectura" / "index.html")
    typos = ["clsuter", "Cointainer", "conteinerd", "esten", "comunicacion", "garantian", "par entornos", "mas",
             "division", "tambien"]
    assert [t for t in typos if re.search(rf"\b{t}\b", text)] == []
    assert "Créditos" not in text and "pabpereza" not in text  # the seed's borrowed image is not used


def test_figure_is_shipped_and_linked_from_the_page(built_site: Path) -> None:
    page = built_site / "arquitectura" / "index.html"
    images = [url for kind, url in page_resources(page) if kind == "img[src]"]
    assert "../" + FIGURE in images
    shipped = built_site / FIGURE
    assert shipped.read_bytes() == (ROOT / FIGURE).read_bytes()


def test_figure_is_valid_svg_with_spanish_title_and_desc(built_site: Path) -> None:
    root = etree.parse(built_site / FIGURE).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox")
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert title is not None and "clúster de Kubernetes" in (title.text or "")
    assert desc is not None and "plano de control" in (desc.text or "") and "nodos de trabajo" in (desc.text or "")


def test_figure_writes_every_component_as_text(built_site: Path) -> None:
    root = etree.parse(built_site / FIGURE).getroot()
    texts = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG_NS}text")]
    for name in COMPONENTS[:7]:
        assert name in texts, name
    assert "Entorno de ejecución" in texts and "de contenedores" in texts
    assert texts.count("kubelet") >= 2 and texts.count("kube-proxy") >= 2, "two or more worker nodes"
    assert any(t.startswith("Nodo de trabajo 2") for t in texts)
    assert "Plano de control (control plane)" in texts


def test_figure_is_self_contained(built_site: Path) -> None:
    source = (built_site / FIGURE).read_text(encoding="utf-8")
    assert "@import" not in source and "@font-face" not in source
    assert "<image" not in source and "href=\"http" not in source
    assert set(re.findall(r"font-family[:=]\s*\"?([\w\- ,]+)", source)) == {"sans-serif"}
    # A light card behind everything: readable on Material's light and dark (slate) schemes.
    root = etree.fromstring(source)
    card = root.find(f"{SVG_NS}rect")
    assert card is not None and card.get("fill") == "#f8f9fb"
    assert (card.get("width"), card.get("height")) == ("998", "788")


def test_note_keeps_github_syntax_in_source_and_renders_as_nota(built_site: Path) -> None:
    source = (ROOT / "docs" / "arquitectura.md").read_text(encoding="utf-8")
    assert re.search(r"^> \[!NOTE\]$", source, re.MULTILINE), "GitHub needs [!NOTE] alone on its line"
    html = (built_site / "arquitectura" / "index.html").read_text(encoding="utf-8")
    assert '<div class="admonition note">\n<p class="admonition-title">Nota</p>' in html


def test_no_english_admonition_title_anywhere(built_site: Path) -> None:
    found = {
        (str(page.relative_to(built_site)), title.strip())
        for page in html_pages(built_site)
        for title in admonition_titles(page.read_text(encoding="utf-8"))
        if title.strip() in ENGLISH_TITLES
    }
    assert found == set()


def test_external_resource_check_can_fail() -> None:
    page = (
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<link rel="canonical" href="https://example.org/">'
        '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>'
        '<script src="../assets/javascripts/bundle.js"></script>'
        '<img src="data:image/png;base64,AAAA"><img src="//cdn.example/x.png">'
        '<iframe src="https://www.youtube.com/embed/x"></iframe>'
    )
    assert [url for _, url in external_resources(page)] == [
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
        "//cdn.example/x.png",
        "https://www.youtube.com/embed/x",
    ]


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    pages = html_pages(built_site)
    assert len(pages) >= 3  # index, arquitectura, 404
    external = [
        (str(page.relative_to(built_site)), kind, url)
        for page in pages for kind, url in external_resources(page.read_text(encoding="utf-8"))
    ]
    assert external == []


def test_no_page_ships_mermaid_and_every_diagram_is_inline_svg(built_site: Path) -> None:
    """Diagrams are drawn at build time: no Mermaid script or block anywhere, text readable without JavaScript."""
    assert not (built_site / "javascripts" / "mermaid.min.js").exists()
    with_diagram = 0
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        scripts = [url for kind, url in resources(html) if kind == "script[src]"]
        assert not any("mermaid" in url for url in scripts), page
        assert 'class="mermaid"' not in html and "language-mermaid" not in html, page
        with_diagram += '<figure class="k8s-diagram">' in html
    assert with_diagram >= 7  # kube-apiserver, etcd... every page that had a Mermaid diagram


def test_diagram_frames_render_lazily_at_their_size_and_code_has_no_whitespace_spans(built_site: Path) -> None:
    """Issue 10, item 7 (Lighthouse mobile): each diagram frame is skipped off screen (content-visibility: auto)
    and holds its drawing's size meanwhile; Pygments' unstyled whitespace spans are gone. Tables and code blocks
    are never skipped: axe (scrollable-region-focusable, color-contrast) misjudges skipped content."""
    frames = 0
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        for style, width, height in re.findall(
                r'<div class="k8s-diagram__scroll"[^>]*? style="([^"]*)">\n<svg [^>]*?width="([0-9.]+)" height="([0-9.]+)"', html):
            assert style == f"content-visibility:auto;contain-intrinsic-size:auto {width}px auto {height}px", page
            frames += 1
        assert html.count('class="k8s-diagram__scroll"') == len(re.findall(r'class="k8s-diagram__scroll"[^>]*content-visibility', html)), page
        assert '<span class="w">' not in html, page
        assert "content-visibility" not in html.replace('style="content-visibility:auto;contain-intrinsic-size', ""), page
    assert frames >= 7


def test_every_content_table_is_wrapped_at_build_time_and_code_blocks_mount_lazily(built_site: Path) -> None:
    """Issue 10, item 7 (Lighthouse mobile): no article table is left for Material's script to take out of the page
    and put back (`table:not([class])`); each sits in Material's wrapper with the class k8s-table; and Material
    mounts code blocks (copy button, scroll check) only when they come into view (feature content.lazy)."""
    tables = 0
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        article = html[html.index("<article"): html.index("</article>")] if "<article" in html else ""
        assert not re.search(r"<table(?![^>]*\bclass=)[^>]*>", article), page
        found = re.findall(r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="k8s-table"', article)
        assert len(found) == article.count('class="k8s-table"'), page
        tables += len(found)
        if "__md_scope" in html:
            assert re.search(r'"features": \[[^\]]*"content\.lazy"', html), page
    assert tables >= 50  # 59 on 2026-12-05


def test_material_palette_component_is_replaced_on_every_page(built_site: Path) -> None:
    """overrides/partials/palette.html renames the form so Material's palette component (four restyles of every
    element while a page loads) never mounts; k8sdocs.js runs it, and the colour scheme is set before <body>."""
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        if "md-header__option" not in html:
            continue
        assert 'data-md-component="palette"' not in html and "<form class=\"md-header__option\" data-k8s-palette>" in html, page
        head = html[: html.index("<body")]
        assert head.count('<meta name="color-scheme" content="light">') == 1, page
        assert "javascripts/k8sdocs.js" in html, page


def test_every_diagram_links_its_standalone_file(built_site: Path) -> None:
    """"Abrir el diagrama a tamaño completo": the linked .svg file is the very drawing shown on the page."""
    checked = 0
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        for svg, href in re.findall(r'(<svg xmlns="http://www.w3.org/2000/svg" class="k8s-svg.*?</svg>)\n</div>\n'
                                    r'<figcaption><a class="k8s-diagram__open" href="([^"]+)">', html, re.S):
            target = (page.parent / href).resolve()
            assert target.parent == (built_site / "diagramas").resolve(), href
            assert target.read_text(encoding="utf-8") == '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
            checked += 1
        assert html.count('<figure class="k8s-diagram">') == html.count('class="k8s-diagram__open"'), page
    assert checked >= 10


def test_ui_and_search_are_spanish(built_site: Path) -> None:
    for page in html_pages(built_site):
        assert html_lang(page.read_text(encoding="utf-8")) == "es", page
    html = (built_site / "arquitectura" / "index.html").read_text(encoding="utf-8")
    assert 'title="Enlace permanente a esta sección"' in html
    assert "Cambiar a modo oscuro" in html and "Cambiar a modo claro" in html
    assert "Permanent link" not in html and "Switch to" not in html
    config = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert config["lang"] == ["es"]
    assert "stemmer" not in config["pipeline"]


def test_no_generator_notice_and_no_repository_widget(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Material for MkDocs" not in html
    assert "md-source" not in html  # repo_url unset: no api.github.com calls from readers' browsers
