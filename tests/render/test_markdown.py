"""Escaping in tables and code: a value from a manifest can never break a table or inject HTML."""

from __future__ import annotations

import markdown as md

from k8sdocs.render.markdown import camel_code, code, code_block, details, escape_text, table

HOSTILE = "a|b `c` <script>alert(1)</script> *d* [e](f) {{ x }}"


def render(text: str) -> str:
    return md.markdown(text, extensions=["tables"])


def test_hostile_value_stays_in_one_cell_and_injects_no_tag():
    out = render(table(["Nombre", "Valor"], [[escape_text(HOSTILE), code(HOSTILE)]]))
    assert out.count("<td") == 2
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "<em>" not in out and "<a " not in out


def test_code_keeps_backticks_and_pipes_visible():
    out = render(table(["x"], [[code("a|b`c")]]))
    assert "<code>a&#124;b&#96;c</code>" in out


def test_table_rejects_ragged_rows():
    try:
        table(["a", "b"], [["1"]])
    except ValueError as err:
        assert "1 cells" in str(err)
    else:
        raise AssertionError("a ragged row must be rejected")


def test_code_block_fence_outgrows_backticks_inside():
    block = code_block("echo ```hola```", "bash")
    assert block.startswith("````bash\n") and block.endswith("````\n")


def test_details_indents_body_and_escapes_title():
    out = details('¿Dónde irá "web"?', "línea 1\n\nlínea 2")
    assert out.splitlines()[0] == '??? question "¿Dónde irá &quot;web&quot;?"'
    assert "    línea 1" in out and "    línea 2" in out


def test_camel_code_may_wrap_only_at_camel_case_boundaries_and_escapes():
    assert camel_code("PodReadyToStartContainers") == "<code>Pod<wbr>Ready<wbr>To<wbr>Start<wbr>Containers</code>"
    assert camel_code("Ready") == "<code>Ready</code>"
    assert camel_code("a|<B>") == "<code>a&#124;&lt;B&gt;</code>"
