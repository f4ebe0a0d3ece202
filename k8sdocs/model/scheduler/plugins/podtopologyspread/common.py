"""PodTopologySpread: parsed constraints, default constraints and pod counting.

Upstream (v1.35 era):
* pkg/scheduler/framework/plugins/podtopologyspread/common.go@76b564f18e878c5c69034301fb6fcf324b666033
  (``topologySpreadConstraint``, ``filterTopologySpreadConstraints``, ``buildDefaultConstraints``,
  ``nodeLabelsMatchSpreadConstraints``, ``mergeLabelSetWithSelector``, ``countPodsMatchSelector``)
* pkg/scheduler/framework/plugins/podtopologyspread/plugin.go@025f2834a128798cef30018a5e6a6ae82b5ad885
  (reason strings, ``systemDefaultConstraints``)
* pkg/scheduler/framework/plugins/helper/spread.go@2e0908106e4420a601e50d6edfd41475de87a3e1
  (``DefaultSelector``, ``GetPodServices``)

Objects are manifest-shaped dicts (pods, nodes, Services, ReplicationControllers, ReplicaSets, StatefulSets).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.api.labels import (
    Selector,
    SelectorParseError,
    label_selector_as_selector,
    new_selector_from_requirements,
    selector_from_set,
)

from .node_filters import has_untolerated_do_not_schedule_taint, required_node_affinity_matches

Obj = Mapping[str, Any]
# A node and the pods bound to it, as the scheduler snapshot holds them (NodeInfo.Node(), NodeInfo.Pods).
NodePods = tuple[Obj, Sequence[Obj]]

NAME = "PodTopologySpread"

# plugin.go: ErrReasonConstraintsNotMatch / ErrReasonNodeLabelNotMatch (verbatim).
ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"

# k8s.io/api/core/v1 well-known labels: LabelHostname, LabelTopologyZone.
LABEL_HOSTNAME = "kubernetes.io/hostname"
LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone"

DO_NOT_SCHEDULE = "DoNotSchedule"
SCHEDULE_ANYWAY = "ScheduleAnyway"
HONOR = "Honor"
IGNORE = "Ignore"

# plugin.go: systemDefaultConstraints (used when args.defaultingType is System, the default).
SYSTEM_DEFAULT_CONSTRAINTS: tuple[Obj, ...] = (
    {"topologyKey": LABEL_HOSTNAME, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 3},
    {"topologyKey": LABEL_TOPOLOGY_ZONE, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 5},
)


@dataclass(frozen=True)
class TopologySpreadConstraint:
    """``topologySpreadConstraint``: the internal form with the selector parsed.

    Defaults (common.go): minDomains nil → 1, nodeAffinityPolicy nil → Honor, nodeTaintsPolicy nil → Ignore.
    """

    max_skew: int
    topology_key: str
    selector: Selector
    min_domains: int = 1
    node_affinity_policy: str = HONOR
    node_taints_policy: str = IGNORE

    def match_node_inclusion_policies(self, pod: Obj, node: Obj) -> bool:
        """``matchNodeInclusionPolicies``: does ``node`` count as an eligible domain member for ``pod``?"""
        if self.node_affinity_policy == HONOR and not required_node_affinity_matches(pod, node):
            return False
        if self.node_taints_policy == HONOR and has_untolerated_do_not_schedule_taint(pod, node):
            return False
        return True


class NodeInclusion:
    """``matchNodeInclusionPolicies`` for one incoming pod over many nodes, with the per-node answers memoized
    (a pod without nodeSelector / required node affinity matches every node, no per-node work)."""

    def __init__(self, pod: Obj) -> None:
        self.pod = pod
        spec = pod.get("spec") or {}
        required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                    .get("requiredDuringSchedulingIgnoredDuringExecution"))
        self._needs_affinity = bool(spec.get("nodeSelector")) or required is not None
        self._affinity: dict[str, bool] = {}
        self._taints: dict[str, bool] = {}

    def matches(self, c: TopologySpreadConstraint, node: Obj) -> bool:
        if c.node_affinity_policy == HONOR and self._needs_affinity:
            name = name_of(node)
            ok = self._affinity.get(name)
            if ok is None:
                ok = self._affinity[name] = required_node_affinity_matches(self.pod, node)
            if not ok:
                return False
        if c.node_taints_policy == HONOR and (node.get("spec") or {}).get("taints"):
            name = name_of(node)
            bad = self._taints.get(name)
            if bad is None:
                bad = self._taints[name] = has_untolerated_do_not_schedule_taint(self.pod, node)
            if bad:
                return False
        return True


@dataclass(frozen=True)
class SpreadObjects:
    """What ``DefaultSelector`` reads through informers: Services, RCs, ReplicaSets and StatefulSets."""

    services: Sequence[Obj] = ()
    replication_controllers: Sequence[Obj] = ()
    replica_sets: Sequence[Obj] = ()
    stateful_sets: Sequence[Obj] = ()


@dataclass(frozen=True)
class PodTopologySpreadArgs:
    """``PodTopologySpreadArgs``: ``defaultingType`` System (default) or List with ``defaultConstraints``."""

    defaulting_type: str = "System"
    default_constraints: Sequence[Obj] = field(default_factory=tuple)
    #: not an arg: the MatchLabelKeysInPodTopologySpread feature gate (plugin.go New, fts.EnableMatchLabelKeys...)
    enable_match_label_keys: bool = True

    @property
    def system_defaulted(self) -> bool:
        return self.defaulting_type == "System"

    def effective_default_constraints(self) -> Sequence[Obj]:
        return SYSTEM_DEFAULT_CONSTRAINTS if self.system_defaulted else tuple(self.default_constraints)


def meta(obj: Obj) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def labels_of(obj: Obj) -> Mapping[str, str]:
    return meta(obj).get("labels") or {}


def name_of(obj: Obj) -> str:
    return str(meta(obj).get("name", ""))


def namespace_of(obj: Obj) -> str:
    return str(meta(obj).get("namespace") or "default")


def pod_spread_constraints(pod: Obj) -> Sequence[Obj]:
    return (pod.get("spec") or {}).get("topologySpreadConstraints") or []


def merge_label_set_with_selector(match_labels: Mapping[str, str], selector: Selector) -> Selector:
    """``mergeLabelSetWithSelector``: ``SelectorFromSet(set).Add(s.Requirements()...)``; Nothing stays Nothing."""
    if selector.nothing:
        return selector  # s.Requirements() returns ok=false for labels.Nothing()
    merged = selector_from_set(match_labels)
    return new_selector_from_requirements(merged.requirements + selector.requirements)


def filter_topology_spread_constraints(
    constraints: Sequence[Obj], pod_labels: Mapping[str, str], action: str, enable_match_label_keys: bool = True
) -> list[TopologySpreadConstraint]:
    """``filterTopologySpreadConstraints``: keep the constraints whose ``whenUnsatisfiable`` is ``action``.

    MinDomains (GA 1.30) and NodeInclusionPolicy (GA 1.33) are always honoured; ``matchLabelKeys`` are merged into
    the selector only with the MatchLabelKeysInPodTopologySpread gate (on by default in v1.35):
    ``if enableMatchLabelKeysInPodTopologySpread && len(c.MatchLabelKeys) > 0``. Raises ``SelectorParseError`` for an
    invalid labelSelector.
    """
    result: list[TopologySpreadConstraint] = []
    for c in constraints:
        if c.get("whenUnsatisfiable") != action:  # required field, no default
            continue
        selector = label_selector_as_selector(c.get("labelSelector"))
        keys = c.get("matchLabelKeys") or []
        if enable_match_label_keys and keys:
            match_labels = {k: pod_labels[k] for k in keys if k in pod_labels}
            if match_labels:
                selector = merge_label_set_with_selector(match_labels, selector)
        min_domains = c.get("minDomains")
        result.append(
            TopologySpreadConstraint(
                max_skew=int(c.get("maxSkew", 1)),
                topology_key=str(c.get("topologyKey", "")),
                selector=selector,
                min_domains=1 if min_domains is None else int(min_domains),
                node_affinity_policy=c.get("nodeAffinityPolicy") or HONOR,
                node_taints_policy=c.get("nodeTaintsPolicy") or IGNORE,
            )
        )
    return result


def _controller_of(pod: Obj) -> Obj | None:
    """``metav1.GetControllerOfNoCopy``: the ownerReference with ``controller: true``."""
    for ref in meta(pod).get("ownerReferences") or []:
        if ref.get("controller"):
            controller: Obj = ref
            return controller
    return None


def pod_services(services: Sequence[Obj], pod: Obj) -> list[Obj]:
    """``GetPodServices``: Services of the pod's namespace whose (non-nil) selector matches the pod."""
    ns = namespace_of(pod)
    out: list[Obj] = []
    for svc in services:
        if namespace_of(svc) != ns:
            continue
        sel = (svc.get("spec") or {}).get("selector")
        if sel is None:
            continue  # services with nil selectors match nothing, not everything
        if selector_from_set(sel).matches(labels_of(pod)):
            out.append(svc)
    return out


def _find(objs: Sequence[Obj], namespace: str, name: str) -> Obj | None:
    for o in objs:
        if namespace_of(o) == namespace and name_of(o) == name:
            return o
    return None


def default_selector(pod: Obj, objects: SpreadObjects) -> Selector:
    """``helper.DefaultSelector``: merged selectors of the Services, RC, ReplicaSet or StatefulSet of the pod."""
    label_set: dict[str, str] = {}
    for svc in pod_services(objects.services, pod):
        label_set.update({str(k): str(v) for k, v in ((svc.get("spec") or {}).get("selector") or {}).items()})
    selector = selector_from_set(label_set)

    owner = _controller_of(pod)
    if owner is None:
        return selector
    api_version, kind = owner.get("apiVersion", ""), owner.get("kind", "")
    ns, owner_name = namespace_of(pod), str(owner.get("name", ""))
    if (api_version, kind) == ("v1", "ReplicationController"):
        rc = _find(objects.replication_controllers, ns, owner_name)
        if rc is not None:
            label_set.update({str(k): str(v) for k, v in ((rc.get("spec") or {}).get("selector") or {}).items()})
            selector = selector_from_set(label_set)
    elif (api_version, kind) in (("apps/v1", "ReplicaSet"), ("apps/v1", "StatefulSet")):
        pool = objects.replica_sets if kind == "ReplicaSet" else objects.stateful_sets
        owner_obj = _find(pool, ns, owner_name)
        if owner_obj is not None:
            try:
                other = label_selector_as_selector((owner_obj.get("spec") or {}).get("selector"))
            except SelectorParseError:
                other = None  # upstream: `if other, err := ...; err == nil`
            if other is not None and not other.nothing:  # other.Requirements() ok
                selector = new_selector_from_requirements(selector.requirements + other.requirements)
    return selector


def build_default_constraints(
    pod: Obj, action: str, args: PodTopologySpreadArgs, objects: SpreadObjects
) -> list[TopologySpreadConstraint]:
    """``buildDefaultConstraints``: default constraints for ``action`` with the pod's default selector."""
    constraints = filter_topology_spread_constraints(args.effective_default_constraints(), labels_of(pod), action,
                                                     args.enable_match_label_keys)
    if not constraints:
        return []
    selector = default_selector(pod, objects)
    if selector.empty():
        return []
    return [
        TopologySpreadConstraint(
            max_skew=c.max_skew,
            topology_key=c.topology_key,
            selector=selector,
            min_domains=c.min_domains,
            node_affinity_policy=c.node_affinity_policy,
            node_taints_policy=c.node_taints_policy,
        )
        for c in constraints
    ]


def get_constraints(
    pod: Obj, action: str, args: PodTopologySpreadArgs, objects: SpreadObjects
) -> list[TopologySpreadConstraint]:
    """The pod's own constraints for ``action`` or, when it has none at all, the default constraints."""
    own = pod_spread_constraints(pod)
    if own:
        return filter_topology_spread_constraints(own, labels_of(pod), action, args.enable_match_label_keys)
    return build_default_constraints(pod, action, args, objects)


def node_labels_match_spread_constraints(
    node_labels: Mapping[str, str], constraints: Sequence[TopologySpreadConstraint]
) -> bool:
    """``nodeLabelsMatchSpreadConstraints``: every topology key is present on the node."""
    return all(c.topology_key in node_labels for c in constraints)


def count_pods_match_selector(pods: Sequence[Obj], selector: Selector, namespace: str) -> int:
    """``countPodsMatchSelector``: same-namespace, non-terminating pods matching ``selector``.

    v1.35 returns 0 at once when ``selector.Empty()`` (PR #116607); that also makes ``labelSelector: {}``
    count nothing, a quirk fixed upstream only in Aug 2026 (PR #141340). We keep the v1.35 behaviour.
    """
    if selector.empty():
        return 0
    count = 0
    for p in pods:
        m = p.get("metadata") or {}
        if m.get("deletionTimestamp") is not None or (m.get("namespace") or "default") != namespace:
            continue
        if selector.matches(m.get("labels") or {}):
            count += 1
    return count


__all__ = [
    "DO_NOT_SCHEDULE",
    "ERR_REASON_CONSTRAINTS_NOT_MATCH",
    "ERR_REASON_NODE_LABEL_NOT_MATCH",
    "LABEL_HOSTNAME",
    "LABEL_TOPOLOGY_ZONE",
    "NAME",
    "NodeInclusion",
    "NodePods",
    "PodTopologySpreadArgs",
    "SCHEDULE_ANYWAY",
    "SYSTEM_DEFAULT_CONSTRAINTS",
    "SpreadObjects",
    "TopologySpreadConstraint",
    "count_pods_match_selector",
    "default_selector",
    "filter_topology_spread_constraints",
    "get_constraints",
    "node_labels_match_spread_constraints",
]
