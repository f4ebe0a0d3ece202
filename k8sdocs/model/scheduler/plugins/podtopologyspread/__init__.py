"""PodTopologySpread (upstream pkg/scheduler/framework/plugins/podtopologyspread)."""

from .plugin import DEFAULT_WEIGHT, PodTopologySpread, new

__all__ = ["DEFAULT_WEIGHT", "PodTopologySpread", "new"]
