"""The playground (k8sdocs/content/playground.py) gives the build's report for the same manifests.

The widget's starting text, run through the playground, must give the report the page computes; an edited text
must give what a scenario file with the same manifests gives to the page's own macro (``informe_planificacion``);
errors are one line naming file, document and field, never a traceback. The bundle the browser loads
(k8sdocs/playground.py) is byte-identical between two builds and self-contained.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError
from k8sdocs.content.playground import (
    MAX_TEXT,
    NODES_FILE,
    POD_FILE,
    PlaygroundInput,
    browser_report,
    run_playground,
    schedule_manifests,
)
from k8sdocs.content.scheduling import scheduling_report
from k8sdocs.playground import BUNDLE_URI, FIXED_DATE, PYODIDE_RUNTIME, bundle_entries, bundle_zip
from k8sdocs.render.playground import report_html
from support.playground_cases import DOCS, edited_cases, start, widget_cases


def test_every_widget_is_found() -> None:
    cases = widget_cases()
    assert ("planificacion.yaml", "cabe-en-uno") in cases
    assert sum(1 for escenario, _ in cases if escenario.startswith("cp-ejercicio-")) == 6


@pytest.mark.parametrize(("escenario", "pod"), widget_cases())
def test_widget_start_gives_the_pages_report(escenario: str, pod: str) -> None:
    book = ExampleBook(docs_dir=DOCS)
    out = run_playground(start(escenario, pod))
    assert out.ok, out.markdown
    assert out.markdown == scheduling_report(book, escenario, pod)
    assert out.html == report_html(out.markdown)


def as_scenario(tmp_path: Path, inp: PlaygroundInput) -> tuple[ExampleBook, str]:
    """The edited manifests as a scenario file, so the page's own macro can report on them."""
    folder = tmp_path / "escenarios"
    folder.mkdir()
    scenario = {"name": "editado", "seed": inp.seed, "until": inp.until_ms,
                "manifests": inp.nodes.rstrip("\n") + "\n---\n" + inp.pod}
    (folder / "editado.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    return ExampleBook(docs_dir=tmp_path), "editado.yaml"


@pytest.mark.parametrize(("name", "winner"), [("sin-tolerancia", "pequeno"), ("cpu-5", None), ("cpu-2", "node-a")])
def test_edited_manifests_give_the_same_report_as_a_scenario(tmp_path: Path, name: str, winner: str | None) -> None:
    inp = edited_cases()[name]
    markdown, node = schedule_manifests(inp)
    book, escenario = as_scenario(tmp_path, inp)
    pod = yaml.safe_load(inp.pod)["metadata"]["name"]
    assert markdown == scheduling_report(book, escenario, pod)
    assert node == winner


def test_a_pod_that_fits_nowhere_shows_the_verbatim_message() -> None:
    out = run_playground(edited_cases()["cpu-5"])
    assert out.ok and out.selected_node is None
    assert "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu." in out.markdown


# The model's own messages (file, document, field, the API server's words) are tested in tests/manifests; here:
# the playground passes them on whole, on one line, naming the box the reader typed in.
@pytest.mark.parametrize(("name", "start", "words"), [
    ("cantidad-no-valida", f"ManifestError: {POD_FILE}: document 1: ", ['"tres"', "spec.containers[0].resources"]),
    ("campo-desconocido", f"ManifestError: {POD_FILE}: document 1: ",
     ['strict decoding error: unknown field "spec.containers[0].imagen"']),
    ("servicio-en-nodos", f"{NODES_FILE}: objeto 5: ", ["kind 'Service': aquí solo caben Node y Pod"]),
    ("yaml-roto", f"ManifestError: {POD_FILE}: document 1: line 4, column 1: ", ["while parsing a flow node"]),
])
def test_errors_are_one_line_as_the_build_prints_them(name: str, start: str, words: list[str]) -> None:
    out = run_playground(edited_cases()[name])
    assert not out.ok
    assert out.markdown.startswith(start), out.markdown
    assert all(w in out.markdown for w in words), out.markdown
    assert "\n" not in out.markdown and "Traceback" not in out.markdown
    assert "Los manifiestos no son válidos" in out.html


def test_text_size_is_bounded() -> None:
    inp = start("planificacion.yaml", "cabe-en-uno")
    out = browser_report("#" * (MAX_TEXT + 1), inp.pod, inp.seed, inp.until_ms)
    assert out["ok"] is False and f"el máximo es {MAX_TEXT}" in str(out["markdown"])


def test_internal_errors_are_one_line_too() -> None:
    out = browser_report(None, "", 0, 1000)  # type: ignore[arg-type]  # not text: the worker never sends this
    assert out["ok"] is False and str(out["markdown"]).startswith("error interno (TypeError")


def test_widget_without_that_pod_is_a_content_error() -> None:
    with pytest.raises(ContentError, match="no tiene el Pod 'nadie'"):
        start("planificacion.yaml", "nadie")


# -- the bundle -------------------------------------------------------------------------------------------------
def test_bundle_is_byte_identical_and_has_no_clock() -> None:
    first, second = bundle_zip(), bundle_zip()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {FIXED_DATE}


def test_bundle_holds_what_the_browser_imports_and_nothing_of_the_build() -> None:
    names = {name for name, _ in bundle_entries()}
    for needed in ("k8sdocs/content/playground.py", "k8sdocs/model/cluster.py", "k8sdocs/render/scheduling.py",
                   "yaml/__init__.py", "markdown/__init__.py", "kubernetes_validate/__init__.py",
                   "kubernetes_validate/kubernetes-json-schema/v1.35.0-local-strict/pod-v1.json"):
        assert needed in names
    assert {"k8sdocs/macros.py", "k8sdocs/hooks.py", "k8sdocs/playground.py"}.isdisjoint(names)
    assert not any("__pycache__" in n or n.endswith((".so", ".pyc")) or n.startswith("k8sdocs/fidelity") for n in names)
    licences = sorted(n.split("/")[1].rsplit("-", 1)[0] for n in names if n.startswith("LICENSES/"))
    assert licences == ["Markdown", "PyYAML", "kubernetes-validate"]


@pytest.mark.parametrize("distribution", ["kubernetes-validate", "PyYAML", "Markdown"])
def test_licence_rows_read_from_record_are_the_files_importlib_lists(distribution: str) -> None:
    """k8sdocs/playground.py reads RECORD as text (issue 12: 0.1 s less per cold build); same paths as dist.files."""
    from importlib import metadata

    from k8sdocs.playground import _installed_paths

    dist = metadata.distribution(distribution)
    listed = sorted(str(f) for f in dist.files or [] if "LICEN" in str(f).upper() or "COPYING" in str(f).upper())
    assert listed, distribution
    assert sorted(_installed_paths(dist, ("LICEN", "COPYING"))) == listed


def test_bundle_runs_alone(tmp_path: Path) -> None:
    """With only the standard library and the zip on sys.path (no venv, no C extensions), the playground runs."""
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(bundle_zip())
    inp = start("cp-ejercicio-tolerancia.yaml", "entrenamiento")
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(bundle)!r})\n"
        "sys.modules['_yaml'] = None\n"  # as in Pyodide: no LibYAML
        "from k8sdocs.content.playground import browser_report\n"
        "import yaml, k8sdocs\n"
        "assert yaml.__file__.startswith(sys.path[0]) and k8sdocs.__file__.startswith(sys.path[0])\n"
        "print(json.dumps(browser_report(*json.load(sys.stdin))))\n"
    )
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", code], input=json.dumps(
        [inp.nodes, inp.pod, inp.seed, inp.until_ms]), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == browser_report(inp.nodes, inp.pod, inp.seed, inp.until_ms)


def test_built_site_ships_pyodide_and_the_bundle(built_site: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    for name in PYODIDE_RUNTIME:
        assert (built_site / "playground/pyodide" / name).read_bytes() == (root / "node_modules/pyodide" / name).read_bytes()
    assert (built_site / BUNDLE_URI).read_bytes() == bundle_zip()


def test_only_widget_pages_load_the_playground_script(built_site: Path) -> None:
    with_widget = []
    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        has_widget = 'class="k8s-playground' in html
        assert ("javascripts/playground.js" in html) == has_widget, page
        if has_widget:
            with_widget.append(page.parent.name)
            # Drawn from the first paint (nothing to unhide: no layout shift); without JavaScript a <noscript>
            # rule in <head> hides the form and the compact widgets, so the reader sees only the build's report.
            assert html.count('<form class="k8s-playground__form">') == html.count("k8s-playground__result")
            assert " hidden>" not in html.split('class="k8s-playground', 1)[1].split("</form>", 1)[0].split(
                "<progress", 1)[0]
            head = html.split("</head>", 1)[0]
            assert ("<noscript><style>.k8s-playground__form, .k8s-playground--compact { display: none !important; }"
                    "</style></noscript>") in head
    assert sorted(with_widget) == ["ejercicios", "kube-scheduler", "prueba-el-planificador"]


EXERCISES = [("cp-ejercicio-taints.yaml", "api"), ("cp-ejercicio-afinidad.yaml", "cache"),
             ("cp-ejercicio-recursos.yaml", "web"), ("cp-ejercicio-empate.yaml", "trabajo"),
             ("cp-ejercicio-imposible.yaml", "analitica"), ("cp-ejercicio-tolerancia.yaml", "entrenamiento")]


@pytest.mark.parametrize(("escenario", "pod"), EXERCISES + [("planificacion.yaml", "cabe-en-uno")])
def test_a_widget_report_taken_from_the_books_run_is_the_playgrounds_own(escenario: str, pod: str) -> None:
    """k8sdocs/content/playground.py _output_from_book (issue 12): the exercises reuse their scenario's run for the
    widget's check; the report must be byte for byte what the widget's own run gives (and the tie's seeded draw)."""
    from k8sdocs.content.playground import _output_from_book, playground_input, run_playground

    book = ExampleBook(docs_dir=DOCS)
    inp = playground_input(book, escenario, pod)
    reused = _output_from_book(book, escenario, inp)
    assert (reused is not None) == ((escenario, pod) in EXERCISES)  # planificacion.yaml has other objects
    if reused is not None:
        assert reused == run_playground(inp)


def test_the_books_run_is_not_reused_when_the_widget_differs_from_the_scenario() -> None:
    from k8sdocs.content.playground import PlaygroundInput, _output_from_book, playground_input

    book = ExampleBook(docs_dir=DOCS)
    inp = playground_input(book, "cp-ejercicio-taints.yaml", "api")
    for changed in (PlaygroundInput(inp.nodes, inp.pod, inp.seed + 1, inp.until_ms),
                    PlaygroundInput(inp.nodes, inp.pod, inp.seed, inp.until_ms + 1),
                    PlaygroundInput(inp.nodes, inp.pod.replace("name: api", "name: api-2"), inp.seed, inp.until_ms),
                    PlaygroundInput(inp.nodes + "\n---\n{{{", inp.pod, inp.seed, inp.until_ms)):
        assert _output_from_book(book, "cp-ejercicio-taints.yaml", changed) is None
