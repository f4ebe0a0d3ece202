"""Inputs for the playground tests: every widget of the site, and edits a reader would make.

Shared by tests/playground (CPython and Pyodide on Node) and tests/site/test_playground_browser.py (Chromium).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.playground import PlaygroundInput, playground_input

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Each (scenario, Pod) that a page puts in a widget: prueba_planificador(...) and every ejercicio_planificacion(...).
_CALL = re.compile(r'\{\{\s*(?:prueba_planificador|ejercicio_planificacion)\("([^"]+)",\s*pod="([^"]+)"')


def widget_cases() -> list[tuple[str, str]]:
    """(scenario, Pod) of every widget in docs/, sorted, without repeats."""
    found = {m.groups() for page in DOCS.rglob("*.md") for m in _CALL.finditer(page.read_text(encoding="utf-8"))}
    return sorted(found)


def start(escenario: str, pod: str) -> PlaygroundInput:
    return playground_input(ExampleBook(docs_dir=DOCS), escenario, pod)


def edit_pod(inp: PlaygroundInput, change: "callable[[dict], None]") -> PlaygroundInput:  # type: ignore[valid-type]
    pod = yaml.safe_load(inp.pod)
    change(pod)
    return dataclasses.replace(inp, pod=yaml.safe_dump(pod, sort_keys=False))


def without_tolerations(pod: dict) -> None:
    pod["spec"].pop("tolerations")


def cpu_request(value: str) -> "callable[[dict], None]":  # type: ignore[valid-type]
    def change(pod: dict) -> None:
        pod["spec"]["containers"][0]["resources"]["requests"]["cpu"] = value
    return change


def unknown_field(pod: dict) -> None:
    pod["spec"]["containers"][0]["imagen"] = pod["spec"]["containers"][0].pop("image")


def edited_cases() -> dict[str, PlaygroundInput]:
    """Named edits: the reader removes a toleration, grows a request, makes mistakes."""
    tolerancia = start("cp-ejercicio-tolerancia.yaml", "entrenamiento")
    planificacion = start("planificacion.yaml", "cabe-en-uno")
    return {
        "sin-tolerancia": edit_pod(tolerancia, without_tolerations),
        "cpu-5": edit_pod(planificacion, cpu_request("5")),
        "cpu-2": edit_pod(planificacion, cpu_request("2")),
        "cantidad-no-valida": edit_pod(planificacion, cpu_request("tres")),
        "campo-desconocido": edit_pod(planificacion, unknown_field),
        "servicio-en-nodos": dataclasses.replace(
            planificacion, nodes=planificacion.nodes + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"),
        "yaml-roto": dataclasses.replace(planificacion, pod="apiVersion: v1\nkind: Pod\nmetadata: {name: [\n"),
    }
