"""The bad-input corpus of issue 15 (README.md beside this file): each input ends as one line naming the file.

A failure must be exactly one line, start with the file that holds the problem (or the scenario that names it),
contain the expected text, and never be a traceback or an ``error interno``. Each input must end within a
generous bound (``BOUND_S``: a guard against hangs, not a speed target; speed lives in ``bench/``).
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from k8sdocs.fidelity.runner import main as fidelity_main
from k8sdocs.model.cluster import Cluster
from k8sdocs.model.manifests import ManifestError, load_manifest_file
from k8sdocs.model.scenario import ScenarioError

HERE = Path(__file__).resolve().parent
CORPUS = sorted(p for p in HERE.glob("*.yaml"))
BOUND_S = 60.0


def materialize(spec: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (spec.get("files") or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    repeat = spec.get("repeat")
    if repeat:
        with open(folder / repeat["file"], "a", encoding="utf-8") as handle:
            for i in range(repeat["times"]):
                handle.write(repeat["template"].replace("{i}", str(i)))
    raw = spec.get("bytes")
    if raw:
        with open(folder / raw["file"], "ab") as handle:
            handle.write(bytes.fromhex(raw["hex"]))
    for name, target in (spec.get("symlink") or {}).items():
        (folder / name).symlink_to(target)


def outcome(spec: dict[str, Any], folder: Path) -> tuple[str, str]:
    """``("accepted", "")`` or ``("failed", the one-line message)``."""
    kind = spec["input"]
    if kind == "scenario":
        try:
            Cluster.from_scenario(folder / "escenario.yaml").run()
        except ScenarioError as err:
            return "failed", str(err)
        return "accepted", ""
    if kind == "manifest":
        try:
            load_manifest_file(folder / "manifest.yaml")
        except ManifestError as err:
            return "failed", str(err)
        return "accepted", ""
    if kind == "cases":
        out = io.StringIO()
        code = fidelity_main([str(folder)], out)
        lines = out.getvalue().splitlines()
        fails = [line for line in lines[:-1] if line.startswith("FAIL ")]
        assert code == (1 if fails else 0), out.getvalue()
        return ("failed", fails[0]) if fails else ("accepted", "")
    raise AssertionError(f"unknown input kind {kind!r}")


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_bad_input_ends_in_one_line_naming_the_file(path: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    folder = tmp_path / "entrada"
    materialize(spec, folder)
    start = time.monotonic()
    result, message = outcome(spec, folder)
    elapsed = time.monotonic() - start
    assert elapsed < BOUND_S, f"{path.name} took {elapsed:.1f} s"
    if spec["expect"] == "accepted":
        assert result == "accepted", message
        return
    assert result == "failed", f"{path.name} was accepted"
    assert "\n" not in message, message
    assert "Traceback" not in message and "error interno" not in message, message
    if spec["input"] == "cases" and str(folder) not in message:
        # a problem inside one case is reported on that case's line: ``FAIL <case id>: <field>: ...``
        case_ids = [c.get("id") for c in yaml.safe_load((folder / "casos.yaml").read_text(encoding="utf-8"))]
        assert any(message.startswith(f"FAIL {cid}: ") for cid in case_ids), message
    else:
        assert str(folder) in message, f"the message does not name the file: {message}"
    assert spec["expect"] in message, f"{spec['expect']!r} not in {message!r}"


def test_the_corpus_covers_every_item() -> None:
    """At least one input per item of issue 15 this corpus answers (confinement, limits, internal errors,
    verbatim, the fidelity runner)."""
    prefixes = {p.name[:1] for p in CORPUS}
    assert {"0", "1", "2", "3", "4", "5"} <= prefixes
