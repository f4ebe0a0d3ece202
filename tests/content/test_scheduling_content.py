"""Content functions of the kube-scheduler page, checked against values worked out from upstream formulas."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import scheduling
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(DOCS)


def test_profile_weights_match_v1_35_default_plugins():
    # pkg/scheduler/apis/config/v1/default_plugins.go@01db4ae9: TaintToleration 3, NodeAffinity 2,
    # NodeResourcesFit 1, PodTopologySpread 2, InterPodAffinity 2, BalancedAllocation 1, ImageLocality 1.
    rows = {r[0].replace("<wbr>", ""): r for r in scheduling.profile_rows()}
    weights = {name.removeprefix("<code>").removesuffix("</code>"): r[2] for name, r in rows.items()}
    assert weights == {
        "PrioritySort": "—", "NodeUnschedulable": "—", "NodeName": "—", "TaintToleration": "3",
        "NodeAffinity": "2", "NodePorts": "—", "NodeResourcesFit": "1", "PodTopologySpread": "2",
        "InterPodAffinity": "2", "DefaultPreemption": "—", "NodeResourcesBalancedAllocation": "1",
        "ImageLocality": "1", "DefaultBinder": "—",
    }
    assert "PostFilter" in rows["<code>DefaultPreemption</code>"][1]


def test_only_one_feasible_node_is_not_scored(book):
    result, nodes = scheduling.schedule(book, "planificacion.yaml", "cabe-en-uno")
    assert nodes == ["node-a", "node-b", "node-c"]
    assert result.selected_node == "node-a"
    assert result.filter_statuses["node-b"].reasons == ("node(s) had untolerated taint(s)",)
    assert result.filter_statuses["node-c"].reasons == ("Insufficient cpu",)
    assert dict(result.total_scores) == {}


def test_least_allocated_and_balanced_scores_by_hand(book):
    # least_allocated.go: ((alloc - req) * 100 / alloc) per resource, mean with weights 1/1, integer division.
    # node-a: cpu (4000-500)*100/4000 = 87, mem (8Gi-512Mi)*100/8Gi = 93 -> 90
    # node-c: cpu (8000-6500)*100/8000 = 18, mem (16Gi-8.5Gi)*100/16Gi = 46 -> 32
    # balanced_allocation.go: int((1 - |fcpu - fmem| / 2) * 100): a 0.125/0.0625 -> 96; c 0.8125/0.53125 -> 85
    result, _ = scheduling.schedule(book, "cp-planificacion-puntuacion.yaml", "ligero")
    assert dict(result.scores["NodeResourcesFit"]) == {"node-a": 90, "node-c": 32}
    assert dict(result.scores["NodeResourcesBalancedAllocation"]) == {"node-a": 96, "node-c": 85}
    assert dict(result.total_scores) == {"node-a": 3 * 100 + 90 + 96 + 0, "node-c": 3 * 100 + 32 + 85 + 0}
    assert result.selected_node == "node-a"


def test_unschedulable_message_is_upstream_fit_error(book):
    # framework/types.go FitError.Error: sorted "<count> <reason>" histogram, then the preemption message.
    text = scheduling.failed_scheduling_message(book, "planificacion.yaml", "demasiado-grande")
    assert text == ("<code>0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
                    "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.</code>")


def test_expectation_fails_when_page_disagrees(book):
    with pytest.raises(ExpectationError):
        scheduling.scheduling_report(book, "planificacion.yaml", "cabe-en-uno", espera="node-c")
    with pytest.raises(ContentError, match="no tiene el Pod"):
        scheduling.scheduling_report(book, "planificacion.yaml", "no-existe")


@pytest.mark.parametrize(
    "nodes, found",
    # schedule_one.go numFeasibleNodesToFind: <100 -> all; pct = 50 - n/125 (min 5); result >= 100.
    [(50, 50), (100, 100), (500, 230), (1000, 420), (5000, 500), (15000, 750), (200, 100)],
)
def test_sampling_rows_follow_num_feasible_nodes_to_find(nodes, found):
    row = scheduling.sampling_rows([nodes])[0]
    assert row[2].replace("\u202f", "") == str(found)


def test_sampling_percentages_use_decimal_comma():
    assert scheduling.sampling_rows([5000])[0][1:] == ["10 %", "500", "10,0 %"]
    assert scheduling.sampling_rows([50])[0][1] == "— (se evalúan todos)"
    # RAE: four-digit numbers are not grouped; from five digits on, a (narrow, no-break) space
    assert scheduling.sampling_rows([1000])[0][0] == "1000"
    assert scheduling.sampling_rows([15000])[0][0] == "15\u202f000"


def test_pod_is_scheduled_as_admitted(book):
    case = scheduling.scheduling_case(book, "planificacion.yaml", "cabe-en-uno")
    # DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): 300 s NoExecute tolerations
    keys = sorted(t["key"] for t in case.pod["spec"]["tolerations"])
    assert keys == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
    assert "nodeName" not in case.pod["spec"] and "status" not in case.pod
    assert "tolerations" not in case.manifest["spec"]
    assert [p["metadata"]["name"] for p in case.placed_pods] == ["base-de-datos"]


# Every (scenario, Pod) a page reports on: the page's report must be what a reader reproducing the scenario sees.
PAGE_CASES = [
    ("planificacion.yaml", "cabe-en-uno"), ("planificacion.yaml", "demasiado-grande"),
    ("cp-planificacion-puntuacion.yaml", "ligero"), ("cp-ejercicio-taints.yaml", "api"),
    ("cp-ejercicio-afinidad.yaml", "cache"), ("cp-ejercicio-recursos.yaml", "web"),
    ("cp-ejercicio-empate.yaml", "trabajo"), ("cp-ejercicio-imposible.yaml", "analitica"),
    ("cp-ejercicio-tolerancia.yaml", "entrenamiento"),
]


@pytest.mark.parametrize("scenario, pod", PAGE_CASES)
def test_report_agrees_with_the_clusters_own_scheduler(book, scenario, pod):
    direct, _ = scheduling.schedule(book, scenario, pod)
    runs = [r for r in book.run(scenario).schedule_results if r.pod == f"default/{pod}"]
    assert runs, "the cluster's kube-scheduler tried the Pod"
    final = runs[-1]
    assert dict(final.total_scores) == dict(direct.total_scores)
    if len(set(direct.total_scores.values())) == 1 and len(direct.total_scores) > 1:
        assert final.selected_node in direct.total_scores  # a tie: each draw may pick another tied node
    else:
        assert final.selected_node == direct.selected_node
        assert final.message == direct.message


def test_cycle_events_order(book):
    events = scheduling.scheduling_cycle_events(book, "planificacion.yaml", "cabe-en-uno")
    kinds = [(e.kind, e.source, e.target) for e in events]
    assert kinds[0] == ("watch", "kube-apiserver", "kube-scheduler")
    assert ("decision", "kube-scheduler", "kube-scheduler") in kinds
    binding = kinds.index(("request", "kube-scheduler", "kube-apiserver"))
    assert kinds[binding + 1] == ("etcd", "kube-apiserver", "etcd")
    assert kinds[-1] == ("watch", "kube-apiserver", "kubelet/node-a")
    assert scheduling.scheduled_event(book, "planificacion.yaml", "cabe-en-uno") == (
        "Successfully assigned default/cabe-en-uno to node-a")
