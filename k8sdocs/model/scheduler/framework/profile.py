"""A scheduling profile: ordered plugins with weights and args (upstream ``KubeSchedulerProfile`` after MultiPoint
expansion, pkg/scheduler/apis/config/v1/default_plugins.go and pkg/scheduler/framework/runtime/framework.go).

Plugins are listed once, in MultiPoint order; each extension point runs the plugins that implement it, in that order.
A ``Profile`` is configuration only: ``Framework`` (runtime.py) builds the plugin instances from the registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class PluginSpec:
    """One enabled plugin: its upstream name, its args (None = defaults) and its score weight (0 = default 1)."""

    name: str
    args: Mapping[str, Any] | None = None
    weight: int = 0


@dataclass(frozen=True)
class Profile:
    """Ordered plugins; ``percentage_of_nodes_to_score`` None = use the scheduler's global value."""

    plugins: tuple[PluginSpec, ...]
    scheduler_name: str = "default-scheduler"
    percentage_of_nodes_to_score: int | None = None
    feature_gates: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))

    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.plugins)

    def spec(self, name: str) -> PluginSpec | None:
        return next((p for p in self.plugins if p.name == name), None)

    def weights(self) -> dict[str, int]:
        """Plugin name -> weight (upstream: a score plugin configured with weight 0 gets 1)."""
        return {p.name: (p.weight or 1) for p in self.plugins}

    def without(self, *names: str) -> "Profile":
        return replace(self, plugins=tuple(p for p in self.plugins if p.name not in names))

    def only(self, *names: str) -> "Profile":
        return replace(self, plugins=tuple(p for p in self.plugins if p.name in names))
