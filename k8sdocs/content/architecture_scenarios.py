"""Shared pieces of the control-plane pages: the manifests a scenario used and how to reproduce it with kubectl.

Every page that shows a scenario shows its files (collapsible ``yaml`` blocks generated from the files
themselves, never retyped) and the ``kubectl`` commands that reproduce it on a real cluster.

The scenario is the model's parse of it (``ExampleBook.scenario``, the value ``ClusterRun.scenario`` holds: limits,
confinement of its ``manifests:`` paths, every manifest validated), so a page never shows a file the model would
refuse to read, and which files each step applied comes from there (``Step.files``), not from reading the YAML again. The files are shown
verbatim (``render/verbatim.py``): no Markdown extension, ``pymdownx.snippets`` included, sees their text.
"""

from __future__ import annotations

import html
from pathlib import Path

import yaml

from k8sdocs.content.book import SCENARIO_DIR, ExampleBook
from k8sdocs.model.confine import confined
from k8sdocs.model.manifests import read_manifest_text
from k8sdocs.render.verbatim import verbatim_block, verbatim_details


def _manifest_path(book: ExampleBook, scenario: str, ref: str) -> Path:
    """A ``manifests:`` entry of the scenario, confined to the scenarios folder (as the model reads it)."""
    return confined(book.scenario_path(scenario).parent, ref)


def manifest_files(book: ExampleBook, scenario: str) -> list[str]:
    """Manifest files the scenario references (top-level ``manifests`` first, then each ``apply`` step), no repeats."""
    return book.scenario(scenario).files()


def _caption(name: str) -> str:
    return f"<code>{html.escape(name)}</code>:"


def scenario_manifests(book: ExampleBook, escenario: str, abierto: bool = False) -> str:
    """Collapsible blocks with the scenario file and every manifest file it references, read from disk, verbatim."""
    path = book.scenario_path(escenario)
    refs = manifest_files(book, escenario)  # validates the scenario first
    parts = [(_caption(f"{SCENARIO_DIR}/{escenario}"), verbatim_block(read_manifest_text(path), "yaml"))]
    for ref in refs:
        text = read_manifest_text(_manifest_path(book, escenario, ref), ref)
        parts.append((_caption(f"{SCENARIO_DIR}/{ref}"), verbatim_block(text, "yaml")))
    return verbatim_details(f"Manifiestos del escenario «{escenario}»", parts, kind="example", open_=abierto)


def kubectl_commands(book: ExampleBook, escenario: str, extra: str = "") -> str:
    """How to reproduce the scenario on a real cluster: apply the non-Node manifests, then look at the result.

    Node manifests describe machines: on a real cluster the kubelet of each machine registers its Node, so they
    are not applied. ``extra`` adds commands (separated by ``;``) after the usual get/describe/events ones.
    """
    book.scenario_path(escenario)  # an unknown scenario fails here, naming it
    lines = ["# Desde la carpeta docs/escenarios/ del repositorio:"]
    sources = book.scenario(escenario).sources()
    files: dict[str, list[str]] = {}  # file -> the kinds of its objects (a file applied twice is listed once)
    for src in sources:
        if src.file is not None and src.file not in files:
            files[src.file] = [str(o.get("kind", "")) for o in src.objects]
    for ref, kinds in files.items():
        if kinds and all(k == "Node" for k in kinds):
            lines.append(f"# {ref}: nodos; en un clúster real los registra el kubelet de cada máquina")
        else:
            lines.append(f"kubectl apply -f {ref}")
    for src in (s for s in sources if s.file is None):
        docs = [o for o in src.objects if o.get("kind") != "Node"]
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
    return intro + verbatim_block("\n".join(lines), "bash")


MACROS = {
    "cp_manifiestos": scenario_manifests,
    "cp_kubectl": kubectl_commands,
}
