"""plugins/helper/taint.go ``DoNotScheduleTaintsFilterFunc``; the toleration matching itself is shared by every
component and lives in k8sdocs/model/api/toleration.py (re-exported here for the plugins)."""

from __future__ import annotations

from collections.abc import Mapping

from k8sdocs.model.api.toleration import (
    TaintParseError,
    find_matching_untolerated_taint,
    tolerates_taint,
    tolerations_tolerate_taint,
)

Obj = Mapping[str, object]


def do_not_schedule_taints_filter(taint: Obj) -> bool:
    """helper.DoNotScheduleTaintsFilterFunc: NoSchedule and NoExecute taints."""
    return taint.get("effect") in ("NoSchedule", "NoExecute")


__all__ = [
    "TaintParseError",
    "do_not_schedule_taints_filter",
    "find_matching_untolerated_taint",
    "tolerates_taint",
    "tolerations_tolerate_taint",
]
