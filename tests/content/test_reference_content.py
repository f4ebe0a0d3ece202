"""The macro reference of the Contribuir page: generated from every registered macro."""

from __future__ import annotations

import html
import re

from k8sdocs.content import reference
from k8sdocs.macros import content_macros

MY_MODULES = ("kubelet", "kube_proxy", "runtime", "walkthrough", "fidelity", "glossary", "reference")


def test_every_registered_macro_is_listed():
    docs = reference.macro_docs()
    assert [d.name for d in docs] == sorted(content_macros())
    md = reference.macro_reference(None)
    listed = [html.unescape(m) for m in re.findall(r"^\| <code>([^<(]+)\(", md, flags=re.M)]
    assert listed == [d.name for d in docs]


def test_signature_drops_the_book():
    def sample(book, escenario, nodo=None, espera="x"):
        """First line.

        More."""

    (doc,) = reference.macro_docs({"muestra": sample})
    assert doc.signature == "muestra(escenario, nodo=None, espera='x')"
    assert doc.summary == "First line."
    assert doc.module == __name__


def test_node_page_macros_are_documented():
    for d in reference.macro_docs():
        if d.module.removeprefix("k8sdocs.content.") in MY_MODULES:
            assert d.summary, f"{d.name} has no docstring"


def test_module_filter():
    md = html.unescape(reference.macro_reference(None, modulo="kubelet"))
    assert "kubelet_llamadas_cri(escenario, pod=None, nodo=None, espera=None)" in md
    assert "kp_reglas" not in md
