"""Plugin status codes and ``Status`` (upstream pkg/scheduler/framework/interface.go, now staging/src/k8s.io/kube-scheduler/framework)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

# interface.go: MaxNodeScore / MinNodeScore; MaxTotalScore is math.MaxInt64 upstream.
MAX_NODE_SCORE = 100
MIN_NODE_SCORE = 0


class Code(IntEnum):
    """``framework.Code`` in upstream order (the numeric values match upstream)."""

    Success = 0
    Error = 1
    Unschedulable = 2
    UnschedulableAndUnresolvable = 3
    Wait = 4
    Skip = 5
    Pending = 6


@dataclass(frozen=True)
class Status:
    """Result of a plugin call: a code, reason strings and the plugin that produced it.

    ``Status()`` is success (upstream a nil *Status). ``message()`` joins the reasons with ", " as upstream.
    """

    code: Code = Code.Success
    reasons: tuple[str, ...] = ()
    plugin: str = ""
    error: str = ""

    def is_success(self) -> bool:
        return self.code == Code.Success

    def is_skip(self) -> bool:
        return self.code == Code.Skip

    def is_rejected(self) -> bool:
        """Unschedulable, UnschedulableAndUnresolvable or Pending (``Status.IsRejected``)."""
        return self.code in (Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Pending)

    def message(self) -> str:
        return ", ".join(self.reasons)

    def with_plugin(self, plugin: str) -> "Status":
        return Status(self.code, self.reasons, plugin, self.error)



SUCCESS = Status()


def new_status(code: Code, *reasons: str) -> Status:
    """``framework.NewStatus(code, reasons...)``."""
    return Status(code, tuple(reasons))


def as_status_error(err: str) -> Status:
    """``framework.AsStatus(err)``: code Error, the error text as the single reason."""
    return Status(Code.Error, (err,), error=err)


@dataclass
class CycleState:
    """Per-scheduling-cycle scratch data shared by the plugins of one profile (``framework.CycleState``).

    Plugins write under their own key (``"PreFilter" + plugin name`` upstream). ``skip_*`` mirror the sets of
    plugins that returned Skip in PreFilter/PreScore, so the framework does not call them later.
    """

    data: dict[str, object] = field(default_factory=dict)
    skip_filter_plugins: set[str] = field(default_factory=set)
    skip_score_plugins: set[str] = field(default_factory=set)

    def read(self, key: str) -> object:
        """Raises KeyError when absent (upstream returns ErrNotFound)."""
        return self.data[key]

    def write(self, key: str, value: object) -> None:
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)

    def clone(self) -> "CycleState":
        """Shallow copy of the map; values that plugins mutate implement ``clone()`` and are cloned (as upstream)."""
        copied = {k: (v.clone() if hasattr(v, "clone") else v) for k, v in self.data.items()}
        return CycleState(copied, set(self.skip_filter_plugins), set(self.skip_score_plugins))
