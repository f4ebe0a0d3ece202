"""InterPodAffinity (upstream pkg/scheduler/framework/plugins/interpodaffinity)."""

from .plugin import DEFAULT_WEIGHT, InterPodAffinity, new

__all__ = ["DEFAULT_WEIGHT", "InterPodAffinity", "new"]
