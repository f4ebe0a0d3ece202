"""The two node checks PodTopologySpread applies to decide which nodes count for a constraint.

``nodeAffinityPolicy: Honor`` keeps only nodes that match the incoming pod's ``nodeSelector`` and required
node affinity; ``nodeTaintsPolicy: Honor`` keeps only nodes whose NoSchedule/NoExecute taints the pod
tolerates. Upstream:

* ``topologySpreadConstraint.matchNodeInclusionPolicies`` in
  pkg/scheduler/framework/plugins/podtopologyspread/common.go@76b564f18e878c5c69034301fb6fcf324b666033
* ``nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)`` in
  staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (nodeSelector AND
  required terms; terms ORed; a term with no requirements matches nothing; an invalid term matches nothing,
  parse errors are ignored by the caller "for backwards compatibility").
* ``v1helper.FindMatchingUntoleratedTaint(..., helper.DoNotScheduleTaintsFilterFunc())`` and
  ``Toleration.ToleratesTaint`` in staging/src/k8s.io/api/core/v1/toleration.go.

These are small local copies kept inside the plugin package so the plugin does not depend on the
NodeAffinity / TaintToleration plugin modules (one concept per module; see the report of issue 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.api.toleration import tolerates_taint
from k8sdocs.model.labels import SelectorError, node_selector_requirement

Obj = Mapping[str, Any]


def _labels(obj: Obj) -> Mapping[str, str]:
    return (obj.get("metadata") or {}).get("labels") or {}


def _term_matches(term: Obj, node: Obj) -> bool:
    """One ``NodeSelectorTerm``: matchExpressions on labels AND matchFields on ``metadata.name``."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False  # nodeaffinity.go: an empty term matches no objects
    labels = _labels(node)
    name = str((node.get("metadata") or {}).get("name", ""))
    try:
        for expr in exprs:
            if not node_selector_requirement(expr).matches(labels):
                return False
        for expr in fields:
            if expr.get("key") != "metadata.name" or expr.get("operator") not in ("In", "NotIn"):
                return False  # only metadata.name In/NotIn is a valid field selector
            req = node_selector_requirement(expr)
            if not req.matches({"metadata.name": name}):
                return False
    except SelectorError:
        return False
    return True


def required_node_affinity_matches(pod: Obj, node: Obj) -> bool:
    """``GetRequiredNodeAffinity(pod).Match(node)`` with parse errors treated as "no match"."""
    spec = pod.get("spec") or {}
    node_labels = _labels(node)
    for key, value in (spec.get("nodeSelector") or {}).items():
        if node_labels.get(key) != str(value):
            return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if required is None:
        return True
    terms: Sequence[Obj] = required.get("nodeSelectorTerms") or []
    return any(_term_matches(t, node) for t in terms)


def has_untolerated_do_not_schedule_taint(pod: Obj, node: Obj) -> bool:
    """A NoSchedule or NoExecute taint that no toleration of the pod tolerates."""
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    for taint in (node.get("spec") or {}).get("taints") or []:
        if taint.get("effect") not in ("NoSchedule", "NoExecute"):
            continue
        if not any(tolerates_taint(t, taint) for t in tolerations):
            return True
    return False
