"""Container runtime page content: the CRI sequence of one Pod and image present vs pulled.

Upstream rules checked: imagePullPolicy IfNotPresent for a tagged image (pkg/apis/core/v1/defaults.go) means
PullImage only when ImageStatus finds nothing (pkg/kubelet/images/image_manager.go EnsureImageExists), with the
events 'Container image %q already present on machine' or 'Pulling image %q' + 'Successfully pulled image ...'.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from k8sdocs.content import runtime
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ExpectationError
from k8sdocs.model import runtime as model_runtime
from support.built_html import diagram_rows, diagrams

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "nodo-imagen.yaml"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def test_present_image_is_not_pulled(book):
    present = runtime.image_case(book, SCENARIO, "web-presente")
    pulled = runtime.image_case(book, SCENARIO, "web-descarga")
    assert (present.node, present.present, present.pulled) == ("node-1", True, False)
    # v1.35 adds " and can be accessed by the pod" when KubeletEnsureSecretPulledImages is on
    assert present.pulled_message in ('Container image "nginx:1.27" already present on machine',
                                      'Container image "nginx:1.27" already present on machine and can be accessed by the pod')
    assert (pulled.node, pulled.present, pulled.pulled) == ("node-2", False, True)
    assert pulled.pulled_message.startswith('Successfully pulled image "nginx:1.27" in ')
    assert pulled.sandbox_to_start_ms > present.sandbox_to_start_ms


def test_pull_time_is_the_models_simulated_bandwidth(book):
    # runtime.py simplification: PULL_BASE_MS + size / PULL_BYTES_PER_MS; nginx is 72 000 000 bytes in the model
    size = model_runtime.KNOWN_IMAGE_SIZES["docker.io/library/nginx"]
    ms = model_runtime.PULL_BASE_MS + size // model_runtime.PULL_BYTES_PER_MS
    assert ms == 1690
    assert runtime.pull_time(book, SCENARIO, "web-descarga") == "1,69 s"


def test_comparison_table(book):
    md = runtime.image_comparison(book, SCENARIO, "web-presente, web-descarga", espera_descarga="web-descarga")
    rows = md.splitlines()[2:]
    assert [r.split("|")[3].strip() for r in rows] == ["sí", "no"]
    assert [r.split("|")[4].strip() for r in rows] == ["no", "sí"]
    with pytest.raises(ExpectationError):
        runtime.image_comparison(book, SCENARIO, "web-presente, web-descarga", espera_descarga="web-presente")


def test_sequence_diagram(book):
    md = runtime.sequence(book, SCENARIO, pod="web-descarga")
    [svg] = diagrams(md)
    rows = diagram_rows(svg)
    calls = [re.sub(r"^\[[^\]]+\] ", "", t).split()[0] for n, s, d, t in rows
             if (s, d) == ("kubelet/node-2", "container-runtime/node-2")]
    assert calls == ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage", "CreateContainer", "StartContainer"]
    assert rows[0][1:3] == ("kube-apiserver", "kubelet/node-2")  # the watch comes first
    notes = [re.search(r"evento (\w+)", t)[1] for n, s, d, t in rows if n == "nota" and s == "kubelet/node-2"]
    assert notes == ["Pulling", "Pulled", "Created", "Started"]
    present = runtime.sequence(book, SCENARIO, pod="web-presente")
    assert "PullImage" not in present and "evento Pulled" in present


def test_simulated_durations_sentence_reads_the_model_constants(book):
    text = runtime.simulated_durations(book)
    lat = model_runtime.LATENCY_MS
    assert text.startswith(f"{lat['RunPodSandbox']} ms para <code>RunPodSandbox</code>, ")
    assert f"{model_runtime.PULL_BASE_MS} ms más el tamaño de la imagen a 50 MB/s" in text
    from k8sdocs.model import kubelet as kl
    from k8sdocs.model.scheduler import component as sched

    delays = runtime.control_plane_delays(book)
    assert delays.startswith(f"{kl.POD_WORKER_DELAY_MS} ms para que el kubelet")
    assert f"{sched.SCHEDULING_CYCLE_MS} ms por ciclo de planificación, {sched.BINDING_MS} ms por vinculación" in delays
