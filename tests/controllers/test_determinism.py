"""Same inputs, same trace: two runs of the controllers give byte-identical traces."""

from __future__ import annotations

from k8sdocs.model.controllers.manager import KubeControllerManager


def _run(h) -> str:
    clock, trace, api = h.make_api(seed=7)
    KubeControllerManager(api.client, clock, trace, seed=7).start()
    h.FakeKubelet(api, clock, ready_after_ms=300)
    k = api.client("kubectl")
    k.create(h.deployment("web", 4))
    k.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
              "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}})
    clock.run_until(5_000)
    d = k.get("Deployment", "web", "default")
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    k.update(d)
    clock.run_until(30_000)
    return trace.to_text()


def test_trace_is_byte_identical_between_runs(h) -> None:
    a, b = _run(h), _run(h)
    assert a == b
    assert "Scaled down replica set" in a and "endpointslice-controller" in a
