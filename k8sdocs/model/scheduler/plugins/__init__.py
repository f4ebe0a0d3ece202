"""Scheduler plugins, one package per upstream package under pkg/scheduler/framework/plugins/."""
