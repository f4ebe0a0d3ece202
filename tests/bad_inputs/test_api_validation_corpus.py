"""Bad-input corpus: the model rejects what the v1.35 API server rejects, with the API server's own line.

One file per input under ``tests/bad_inputs/validation/``; its ``# expect:`` comment is the one line the build
prints (``<file>: document <n>: <field>: <upstream message>``, several errors as ``[a, b]``) or ``accepted``.
The expected texts were written from upstream's source (pkg/apis/core/validation/validation.go,
pkg/apis/core/helper/helpers.go, apimachinery util/validation and field/errors.go; commits in
``k8sdocs/model/validation/core.py``), not from the model's output. Issue #15, item 3.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.model.manifests import ManifestError, load_manifest_file
from k8sdocs.model.scenario import ScenarioError, parse_scenario

CORPUS = Path(__file__).parent / "validation"
CASES = sorted(CORPUS.glob("*.yaml"))

# The inputs issue #15 lists under item 3 (each must stay in the corpus).
LISTED = {
    "node-taint-value-script", "node-taint-effect-bogus", "node-taint-key-space", "node-taint-duplicate",
    "node-allocatable-negative", "node-podcidr-invalid", "deployment-replicas-int32-overflow",
    "pod-resource-name-html", "pod-resource-name-foo", "pod-extended-resource-fraction",
    "pod-toleration-value-script", "pod-node-affinity-operator-foo", "pod-node-affinity-gt-two-values",
    "pod-env-name-equals", "pod-container-port-name-duplicate", "service-duplicate-ports", "pod-host-port-70000",
    "pod-topology-spread-maxskew-zero", "pod-anti-affinity-empty-topology-key", "node-with-namespace",
}


def _expect(path: Path) -> str:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("# expect: ")]
    assert len(lines) == 1, f"{path.name}: exactly one '# expect:' line"
    return lines[0].removeprefix("# expect: ")


def test_corpus_holds_every_listed_input() -> None:
    assert LISTED <= {p.stem for p in CASES}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_manifest_ends_as_the_api_server_ends_it(path: Path) -> None:
    expect = _expect(path)
    if expect == "accepted":
        assert load_manifest_file(path, path.name)
        return
    with pytest.raises(ManifestError) as exc:
        load_manifest_file(path, path.name)
    assert str(exc.value) == f"{path.name}: document 1: {expect}"
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_scenario_applying_it_fails_with_the_same_line(path: Path) -> None:
    """In a scenario (what a page runs) the same line arrives, prefixed with the scenario file and step."""
    expect = _expect(path)
    text = f"name: corpus\nseed: 1\nuntil: 1s\nsteps:\n- at: 0s\n  action: apply\n  manifests: [{path.name}]\n"
    if expect == "accepted":
        parse_scenario(text, "corpus.yaml", CORPUS)
        return
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "corpus.yaml", CORPUS)
    assert str(exc.value) == f"corpus.yaml: step 1: manifests: {path.name}: document 1: {expect}"
