"""The model keeps no reader text (issue #14, item 1): no string literal under ``k8sdocs/model`` is Spanish.

Reader sentences live next to the renderers (``k8sdocs/render/phrasebook``) and in the content layer; the model
records reason codes and fields (``Trace.decide``). Docstrings and comments are for engineers and may quote the
page text. Spanish is told apart from English by the letters English never uses (á é í ó ú ñ ¿ ¡) and by a few
Spanish function words, so an English message naming a Spanish page would still pass.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[1] / "k8sdocs" / "model"
SPANISH = re.compile(r"[áéíóúñÁÉÍÓÚÑ¿¡]|\b(?:del|los|las|una|según|nodo|nodos|clúster)\b")


def docstring_nodes(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def spanish_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = docstring_nodes(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if SPANISH.search(node.value):
                hits.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    return hits


def test_the_detector_sees_spanish_and_lets_english_and_docstrings_pass(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Módulo."""\nA = "el nodo está listo"\nB = "node is ready"\n'
                      'def f():\n    """Devuelve algo."""\n    return "¿qué?"\n', encoding="utf-8")
    assert [h.split(": ", 1)[1] for h in spanish_literals(sample)] == ["'el nodo está listo'", "'¿qué?'"]


@pytest.mark.parametrize("path", sorted(MODEL.rglob("*.py")), ids=lambda p: str(p.relative_to(MODEL)))
def test_model_module_has_no_spanish_literal(path):
    assert spanish_literals(path) == []
