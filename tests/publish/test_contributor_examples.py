"""Every YAML or Markdown example in CONTRIBUTING.md and docs/contribuir.md works (issue 12, item 6).

A scenario example is loaded by the model's own parser (file references resolved in docs/escenarios/,
as if the example were saved there) and run; a front matter example is built into a one-page site
with the project's macros configuration. An unknown kind of example fails here until a test covers it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from k8sdocs.model.cluster import Cluster
from k8sdocs.model.scenario import ScenarioError, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "CONTRIBUTING.md", ROOT / "docs" / "contribuir.md"]
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
CHECKED = {"yaml", "yml", "markdown", "md"}


def examples() -> list[tuple[str, str, str]]:
    """(guide, language, text) of every fenced block, dedented."""
    out = []
    for guide in GUIDES:
        for m in FENCE.finditer(guide.read_text(encoding="utf-8")):
            indent = m.group("indent")
            body = "".join(line[len(indent):] if line.startswith(indent) else line
                           for line in m.group("body").splitlines(keepends=True))
            out.append((guide.name, m.group("lang").lower(), body))
    return out


def macros_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)


def build_page(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(source, encoding="utf-8")
    config = {"site_name": "prueba", "strict": True, "theme": {"name": "material", "language": "es", "font": False},
              "plugins": [{"macros": macros_config()}], "nav": [{"Prueba": "index.md"}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                          cwd=tmp_path, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", K8SDOCS_CACHE="0"),
                          capture_output=True, text=True, check=False)


CHECKED_EXAMPLES = [e for e in examples() if e[1] in CHECKED]


def test_the_guides_have_the_examples_this_file_checks() -> None:
    kinds = sorted({("scenario" if "steps:" in text else "front matter") for _g, _l, text in CHECKED_EXAMPLES})
    assert kinds == ["front matter", "scenario"], CHECKED_EXAMPLES


@pytest.mark.parametrize("guide, lang, text", CHECKED_EXAMPLES, ids=[f"{g}-{i}" for i, (g, _l, _t) in enumerate(CHECKED_EXAMPLES)])
def test_example_loads_or_builds(tmp_path: Path, guide: str, lang: str, text: str) -> None:
    data = yaml.safe_load(text.strip().strip("-").strip()) if lang in {"yaml", "yml"} else None
    if isinstance(data, dict) and "name" in data and ("steps" in data or "manifests" in data):
        scenario = parse_scenario(text, f"{guide} (ejemplo)", ROOT / "docs" / "escenarios")
        run = Cluster.from_parsed(scenario).run()
        for step in scenario.steps:  # the example's scale steps took effect in the run
            if step.action == "scale":
                assert run.get(step.kind, step.name)["spec"]["replicas"] == step.replicas
        return
    if isinstance(data, dict) and set(data) <= {"description", "render_macros"}:
        result = build_page(tmp_path, text + "# Página\n\nHay {{ referencia_num_macros() }} macros.\n")
        assert result.returncode == 0, result.stderr
        assert "Hay " in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
        return
    pytest.fail(f"{guide}: an example this test does not know how to check:\n{text}")


def test_a_daemonset_in_a_scenario_fails_with_one_line_naming_it() -> None:
    text = ("name: x\nmanifests: |\n  apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: agente}\n"
            "  spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, "
            "spec: {containers: [{name: c, image: 'i:1'}]}}}\n")
    with pytest.raises(ScenarioError, match=r'DaemonSet/agente: kind "DaemonSet" is not simulated by the model'):
        parse_scenario(text, "x.yaml")
