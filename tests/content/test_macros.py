"""The macros adapter: registration from k8sdocs.content, argument checks, one-line errors naming the page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest
from mkdocs_macros.errors import format_error

from k8sdocs import macros
from k8sdocs.content.errors import ContentError


class FakeEnv:
    """What define_env() touches of mkdocs-macros' env (plugin.py: .conf, .config, .macro)."""

    def __init__(self, docs_dir: Path) -> None:
        self.conf = {"docs_dir": str(docs_dir)}
        self.config: dict[str, Any] = {}
        self.macros: dict[str, Any] = {}

    def macro(self, fn: Any, name: str = "") -> Any:
        self.macros[name or fn.__name__] = fn
        return fn


@dataclass
class FakeFile:
    src_path: str


@dataclass
class FakePage:
    file: FakeFile


def greet(book: Any, nombre: str, espera: str | None = None) -> str:
    if espera is not None and espera != nombre:
        raise ContentError(f"esperaba {espera}")
    return f"hola {nombre}"


def explode(book: Any) -> str:
    return {}["falta"]


def test_define_env_registers_every_content_macro(tmp_path, monkeypatch):
    # A cache of its own (cold: it registers and indexes every macro) and no prefetching child (k8sdocs/prefetch.py).
    monkeypatch.setenv("K8SDOCS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("K8SDOCS_PREFETCH", "0")
    env = FakeEnv(tmp_path)
    macros.define_env(env)
    assert set(env.macros) == set(macros.content_macros())


def test_guard_binds_the_book_and_passes_arguments():
    macro = macros.guard("greet", greet, book="BOOK")
    assert macro("ana") == "hola ana"


def test_guard_rejects_unknown_arguments_listing_accepted_ones():
    macro = macros.guard("greet", greet, book=None)
    with pytest.raises(macros.MacroError, match=r"greet\(\): argumentos no válidos .*; acepta: nombre, espera"):
        macro("ana", nodo="x")


def test_content_error_is_reported_without_traceback():
    macro = macros.guard("greet", greet, book=None)
    with pytest.raises(macros.MacroError) as info:
        macro("ana", espera="luis")
    assert str(info.value) == "greet(): esperaba luis"
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_unexpected_error_is_one_line_and_says_how_to_debug():
    macro = macros.guard("explode", explode, book=None)
    with pytest.raises(macros.MacroError, match=r"explode\(\): error interno \(KeyError: 'falta'\); repite con K8SDOCS_TRACEBACK=1"):
        macro()


def test_build_messages_name_the_page():
    page = FakePage(FakeFile("plano-de-control/kube-scheduler.md"))
    msg = format_error(macros.MacroError("greet(): esperaba luis"), markdown="", page=page)
    assert msg == "k8sdocs: plano-de-control/kube-scheduler.md: greet(): esperaba luis"
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError) as info:
        env.from_string("{{ no_existe() }}").render()
    assert format_error(info.value, markdown="", page=page) == (
        "k8sdocs: plano-de-control/kube-scheduler.md: macro o variable desconocida: 'no_existe' is undefined"
    )


def test_reload_only_after_a_source_change(monkeypatch):
    """A rebuild with unchanged sources must keep module identity (one APIError class per process)."""
    import sys

    import k8sdocs.content.errors as before

    saved = {name: mod for name, mod in sys.modules.items() if name.startswith("k8sdocs.")}
    # Put the original modules back afterwards: later tests hold references to their classes.

    monkeypatch.setattr(macros, "_LOADED_SOURCES", {})
    macros._reload_project_modules_if_changed()
    macros._reload_project_modules_if_changed()
    import k8sdocs.content.errors as after

    assert after is before
    signature = macros._source_signature()
    macros._LOADED_SOURCES["k8sdocs"] = signature[:-1]  # as if a file changed since the last build
    macros._reload_project_modules_if_changed()
    import k8sdocs.content.errors as reloaded

    assert reloaded is not before
    for name in [m for m in sys.modules if m.startswith("k8sdocs.")]:
        del sys.modules[name]
    sys.modules.update(saved)


def test_every_macro_has_a_docstring_for_the_reference():
    """docs/contribuir.md generates the macro reference from docstrings."""
    missing = sorted(name for name, fn in macros.content_macros().items() if not (fn.__doc__ or "").strip())
    assert missing == []


def test_rebuilds_reuse_the_book_while_sources_are_unchanged(tmp_path, monkeypatch):
    """mkdocs serve: a page edit must not re-run every scenario (bench/serve.py)."""
    monkeypatch.setattr(macros, "_BOOKS", {})
    first, second = FakeEnv(tmp_path), FakeEnv(tmp_path)
    macros.define_env(first)
    macros.define_env(second)
    assert macros._BOOKS and len(macros._BOOKS) == 1
    book = next(iter(macros._BOOKS.values()))
    macros.define_env(FakeEnv(tmp_path / "otro"))
    assert len(macros._BOOKS) == 2 and macros._BOOKS[str(tmp_path)] is book


def test_a_warm_define_env_registers_lazy_macros_that_describe_themselves_cheaply(tmp_path, monkeypatch):
    """With the macro index cached, the macros are objects: mkdocs-macros' on_pre_build debug dump reads their repr
    instead of computing an inspect.signature per macro, and nothing of k8sdocs.content is imported for them."""
    monkeypatch.setenv("K8SDOCS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("K8SDOCS_PREFETCH", "0")
    cold, warm = FakeEnv(tmp_path), FakeEnv(tmp_path)
    macros.define_env(cold)
    macros.define_env(warm)
    assert set(warm.macros) == set(cold.macros)
    assert all(isinstance(fn, macros.LazyMacro) for fn in warm.macros.values())
    name, fn = sorted(warm.macros.items())[0]
    assert repr(fn) == f"<macro {name} from {fn.module}>"
