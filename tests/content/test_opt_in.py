"""A page that calls a macro without `render_macros: true` fails the build (issue 12, item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from k8sdocs.pagecheck import first_macro_call

ROOT = Path(__file__).resolve().parents[2]


def macros_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)


def build(tmp_path: Path, front_matter: str, body: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"{front_matter}# Prueba\n\n{body}\n", encoding="utf-8")
    config = {"site_name": "prueba", "strict": True, "theme": {"name": "material", "language": "es", "font": False},
              "plugins": [{"macros": macros_config()}], "nav": [{"Prueba": "index.md"}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                          cwd=tmp_path, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", K8SDOCS_CACHE="0"),
                          capture_output=True, text=True, check=False)


def test_a_macro_call_without_the_opt_in_fails_naming_page_line_and_fix(tmp_path: Path) -> None:
    result = build(tmp_path, "---\ndescription: x\nrender_macros: false\n---\n", "Texto.\n\n{{ referencia_num_macros() }}")
    output = result.stdout + result.stderr
    assert result.returncode == 100, output
    errors = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert errors == ["ERROR    -  k8sdocs: index.md: la página llama a la macro referencia_num_macros() (línea 9) "
                      "pero no tiene `render_macros: true` en el front matter, así que se publicaría sin calcular"]
    assert "Traceback" not in output


def test_with_the_opt_in_the_same_page_builds(tmp_path: Path) -> None:
    result = build(tmp_path, "---\nrender_macros: true\n---\n", "{{ referencia_num_macros() }}")
    assert result.returncode == 0, result.stderr


def test_go_templates_in_pages_without_macros_are_not_calls(tmp_path: Path) -> None:
    result = build(tmp_path, "", "`kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'`")
    assert result.returncode == 0, result.stderr


def test_first_macro_call_only_counts_registered_names() -> None:
    text = "a\n{{ printf(\"x\") }}\n{{- tabla(1) }}\n"
    assert first_macro_call(text, {"tabla"}) == ("tabla", 3)
    assert first_macro_call(text, {"otra"}) is None
