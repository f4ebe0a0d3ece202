"""kube-scheduler model (target v1.35): framework, one module per plugin as upstream, scheduling cycle, component."""

from .schedule_one import Scheduler, ScheduleResult

__all__ = ["ScheduleResult", "Scheduler"]
