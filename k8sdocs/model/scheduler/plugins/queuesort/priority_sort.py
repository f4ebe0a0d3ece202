"""PrioritySort (upstream pkg/scheduler/framework/plugins/queuesort/priority_sort.go): higher priority first, then the
earlier queue timestamp."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sdocs.model.scheduler.framework.types import PodInfo

NAME = "PrioritySort"


class PrioritySort:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        pass

    def less(self, a: PodInfo, a_timestamp: int, b: PodInfo, b_timestamp: int) -> bool:
        return a.priority > b.priority or (a.priority == b.priority and a_timestamp < b_timestamp)
