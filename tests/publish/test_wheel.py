"""The package installs and runs outside the repository (issue #14, item 5).

Builds the wheel from a copy of the sources (so the work tree gets no ``build/`` or ``*.egg-info``), checks
what it carries (package data, the SPDX licence, the declared run dependencies), installs it in a fresh venv
with only ``requirements-runtime.lock`` (hash-checked) and runs, from outside the repository, a shipped
scenario and the glossary macro. Their output must equal what the project's own environment gives.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "docs" / "escenarios" / "despliegue-basico.yaml"

# Run in the fresh venv (cwd outside the repository) and in the project's venv: a JSON summary.
PROBE = """
import json, sys
import k8sdocs
from k8sdocs.content.glossary import glossary_table, load_glossary
from k8sdocs.model.cluster import Cluster
run = Cluster.from_scenario(sys.argv[1]).run()
pods = sorted((p["metadata"]["name"], p["spec"].get("nodeName"), p["status"].get("phase")) for p in run.objects_of("Pod"))
print(json.dumps({"module": k8sdocs.__file__, "pods": pods, "events": len(run.events), "trace": run.trace_text,
                  "glossary_terms": len(load_glossary()), "glossary_table": glossary_table(None)}))
"""


def _run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "k8sdocs", src / "k8sdocs", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    # --no-build-isolation: the hashed setuptools from requirements.lock, no download
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", str(dist), str(src)], src)
    (built,) = dist.glob("k8sdocs-*.whl")
    return built


def test_wheel_carries_package_data_licence_and_run_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = Parser().parsestr(zf.read(meta_name).decode("utf-8"))
    shipped_data = {p.relative_to(ROOT).as_posix() for p in (ROOT / "k8sdocs").rglob("*.yaml")}
    assert shipped_data and shipped_data <= names  # content/glossary.yaml and any other data file
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert meta["License-Expression"] == "Apache-2.0"
    requires = {r.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower() for r in meta.get_all("Requires-Dist")
                if "extra ==" not in r}
    assert requires == {"pyyaml", "kubernetes-validate"}


def test_licence_file_is_the_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text


@pytest.mark.slow
def test_fresh_venv_runs_a_scenario_and_the_glossary_macro(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    py = venv / "bin" / "python"
    _run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--require-hashes",
          "-r", str(ROOT / "requirements-runtime.lock")], tmp_path)
    _run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps", "--no-index", str(wheel)], tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    fresh = json.loads(_run([str(py), "-c", PROBE, str(SCENARIO)], outside))
    here = json.loads(_run([sys.executable, "-c", PROBE, str(SCENARIO)], ROOT))
    assert Path(fresh["module"]).is_relative_to(venv)  # the installed copy, not the work tree
    assert fresh["pods"] and all(phase == "Running" for _, _, phase in fresh["pods"])
    assert {k: v for k, v in fresh.items() if k != "module"} == {k: v for k, v in here.items() if k != "module"}
    assert fresh["glossary_terms"] > 0 and len(fresh["glossary_table"].splitlines()) == fresh["glossary_terms"] + 2  # header, rule, one row per term
