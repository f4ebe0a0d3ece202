"""The scheduling framework (upstream pkg/scheduler/framework): statuses, PodInfo/NodeInfo, plugin protocols,
the snapshot handle, profiles and the extension-point runtime. Plugins live in ``k8sdocs.model.scheduler.plugins``."""

from .features import DEFAULT_FEATURE_GATES, feature_gates
from .fit_error import ERR_NO_NODES_AVAILABLE, Diagnosis, FitError, reason_histogram, truncate_message
from .interface import (
    BindPlugin,
    FilterPlugin,
    Handle,
    NodePluginScores,
    NodeToStatus,
    Plugin,
    PostFilterPlugin,
    PostFilterResult,
    PreFilterExtensions,
    PreFilterPlugin,
    PreFilterResult,
    PreScorePlugin,
    QueueSortPlugin,
    ScoreExtensions,
    ScorePlugin,
)
from .profile import PluginSpec, Profile
from .runtime import ConfigError, Framework, PluginFactory
from .snapshot import Snapshot
from .status import MAX_NODE_SCORE, MIN_NODE_SCORE, SUCCESS, Code, CycleState, Status, as_status_error, new_status
from .types import (
    DEFAULT_MEMORY_REQUEST,
    DEFAULT_MILLI_CPU_REQUEST,
    HostPort,
    ImageStateSummary,
    NodeInfo,
    PodInfo,
    Resource,
    pod_requests,
)

# the public names, listed (a computed __all__ hides them from ruff and mypy)
__all__ = [
    "BindPlugin",
    "Code",
    "ConfigError",
    "CycleState",
    "DEFAULT_FEATURE_GATES",
    "DEFAULT_MEMORY_REQUEST",
    "DEFAULT_MILLI_CPU_REQUEST",
    "Diagnosis",
    "ERR_NO_NODES_AVAILABLE",
    "FilterPlugin",
    "FitError",
    "Framework",
    "Handle",
    "HostPort",
    "ImageStateSummary",
    "MAX_NODE_SCORE",
    "MIN_NODE_SCORE",
    "NodeInfo",
    "NodePluginScores",
    "NodeToStatus",
    "Plugin",
    "PluginFactory",
    "PluginSpec",
    "PodInfo",
    "PostFilterPlugin",
    "PostFilterResult",
    "PreFilterExtensions",
    "PreFilterPlugin",
    "PreFilterResult",
    "PreScorePlugin",
    "Profile",
    "QueueSortPlugin",
    "Resource",
    "SUCCESS",
    "ScoreExtensions",
    "ScorePlugin",
    "Snapshot",
    "Status",
    "as_status_error",
    "feature_gates",
    "new_status",
    "pod_requests",
    "reason_histogram",
    "truncate_message",
]
