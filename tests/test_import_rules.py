"""The layers import one way (k8sdocs/ARCHITECTURE.md; issue #14, item 4).

model -> content -> render -> adapter: the model never imports content, render, the adapter or the fidelity
runner; render never imports the model or the adapter; no module imports the adapter ``k8sdocs/macros.py``
(mkdocs-macros loads it by name). Imports are read from the source with ``ast`` (function-level ones included),
so a lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "k8sdocs"
ADAPTER = "k8sdocs.macros"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names; ``from x import y`` also yields ``x.y``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{alias.name}" for alias in node.names)
    return found


def sources(layer: str) -> list[Path]:
    return sorted(p for p in (ROOT / layer).rglob("*.py") if "__pycache__" not in p.parts)


def violations(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in paths:
        for mod in sorted(imported_modules(path)):
            if any(mod == f or mod.startswith(f + ".") for f in forbidden):
                shown = path.relative_to(ROOT.parent) if path.is_relative_to(ROOT.parent) else path
                out.append(f"{shown} imports {mod}")
    return out


def test_the_rules_see_the_layers() -> None:
    assert sources("model") and sources("content") and sources("render")
    assert "k8sdocs.model.validation" in imported_modules(ROOT / "model" / "manifests.py")


def test_model_imports_no_upper_layer() -> None:
    assert violations(sources("model"), ("k8sdocs.content", "k8sdocs.render", ADAPTER, "k8sdocs.hooks", "k8sdocs.fidelity")) == []


def test_render_imports_neither_model_nor_adapter() -> None:
    assert violations(sources("render"), ("k8sdocs.model", ADAPTER, "k8sdocs.hooks")) == []


@pytest.mark.parametrize("layer", ["model", "content", "render", "fidelity"])
def test_nothing_imports_the_adapter(layer: str) -> None:
    assert violations(sources(layer), (ADAPTER,)) == []


def test_the_hooks_do_not_import_the_adapter() -> None:
    assert violations([ROOT / "hooks.py"], (ADAPTER,)) == []


def test_a_lazy_upward_import_would_be_caught(tmp_path: Path) -> None:
    """The checker itself: a function-level import of the adapter or the model is reported."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from k8sdocs.macros import content_macros\n    import k8sdocs.model.cluster\n", encoding="utf-8")
    assert violations([probe], (ADAPTER, "k8sdocs.model")) == [
        f"{probe} imports k8sdocs.macros",
        f"{probe} imports k8sdocs.macros.content_macros",
        f"{probe} imports k8sdocs.model.cluster",
    ]


def test_other_components_do_not_reach_into_scheduler_plugins() -> None:
    """Shared API helpers live in ``model/api`` (issue #14, item 2): the API server, the controllers, the kubelet...
    never import a scheduler plugin for a helper (admission once took ``merge_label_keys`` from one)."""
    outside = [p for p in sources("model") if "scheduler" not in p.relative_to(ROOT / "model").parts]
    assert violations(outside, ("k8sdocs.model.scheduler.plugins",)) == []
