"""Every manifest under docs/escenarios/ validates against the Kubernetes v1.35 OpenAPI schema.

``kubernetes-validate`` ships the upstream JSON schemas and works offline; ``strict=True`` rejects
unknown fields (as ``kubectl apply --validate=strict`` does). Scenario files are not Kubernetes
objects: the manifests they reference are validated as files, their inline manifests document by document.
"""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from k8sdocs.model.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "docs" / "escenarios"
K8S_VERSION = "1.35.0"


def _is_object(doc: object) -> bool:
    return isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc


def _documents() -> list[tuple[str, int, dict]]:
    """(file relative to escenarios/, document index, object) for every object in every YAML file."""
    out = []
    for path in sorted(SCENARIOS.rglob("*.yaml")):
        rel = path.relative_to(SCENARIOS).as_posix()
        docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
        if docs and all(_is_object(d) for d in docs):
            out += [(rel, i, d) for i, d in enumerate(docs)]
            continue
        # a scenario: its inline manifests (a YAML string) are objects too
        data = docs[0] if docs else {}
        inline = [data.get("manifests")] + [s.get("manifests") for s in data.get("steps") or [] if isinstance(s, dict)]
        for text in (t for t in inline if isinstance(t, str)):
            out += [(f"{rel} (en línea)", i, d) for i, d in enumerate(yaml.safe_load_all(text)) if d is not None]
    return out


DOCUMENTS = _documents()
SCENARIO_FILES = sorted(p for p in SCENARIOS.glob("*.yaml"))


def test_there_are_manifests_to_validate():
    kinds = {d["kind"] for _, _, d in DOCUMENTS}
    assert {"Node", "Pod", "Deployment", "Service"} <= kinds


@pytest.mark.parametrize("rel,index,obj", DOCUMENTS, ids=[f"{r}#{i}-{d.get('kind')}" for r, i, d in DOCUMENTS])
def test_manifest_validates_against_v1_35(rel, index, obj):
    assert _is_object(obj), f"{rel} documento {index}: no es un objeto de Kubernetes"
    try:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as err:  # pragma: no cover - the message is the point
        pytest.fail(f"{rel} documento {index} ({obj.get('kind')}): {err}")


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
def test_scenario_files_parse(path):
    """Top-level files of escenarios/ are scenarios the model can load (manifests are under manifiestos/)."""
    scenario = load_scenario(path)
    assert scenario.name


def test_validator_rejects_an_unknown_field():
    """The check can fail: a misspelt field (``replica``) is an error in strict mode."""
    bad = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
           "spec": {"replica": 3, "selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_validator_rejects_a_wrong_type():
    bad = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}, "spec": {"unschedulable": "yes"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)
