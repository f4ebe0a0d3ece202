"""The bounded loader parses with libyaml and keeps every message of PyYAML's pure parser (issue 12, item 4).

``BoundedLoader`` takes its events from libyaml when it parses the whole text, and redoes the work with the
pure parser on any error; texts where libyaml accepts what PyYAML refuses never take the fast path. The
``StrictLoader`` goes one step further (``limits._fast_documents``: libyaml composes, one recursive pass builds)
and hands every text it cannot vouch for to the events path. Each case is loaded both ways and must give the
same objects or the same error text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from k8sdocs.model import limits
from k8sdocs.model.manifests import StrictLoader, parse_documents

ROOT = Path(__file__).resolve().parents[2]


def outcome(text: str, pure: bool, many: bool) -> tuple:
    def loader(stream: str) -> StrictLoader:
        return StrictLoader(stream, pure=pure)

    try:
        if many:
            return ("ok", list(yaml.load_all(text, Loader=loader)))  # noqa: S506
        return ("ok", yaml.load(text, Loader=loader))  # noqa: S506
    except Exception as err:  # noqa: BLE001 - compared as text
        return ("error", type(err).__name__, str(err))


CASES = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: 2024-01-01, e: !!binary aGVsbG8=}\n",
    "---\na: 1\n---\nb: 2\n...\n",
    "a: 1\na: 2\n",                      # duplicate key (constructor error, after libyaml succeeded)
    "a: 1\n---\nb: &x 1\n",              # an anchor in the second document
    "a: b: c\n",                          # scanner error (libyaml fails too)
    "---\na: 1\n---\nb: [\n",             # parser error in the second document
    "a: " + "[" * (limits.MAX_DEPTH + 1) + "]" * (limits.MAX_DEPTH + 1) + "\n",
    "a: [" + ", ".join(["1"] * (limits.MAX_ITEMS + 1)) + "]\n",
    "a: '\x00'\n", "a: \x07\n",          # characters both refuse
    "labels: {a?pp: web}\n",            # libyaml accepts '?' inside a flow plain scalar, PyYAML does not
    "kind: \tNode\n", "name: node\t-1\n", "terms:\t\n- a\n",  # tabs libyaml accepts and PyYAML refuses
    "a: c?\nb: {x: \"y?\"}\n",           # '?' where both agree (fast path)
    "1: a\ntrue: b\n2.5: c\n", "null: 1\n", "<<: {a: 1}\nb: 2\n",
    # what limits._fast_documents declines, each loaded by the events path as before
    "a: &x 1\n", "a: *x\n", "a: !!omap [b: 1]\n", "a: !!set {b, c}\n", "a: !local 1\n", "=: 1\n", "a: =\n",
    "[a]: 1\n", "{a: 1}: 2\n", "? a\n? b\n", "true: 1\n'true': 2\n", "1: a\n1: b\n", "a: !!str 1\nb: !!int '12'\n",
    "a: " + "9" * (limits.MAX_INT_DIGITS + 1) + "\n", "a: " + "x" * (limits.MAX_STRING_CHARS + 1) + "\n",
    "a: {b: [c?d]}\n", "a: [b, {c: d?}]\n", "a: 'b?'\n",
    "---\n", "", "# only a comment\n", "--- 1\n--- [2]\n",
    "a:\n" + "".join(f"  k{i}: [x-{i}]\n" for i in range(limits.MAX_FAST_INDICATORS // 3)),
    "a: " + "[" * 3000 + "]" * 3000 + "\n",  # deeper than MAX_DEPTH: an error, composed by neither C composer
]


@pytest.mark.parametrize("text", CASES)
@pytest.mark.parametrize("many", [False, True])
def test_fast_and_pure_loaders_agree(text: str, many: bool) -> None:
    assert outcome(text, pure=False, many=many) == outcome(text, pure=True, many=many)


def test_every_yaml_file_of_the_project_loads_the_same_both_ways() -> None:
    files = sorted(p for folder in ("docs", "tests/bad_inputs", "tests/fidelity", "tests/scheduler")
                   for p in (ROOT / folder).rglob("*.yaml"))
    assert len(files) > 50
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        assert outcome(text, pure=False, many=True) == outcome(text, pure=True, many=True), path


def test_plain_manifests_take_the_libyaml_path_and_divergent_texts_do_not() -> None:
    plain = "a: 1\nb: {c: [d]}\n"
    assert StrictLoader(plain)._built == [{"a": 1, "b": {"c": ["d"]}}] and StrictLoader(plain)._events is None
    assert StrictLoader(plain, pure=True)._built is None and StrictLoader(plain, pure=True)._events is None
    assert limits.BoundedLoader(plain)._built is None and limits.BoundedLoader(plain)._events is not None
    for divergent in ("kind: \tNode\n", "labels: {a?pp: web}\n"):
        assert StrictLoader(divergent)._built is None and StrictLoader(divergent)._events is None


@pytest.mark.parametrize("text", ["a: &x 1\n", "a: 1\na: 2\n", "<<: {a: 1}\n", "a: !!set {b}\n", "[a]: 1\n",
                                  "a: {b: c?}\n", "a: " + "[" * 50 + "]" * 50 + "\n",
                                  "- " * (limits.MAX_FAST_INDICATORS + 1) + "x\n"])
def test_the_composed_pass_declines_what_it_cannot_vouch_for(text: str) -> None:
    assert StrictLoader(text)._built is None


def test_libyaml_composes_only_texts_whose_indicators_bound_its_recursion() -> None:
    """Every mapping or sequence owns an indicator character, so the count bounds the depth libyaml's C composer
    recurses to; MAX_FAST_INDICATORS stays far below the depth where it overflows an 8 MiB stack (~20 000)."""
    assert limits.MAX_FAST_INDICATORS <= 5000
    deep = "[" * 4000 + "]" * 4000
    assert limits._fast_documents(deep, StrictLoader) is None  # within the count, declined past MAX_DEPTH
    assert limits._fast_documents("[" * 6000 + "]" * 6000, StrictLoader) is None  # never composed


def test_the_error_is_the_pure_parsers_with_its_line_and_snippet() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  name: again\n"
    with pytest.raises(ValueError) as err:
        parse_documents(text, "pod.yaml")
    assert "line 5" in str(err.value) and 'key "name" already set in map' in str(err.value)
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.load(text, Loader=StrictLoader)  # noqa: S506
    assert raised.value.__context__ is None  # no libyaml error chained to it
    assert "^" in str(raised.value)  # the pure parser's snippet
