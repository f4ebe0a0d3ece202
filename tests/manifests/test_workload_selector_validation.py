"""Deployment / ReplicaSet selectors as ``ValidateDeploymentSpec`` / ``ValidateReplicaSetSpec`` (pkg/apis/apps/
validation) check them: ``metav1.LabelSelectorAsSelector(spec.Selector)`` goes through ``labels.NewRequirement``, so a
bad key or value in the selector is "invalid label selector" and the template is not validated against it
(``ValidatePodTemplateSpecForReplicaSet`` runs only with a selector). The model's former selector matcher accepted
any key, so such a selector was reported as not matching the template labels instead."""

from __future__ import annotations

from typing import Any

import pytest

from k8sdocs.model.validation.apps import validate_workload_spec


def _spec(selector: dict[str, Any], template_labels: dict[str, str]) -> dict[str, Any]:
    return {"replicas": 1, "selector": selector, "strategy": {"type": "Recreate"},
            "template": {"metadata": {"labels": template_labels},
                         "spec": {"containers": [{"name": "c", "image": "nginx"}], "restartPolicy": "Never"}}}


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet"])
@pytest.mark.parametrize("selector", [
    {"matchLabels": {"bad key": "x"}},
    {"matchExpressions": [{"key": "app", "operator": "In", "values": ["-x"]}]},
])
def test_unconvertible_selector_skips_the_template(kind: str, selector: dict[str, Any]) -> None:
    errs = [str(e) for e in validate_workload_spec(_spec(selector, {"app": "web"}), kind)]
    assert any(e.startswith("spec.selector: Invalid value: ") and e.endswith(": invalid label selector") for e in errs)
    assert not any(e.startswith("spec.template.") for e in errs), errs


def test_valid_selector_still_validates_the_template() -> None:
    errs = [str(e) for e in validate_workload_spec(_spec({"matchLabels": {"app": "db"}}, {"app": "web"}), "Deployment")]
    assert 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match ' \
           "template `labels`" in errs
    assert any(e.startswith("spec.template.spec.restartPolicy: Unsupported value: ") for e in errs)
