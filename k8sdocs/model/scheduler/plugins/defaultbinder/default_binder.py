"""DefaultBinder (upstream pkg/scheduler/framework/plugins/defaultbinder/default_binder.go): POSTs the Binding.

In this model the API call is made by the kube-scheduler component (component.py) through its client; the plugin
only records the decision, so the pure scheduler stays free of I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sdocs.model.scheduler.framework.status import CycleState, Status

NAME = "DefaultBinder"


class DefaultBinder:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        pass

    def bind(self, state: CycleState, pod: Mapping[str, Any], node_name: str) -> Status:
        state.write("Bind/" + NAME, node_name)
        return Status()
