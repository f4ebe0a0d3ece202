"""What the model simulates, for the Contribuir page: kinds a scenario may declare, controllers, defaults.

Generated from ``k8sdocs/model/support.py`` and the running model, so the list cannot fall behind it.
"""

from __future__ import annotations

import json

from k8sdocs.content.book import ExampleBook
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.support import SCENARIO_KINDS, controllers, model_defaults
from k8sdocs.render.markdown import code, escape_text, table


def kinds_table(book: ExampleBook) -> str:
    """The kinds a scenario may declare, their apiVersion and the model's components that act on them."""
    rows = [[code(kind), code(RESOURCES[kind].api_version), ", ".join(code(a) for a in SCENARIO_KINDS[kind])]
            for kind in sorted(SCENARIO_KINDS)]
    return table(["Tipo (kind)", "apiVersion", "Quién actúa sobre él en el modelo"], rows)


def unsupported_kinds(book: ExampleBook) -> str:
    """The kinds the model's API server stores but no scenario may declare (comma-separated code spans)."""
    return ", ".join(code(k) for k in sorted(set(RESOURCES) - set(SCENARIO_KINDS)))


def controllers_list(book: ExampleBook) -> str:
    """The controllers the model's kube-controller-manager runs, in start order (comma-separated code spans)."""
    return ", ".join(code(name) for name in controllers())


def defaults_table(book: ExampleBook) -> str:
    """The fields the model's defaulting adds to a minimal object of each kind (Pod template fields shown once, on Pod)."""
    rows = []
    for d in model_defaults():
        if d.kind != "Pod" and d.path.startswith("spec.template."):
            continue
        value = json.dumps(d.value, ensure_ascii=False, sort_keys=True)
        rows.append([code(d.kind), code(d.path), code(value) if value else escape_text(value)])
    return table(["Tipo", "Campo", "Valor por defecto"], rows)


MACROS = {
    "modelo_tipos": kinds_table,
    "modelo_tipos_no_simulados": unsupported_kinds,
    "modelo_controladores": controllers_list,
    "modelo_valores_por_defecto": defaults_table,
}
