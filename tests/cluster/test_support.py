"""The list of what the model simulates (k8sdocs/model/support.py) matches the running model."""

from __future__ import annotations

from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.support import SCENARIO_KINDS, added_fields, controllers


def test_every_controller_named_as_an_actor_runs_in_the_model() -> None:
    running = set(controllers())
    named = {a for actors in SCENARIO_KINDS.values() for a in actors if a.endswith(("Controller", "Collector"))}
    assert named and named <= running


def test_every_scenario_kind_is_in_the_api_registry() -> None:
    assert set(SCENARIO_KINDS) <= set(RESOURCES)
    assert "DaemonSet" in RESOURCES and "DaemonSet" not in SCENARIO_KINDS


def test_added_fields_lists_new_leaves_only() -> None:
    before = {"spec": {"a": 1, "l": [{"x": 1}]}}
    after = {"spec": {"a": 1, "b": 2, "l": [{"x": 1, "y": 3}]}}
    assert added_fields(before, after) == [("spec.b", 2), ("spec.l[0].y", 3)]
