"""Bad input fails the build with one message naming the page, the file and the cause (issue 5, item 4).

Each case builds a small site in a temporary folder with the project's real macros configuration
(read from mkdocs.yml) and one page that runs a scenario through the model. The build must fail,
the log must say ``k8sdocs: <page>: ...`` with the cause, and no Python traceback or error text may
be rendered into a page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

NODE = """\
apiVersion: v1
kind: Node
metadata:
  name: node-a
status:
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests: {{cpu: "{cpu}", memory: 64Mi}}
"""

GOOD_POD = POD.format(name="web", cpu="500m")


def macros_config() -> dict:
    """The macros plugin block of the real mkdocs.yml (so these builds fail exactly as the site would)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "macros" in plugin:
            return plugin["macros"]
    raise AssertionError("mkdocs.yml has no macros plugin")


def build(tmp_path: Path, page: str, manifests: str) -> subprocess.CompletedProcess[str]:
    docs = tmp_path / "docs"
    (docs / "escenarios" / "manifiestos").mkdir(parents=True)
    (docs / "escenarios" / "manifiestos" / "cluster.yaml").write_text(manifests, encoding="utf-8")
    (docs / "escenarios" / "prueba.yaml").write_text(
        "name: prueba\nseed: 1\nuntil: 10s\nmanifests:\n  - manifiestos/cluster.yaml\n", encoding="utf-8"
    )
    (docs / "index.md").write_text(f"---\nrender_macros: true\n---\n# Prueba\n\n{page}\n", encoding="utf-8")
    config = {
        "site_name": "prueba",
        "strict": True,
        "theme": {"name": "material", "language": "es", "font": False},
        "plugins": [{"macros": macros_config()}],
        "nav": [{"Prueba": "index.md"}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("K8SDOCS_TRACEBACK", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )


REPORT = '{{ informe_planificacion("prueba.yaml", pod="web") }}'

CASES = {
    "invalid-yaml": (REPORT, NODE + "---\n" + GOOD_POD + "  bad: [unclosed\n", ["cluster.yaml", "line"]),
    "unknown-kind": (REPORT, NODE + "---\napiVersion: v1\nkind: Podd\nmetadata: {name: x}\n",
                     ["cluster.yaml", 'no matches for kind "Podd" in version "v1"']),
    "garbled-quantity": (REPORT, NODE + "---\n" + POD.format(name="web", cpu="medio"),
                         ["cluster.yaml", "quantities must match the regular expression"]),
    "invalid-name": (REPORT, NODE + "---\n" + POD.format(name="Web_1", cpu="1"),
                     ["cluster.yaml", 'Invalid value: "Web_1"', "RFC 1123"]),
    "unknown-macro": ('{{ informe_planificasion("prueba.yaml", pod="web") }}', NODE + "---\n" + GOOD_POD,
                      ["macro o variable desconocida", "informe_planificasion"]),
    "unknown-argument": ('{{ informe_planificacion("prueba.yaml", nodo="web") }}', NODE + "---\n" + GOOD_POD,
                         ["informe_planificacion(): argumentos no válidos", "acepta: escenario, pod, espera"]),
    "missing-scenario": ('{{ informe_planificacion("no-existe.yaml", pod="web") }}', NODE + "---\n" + GOOD_POD,
                         ["no existe el escenario escenarios/no-existe.yaml"]),
    "expectation-no-longer-holds": ('{{ informe_planificacion("prueba.yaml", pod="web", espera="node-z") }}',
                                    NODE + "---\n" + GOOD_POD, ["la página espera", "node-z", "node-a"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_the_build_naming_page_and_cause(tmp_path: Path, case: str) -> None:
    page, manifests, needles = CASES[case]
    result = build(tmp_path, page, manifests)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "k8sdocs: index.md: " in output, output
    for needle in needles:
        assert needle in output, f"{needle!r} missing from:\n{output}"
    assert "Traceback" not in output, output
    page_html = tmp_path / "site" / "index.html"
    assert not page_html.exists() or "Macro Rendering Error" not in page_html.read_text(encoding="utf-8")


def test_the_same_small_site_builds_when_nothing_is_wrong(tmp_path: Path) -> None:
    """Control: the failures above come from the bad input, not from the test site."""
    result = build(tmp_path, REPORT, NODE + "---\n" + GOOD_POD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "node-a" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
