"""Scenarios as data: manifests plus timed actions, parsed and validated into dataclasses.

A scenario file (YAML)::

    name: despliegue-basico        # required
    seed: 7                        # optional int (default 0): seeds every RNG of the run
    until: 10m                     # optional: how long to simulate (default: the last step's time)
    manifests: |                   # the cluster's starting state, applied at t=0 before any step:
      apiVersion: v1               #   an inline multi-document YAML string, or a list of file paths
      kind: Node                   #   relative to the scenario file
      ...
    steps:
      - {at: 0s, action: apply, manifests: [deploy.yaml]}     # kubectl apply (inline YAML or file list)
      - {at: 30s, action: scale, name: web, replicas: 5}      # kind defaults to Deployment
      - {at: 40s, action: delete, kind: Pod, name: web-abc12} # namespace defaults to "default"
      - {at: 1m, action: fail-node, node: node-2}             # the node's kubelet stops (cluster.py)
      - {at: 8m, action: recover-node, node: node-2}
      - {at: 10m, action: advance}                            # only lets simulated time pass

``at`` is a Go-style duration (``1m30s``, ``250ms``, ``1.5s``, ``2h``) or an integer number of milliseconds;
steps must be in time order. Any problem is a :class:`ScenarioError` naming the file, the step (1-based) or
top-level field, and the cause; manifest problems carry the :class:`ManifestError` text (file, document, field).

Execution needs the whole cluster (``model/cluster.py`` schedules the step callbacks on the clock); this module
provides :func:`apply_objects` and :func:`run_step`, which perform ``apply``/``delete``/``scale`` through a
``Client`` and hand ``fail-node``/``recover-node`` to callbacks supplied by the cluster.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from k8sdocs.model.manifests import ManifestError, StrictLoader, load_manifest_file, parse_manifests
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.support import UnsupportedKindError, check_scenario_kind
from k8sdocs.model.validation import is_dns1123_subdomain

ACTIONS = ("apply", "delete", "scale", "fail-node", "recover-node", "advance")

_STEP_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # action: (required, optional) besides "at" and "action"
    "apply": ({"manifests"}, set()),
    "delete": ({"kind", "name"}, {"namespace"}),
    "scale": ({"name", "replicas"}, {"kind", "namespace"}),
    "fail-node": ({"node"}, set()),
    "recover-node": ({"node"}, set()),
    "advance": (set(), set()),
}
_TOP_FIELDS = {"name", "seed", "manifests", "steps", "until", "description"}
_SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")

_DURATION_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ms|h|m|s)")
_UNIT_MS = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}


class ScenarioError(ValueError):
    """``<file>: <where>: <cause>``; ``where`` is ``step <n>`` (1-based) or a top-level field."""

    def __init__(self, file: str, where: str, cause: str, step: int | None = None) -> None:
        self.file = file
        self.where = where
        self.cause = cause
        self.step = step
        super().__init__(f"{file}: {where}: {cause}")


@dataclass(frozen=True)
class Step:
    index: int  # 1-based position in the file
    at_ms: int
    action: str
    objects: tuple[dict, ...] = ()  # apply
    kind: str = ""  # delete / scale
    name: str = ""
    namespace: str = "default"
    replicas: int | None = None  # scale
    node: str = ""  # fail-node / recover-node

    @property
    def label(self) -> str:
        target = self.node or (f"{self.kind}/{self.name}" if self.name else "")
        return f"step {self.index}: {self.action}" + (f" {target}" if target else "")


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: int
    source: str
    manifests: tuple[dict, ...]
    steps: tuple[Step, ...]
    until_ms: int
    description: str = ""

    def objects(self) -> list[dict]:
        return [copy.deepcopy(o) for o in self.manifests]


def parse_duration_ms(value: Any) -> int:
    """Go ``time.ParseDuration`` subset (h, m, s, ms; decimals allowed) or an int of milliseconds."""
    if isinstance(value, bool):
        raise ValueError(f"invalid duration {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"negative time {value}")
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"invalid duration {value!r}")
    text = value.strip()
    if text == "0":
        return 0
    pos = 0
    total = 0.0
    for m in _DURATION_RE.finditer(text):
        if m.start() != pos:
            raise ValueError(f'time: invalid duration "{text}"')
        total += float(m.group(1)) * _UNIT_MS[m.group(2)]
        pos = m.end()
    if pos != len(text) or pos == 0:
        raise ValueError(f'time: invalid duration "{text}"')
    if total != int(total):
        raise ValueError(f'duration "{text}" is not a whole number of milliseconds')
    return int(total)


def _load_manifest_ref(ref: Any, base: Path, file: str, where: str) -> list[dict]:
    objs = _read_manifest_ref(ref, base, file, where)
    for obj in objs:
        try:
            check_scenario_kind(obj)
        except UnsupportedKindError as e:
            name = (obj.get("metadata") or {}).get("name", "") if isinstance(obj, dict) else ""
            raise ScenarioError(file, where, f"{obj.get('kind')}/{name}: {e}") from e
    return objs


def _read_manifest_ref(ref: Any, base: Path, file: str, where: str) -> list[dict]:
    try:
        if isinstance(ref, str):
            return parse_manifests(ref, "inline")
        if isinstance(ref, list):
            objs: list[dict] = []
            for i, item in enumerate(ref):
                if not isinstance(item, str):
                    raise ScenarioError(file, f"{where}[{i}]", "must be a file path (string)")
                path = base / item
                if not path.is_file():
                    raise ScenarioError(file, f"{where}[{i}]", f"file not found: {item}")
                objs.extend(load_manifest_file(path, item))
            return objs
    except ManifestError as e:
        raise ScenarioError(file, where, str(e)) from e
    raise ScenarioError(file, where, "must be an inline YAML string or a list of file paths")


def parse_scenario(text: str, source: str = "<inline>", base_dir: str | Path | None = None) -> Scenario:
    base = Path(base_dir) if base_dir is not None else Path(".")
    try:
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader that rejects duplicate keys
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "yaml"
        raise ScenarioError(source, where, e.problem or str(e)) from None
    if not isinstance(data, dict):
        raise ScenarioError(source, "(root)", "a scenario must be a mapping")
    unknown = sorted(set(map(str, data)) - _TOP_FIELDS)
    if unknown:
        raise ScenarioError(source, unknown[0], f'unknown field "{unknown[0]}"')
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(source, "name", "required (a non-empty string)")
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ScenarioError(source, "seed", f"must be an integer, got {seed!r}")
    manifests: list[dict] = []
    if data.get("manifests") is not None:
        manifests = _load_manifest_ref(data["manifests"], base, source, "manifests")
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list):
        raise ScenarioError(source, "steps", "must be a list")
    steps: list[Step] = []
    last = 0
    for i, raw in enumerate(raw_steps, start=1):
        step = _parse_step(raw, i, source, base)
        if step.at_ms < last:
            raise ScenarioError(source, f"step {i}", f"steps must be in time order (at {step.at_ms} ms is before {last} ms)", i)
        last = step.at_ms
        steps.append(step)
    until = last
    if data.get("until") is not None:
        try:
            until = parse_duration_ms(data["until"])
        except ValueError as e:
            raise ScenarioError(source, "until", str(e)) from None
        if until < last:
            raise ScenarioError(source, "until", f"is before the last step ({last} ms)")
    desc = data.get("description") or ""
    return Scenario(name.strip(), seed, source, tuple(manifests), tuple(steps), until, str(desc))


def _parse_step(raw: Any, i: int, file: str, base: Path) -> Step:
    where = f"step {i}"

    def fail(cause: str) -> ScenarioError:
        return ScenarioError(file, where, cause, i)

    if not isinstance(raw, dict):
        raise fail("a step must be a mapping with 'at' and 'action'")
    if "at" not in raw:
        raise fail('missing field "at"')
    try:
        at_ms = parse_duration_ms(raw["at"])
    except ValueError as e:
        raise fail(f"at: {e}") from None
    action = raw.get("action")
    if action not in ACTIONS:
        raise fail(f"unknown action {action!r}; expected one of: {', '.join(ACTIONS)}")
    required, optional = _STEP_FIELDS[action]
    present = set(map(str, raw)) - {"at", "action"}
    missing = sorted(required - present)
    if missing:
        raise fail(f'{action}: missing field "{missing[0]}"')
    extra = sorted(present - required - optional)
    if extra:
        raise fail(f'{action}: unknown field "{extra[0]}"')
    if action == "apply":
        try:
            objs = _load_manifest_ref(raw["manifests"], base, file, f"{where}: manifests")
        except ScenarioError as e:
            raise ScenarioError(e.file, e.where, e.cause, i) from e
        if not objs:
            raise fail("apply: no objects in manifests")
        return Step(i, at_ms, action, objects=tuple(objs))
    if action in ("fail-node", "recover-node"):
        node = raw["node"]
        if not isinstance(node, str) or is_dns1123_subdomain(node):
            raise fail(f"{action}: invalid node name {node!r}")
        return Step(i, at_ms, action, node=node)
    if action == "advance":
        return Step(i, at_ms, action)
    kind = raw.get("kind", "Deployment")
    if kind not in RESOURCES:
        raise fail(f'{action}: no matches for kind "{kind}"')
    name = raw["name"]
    if not isinstance(name, str) or not name:
        raise fail(f"{action}: name must be a non-empty string")
    namespace = raw.get("namespace", "default")
    if not isinstance(namespace, str) or not namespace:
        raise fail(f"{action}: namespace must be a non-empty string")
    if action == "delete":
        return Step(i, at_ms, action, kind=kind, name=name, namespace=namespace)
    if kind not in _SCALABLE:
        raise fail(f'scale: kind "{kind}" has no scale subresource')
    replicas = raw["replicas"]
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        raise fail(f"scale: replicas must be an integer >= 0, got {replicas!r}")
    return Step(i, at_ms, action, kind=kind, name=name, namespace=namespace, replicas=replicas)


def load_scenario(path: str | Path) -> Scenario:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioError(str(path), "(file)", f"cannot read: {e.strerror}") from None
    return parse_scenario(text, str(path), p.parent)


# -- execution helpers (used by model/cluster.py) ------------------------------------------------------
def merge_manifest(current: Any, desired: Any) -> Any:
    """Two-way merge used by :func:`apply_objects`: maps merge key by key (fields the manifest does not
    mention keep their live value, e.g. a Service's allocated ``clusterIP`` or a Node's ``podCIDR``);
    scalars and lists take the manifest's value."""
    if isinstance(current, dict) and isinstance(desired, dict):
        out = copy.deepcopy(current)
        for k, v in desired.items():
            out[k] = merge_manifest(current.get(k), v)
        return out
    return copy.deepcopy(desired)


def apply_objects(client: Any, objects: list[dict] | tuple[dict, ...]) -> list[dict]:
    """``kubectl apply`` simplified: create what is absent (GET 404, then POST), update what exists (PUT).

    Real ``kubectl apply`` computes a three-way strategic merge with the ``last-applied-configuration``
    annotation; here the manifest is merged into the live object with :func:`merge_manifest` (so fields
    removed from a manifest are not deleted, and lists are replaced whole). ``status`` is never applied.
    The update carries the live ``resourceVersion`` (never a 409 by itself).
    """
    results: list[dict] = []
    for obj in objects:
        meta = obj.get("metadata") or {}
        info = RESOURCES[obj["kind"]]
        ns = (meta.get("namespace") or "default") if info.namespaced else None
        name = meta.get("name")
        current = None
        if name:
            try:
                current = client.get(obj["kind"], name, ns)
            except Exception as e:  # APIError; matched by its code so a reloaded module cannot break it
                if getattr(e, "code", None) != 404:
                    raise
        if current is None:
            results.append(client.create(copy.deepcopy(obj)))
            continue
        desired = {k: v for k, v in obj.items() if k != "status"}
        desired["metadata"] = {k: v for k, v in meta.items() if k in ("labels", "annotations")}
        new = merge_manifest(current, desired)
        results.append(client.update(new))
    return results


def run_step(
    step: Step,
    client: Any,
    *,
    fail_node: Callable[[str], None] | None = None,
    recover_node: Callable[[str], None] | None = None,
) -> list[dict]:
    """Perform one step now; returns the objects written (empty for node and advance steps)."""
    if step.action == "apply":
        return apply_objects(client, step.objects)
    if step.action == "delete":
        return [client.delete(step.kind, step.name, step.namespace)]
    if step.action == "scale":
        return [client.scale(step.kind, step.name, int(step.replicas or 0), step.namespace)]
    if step.action == "fail-node":
        if fail_node is None:
            raise RuntimeError(f"{step.label}: no fail-node handler")
        fail_node(step.node)
        return []
    if step.action == "recover-node":
        if recover_node is None:
            raise RuntimeError(f"{step.label}: no recover-node handler")
        recover_node(step.node)
        return []
    return []  # advance


def schedule_steps(
    scenario: Scenario,
    clock: Any,
    client: Any,
    *,
    fail_node: Callable[[str], None] | None = None,
    recover_node: Callable[[str], None] | None = None,
    on_error: Callable[[Step, Exception], None] | None = None,
) -> list[int]:
    """Put every step on the clock at its ``at`` (timer ids returned). API errors go to ``on_error`` if given."""
    ids: list[int] = []
    for step in scenario.steps:
        def fire(step: Step = step) -> None:
            try:
                run_step(step, client, fail_node=fail_node, recover_node=recover_node)
            except Exception as e:  # APIError (matched by shape: code + reason)
                if on_error is None or not (hasattr(e, "code") and hasattr(e, "reason")):
                    raise
                on_error(step, e)

        ids.append(clock.call_at(step.at_ms, fire, step.label))
    return ids
