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

Each ``manifests:`` entry is kept as a :class:`ManifestSource` (the file as the scenario names it, or inline YAML,
with the objects it gave): ``Step.files`` and ``Scenario.files()`` say which files were applied, and a run keeps its
scenario (``ClusterRun.scenario``), so no page reads the YAML again to find out.

``at`` is a Go-style duration (``1m30s``, ``250ms``, ``1.5s``, ``2h``) or an integer number of milliseconds;
steps must be in time order. Any problem is a :class:`ScenarioError` naming the file, the step (1-based) or
top-level field, and the cause; manifest problems carry the :class:`ManifestError` text (file, document, field).

Execution needs the whole cluster (``model/cluster.py`` schedules the step callbacks on the clock); this module
provides :func:`apply_objects` and :func:`run_step`, which perform ``apply``/``delete``/``scale`` through a
``Client`` and hand ``fail-node``/``recover-node`` to callbacks supplied by the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from k8sdocs.model import limits
from k8sdocs.model.api.obj import Obj, as_obj
from k8sdocs.model.api.validation import is_dns1123_subdomain
from k8sdocs.model.confine import ConfinementError, confined
from k8sdocs.model.manifests import Manifest, ManifestError, StrictLoader, parse_documents, read_manifest_text
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.support import UnsupportedKindError, check_scenario_kind

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
_TOP_FIELDS = {"name", "seed", "manifests", "steps", "until", "description", "featureGates"}
_SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")


class ScenarioError(ValueError):
    """``<file>: <where>: <cause>``; ``where`` is ``step <n>`` (1-based) or a top-level field."""

    def __init__(self, file: str, where: str, cause: str, step: int | None = None) -> None:
        self.file = file
        self.where = where
        self.cause = cause
        self.step = step
        super().__init__(f"{file}: {where}: {cause}")


@dataclass(frozen=True)
class ManifestSource:
    """One entry of a ``manifests:`` field and the objects it gave, in document order: a file the scenario names
    (``file``: the path as the scenario writes it, relative to the scenario's folder) or inline YAML (``file`` is
    ``None``). Pages show "the files this step applied" from these, without reading the scenario again."""

    file: str | None
    objects: tuple[Obj, ...]


@dataclass(frozen=True)
class Step:
    index: int  # 1-based position in the file
    at_ms: int
    action: str
    objects: tuple[Obj, ...] = ()  # apply: every object of ``sources``, in order
    kind: str = ""  # delete / scale
    name: str = ""
    namespace: str = "default"
    replicas: int | None = None  # scale
    node: str = ""  # fail-node / recover-node
    sources: tuple[ManifestSource, ...] = ()  # apply: where ``objects`` came from

    @property
    def files(self) -> tuple[str, ...]:
        """The manifest files this step applied, as the scenario names them (inline YAML is not a file)."""
        return tuple(src.file for src in self.sources if src.file is not None)

    @property
    def label(self) -> str:
        target = self.node or (f"{self.kind}/{self.name}" if self.name else "")
        return f"step {self.index}: {self.action}" + (f" {target}" if target else "")


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: int
    source: str
    manifests: tuple[Obj, ...]
    steps: tuple[Step, ...]
    until_ms: int
    description: str = ""
    #: kube-scheduler's --feature-gates (name -> bool); only gates the model knows are accepted
    feature_gates: tuple[tuple[str, bool], ...] = ()
    #: where ``manifests`` came from (the top-level ``manifests:`` field)
    manifest_sources: tuple[ManifestSource, ...] = ()

    def objects(self) -> list[Obj]:
        return [clone(o) for o in self.manifests]

    def all_objects(self) -> list[Obj]:
        """Every object the scenario declares: its starting manifests, then each ``apply`` step's (not copies)."""
        return list(self.manifests) + [o for s in self.steps for o in s.objects]

    def sources(self) -> list[ManifestSource]:
        """Every ``manifests:`` entry: the top-level ones first, then each ``apply`` step's, in file order."""
        return list(self.manifest_sources) + [src for s in self.steps for src in s.sources]

    def files(self) -> list[str]:
        """The manifest files the scenario names (top-level first, then each ``apply`` step), no repeats."""
        return list(dict.fromkeys(src.file for src in self.sources() if src.file is not None))


# Go's time.ParseDuration units, in nanoseconds (src/time/format.go, unitMap).
_GO_UNITS_NS = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
                "m": 60_000_000_000, "h": 3_600_000_000_000}
_GO_MAX = 1 << 63


def _go_quote(s: str) -> str:
    """time.quote (src/time/format.go): non-ASCII and control bytes as \\xNN, quotes and backslashes escaped."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


def go_parse_duration_ns(text: str) -> int:
    """A port of Go's ``time.ParseDuration`` (src/time/format.go), overflow checks included; ValueError
    carries Go's message (``time: invalid duration "…"``, ``time: missing unit in duration "…"``,
    ``time: unknown unit "…" in duration "…"``)."""
    orig = text
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    invalid = ValueError("time: invalid duration " + _go_quote(orig))
    if s == "":
        raise invalid
    d = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise invalid
        # leadingInt
        i, v = 0, 0
        while i < len(s) and "0" <= s[i] <= "9":
            if v > _GO_MAX // 10:
                raise invalid
            v = v * 10 + ord(s[i]) - 48
            if v > _GO_MAX:
                raise invalid
            i += 1
        pre = i > 0
        s = s[i:]
        f, scale, post = 0, 1.0, False
        if s and s[0] == ".":
            s = s[1:]
            # leadingFraction
            i, overflow = 0, False
            while i < len(s) and "0" <= s[i] <= "9":
                if not overflow:
                    if f > (_GO_MAX - 1) // 10:
                        overflow = True
                    else:
                        y = f * 10 + ord(s[i]) - 48
                        if y > _GO_MAX:
                            overflow = True
                        else:
                            f = y
                            scale *= 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise ValueError("time: missing unit in duration " + _go_quote(orig))
        u, s = s[:i], s[i:]
        if u not in _GO_UNITS_NS:
            raise ValueError("time: unknown unit " + _go_quote(u) + " in duration " + _go_quote(orig))
        unit = _GO_UNITS_NS[u]
        if v > _GO_MAX // unit:
            raise invalid
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > _GO_MAX:
                raise invalid
        d += v
        if d > _GO_MAX:
            raise invalid
    if neg:
        return -d
    if d > _GO_MAX - 1:
        raise invalid
    return d


def parse_duration_ms(value: Any) -> int:
    """Go ``time.ParseDuration`` (every unit, Go's overflow errors) or an int of milliseconds; then the
    model's rules: not negative, a whole number of milliseconds (scenarios also cap it, ``limits.MAX_UNTIL_MS``)."""
    if isinstance(value, bool):
        raise ValueError(f"invalid duration {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"negative time {value}")
        ms = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        ns = go_parse_duration_ns(text)
        if ns < 0:
            raise ValueError(f"negative time {_go_quote(text)}")
        if ns % 1_000_000:
            raise ValueError(f"duration {_go_quote(text)} is not a whole number of milliseconds")
        ms = ns // 1_000_000
    else:
        raise ValueError(f"invalid duration {value!r}")
    return ms


def _check_simulated_time(ms: int) -> None:
    if ms > limits.MAX_UNTIL_MS:
        raise ValueError(limits.model_limit("the simulated time", f"{ms} ms", f"{limits.MAX_UNTIL_MS} ms (1h)"))


NODE_RESOURCES_REQUIRED = (
    "Required value: a Node in a scenario is a machine: state its resources in status.allocatable "
    "(or status.capacity, which allocatable defaults to) with cpu, memory and pods; the model invents none"
)


def _machine_checked(docs: list[Manifest], known_nodes: set[str] | None = None) -> list[Obj]:
    """Objects of ``docs`` (deep copies); a Node that joins must state what its machine has (issue #12).

    Upstream the kubelet fills ``status.capacity`` from the machine (cAdvisor) and ``status.allocatable`` =
    capacity - reserved (pkg/kubelet/nodestatus/setters.go MachineInfo); ``SetDefaults_NodeStatus`` copies
    capacity into a missing allocatable. A scenario's Node manifest stands for that machine, so the resources
    it has must be written down: no 2 CPU / 4Gi / 110 pods appear silently. A Node already declared earlier in
    the scenario (``known_nodes``) is a ``kubectl apply`` of an existing Node, which only updates it.
    """
    known = known_nodes if known_nodes is not None else set()
    for m in docs:
        if m.obj.get("kind") != "Node":
            continue
        name = str((m.obj.get("metadata") or {}).get("name") or "")
        if name in known:
            continue
        known.add(name)
        status = as_obj(m.obj.get("status"))
        resources = status.get("allocatable") or status.get("capacity")
        field = f"{m.path}.status.allocatable" if m.path else "status.allocatable"
        if not isinstance(resources, dict) or not resources:
            raise ManifestError(m.source, m.document, field, NODE_RESOURCES_REQUIRED)
        missing = [r for r in ("cpu", "memory", "pods") if r not in resources]
        if missing:
            raise ManifestError(m.source, m.document, f"{field}.{missing[0]}", NODE_RESOURCES_REQUIRED)
    return [clone(m.obj) for m in docs]


def _load_file(path: Path, display_name: str, known_nodes: set[str] | None = None) -> list[Obj]:
    text = read_manifest_text(path, display_name)  # bounded size, UTF-8 checked (model/limits.py)
    return _machine_checked(parse_documents(text, display_name), known_nodes)


def _load_manifest_ref(ref: Any, base: Path, file: str, where: str,
                       known_nodes: set[str] | None = None) -> list[ManifestSource]:
    sources = _read_manifest_ref(ref, base, file, where, known_nodes)
    for obj in (o for src in sources for o in src.objects):
        try:
            check_scenario_kind(obj)
        except UnsupportedKindError as e:
            name = (obj.get("metadata") or {}).get("name", "") if isinstance(obj, dict) else ""
            raise ScenarioError(file, where, f"{obj.get('kind')}/{name}: {e}") from e
    return sources


def _objects_of(sources: list[ManifestSource]) -> list[Obj]:
    return [o for src in sources for o in src.objects]


def _read_manifest_ref(ref: Any, base: Path, file: str, where: str,
                       known_nodes: set[str] | None = None) -> list[ManifestSource]:
    try:
        if isinstance(ref, str):
            return [ManifestSource(None, tuple(_machine_checked(parse_documents(ref, "inline"), known_nodes)))]
        if isinstance(ref, list):
            sources: list[ManifestSource] = []
            for i, item in enumerate(ref):
                if not isinstance(item, str):
                    raise ScenarioError(file, f"{where}[{i}]", "must be a file path (string)")
                try:  # the scenario's folder and below, symlinks resolved (issue 15, item 1)
                    path = confined(base, item)
                except ConfinementError as err:
                    raise ScenarioError(file, f"{where}[{i}]", str(err)) from None
                if not path.is_file():
                    raise ScenarioError(file, f"{where}[{i}]", f"file not found: {item}")
                sources.append(ManifestSource(item, tuple(_load_file(path, item, known_nodes))))
            return sources
    except ManifestError as e:
        raise ScenarioError(file, where, str(e)) from e
    raise ScenarioError(file, where, "must be an inline YAML string or a list of file paths")


def parse_scenario(text: str, source: str = "<inline>", base_dir: str | Path | None = None) -> Scenario:
    base = Path(base_dir) if base_dir is not None else Path(".")
    try:
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader that rejects duplicate keys
    except yaml.YAMLError as e:
        problem, line, column = limits.describe_yaml_error(e)
        where = f"line {line}, column {column}" if line is not None else "yaml"
        raise ScenarioError(source, where, problem) from None
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
        raise ScenarioError(source, "seed", f"must be an integer, got {str(seed)[:40]!r}")
    if not limits.INT64_MIN <= seed <= limits.INT64_MAX:
        raise ScenarioError(source, "seed", f"must fit in an int64, got a {len(str(abs(seed)))}-digit number")
    desc = data.get("description")
    if desc is not None and not isinstance(desc, str):
        raise ScenarioError(source, "description", "must be a string")
    manifest_sources: list[ManifestSource] = []
    known_nodes: set[str] = set()  # Nodes declared so far: a later apply of one of them is an update
    if data.get("manifests") is not None:
        manifest_sources = _load_manifest_ref(data["manifests"], base, source, "manifests", known_nodes)
    manifests = _objects_of(manifest_sources)
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list):
        raise ScenarioError(source, "steps", "must be a list")
    if len(raw_steps) > limits.MAX_STEPS:
        raise ScenarioError(source, "steps", limits.model_limit("the number of steps", len(raw_steps), limits.MAX_STEPS))
    steps: list[Step] = []
    last = 0
    for i, raw in enumerate(raw_steps, start=1):
        step = _parse_step(raw, i, source, base, known_nodes)
        if step.at_ms < last:
            raise ScenarioError(source, f"step {i}", f"steps must be in time order (at {step.at_ms} ms is before {last} ms)", i)
        last = step.at_ms
        steps.append(step)
    until = last
    if data.get("until") is not None:
        try:
            until = parse_duration_ms(data["until"])
            _check_simulated_time(until)
        except ValueError as e:
            raise ScenarioError(source, "until", str(e)) from None
        if until < last:
            raise ScenarioError(source, "until", f"is before the last step ({last} ms)")
    check_scenario_size(source, manifests, steps)
    gates = _parse_feature_gates(data.get("featureGates"), source)
    return Scenario(name.strip(), seed, source, tuple(manifests), tuple(steps), until, desc or "", gates,
                    tuple(manifest_sources))


def _parse_feature_gates(raw: Any, source: str) -> tuple[tuple[str, bool], ...]:
    """``featureGates: {Name: true|false}``; an unknown name is refused as component-base/featuregate does
    (``unrecognized feature gate: <name>``): kube-scheduler would not start."""
    from k8sdocs.model.scheduler.framework.features import UnknownFeatureGateError, feature_gates

    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ScenarioError(source, "featureGates", "must be a mapping of gate names to true/false")
    out: list[tuple[str, bool]] = []
    for name in sorted(raw, key=str):
        value = raw[name]
        if not isinstance(value, bool):
            raise ScenarioError(source, f"featureGates.{name}", f"must be true or false, got {str(value)[:40]!r}")
        try:
            feature_gates({str(name): value})
        except UnknownFeatureGateError as err:
            raise ScenarioError(source, f"featureGates.{name}", str(err)) from None
        out.append((str(name), value))
    return tuple(out)


_WORKLOADS = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")


def check_scenario_size(source: str, manifests: list[Obj], steps: list[Step]) -> None:
    """The model's caps on Nodes, replicas and Pods (``model/limits.py``), before anything runs."""
    groups: list[tuple[str, tuple[Obj, ...] | list[Obj]]] = [("manifests", manifests)]
    groups += [(f"step {s.index}", s.objects) for s in steps if s.action == "apply"]
    nodes = pods = 0
    daemonsets = 0
    for where, objs in groups:
        for obj in objs:
            kind = obj.get("kind")
            name = (obj.get("metadata") or {}).get("name", "")
            if kind == "Node":
                nodes += 1
                if nodes > limits.MAX_NODES:
                    raise ScenarioError(source, where, limits.model_limit("the number of Nodes", f"more than {limits.MAX_NODES}",
                                                                          limits.MAX_NODES))
            elif kind == "Pod":
                pods += 1
            elif kind == "DaemonSet":
                daemonsets += 1
            elif kind in _WORKLOADS:
                replicas = (obj.get("spec") or {}).get("replicas", 1)
                replicas = replicas if isinstance(replicas, int) else 1
                if replicas > limits.MAX_REPLICAS:
                    raise ScenarioError(source, where, f"{kind}/{name}: spec.replicas: "
                                        + limits.model_limit("spec.replicas", replicas, limits.MAX_REPLICAS))
                pods += replicas
    for step in steps:
        if step.action == "scale":
            pods += step.replicas or 0
    pods += daemonsets * nodes
    if pods > limits.MAX_PODS:
        raise ScenarioError(source, "manifests", limits.model_limit("the number of Pods this scenario asks for", pods, limits.MAX_PODS))


def _parse_step(raw: Any, i: int, file: str, base: Path, known_nodes: set[str] | None = None) -> Step:
    where = f"step {i}"

    def fail(cause: str) -> ScenarioError:
        return ScenarioError(file, where, cause, i)

    if not isinstance(raw, dict):
        raise fail("a step must be a mapping with 'at' and 'action'")
    if "at" not in raw:
        raise fail('missing field "at"')
    try:
        at_ms = parse_duration_ms(raw["at"])
        _check_simulated_time(at_ms)
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
            sources = _load_manifest_ref(raw["manifests"], base, file, f"{where}: manifests", known_nodes)
        except ScenarioError as e:
            raise ScenarioError(e.file, e.where, e.cause, i) from e
        objs = _objects_of(sources)
        if not objs:
            raise fail("apply: no objects in manifests")
        return Step(i, at_ms, action, objects=tuple(objs), sources=tuple(sources))
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
        raise fail(f"scale: replicas must be an integer >= 0, got {str(replicas)[:40]!r}")
    if replicas > limits.INT32_MAX:
        # autoscaling/v1 Scale: ScaleSpec.Replicas is an int32 (encoding/json's overflow error)
        raise fail(f"scale: json: cannot unmarshal number {replicas} into Go struct field ScaleSpec.spec.replicas of type int32")
    if replicas > limits.MAX_REPLICAS:
        raise fail("scale: " + limits.model_limit("replicas", replicas, limits.MAX_REPLICAS))
    return Step(i, at_ms, action, kind=kind, name=name, namespace=namespace, replicas=replicas)


def load_scenario(path: str | Path) -> Scenario:
    p = Path(path)
    try:
        text = read_manifest_text(p, str(path))
    except ManifestError as e:
        where = f"line {e.line}, column {e.column}" if e.line is not None else "(file)"
        raise ScenarioError(str(path), where, e.message) from None
    return parse_scenario(text, str(path), p.parent)


# -- execution helpers (used by model/cluster.py) ------------------------------------------------------
def merge_manifest(current: Any, desired: Any) -> Any:
    """Two-way merge used by :func:`apply_objects`: maps merge key by key (fields the manifest does not
    mention keep their live value, e.g. a Service's allocated ``clusterIP`` or a Node's ``podCIDR``);
    scalars and lists take the manifest's value."""
    if isinstance(current, dict) and isinstance(desired, dict):
        out = clone(current)
        for k, v in desired.items():
            out[k] = merge_manifest(current.get(k), v)
        return out
    return clone(desired)


def apply_objects(client: Any, objects: list[Obj] | tuple[Obj, ...]) -> list[Obj]:
    """``kubectl apply`` simplified: create what is absent (GET 404, then POST), update what exists (PUT).

    Real ``kubectl apply`` computes a three-way strategic merge with the ``last-applied-configuration``
    annotation; here the manifest is merged into the live object with :func:`merge_manifest` (so fields
    removed from a manifest are not deleted, and lists are replaced whole). ``status`` is never applied.
    The update carries the live ``resourceVersion`` (never a 409 by itself).
    """
    results: list[Obj] = []
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
            results.append(client.create(clone(obj)))
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
) -> list[Obj]:
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
