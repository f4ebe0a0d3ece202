"""Property test (issue 15, item 4): mutated copies of the shipped scenarios and manifests either load and run,
or fail with one line naming the file; never an unexpected exception (which the macros adapter would print as
``error interno``), never a traceback.

Mutations: a value replaced by ``null``, a YAML date, a huge or negative integer, a float, a boolean, a list, a
mapping, a 60-deep list, a ``--8<--`` line; a byte of the file replaced by one that is not UTF-8. Bounded on
purpose (few examples, small scenarios, ``derandomize`` so CI sees the same inputs every run).
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sdocs.model.cluster import Cluster
from k8sdocs.model.manifests import ManifestError, load_manifest_file
from k8sdocs.model.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "docs" / "escenarios"
# Small scenarios (a few hundred callbacks each), so every example also runs the cluster.
SMALL = ("cp-ejercicio-taints.yaml", "cp-ejercicio-recursos.yaml", "nodo-imagen.yaml", "cp-ejercicio-empate.yaml")
MANIFESTS = sorted((SCENARIOS / "manifiestos").glob("*.yaml"))

REPLACEMENTS: tuple[Any, ...] = (
    None, datetime.date(2024, 1, 1), 10**30, -1, 2**31, 0.5, True, [], {}, ["x"], {"a": "b"}, "",
    "--8<-- \"/etc/passwd\"", "<b>x</b>", "a" * 300,
)


def deep_list(depth: int) -> Any:
    value: Any = "fondo"
    for _ in range(depth):
        value = [value]
    return value


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_of(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths_of(v, prefix + (i,))
    return out


def replace_at(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for key in path[:-1]:
        value = value[key]
    value[path[-1]] = new


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str | None, int, Any, int | None]:
    """(scenario, manifest file to mutate or None for the scenario file, path index, new value, byte to corrupt)."""
    scenario = draw(st.sampled_from(SMALL))
    target = draw(st.sampled_from([None, *[m.name for m in MANIFESTS]]))
    index = draw(st.integers(min_value=0, max_value=10_000))
    new = draw(st.one_of(st.sampled_from(REPLACEMENTS), st.just(deep_list(60))))
    corrupt = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)))
    return scenario, target, index, new, corrupt


def mutate_file(path: Path, index: int, new: Any, corrupt: int | None) -> None:
    docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    paths = [(d, p) for d, doc in enumerate(docs) for p in paths_of(doc)]
    if paths:
        d, p = paths[index % len(paths)]
        replace_at(docs[d], p, new)
    data = yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True).encode("utf-8")
    if corrupt is not None and data:
        i = corrupt % len(data)
        data = data[:i] + b"\xff" + data[i + 1:]
    path.write_bytes(data)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation())
def test_mutated_inputs_fail_in_one_line_or_run(tmp_path_factory, case) -> None:
    scenario, target, index, new, corrupt = case
    folder = tmp_path_factory.mktemp("mutado") / "escenarios"
    shutil.copytree(SCENARIOS, folder)
    mutate_file(folder / "manifiestos" / target if target else folder / scenario, index, new, corrupt)
    try:
        if target:
            load_manifest_file(folder / "manifiestos" / target)
        Cluster.from_scenario(folder / scenario).run()
    except (ScenarioError, ManifestError) as err:
        message = str(err)
        assert "\n" not in message and "Traceback" not in message, message
        assert str(folder) in message, message
