"""The glossary data, its tables and the concepts that pages mark on first use."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import glossary
from k8sdocs.content.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]


def test_single_source_of_terms():
    """No hand-kept second copy: the old abbreviations file is gone and mkdocs.yml no longer appends one."""
    assert not (ROOT / "docs" / "includes").exists()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "auto_append" not in config and "  - abbr\n" not in config
    assert "  - k8sdocs.glossary_marks\n" in config and "content.tooltips" in config


def test_site_terms_from_the_style_guide():
    """One Spanish term per concept (CONTRIBUTING.md «Estilo», from kubernetes/website content/es/)."""
    terms = {t.en: t.es for t in glossary.load_glossary()}
    assert terms["kube-scheduler / scheduler"] == "planificador (kube-scheduler)"
    assert terms["container runtime"] == "entorno de ejecución de contenedores (container runtime)"
    assert terms["eviction / evict"] == "desalojo / desalojar"
    assert terms["filter / score"] == "filtrar, filtro / puntuar, puntuación"
    assert terms["heartbeat / lease"] == "latido (heartbeat) / lease"
    assert terms["taint / toleration"] == "taint (sin traducir) / tolerancia"
    assert len(terms) == len(glossary.load_glossary())  # no English term twice
    assert not any("programador" in t.es for t in glossary.load_glossary())


def test_tooltips_have_english_titles():
    tips = glossary.tooltips()
    assert tips["planificador"] == tips["Planificador"] == "scheduler (kube-scheduler)"
    assert tips["plano de control"] == "control plane"
    assert tips["latidos"] == "heartbeat"  # one concept, one English name, whatever the Spanish form
    assert tips["entorno de ejecución de contenedores"] == "container runtime"
    every = glossary.concepts()
    assert all(c.definition and c.title.endswith(f"En inglés: {c.en}.") for c in every)
    by_form = {f: c for c in every for f in c.forms}
    assert by_form["entorno aislado"].en == "sandbox"  # issue #10: «sandbox» has its Spanish term
    assert by_form["admisión de mutación"].en == "mutating admission"
    assert by_form["cubo y radios"].en == "hub-and-spoke"


def test_conflicting_tooltips_are_an_error():
    terms = [glossary.Term("a", "x", "", (glossary.Concept(("nodo",), "node", "d"),)),
             glossary.Term("b", "y", "", (glossary.Concept(("nodo",), "worker", "d"),))]
    with pytest.raises(ContentError, match="nodo"):
        glossary.tooltips(terms)


def test_tables_sorted_for_spanish_readers():
    md = glossary.glossary_table(None, orden="es")
    first_cells = [line.split("|")[1].strip().strip("*") for line in md.splitlines()[2:]]
    assert first_cells[0] == "actualización progresiva (rolling update)"
    assert first_cells.index("afinidad") < first_cells.index("balanceador de carga")
    assert first_cells.index("clúster") < first_cells.index("contenedor / imagen")  # ú sorts as u
    en = glossary.glossary_table(None, orden="en")
    assert en.splitlines()[2].startswith("| *addon*") and en.splitlines()[3].startswith("| *affinity*")
    with pytest.raises(ContentError):
        glossary.glossary_table(None, orden="fr")


def test_bad_data_file(tmp_path):
    bad = tmp_path / "g.yaml"
    bad.write_text("- {en: node}\n")
    with pytest.raises(ContentError, match="«en» y «es»"):
        glossary.load_glossary(bad)
    bad.write_text("- {en: filter, es: filtrar, filtro}\n")  # unquoted comma
    with pytest.raises(ContentError, match="campos desconocidos: filtro"):
        glossary.load_glossary(bad)


def test_bad_tooltip_data(tmp_path):
    bad = tmp_path / "g.yaml"
    bad.write_text("- {en: node, es: nodo, tooltip: [{formas: [nodo], en: node}]}\n")
    with pytest.raises(ContentError, match="definicion"):
        glossary.load_glossary(bad)
    bad.write_text("- {en: node, es: nodo, tooltip: [{formas: [], en: node, definicion: d}]}\n")
    with pytest.raises(ContentError, match="formas"):
        glossary.load_glossary(bad)
