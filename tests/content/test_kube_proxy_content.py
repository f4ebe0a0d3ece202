"""kube-proxy page content: rules, chain path and probabilities read from the model's iptables-restore text.

Expected values come from upstream: pkg/proxy/iptables/proxier.go (computeProbability = %0.10f of 1/(n-i),
the last endpoint rule has no statistic match; portProtoHash / servicePortEndpointChainName = base32(sha256)[:16]
of "<ns>/<svc>:<port>" + lower-case protocol [+ "ip:port"]) and the upstream fixture
tests/fidelity/kube-proxy/03-clusterip-3-endpoints-full-sync.txt (TestSyncProxyRulesRepeated era).
"""

from __future__ import annotations

import base64
import hashlib
import re
from fractions import Fraction
from pathlib import Path

import pytest

from k8sdocs.content import kube_proxy
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError
from support.built_html import diagram_texts, diagrams

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_03 = ROOT / "tests" / "fidelity" / "kube-proxy" / "03-clusterip-3-endpoints-full-sync.txt"
ARGS = ("despliegue-basico.yaml", "default/nginx:http", "node-1")


def upstream_hash(text: str) -> str:
    """portProtoHash: base32.StdEncoding(sha256(text))[:16] (proxier.go)."""
    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()[:16]


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def fixture_text() -> str:
    return "".join(line for line in FIXTURE_03.read_text().splitlines(keepends=True) if not line.startswith("#"))


def test_upstream_fixture_three_endpoints():
    sr = kube_proxy.rules_from_text(fixture_text(), "ns1/svc1")
    assert sr.svc_chain == "KUBE-SVC-AQI2S6QIMU7PVVRP"
    assert sr.cluster_ip == "172.30.1.1" and sr.port == "80"
    assert [(e.address, e.sep_chain, e.probability_text) for e in sr.endpoints] == [
        ("10.0.1.1:80", "KUBE-SEP-3JOIVZTXZZRGORX4", "0.3333333333"),
        ("10.0.1.2:80", "KUBE-SEP-IO5XOSKPAXIFQXAJ", "0.5000000000"),
        ("10.0.1.3:80", "KUBE-SEP-XGJFVO3L2O5SRFNT", None),
    ]
    assert kube_proxy.effective_probabilities(sr) == [Fraction(1, 3)] * 3


def test_unknown_service_names_the_known_ones():
    with pytest.raises(ContentError, match="ns1/svc1"):
        kube_proxy.rules_from_text(fixture_text(), "ns1/otro")


def test_model_rules_follow_upstream_names_and_probabilities(book):
    sr = kube_proxy.service_rules(book, *ARGS)
    assert sr.svc_chain == "KUBE-SVC-" + upstream_hash("default/nginx:http" + "tcp")
    assert len(sr.endpoints) == 3
    # endpoints sorted by their "ip:port" string (endpointslicecache.go byEndpoint)
    addresses = [e.address for e in sr.endpoints]
    assert addresses == sorted(addresses)
    for e in sr.endpoints:
        assert e.sep_chain == "KUBE-SEP-" + upstream_hash("default/nginx:http" + "tcp" + e.address)
        assert e.address.endswith(":80") and e.address.startswith("10.244.")
    assert [e.probability_text for e in sr.endpoints] == ["0.3333333333", "0.5000000000", None]


def test_every_endpoint_gets_a_third(book):
    sr = kube_proxy.service_rules(book, *ARGS)
    assert kube_proxy.effective_probabilities(sr) == [Fraction(1, 3)] * 3
    md = kube_proxy.probability_table(book, *ARGS, espera="1/3")
    rows = [line for line in md.splitlines()[2:]]
    assert len(rows) == 3
    assert [r.split("|")[6].strip() for r in rows] == ["1/3 ≈ 0,3333"] * 3
    assert [r.split("|")[5].strip() for r in rows] == ["1", "2/3", "1/3"]
    assert kube_proxy.probability_sentence(book, *ARGS) == "1/3, luego 1/2, luego 1"


def test_wrong_expectation_fails(book):
    with pytest.raises(ExpectationError):
        kube_proxy.probability_table(book, *ARGS, espera="1/2")
    with pytest.raises(ExpectationError):
        kube_proxy.rules_block(book, *ARGS, espera_endpoints=2)


def test_rules_block_holds_only_the_service_lines(book):
    md = kube_proxy.rules_block(book, *ARGS, espera_endpoints=3)
    body = md.split("\n", 1)[1].rsplit("```", 1)[0]
    lines = body.strip().splitlines()
    assert lines[0] == "*nat" and lines[-1] == "COMMIT"
    run = book.run(ARGS[0])
    for line in lines:
        assert line in run.iptables["node-1"].splitlines()
    rules = [ln for ln in lines if ln.startswith("-A ")]
    # 1 dispatch + 1 masquerade + 3 endpoint picks + 3 × (hairpin + DNAT)
    assert len(rules) == 1 + 1 + 3 + 6
    assert sum(" -j DNAT --to-destination " in ln for ln in rules) == 3


def test_chain_path_diagram(book):
    md = kube_proxy.chain_path(book, *ARGS)
    [svg] = diagrams(md)
    sr = kube_proxy.service_rules(book, *ARGS)
    boxes = [t.replace(" ", "") for t in diagram_texts(svg)]  # box labels wrap after "-" or at spaces
    assert boxes[:4] == [f"paquetea{sr.cluster_ip}:{sr.port}", "PREROUTING/OUTPUT(tablanat)", "KUBE-SERVICES",
                         sr.svc_chain]
    assert [b for b in boxes if b.startswith("KUBE-SEP-")] == [ep.sep_chain for ep in sr.endpoints]
    edges = [t.replace(" ", "") for t in diagram_texts(svg, "k8s-edge-label")]
    assert edges == [f"-d{sr.cluster_ip}--dport{sr.port}", "p=0.3333333333=1/3", "p=0.5000000000=1/2", "elresto:p=1"]
    assert len([b for b in boxes if re.fullmatch(r"DNATa10\.244\.\d+\.\d+:80", b)]) == 3


def test_missing_node_is_a_content_error(book):
    with pytest.raises(ContentError, match="node-9"):
        kube_proxy.service_rules(book, "despliegue-basico.yaml", "default/nginx:http", "node-9")


def test_masquerade_source_is_the_cluster_cidr(book):
    # the model's cluster CIDR (kube-controller-manager --cluster-cidr, model/cluster.py)
    from k8sdocs.model.cluster import CLUSTER_CIDR

    assert kube_proxy.masquerade_source(book, *ARGS) == f"<code>! -s {CLUSTER_CIDR}</code>"


def test_share_explanation(book):
    md = kube_proxy.share_explanation(book, *ARGS)
    lines = md.splitlines()
    assert lines[0].startswith("- La regla 1 recibe todas las conexiones nuevas y se queda con 1/3.")
    assert lines[1].startswith("- A la regla 2 llegan los 2/3 restantes, y se queda con 1/2 de ellos: 2/3 × 1/2 = 1/3.")
    assert lines[2].startswith("- A la regla 3 llega el 1/3 que queda, y lo acepta entero: 1/3.")
