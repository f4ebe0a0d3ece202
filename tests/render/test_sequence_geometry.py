"""Diagrams a person can read (issue #10, items 1 and 8): the geometry of the drawn SVG, checked from the SVG itself.

For sequence diagrams built here (long labels, many participants, messages to oneself, notes, runs of messages
between one pair, right-to-left arrows) and for EVERY diagram the site's pages show (each page's Markdown rendered
through the content macros, as mkdocs-macros does, without building MkDocs): no label drawn over another label or
over a box or note not its own, no step badge over a label, an arrowhead or another badge, every label inside the
viewBox, text of at least ``MIN_FONT_PX`` at natural size, step numbers 1..N top to bottom as the ``<desc>`` reads
them, and the page's «Paso a paso» list in step with the numbers of its pictures. The measures are in
tests/support/svg_geometry.py.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
import pytest
import yaml

import k8sdocs.render.sequence as sequence
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.registry import content_macros
from k8sdocs.render.sequence import Message, sequence_svg
from support.built_html import diagram_rows, diagrams, list_items, render_markdown, soup
from support.hostile import HOSTILE_STEP
from support.svg_geometry import Geometry, geometry, problems

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
M = Message

LONG = ("GET /api/v1/namespaces/kube-system/pods/un-nombre-de-pod-muy-largo-que-no-cabe-en-una-sola-linea"
        "?watch=true&resourceVersion=123456789&allowWatchBookmarks=true")

CASES: dict[str, tuple[list[str], list[Message], int]] = {
    "long labels, wrapped and capped": (
        ["kubectl", "kube-apiserver", "etcd"],
        [M("kubectl", "kube-apiserver", LONG), M("kube-apiserver", "etcd", LONG * 3),
         M("kube-apiserver", "kubectl", "201 Created " + LONG[:70]), M("kubectl", "etcd", "x" * 200)],
        1,
    ),
    "many participants with long names": (
        [f"kubelet/nodo-de-trabajo-{i}.cluster.local" for i in range(12)],
        [M(f"kubelet/nodo-de-trabajo-{i}.cluster.local", f"kubelet/nodo-de-trabajo-{(i * 5 + 3) % 12}.cluster.local",
           f"mensaje {i} " * (i % 4 + 1)) for i in range(30)],
        1,
    ),
    "notes over the first, a middle and the last participant": (
        ["a", "b", "c"],
        [M("a", "a", "nota sobre el primero, bastante larga para envolver en dos líneas o tres", note=True),
         M("a", "b", "hola"), M("b", "b", "una nota en medio " * 4, note=True), M("b", "c", "sigue"),
         M("c", "c", "nota sobre el último " * 6, note=True), M("c", "a", "vuelve")],
        1,
    ),
    "consecutive messages between the same pair, both ways": (
        ["kube-scheduler", "kube-apiserver"],
        [M("kube-scheduler", "kube-apiserver", f"GET pods ({i})", dashed=i % 2 == 1) for i in range(5)]
        + [M("kube-apiserver", "kube-scheduler", f"ADDED Pod default/web-{i}", dashed=True) for i in range(5)],
        1,
    ),
    "right-to-left arrows across lifelines": (
        ["a", "b", "c", "d"],
        [M("d", "a", "de d a a, cruzando dos líneas de vida con un texto largo"), M("c", "b", "corta"),
         M("d", "c", "d a c " * 10), M("b", "a", "b a a")],
        1,
    ),
    "messages to oneself, first, middle and last lifeline": (
        ["kubelet/node-1", "kube-apiserver", "container-runtime/node-1"],
        [M("kubelet/node-1", "kubelet/node-1", "syncPod default/web-0: calcula las acciones del Pod"),
         M("kubelet/node-1", "kube-apiserver", "GET pods"),
         M("kube-apiserver", "kube-apiserver", "admisión y validación " * 3),
         M("kube-apiserver", "kube-apiserver", "otra vez"),
         M("container-runtime/node-1", "container-runtime/node-1", "descarga la imagen nginx:1.27"),
         M("container-runtime/node-1", "kubelet/node-1", "listo")],
        1,
    ),
    "markup, entities and unbreakable words in labels and names": (
        [HOSTILE_STEP, "kube-apiserver"],
        [M(HOSTILE_STEP, "kube-apiserver", HOSTILE_STEP * 3), M("kube-apiserver", HOSTILE_STEP, "x" * 150),
         M("kube-apiserver", "kube-apiserver", "&amp;<>" * 20, note=True)],
        1,
    ),
    "numbering that continues an earlier diagram": (
        ["a", "b"], [M("a", "b", f"paso {i}") for i in range(12)], 88,
    ),
    "three-digit step numbers, both directions": (
        ["a", "b", "c"],
        [M("a", "b", "ida"), M("c", "a", "vuelta larga " * 4), M("b", "b", "a sí mismo"), M("b", "c", "x")] * 3,
        98,
    ),
}


def check(svg: str, first_number: int | None = 1) -> list[str]:
    return problems(geometry(svg), first_number)


@pytest.mark.parametrize("case", list(CASES))
def test_synthetic_diagrams_are_readable(case: str) -> None:
    participants, messages, first = CASES[case]
    svg = sequence_svg(participants, messages, first_number=first)
    assert check(svg, first) == []
    numbered = [m for m in messages if not m.note]
    assert geometry(svg).numbers == list(range(first, first + len(numbered)))


def test_geometry_is_deterministic() -> None:
    participants, messages, first = CASES["many participants with long names"]
    assert sequence_svg(participants, messages, first_number=first) == sequence_svg(participants, messages,
                                                                                    first_number=first)


# --- the checks fail on a broken layout ------------------------------------------------------------------------------

def test_overlapping_rows_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows drawn closer than a label's height: two labels, two badges and a badge over a label collide."""
    participants, messages, _ = CASES["consecutive messages between the same pair, both ways"]
    monkeypatch.setattr(sequence, "ROW_GAP", -40)
    found = check(sequence_svg(participants, messages))
    assert any(p.startswith("labels overlap") for p in found)
    assert any(p.startswith("badges ") and p.endswith(" overlap") for p in found)
    assert any(" covers the label " in p for p in found)


def test_squeezed_lifelines_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lifelines placed without room for the labels: labels overlap and leave the viewBox."""
    participants, messages, _ = CASES["many participants with long names"]

    def squeezed(names: list[list[str]], *layout: object) -> tuple[list[float], float]:
        return [20.0 + 30 * i for i in range(len(names))], 40.0 + 30 * len(names)

    monkeypatch.setattr(sequence, "_positions", squeezed)
    found = check(sequence_svg(participants, messages))
    assert any(p.startswith("labels overlap") for p in found)
    assert any(p.startswith("label outside the viewBox") for p in found)
    assert any(" covers the label " in p for p in found)


def _svg(body: str, desc: str = "Participantes: a, b.", size: tuple[int, int] = (200, 100),
         view_box: str = "0 0 200 100") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size[0]}" height="{size[1]}" viewBox="{view_box}" '
            f'font-size="13"><desc>{desc}</desc>{body}</svg>')


def _text(x: float, y: float, text: str, css: str = "k8s-label", extra: str = "", anchor: str = "start") -> str:
    return (f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{css}"{extra}>'
            f'<tspan x="{x}" dy="0">{text}</tspan></text>')


def _badge(cx: float, cy: float, number: int) -> str:
    return (f'<circle class="k8s-badge" cx="{cx}" cy="{cy}" r="10"/>'
            + _text(cx, cy + 4, str(number), "k8s-badge-text", ' font-size="12"', "middle"))


@pytest.mark.parametrize(("svg", "first", "expected"), [
    (_svg(_text(10, 20, "abcdefghij") + _text(60, 25, "solapa")), 1, "labels overlap"),
    (_svg(_text(150, 20, "se sale por la derecha")), 1, "label outside the viewBox"),
    (_svg(_text(10, 5, "arriba")), 1, "label outside the viewBox"),
    (_svg(_text(10, 20, "pequeño", extra=' font-size="11"')), 1, "font-size 11.0 < 12 px"),
    (_svg(_text(10, 20, "x"), size=(400, 200)), 1, "not drawn at natural size"),
    (_svg('<rect class="k8s-box" x="5" y="5" width="40" height="22"/>' + _text(10, 20, "desborda la caja")), 1,
     "label spills out of its box"),
    (_svg('<rect class="k8s-note" x="60" y="5" width="60" height="22"/>' + _text(10, 20, "llega a la nota")), 1,
     "label over a box it is not written in"),
    (_svg(_text(30, 40, "etiqueta") + _badge(30, 40, 1), "1. a → b: etiqueta."), 1, "covers the label"),
    (_svg(_badge(30, 40, 1) + _badge(40, 45, 2), "1. a → b: x. 2. a → b: y."), 1, "badges 1 and 2 overlap"),
    (_svg(_badge(30, 40, 2) + _badge(30, 80, 1), "2. a → b: x. 1. a → b: y."), None,
     "step numbers [2, 1] are not 2..3 in order"),
    (_svg(_badge(30, 40, 2) + _badge(30, 80, 3), "2. a → b: x. 3. a → b: y."), 1, "are not 1..2 in order"),
    (_svg(_badge(30, 80, 1) + _badge(30, 40, 2), "1. a → b: x. 2. a → b: y."), 1, "not drawn top to bottom"),
    (_svg(_badge(30, 40, 1), "1. a → b: x. 2. a → b: y."), 1,
     "the <desc> reads steps [1, 2], the picture shows [1]"),
    (_svg(_badge(30, 40, 100), "100. a → b: x."), None, "is wider than its badge"),
    (_svg(_badge(30, 40, 1) + '<path class="k8s-line-fill" d="M31 40 L40 35.5 L40 44.5 Z"/>', "1. a → b: x."), 1,
     "hides the arrowhead"),
])
def test_each_check_can_fail(svg: str, first: int | None, expected: str) -> None:
    found = check(svg, first)
    assert any(expected in p for p in found), found


def test_a_readable_synthetic_svg_passes() -> None:
    svg = _svg(_text(10, 20, "uno") + _text(10, 38, "dos") + _badge(150, 60, 1), "1. a → b: uno.")
    assert check(svg) == []


# --- every diagram of the site ---------------------------------------------------------------------------------------

def _macro_pages() -> list[Path]:
    """The pages whose macros mkdocs-macros renders (front matter ``render_macros: true``)."""
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---\n(.*?)\n---\n", text, re.S)
        if match and (yaml.safe_load(match[1]) or {}).get("render_macros") is True:
            pages.append(path)
    return pages


PAGES = _macro_pages()


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    """Each page's Markdown after its macros ran: the text MkDocs turns into HTML (the same content functions,
    bound to one ExampleBook of docs/, in Jinja with mkdocs.yml's comment delimiters and strict undefined)."""
    book = ExampleBook(DOCS)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, comment_start_string="{##", comment_end_string="##}",
                             autoescape=False)
    env.globals.update({name: functools.partial(fn, book) for name, fn in content_macros().items()})
    out = {}
    for path in PAGES:
        body = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), count=1, flags=re.S)
        out[path.relative_to(DOCS).as_posix()] = env.from_string(body).render()
    return out


def test_the_site_has_diagrams_to_check(rendered: dict[str, str]) -> None:
    with_diagrams = {page for page, md in rendered.items() if diagrams(md)}
    assert {"recorridos/de-kubectl-apply-a-contenedor.md", "recorridos/cuando-un-nodo-falla.md",
            "nodos/kube-proxy.md"} <= with_diagrams
    assert sum(len(diagrams(md)) for md in rendered.values()) >= 10


@pytest.mark.parametrize("page", [p.relative_to(DOCS).as_posix() for p in PAGES])
def test_every_diagram_of_the_site_is_readable(rendered: dict[str, str], page: str) -> None:
    last = 0  # a page's first numbered diagram starts at 1; a later one starts at 1 or continues the numbering
    for i, svg in enumerate(diagrams(rendered[page]), 1):
        g = geometry(svg)
        found = problems(g, first_number=None)
        assert found == [], f"diagram {i} of {page}:\n" + "\n".join(found)
        if g.numbers:
            assert g.numbers[0] in (1, last + 1), f"diagram {i} of {page} starts at {g.numbers[0]}"
            last = g.numbers[-1]


# --- the «Paso a paso» list and the pictures ------------------------------------------------------------------------

APPLY = "recorridos/de-kubectl-apply-a-contenedor.md"
_ITEM = re.compile(r"(?P<time>.+?), (?P<sender>\S+) → (?P<receiver>\S+) \(")
_NOTE = re.compile(r"La última nota del diagrama \((?P<time>.+?), (?P<text>.+)\):")


def _component(participant: str) -> str:
    """``kubelet/node-2`` → ``kubelet``: the list names a component, the diagram its instance."""
    return participant.split("/", 1)[0]


def paso_a_paso(page_html: str) -> tuple[list[str], list[str]]:
    """The items of the numbered list under the «Paso a paso» heading and the paragraphs after it, as read."""
    tree = soup(page_html)
    heading = next(h for h in tree.find_all("h2") if h.get_text(strip=True) == "Paso a paso")
    return list_items(heading.find_next("ol")), [" ".join(p.get_text().split()) for p in heading.find_all_next("p")]


def steps_problems(items: list[str], paragraphs: list[str], svgs: list[str]) -> list[str]:
    """How the «Paso a paso» list and the page's diagrams disagree (empty: in step).

    Item k is arrow k: same time (the label's ``[t]``), same sender and receiver (a controller is drawn as
    kube-controller-manager with its name in front of the label). The paragraph on the last note names it.
    """
    rows = [row for svg in svgs for row in diagram_rows(svg)]
    arrows = [row for row in rows if row[0] != "nota"]
    found = []
    numbers = [int(n) for n, _, _, _ in arrows]
    if numbers != list(range(1, len(items) + 1)):
        found.append(f"the list has {len(items)} steps, the pictures are numbered {numbers}")
    for k, (item, (number, source, target, label)) in enumerate(zip(items, arrows), 1):
        m = _ITEM.match(item)
        if m is None:
            found.append(f"step {k} does not start with «tiempo, emisor → receptor»: {item[:80]!r}")
            continue
        drawn_sender = _component(source)
        if drawn_sender == "kube-controller-manager" and re.match(rf"\[.*?\] {re.escape(m['sender'])}: ", label):
            drawn_sender = m["sender"]
        if (m["sender"], m["receiver"]) != (drawn_sender, _component(target)):
            found.append(f"step {k}: the list says {m['sender']} → {m['receiver']}, arrow {number} goes "
                         f"{source} → {target}")
        if not label.startswith(f"[{m['time']}] "):
            found.append(f"step {k}: the list says {m['time']}, arrow {number} is labelled {label!r}")
    note = next((m for m in map(_NOTE.match, paragraphs) if m), None)
    notes = [row for row in rows if row[0] == "nota"]
    if note is not None and (not notes or notes[-1][3] != f"[{note['time']}] {note['text']}"):
        found.append(f"the list's last note ({note['time']}, {note['text']}) is not the pictures' last note "
                     f"{notes[-1][3] if notes else None!r}")
    return found


def test_paso_a_paso_is_in_step_with_the_pictures(rendered: dict[str, str]) -> None:
    pages = [page for page, md in rendered.items() if re.search(r"^## Paso a paso$", md, re.M)]
    assert pages == [APPLY]
    for page in pages:
        html = render_markdown(rendered[page])
        items, paragraphs = paso_a_paso(html)
        assert len(items) > 10
        assert steps_problems(items, paragraphs, diagrams(html)) == [], page


def test_a_list_out_of_step_is_caught(rendered: dict[str, str]) -> None:
    html = render_markdown(rendered[APPLY])
    items, paragraphs = paso_a_paso(html)
    svgs = diagrams(html)
    swapped = items[:3] + [items[4], items[3]] + items[5:]
    assert any(p.startswith("step 4: the list says kube-apiserver → etcd")
               for p in steps_problems(swapped, paragraphs, svgs))
    assert any(f"the list has {len(items) - 1} steps" in p for p in steps_problems(items[:-1], paragraphs, svgs))
    later = [re.sub(r"^5 s,", "6 s,", item) for item in items]
    assert any(p.startswith("step 1: the list says 6 s") for p in steps_problems(later, paragraphs, svgs))
    other_note = [re.sub(r"\(14 reglas\)", "(15 reglas)", p) for p in paragraphs]
    assert any("last note" in p for p in steps_problems(items, other_note, svgs))


def test_geometry_reads_what_the_renderer_wrote() -> None:
    g: Geometry = geometry(sequence_svg(["a", "b"], [M("a", "b", "hola"), M("b", "a", "adiós")]))
    assert [line.text for line in g.labels] == ["a", "b", "hola", "adiós"]
    assert g.numbers == [1, 2] and list(g.desc_numbers) == [1, 2]
    assert len(g.arrow_tips) == 2
