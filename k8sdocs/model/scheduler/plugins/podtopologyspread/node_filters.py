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

Both use the shared API helpers (:mod:`k8sdocs.model.api.nodeaffinity`, :mod:`k8sdocs.model.api.toleration`), as
upstream calls component-helpers and core/v1, so the plugin does not depend on the NodeAffinity / TaintToleration
plugin modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sdocs.model.api.nodeaffinity import RequiredNodeAffinity
from k8sdocs.model.api.toleration import tolerates_taint

Obj = Mapping[str, Any]


def required_node_affinity_matches(pod: Obj, node: Obj) -> bool:
    """``GetRequiredNodeAffinity(pod).Match(node)`` with parse errors treated as "no match"."""
    meta = node.get("metadata") or {}
    return RequiredNodeAffinity.from_pod(pod).matches(str(meta.get("name", "")), meta.get("labels") or {})


def has_untolerated_do_not_schedule_taint(pod: Obj, node: Obj) -> bool:
    """A NoSchedule or NoExecute taint that no toleration of the pod tolerates."""
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    for taint in (node.get("spec") or {}).get("taints") or []:
        if taint.get("effect") not in ("NoSchedule", "NoExecute"):
            continue
        if not any(tolerates_taint(t, taint) for t in tolerations):
            return True
    return False
