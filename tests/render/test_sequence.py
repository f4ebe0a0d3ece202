"""Sequence diagrams drawn as SVG at build time from trace events (k8sdocs/render/sequence.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from k8sdocs.render.sequence import Message, messages_from_trace, sequence_svg, trace_sequence
from k8sdocs.render.svg import MAX_LABEL_CHARS, MIN_FONT_PX
from k8sdocs.render.timefmt import format_time

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Ev:
    seq: int
    time_ms: int
    kind: str
    source: str
    target: str
    summary: str


EVENTS = [
    Ev(1, 0, "request", "kubectl", "kube-apiserver", "POST /apis/apps/v1/namespaces/default/deployments"),
    Ev(2, 0, "etcd", "kube-apiserver", "etcd", "PUT /registry/deployments/default/web"),
    Ev(3, 5, "watch", "kube-apiserver", "deployment-controller", "ADDED Deployment default/web"),
    Ev(4, 5, "decision", "deployment-controller", "deployment-controller", "crea el ReplicaSet"),
    Ev(5, 6, "event", "deployment-controller", "kube-apiserver", "Normal ScalingReplicaSet ..."),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def labels(root: ET.Element, css: str = "k8s-label") -> list[str]:
    """Visible text of each <text> of class ``css`` (its lines joined by a space; the <title> left out)."""
    return [" ".join(t.text or "" for t in el.iter(f"{SVG}tspan"))
            for el in root.iter(f"{SVG}text") if el.get("class") == css]


def lifelines(root: ET.Element) -> list[float]:
    return [float(el.get("x1")) for el in root.iter(f"{SVG}line") if el.get("class") == "k8s-lifeline"]


def test_format_time_uses_decimal_comma_and_minutes():
    assert format_time(0) == "0 s"
    assert format_time(12500) == "12,5 s"
    assert format_time(350_000) == "5 min 50 s"


def test_trace_kinds_become_arrows_notes_or_nothing():
    messages = messages_from_trace(EVENTS)
    assert messages == [
        Message("kubectl", "kube-apiserver", "[0 s] POST /apis/apps/v1/namespaces/default/deployments"),
        Message("kube-apiserver", "etcd", "[0 s] PUT /registry/deployments/default/web"),
        Message("kube-apiserver", "deployment-controller", "[0,005 s] ADDED Deployment default/web", dashed=True),
        Message("deployment-controller", "deployment-controller", "[0,005 s] crea el ReplicaSet", note=True),
    ]  # the Event is drawn as its API request elsewhere, not here
    assert messages_from_trace(EVENTS[:1], show_time=False)[0].text.startswith("POST ")


def test_participants_in_given_order_then_first_appearance():
    root = parse(sequence_svg(["kubectl", "kube-apiserver", "etcd"], messages_from_trace(EVENTS)))
    names = [n for n in labels(root, "k8s-label") if n.startswith(("kube", "etcd", "deploy"))][:4]
    assert names[:3] == ["kubectl", "kube-apiserver", "etcd"]
    assert len(lifelines(root)) == 4  # deployment-controller appended
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Participantes: kubectl, kube-apiserver, etcd, deployment-controller.")


def test_numbers_skip_notes_and_can_continue_an_earlier_diagram():
    messages = messages_from_trace(EVENTS)
    root = parse(sequence_svg([], messages, first_number=12))
    assert labels(root, "k8s-badge-text") == ["12", "13", "14"]  # three arrows; the note has no number
    dashed = [el for el in root.iter() if el.get("stroke-dasharray")]
    assert len(dashed) == 1  # the watch notification


def test_every_text_is_at_least_12px_at_natural_size():
    svg = sequence_svg(["kubectl"], messages_from_trace(EVENTS))
    root = parse(svg)
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"  # 1 unit = 1 CSS px
    default = float(root.get("font-size"))
    sizes = [float(el.get("font-size", default)) for el in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= MIN_FONT_PX


def test_each_label_fits_between_the_lifelines_it_joins():
    messages = [Message("a", "b", "x" * 40), Message("a", "c", "y" * 120), Message("c", "a", "z" * 30)]
    root = parse(sequence_svg([], messages))
    xs = lifelines(root)
    # 13 px monospace, 0.62 em per character: 40 characters per line at most
    assert xs[1] - xs[0] >= 40 * 13 * 0.62
    assert max(len(line) for t in root.iter(f"{SVG}text") for line in [s.text or "" for s in t.iter(f"{SVG}tspan")]) <= 40
    assert float(root.get("width")) >= xs[-1]


def test_similar_names_get_their_own_lifelines():
    root = parse(sequence_svg([], [Message("kube-apiserver", "node-2", "a"), Message("kube-apiserver", "node.2", "b"),
                                   Message("kube-apiserver", "node_2", "c")]))
    assert len(set(lifelines(root))) == 4


def _shape(svg: str, swap: tuple[str, str] = ("", "")) -> list[tuple[str, dict[str, str], str]]:
    """Every element as (tag, attributes, text): content-hash ids neutralised, each <text>'s lines joined by a
    space, and ``swap[0]`` replaced by ``swap[1]`` in texts."""
    out = []
    for el in parse(svg).iter():
        attrs = {k: re.sub(r"k8s-seq-[0-9a-f]{10}", "ID", v) for k, v in el.attrib.items()}
        if el.tag == f"{SVG}text":
            text = " ".join(t.text or "" for t in el.iter(f"{SVG}tspan"))
        elif el.tag == f"{SVG}tspan":
            continue
        else:
            text = el.text or ""
        out.append((el.tag, attrs, text.replace(*swap) if swap[0] else text))
    return out


@pytest.mark.parametrize("hostile", [
    '%%{init: {"theme": "forest"}}%%',
    "web-->>etcd: injected; Note over a: x",
    '<script>alert(1)</script>"&\'',
    "participant evil as ]]><x/>",
])
def test_hostile_label_is_inert_text(hostile):
    """Mermaid directives, arrows and markup in an image name change nothing but the label (issue 15 item 5)."""
    # the same shape (length, spaces and the characters a label may wrap after), ordinary letters elsewhere
    plain = "".join(ch if ch in " /.-=,:" else "n" for ch in hostile)
    msgs = lambda s: [Message("kubelet/node-1", "container-runtime/node-1", f"PullImage {s}"),  # noqa: E731
                      Message("kubelet/node-1", "kube-apiserver", "PUT pods/web/status")]
    base, bad = sequence_svg(["kube-apiserver"], msgs(plain)), sequence_svg(["kube-apiserver"], msgs(hostile))
    root = parse(bad)  # still one well-formed SVG element
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script")) and not list(root.iter("x"))
    assert f"PullImage {hostile}" in " ".join(labels(root))
    assert _shape(bad, (hostile, plain)) == _shape(base)  # same elements, same attributes, same layout


def test_a_huge_label_is_capped_with_the_full_text_in_a_title():
    huge = "nginx:" + "a" * 50_000
    svg = sequence_svg([], [Message("kubelet/node-1", "container-runtime/node-1", huge)])
    root = parse(svg)
    shown = [t for t in labels(root) if t.startswith("nginx:")][0]
    assert len(shown.replace(" ", "")) <= MAX_LABEL_CHARS and shown.endswith("…")
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert huge in titles
    assert float(root.get("width")) < 1000 and float(root.get("height")) < 500


def test_same_input_same_bytes_and_figure_frame():
    one = trace_sequence(EVENTS, ["kubectl"], title="Creación")
    assert one == trace_sequence(EVENTS, ["kubectl"], title="Creación")
    assert one.startswith('\n<figure class="k8s-diagram">\n<div class="k8s-diagram__scroll" tabindex="0" role="region"')
    assert all(line.startswith("<") for line in one.strip().splitlines())  # no Markdown or snippet line can start
    root = parse(one[one.index("<svg"):one.index("</svg>") + 6])
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Creación"
    ids = root.get("aria-labelledby").split()
    assert [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")] == ids
    # Off screen the frame is skipped (content-visibility) and holds the drawing's exact size meanwhile.
    w, h = root.get("width"), root.get("height")
    assert f' style="content-visibility:auto;contain-intrinsic-size:auto {w}px auto {h}px">\n<svg' in one


def test_no_participant_is_an_error():
    with pytest.raises(ValueError):
        sequence_svg([], [])
