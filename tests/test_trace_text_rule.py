"""Pages and tests decide by the trace's typed fields, never by its text (issue #14, items 1 and 5).

``TraceEvent.summary`` (and the text trace: ``to_line()``, ``to_text()``, ``ClusterRun.trace_text``) is for
people and may change wording without changing a page. Showing it is fine, and a test may assert a summary's exact
text (``==``); matching on it is not: no ``startswith``/``split``/``in``/``re.*`` over it in the content layer or
in any test. Read from the source with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = (
    sorted((ROOT / "k8sdocs" / "content").glob("*.py"))
    + sorted(p for p in (ROOT / "tests").rglob("*.py") if "__pycache__" not in p.parts)
)
TEXT_ATTRIBUTES = {"summary", "trace_text"}
TEXT_METHODS = {"to_line", "to_text"}
MATCHING_METHODS = {"startswith", "endswith", "split", "rsplit", "partition", "rpartition", "removeprefix",
                    "removesuffix", "find", "rfind", "index", "rindex", "count", "splitlines"}


def is_trace_text(node: ast.AST) -> bool:
    """``x.summary``, ``run.trace_text``, ``e.to_line()``, ``trace.to_text()``."""
    if isinstance(node, ast.Attribute) and node.attr in TEXT_ATTRIBUTES:
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TEXT_METHODS
            and not node.args)


def matches_on_trace_text(tree: ast.AST) -> list[int]:
    """Line numbers where trace text is matched: a string method on it, ``in`` with it, or a ``re`` call over it."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in MATCHING_METHODS and is_trace_text(node.func.value):
                lines.append(node.lineno)
            elif (isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                  and any(is_trace_text(a) for a in node.args)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            if any(is_trace_text(n) for n in [node.left, *node.comparators]):
                lines.append(node.lineno)
    return sorted(lines)


def test_the_rule_sees_its_files() -> None:
    names = {p.name for p in CHECKED}
    assert {"walkthrough.py", "test_observe.py", "test_built_site.py", "test_apiserver_semantics.py",
            "test_node_lifecycle.py", "test_component.py"} <= names


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_decision_by_trace_text(path: Path) -> None:
    assert matches_on_trace_text(ast.parse(path.read_text(encoding="utf-8"), str(path))) == []


def test_the_rule_can_fail() -> None:
    probe = ast.parse(
        "a = e.summary.startswith('PUT')\n"
        "b = 'binding' in e.summary\n"
        "c = re.search(r'x', run.trace_text)\n"
        "d = e.to_line().split()\n"
        "ok = e.summary == 'GET /api/v1/pods'\n"
        "shown = code(e.summary)\n"
    )
    assert matches_on_trace_text(probe) == [1, 2, 3, 4]
