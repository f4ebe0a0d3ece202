"""DefaultPreemption (upstream pkg/scheduler/framework/plugins/defaultpreemption and framework/preemption)."""

from .default_preemption import DefaultPreemption, DefaultPreemptionArgs, new

__all__ = ["DefaultPreemption", "DefaultPreemptionArgs", "new"]
