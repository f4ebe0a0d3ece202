"""Scenario runs are cached per build, and a missing scenario is a clear Spanish error."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError, expect


def make_book(tmp_path: Path) -> ExampleBook:
    (tmp_path / "escenarios").mkdir()
    (tmp_path / "escenarios" / "uno.yaml").write_text("name: uno\n")
    return ExampleBook(docs_dir=tmp_path, runner=lambda path: ("run", path.name))


def test_each_scenario_runs_once_per_build(tmp_path):
    book = make_book(tmp_path)
    assert book.run("uno.yaml") == ("run", "uno.yaml")
    assert book.run("uno.yaml") == ("run", "uno.yaml")
    assert book.runs == 1


def test_the_parsed_scenario_is_shared_and_follows_its_manifest_files(tmp_path):
    book = make_book(tmp_path)
    folder = tmp_path / "escenarios"
    (folder / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (folder / "dos.yaml").write_text("name: dos\nsteps:\n  - {at: 1s, action: apply, manifests: [cm.yaml]}\n")
    first = book.scenario("dos.yaml")
    assert book.scenario("dos.yaml") is first and first.steps[0].files == ("cm.yaml",)
    assert book.runs == 0  # parsing is not running
    (folder / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bb}\n")  # size changes too
    assert book.scenario("dos.yaml").steps[0].objects[0]["metadata"]["name"] == "bb"


def test_a_run_holds_the_books_parse_of_its_scenario(tmp_path):
    (tmp_path / "escenarios").mkdir()
    (tmp_path / "escenarios" / "vacio.yaml").write_text("name: vacio\nuntil: 1s\n")
    book = ExampleBook(docs_dir=tmp_path)
    assert book.run("vacio.yaml").scenario is book.scenario("vacio.yaml")


def test_missing_scenario_names_file_and_lists_available(tmp_path):
    book = make_book(tmp_path)
    with pytest.raises(ContentError, match=r"no existe el escenario escenarios/dos\.yaml; escenarios disponibles: uno\.yaml"):
        book.run("dos.yaml")


def test_scenario_outside_folder_is_rejected(tmp_path):
    book = make_book(tmp_path)
    with pytest.raises(ContentError, match="nombre de escenario no válido"):
        book.run("../mkdocs.yml")


def test_expectation_mismatch_names_both_values():
    expect("el nodo elegido", None, "node-2")  # no expectation stated: nothing to check
    with pytest.raises(ExpectationError, match=r"la página espera el nodo elegido = 'node-1', pero el modelo da 'node-2'"):
        expect("el nodo elegido", "node-1", "node-2")


def test_editing_a_manifest_the_scenario_references_reruns_it_and_no_other(tmp_path):
    """A scenario depends on its file and the manifests it lists (issue 12: a scenario edit reruns that scenario only)."""
    import os

    book = make_book(tmp_path)
    folder = tmp_path / "escenarios"
    (folder / "dos.yaml").write_text("name: dos\nmanifests: [otro.yaml]\n")
    (folder / "uno.yaml").write_text("name: uno\nsteps:\n  - {at: 1s, action: apply, manifests: [manifiestos.yaml]}\n")
    manifest, other = folder / "manifiestos.yaml", folder / "otro.yaml"
    manifest.write_text("kind: Node\n")
    other.write_text("kind: Node\n")
    book.run("uno.yaml")
    book.run("dos.yaml")
    stat = manifest.stat()
    os.utime(manifest, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    book.run("uno.yaml")
    book.run("dos.yaml")
    assert book.runs == 3
