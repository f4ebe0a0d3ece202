"""Unit tests of the hostile-input guards: Go's ParseDuration port, the bounded YAML loader, path confinement,
the strict case loader and the sandboxed macros environment (issue 15)."""

from __future__ import annotations

import io
from pathlib import Path

import jinja2
import pytest
import yaml

from k8sdocs import macros
from k8sdocs.fidelity.loader import CaseFileError, load_cases
from k8sdocs.fidelity.runner import main as fidelity_main
from k8sdocs.model import limits
from k8sdocs.model.cluster import Cluster
from k8sdocs.model.confine import ConfinementError, check_tree, confined
from k8sdocs.model.manifests import StrictLoader
from k8sdocs.model.scenario import ScenarioError, go_parse_duration_ns, load_scenario, parse_duration_ms

ROOT = Path(__file__).resolve().parents[2]


# --- Go time.ParseDuration (src/time/format.go) ---------------------------------------------------------
@pytest.mark.parametrize("text, ns", [
    ("0", 0), ("1h30m", 5_400_000_000_000), ("1.5s", 1_500_000_000), ("300ms", 300_000_000), ("-1.5h", -5_400_000_000_000),
    ("1µs", 1_000), ("1us", 1_000), ("9223372036854775807ns", 2**63 - 1), ("2562047h47m16.854775807s", 2**63 - 1),
    ("-9223372036854775808ns", -(2**63)), (".5s", 500_000_000), ("1.s", 1_000_000_000),
])
def test_go_parse_duration_values(text: str, ns: int) -> None:
    assert go_parse_duration_ns(text) == ns


@pytest.mark.parametrize("text, message", [
    ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
    ("2562047h47m16.854775808s", 'time: invalid duration "2562047h47m16.854775808s"'),
    ("99999999999999999999h", 'time: invalid duration "99999999999999999999h"'),
    ("3000000h", 'time: invalid duration "3000000h"'),
    ("", 'time: invalid duration ""'), ("-", 'time: invalid duration "-"'), (".s", 'time: invalid duration ".s"'),
    ("1", 'time: missing unit in duration "1"'), ("1d", 'time: unknown unit "d" in duration "1d"'),
    ("1é", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
])
def test_go_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        go_parse_duration_ns(text)
    assert str(err.value) == message


def test_the_model_wants_whole_non_negative_milliseconds() -> None:
    assert parse_duration_ms("1m30s") == 90_000
    with pytest.raises(ValueError, match="not a whole number of milliseconds"):
        parse_duration_ms("1us")
    with pytest.raises(ValueError, match="negative time"):
        parse_duration_ms("-1s")


# --- the bounded loader ----------------------------------------------------------------------------------
def load(text: str) -> object:
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506


@pytest.mark.parametrize("text, problem", [
    ("a: &x 1\nb: 2\n", "YAML anchors are not accepted (&x)"),
    ("a: *x\n", "YAML aliases are not accepted (*x)"),
    ("a: " + "[" * (limits.MAX_DEPTH + 1) + "]" * (limits.MAX_DEPTH + 1) + "\n", "the nesting depth is more than"),
    ("a: [" + ", ".join(["1"] * (limits.MAX_ITEMS + 1)) + "]\n", f"the number of items of this list is {limits.MAX_ITEMS + 1}"),
    ("a: " + "x" * (limits.MAX_STRING_CHARS + 1) + "\n", "the length of this value is"),
    ("a: " + "9" * (limits.MAX_INT_DIGITS + 1) + "\n", f"this integer is {limits.MAX_INT_DIGITS + 1} digits long"),
    ("{? [1, 2] : x}\n", "unsupported map key of type: list"),
])
def test_loader_refuses(text: str, problem: str) -> None:
    with pytest.raises(yaml.YAMLError) as err:
        load(text)
    assert problem in limits.describe_yaml_error(err.value)[0]


def test_loader_keeps_what_kubectl_sends() -> None:
    """go-yaml v2 keeps timestamps as text in interface{}; sigs.k8s.io/yaml turns keys into strings."""
    assert load("image: 2024-01-01\nt: 2001-12-14t21:59:43.10-05:00\n") == {"image": "2024-01-01", "t": "2001-12-14t21:59:43.10-05:00"}
    assert load("{1: a, true: b, 0.5: c}") == {"1": "a", "true": "b", "0.5": "c"}
    assert load("a: !!binary aGVsbG8=\n") == {"a": "hello"}
    deepest = limits.MAX_DEPTH - 1  # the top-level mapping is one level
    assert load("a: " + "[" * deepest + "]" * deepest + "\n")


@pytest.mark.parametrize("data, problem", [
    (b"a: \xff\n", "invalid leading UTF-8 octet"), (b"a: \xc3(\n", "invalid trailing UTF-8 octet"),
    (b"a: \xe2\x82", "incomplete UTF-8 octet sequence"),
])
def test_utf8_errors_use_go_yaml_words(data: bytes, problem: str) -> None:
    with pytest.raises(limits.Utf8Error) as err:
        limits.decode_utf8(data)
    assert err.value.problem == problem and (err.value.line, err.value.column) == (1, 4)


# --- confinement -----------------------------------------------------------------------------------------
def test_confined_paths(tmp_path: Path) -> None:
    (tmp_path / "base" / "sub").mkdir(parents=True)
    (tmp_path / "base" / "sub" / "a.yaml").write_text("x")
    (tmp_path / "fuera.yaml").write_text("x")
    assert confined(tmp_path / "base", "sub/a.yaml") == (tmp_path / "base" / "sub" / "a.yaml").resolve()
    assert confined(tmp_path / "base", "sub/../sub/a.yaml").name == "a.yaml"
    for bad in ("/etc/passwd", "../fuera.yaml", "sub/../../fuera.yaml", "~/x", "C:\\x", ""):
        with pytest.raises(ConfinementError):
            confined(tmp_path / "base", bad)
    (tmp_path / "base" / "enlace.yaml").symlink_to(tmp_path / "fuera.yaml")
    with pytest.raises(ConfinementError, match="leads outside"):
        confined(tmp_path / "base", "enlace.yaml")


def test_check_tree_refuses_symlinks_leading_out(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "bien.md").symlink_to(docs / "sub")  # inside: fine
    check_tree(docs, [docs], "docs")
    (docs / "sub" / "fuga.md").symlink_to("/etc/hostname")
    with pytest.raises(ConfinementError, match="docs/sub/fuga.md: symlink leads outside"):
        check_tree(docs, [docs], "docs")


def test_scenario_manifest_paths_are_confined(tmp_path: Path) -> None:
    (tmp_path / "escenario.yaml").write_text("name: x\nmanifests: [/etc/hostname]\n")
    with pytest.raises(ScenarioError, match=r"manifests\[0\]: path '/etc/hostname' must be relative"):
        load_scenario(tmp_path / "escenario.yaml")


# --- work budget -----------------------------------------------------------------------------------------
def test_the_work_budget_stops_a_run_with_one_line() -> None:
    scenario = load_scenario(ROOT / "docs" / "escenarios" / "despliegue-basico.yaml")
    cluster = Cluster(scenario.manifests, seed=scenario.seed, steps=scenario.steps, name=scenario.name,
                      source=scenario.source, until_ms=scenario.until_ms, budget=50)
    with pytest.raises(ScenarioError) as err:
        cluster.run()
    assert str(err.value).startswith(f"{scenario.source}: until: the simulation ran 50 callbacks")


def test_shipped_scenarios_stay_far_below_the_limits() -> None:
    for path in sorted((ROOT / "docs" / "escenarios").glob("*.yaml")):
        cluster = Cluster.from_scenario(path)
        cluster.run()
        assert cluster.clock.callbacks_run < limits.MAX_CALLBACKS // 10, path.name


# --- the strict case loader ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, reason", [
    ("[]\n", "at least one case"), ("{}\n", "must be a YAML list"), ("- id: a\n  id: b\n", 'key "id" already set in map'),
    ("- &a {id: x}\n", "anchors are not accepted"),
])
def test_case_files_that_cannot_count(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "casos.yaml"
    path.write_text(text)
    with pytest.raises(CaseFileError, match=reason):
        load_cases(path)
    out = io.StringIO()
    assert fidelity_main([str(tmp_path)], out) == 1
    assert out.getvalue().splitlines()[-1] == "0 passed, 1 failed, 0 skipped"


def test_no_cases_at_all_is_a_failure(tmp_path: Path) -> None:
    out = io.StringIO()
    assert fidelity_main([str(tmp_path)], out) == 1
    assert "FAIL" in out.getvalue()


# --- pages cannot reach the clock, randomness or the machine ---------------------------------------------
class FakeMacrosPlugin:
    """The attributes of mkdocs_macros' MacrosPlugin that ``on_pre_page_macros`` touches."""

    def __init__(self) -> None:
        self._env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        self.macros = {"now": lambda: "reloj", "context": lambda: "todo", "mia": lambda: "bien"}
        self.variables = {"environment": {"system": "Linux"}, "git": {}, "config": {"docs_dir": "/ruta"}, "page": "p"}
        self.filters = {"pretty": str}
        self._env.globals.update(self.macros)

    @property
    def env(self) -> jinja2.Environment:
        return self._env


@pytest.mark.parametrize("template", [
    "{{ now() }}", "{{ lipsum() }}", "{{ [1, 2] | random }}", "{{ environment }}", "{{ config.docs_dir }}",
    "{{ cycler.__init__.__globals__ }}", "{{ ''.__class__.__mro__ }}", "{{ context() }}",
])
def test_pages_cannot_reach_clock_random_or_machine(template: str) -> None:
    plugin = FakeMacrosPlugin()
    macros.sandbox_page_environment(plugin)
    with pytest.raises((jinja2.UndefinedError, jinja2.exceptions.SecurityError, jinja2.TemplateError)):
        plugin.env.from_string(template).render(**plugin.variables)
    assert plugin.env.from_string("{{ mia() }}").render(**plugin.variables) == "bien"


def test_a_page_jinja_renders_gets_the_sandbox_from_the_pre_page_hook(tmp_path: Path) -> None:
    """on_pre_page_macros skips the sandbox only for a page taken whole from the page cache (Jinja never runs on
    it); any other page is rendered in it."""
    from types import SimpleNamespace

    plugin = FakeMacrosPlugin()
    plugin.conf = {"docs_dir": str(tmp_path)}
    plugin.markdown = "{{ cycler.__init__.__globals__ }}"
    plugin.page = SimpleNamespace(meta={"render_macros": True}, title="Página",
                                  file=SimpleNamespace(src_path="p.md", abs_dest_path=str(tmp_path / "p.html")))
    plugin.has_j2 = lambda text: "{{" in text
    macros.on_pre_page_macros(plugin)
    with pytest.raises(jinja2.exceptions.SecurityError):
        plugin.env.from_string(plugin.markdown).render(**plugin.variables)


# --- a valid object the pages did not expect ------------------------------------------------------------
def test_a_valid_configmap_in_a_scenario_is_listed_on_the_etcd_page(tmp_path: Path) -> None:
    """Issue 15, item 4: the etcd table must list the ConfigMap with its resourceVersion, not blame the page."""
    import shutil

    from k8sdocs.content import etcd
    from k8sdocs.content.book import ExampleBook

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "escenarios", docs / "escenarios")
    manifest = docs / "escenarios" / "manifiestos" / "nginx-deployment.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ajustes\ndata:\n  clave: valor\n",
                        encoding="utf-8")
    book = ExampleBook(docs_dir=docs)
    # besides the scenario's ConfigMap, each namespace has the bootstrap kube-root-ca.crt (ServiceAccount admission)
    rows = [r for r in etcd.key_rows(book, "despliegue-basico.yaml")
            if r.kind == "ConfigMap" and r.key != "/registry/configmaps/default/kube-root-ca.crt"
            and not r.key.startswith("/registry/configmaps/kube-")]
    assert [(r.key, r.resource_version) for r in rows] == [("/registry/configmaps/default/ajustes", str(rows[0].mod_revision))]
    assert "/registry/configmaps/default/ajustes" in etcd.keys_table(book, "despliegue-basico.yaml")
