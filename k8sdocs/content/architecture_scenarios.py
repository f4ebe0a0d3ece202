"""Shared pieces of the control-plane pages: the manifests a scenario used and how to reproduce it with kubectl.

Every page that shows a scenario shows its files (collapsible ``yaml`` blocks generated from the files
themselves, never retyped) and the ``kubectl`` commands that reproduce it on a real cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from k8sdocs.content.book import SCENARIO_DIR, ExampleBook
from k8sdocs.content.errors import ContentError
from k8sdocs.render.markdown import code_block, details


def scenario_data(book: ExampleBook, scenario: str) -> dict[str, Any]:
    """The scenario file as YAML data (the file has already been validated by the model when it ran)."""
    data = yaml.safe_load(book.scenario_path(scenario).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ContentError(f"{SCENARIO_DIR}/{scenario}: no es un escenario")
    return data


def manifest_files(book: ExampleBook, scenario: str) -> list[str]:
    """Manifest files the scenario references (top-level ``manifests`` first, then each ``apply`` step), no repeats."""
    data = scenario_data(book, scenario)
    refs: list[str] = []
    sources = [data.get("manifests")] + [s.get("manifests") for s in data.get("steps") or [] if isinstance(s, dict)]
    for src in sources:
        if isinstance(src, list):
            refs += [r for r in src if isinstance(r, str) and r not in refs]
    return refs


def _kinds_in(path: Path) -> list[str]:
    return [d.get("kind", "") for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if isinstance(d, dict)]


def scenario_manifests(book: ExampleBook, escenario: str, abierto: bool = False) -> str:
    """Collapsible blocks with the scenario file and every manifest file it references, read from disk."""
    path = book.scenario_path(escenario)
    body = f"`{SCENARIO_DIR}/{escenario}`:\n\n" + code_block(path.read_text(encoding="utf-8"), "yaml")
    for ref in manifest_files(book, escenario):
        body += f"\n`{SCENARIO_DIR}/{ref}`:\n\n" + code_block((path.parent / ref).read_text(encoding="utf-8"), "yaml")
    return details(f"Manifiestos del escenario «{escenario}»", body, kind="example", open_=abierto)


def kubectl_commands(book: ExampleBook, escenario: str, extra: str = "") -> str:
    """How to reproduce the scenario on a real cluster: apply the non-Node manifests, then look at the result.

    Node manifests describe machines: on a real cluster the kubelet of each machine registers its Node, so they
    are not applied. ``extra`` adds commands (separated by ``;``) after the usual get/describe/events ones.
    """
    path = book.scenario_path(escenario)
    lines = ["# Desde la carpeta docs/escenarios/ del repositorio:"]
    for ref in manifest_files(book, escenario):
        kinds = _kinds_in(path.parent / ref)
        if kinds and all(k == "Node" for k in kinds):
            lines.append(f"# {ref}: nodos; en un clúster real los registra el kubelet de cada máquina")
        else:
            lines.append(f"kubectl apply -f {ref}")
    data = scenario_data(book, escenario)
    inline = [data.get("manifests")] + [st.get("manifests") for st in data.get("steps") or [] if isinstance(st, dict)]
    for text in (t for t in inline if isinstance(t, str)):
        docs = [d for d in yaml.safe_load_all(text) if isinstance(d, dict) and d.get("kind") != "Node"]
        if docs:
            body = yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True).rstrip("\n")
            lines.append("kubectl apply -f - <<'EOF'\n" + body + "\nEOF")
    lines += [
        "kubectl get nodes -o wide",
        "kubectl get pods -o wide",
        "kubectl describe pods",
        "kubectl get events --sort-by=.metadata.creationTimestamp",
    ]
    lines += [c.strip() for c in extra.split(";") if c.strip()]
    intro = "Para reproducirlo en un clúster real (por ejemplo, uno local creado con kind o minikube):\n\n"
    return intro + code_block("\n".join(lines), "bash")


MACROS = {
    "cp_manifiestos": scenario_manifests,
    "cp_kubectl": kubectl_commands,
}
