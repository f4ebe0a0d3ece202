"""The learning path: Inicio offers the route, the nav follows it, and every page but the last ends with «Siguiente»."""

from __future__ import annotations

from pathlib import Path

import yaml

from support.built_html import between, select

ROOT = Path(__file__).resolve().parents[2]

#: The route of issue #10: Arquitectura → De kubectl apply → the components → Cuando un nodo falla → Ejercicios.
ROUTE_HEAD = ["index.md", "arquitectura.md", "recorridos/de-kubectl-apply-a-contenedor.md"]
ROUTE_TAIL = ["recorridos/cuando-un-nodo-falla.md", "ejercicios.md"]
COLLABORATORS = ["fidelidad.md", "contribuir.md"]


def _nav() -> list:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["nav"]


def _flat(item: object) -> list[str]:
    if isinstance(item, str):
        return [item] if item.endswith(".md") else []
    if isinstance(item, dict):
        return [p for v in item.values() for p in _flat(v)]
    if isinstance(item, list):
        return [p for v in item for p in _flat(v)]
    return []


def _url(md: str) -> str:
    return "" if md == "index.md" else md.removesuffix(".md") + "/"


def test_nav_follows_the_route():
    pages = _flat(_nav())
    components = [p for p in pages if p.startswith(("plano-de-control/", "nodos/"))]
    assert len(components) == 9
    i = len(ROUTE_HEAD)
    assert pages[:i] == ROUTE_HEAD
    assert pages[i:i + len(components)] == components
    assert pages[i + len(components):i + len(components) + len(ROUTE_TAIL)] == ROUTE_TAIL
    sections = {k: v for entry in _nav() for k, v in entry.items()}
    assert _flat(sections["Para colaboradores"]) == COLLABORATORS == pages[-2:]
    assert not any("Qué tan" in k for k in sections)


def _next_link(html: str) -> tuple[str, str] | None:
    """Material's «Siguiente» link in the footer: (href, aria-label), or None on the last page."""
    found = [(str(a.get("href") or ""), str(a.get("aria-label") or "")) for a in select(html, "a.md-footer__link--next")]
    return found[0] if found else None


def _page(site: Path, md: str) -> str:
    return (site / _url(md) / "index.html").read_text(encoding="utf-8")


def test_every_page_ends_with_siguiente_in_route_order(built_site):
    pages = _flat(_nav())
    for here, nxt in zip(pages, pages[1:]):
        link = _next_link(_page(built_site, here))
        assert link is not None, f"{here}: no «Siguiente»"
        href, label = link
        assert label.startswith("Siguiente: "), (here, label)
        assert _resolve(_url(here), href) == _url(nxt), (here, href, nxt)
    assert _next_link(_page(built_site, pages[-1])) is None


def _resolve(base: str, href: str) -> str:
    parts = [p for p in base.split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + "/" if parts else ""


def test_inicio_offers_the_route_in_order(built_site):
    html = _page(built_site, "index.md")
    section = between(html, "por-donde-empezar", "como-se-calculan-los-ejemplos")
    hrefs = [str(a["href"]) for a in section if a.name == "a" and a.get("href") and "#" not in str(a["href"])]
    route = [_url(p) for p in ROUTE_HEAD[1:]] + [_url(p) for p in ROUTE_TAIL]
    positions = [hrefs.index(u) for u in route]
    assert positions == sorted(positions)
    assert "Para quién es" in html and "«Siguiente»" in html
