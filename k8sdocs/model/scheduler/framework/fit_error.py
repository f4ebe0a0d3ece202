"""``Diagnosis`` and ``FitError``: the "0/N nodes are available: …" text of FailedScheduling.

Upstream: pkg/scheduler/framework/types.go (``FitError.Error``, ``NoNodeAvailableMsg``, ``SeparatorFormat``): the
PreFilter message replaces the reason histogram; the histogram counts each reason of each explicit node status plus the
absent-nodes reasons × the number of absent nodes, formatted "<count> <reason>", sorted as plain strings
(``sort.Strings``) and joined by ", "; the PostFilter message (which brings its own final ".") follows after a space.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .interface import NodeToStatus

# types.go NoNodeAvailableMsg / SeparatorFormat.
NO_NODE_AVAILABLE_MSG = "0/{} nodes are available"
SEPARATOR_FORMAT = " {}."
# schedule_one.go ErrNoNodesAvailable.
ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods"


@dataclass
class Diagnosis:
    node_to_status: NodeToStatus = field(default_factory=NodeToStatus)
    unschedulable_plugins: set[str] = field(default_factory=set)
    pre_filter_msg: str = ""
    post_filter_msg: str = ""


def reason_histogram(node_to_status: NodeToStatus, num_all_nodes: int) -> list[str]:
    """Sorted "<count> <reason>" strings (types.go sortReasonsHistogram)."""
    reasons: dict[str, int] = {}
    for status in node_to_status.statuses.values():
        for reason in status.reasons:
            reasons[reason] = reasons.get(reason, 0) + 1
    absent = num_all_nodes - len(node_to_status.statuses)
    if absent > 0:
        for reason in node_to_status.absent_nodes_status.reasons:
            reasons[reason] = reasons.get(reason, 0) + absent
    return sorted(f"{count} {reason}" for reason, count in reasons.items())


@dataclass
class FitError:
    """``framework.FitError``: the pod fits on none of ``num_all_nodes`` nodes."""

    pod_key: str
    num_all_nodes: int
    diagnosis: Diagnosis

    def error(self) -> str:
        msg = NO_NODE_AVAILABLE_MSG.format(self.num_all_nodes) + ":"
        if self.diagnosis.pre_filter_msg:
            msg += SEPARATOR_FORMAT.format(self.diagnosis.pre_filter_msg)
        else:
            histogram = reason_histogram(self.diagnosis.node_to_status, self.num_all_nodes)
            if histogram:
                msg += SEPARATOR_FORMAT.format(", ".join(histogram))
        if self.diagnosis.post_filter_msg:
            msg += " " + self.diagnosis.post_filter_msg
        return msg

    __str__ = error


def truncate_message(message: str, limit: int = 1024) -> str:
    """schedule_one.go truncateMessage: longer messages keep limit-4 chars + " ..."."""
    if len(message) <= limit:
        return message
    return message[: limit - len(" ...")] + " ..."
