"""Statements issue #10 found false or outdated for v1.35, checked on the BUILT pages against the model or a cited constant.

Each test names the upstream file or KEP the corrected statement comes from; the page source cites it too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.built_html import inline_codes, read_page, text_of

ROOT = Path(__file__).resolve().parents[2]
HISTOGRAM = re.compile(r"^0/\d+ nodes are available: (?P<reasons>[^.]*)\.")


def _source(page: str) -> str:
    return (ROOT / "docs" / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["plano-de-control/kube-scheduler", "ejercicios"])
def test_fit_error_reasons_are_sorted_as_whole_strings(built_site, path):
    """pkg/scheduler/framework/types.go FitError.Error(): "<n> <reason>" strings sorted with sort.Strings."""
    html = read_page(built_site, path)
    messages = [c for c in inline_codes(html) if HISTOGRAM.match(c)]
    assert messages, "the page shows a FailedScheduling message"
    for message in messages:
        reasons = HISTOGRAM.match(message)["reasons"].split(", ")
        assert reasons == sorted(reasons), message  # plain string order, count included
    text = text_of(html)
    assert "alfabétic" not in text  # the old, wrong explanation
    assert "<número> <motivo>" in text


def test_fit_error_order_is_not_alphabetical_by_reason():
    """The page's example shows why: by reason alone, "Insufficient cpu" would come before "node(s) had …"."""
    reasons = ["1 node(s) had untolerated taint(s)", "2 Insufficient cpu"]
    assert sorted(reasons) == reasons
    assert sorted(reasons, key=lambda r: r.split(" ", 1)[1].casefold()) != reasons


def test_kube_proxy_modes_v1_35(built_site):
    """KEP-5495: ipvs deprecated in v1.35; KEP-3866: nftables stable in v1.33; iptables still the default."""
    text = text_of(read_page(built_site, "nodos/kube-proxy"))
    assert "El modo por defecto sigue siendo iptables" in text
    assert "El modo ipvs está obsoleto (deprecated) desde la versión 1.35" in text
    assert "el sustituto recomendado es nftables" in text
    assert "KEP-5495" in _source("nodos/kube-proxy.md") and "KEP-3866" in _source("nodos/kube-proxy.md")
    arch = text_of(read_page(built_site, "arquitectura"))
    assert "el modo IPVS está obsoleto desde la versión 1.35" in arch


def test_decision_notes_agree_in_number(built_site):
    """«hay 1 pods» came from our own decision text (now in render/phrasebook/controllers.py, not an upstream message)."""
    from k8sdocs.render.phrasebook.controllers import count_pods

    assert (count_pods(1), count_pods(0), count_pods(3)) == ("1 Pod", "0 Pods", "3 Pods")
    text = text_of(read_page(built_site, "plano-de-control/kube-controller-manager"))
    assert not re.search(r"\bhay 1 pods\b", text, re.I)
    assert re.search(r"hay \d+ Pods? y se piden", text)
