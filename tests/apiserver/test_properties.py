"""Property tests: random write sequences keep resourceVersion and watch invariants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace

OPS = st.lists(
    st.tuples(st.sampled_from(["create", "update", "delete", "bind"]), st.sampled_from(["a", "b", "c"]),
              st.sampled_from(["node-1", "node-2"])),
    max_size=30,
)


def pod(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(OPS)
def test_watchers_converge_on_the_store_and_revisions_only_grow(ops):
    clock = Clock()
    api = APIServer(clock, Trace(clock))
    k = api.client("kubectl")
    mirror: dict[str, dict] = {}
    node1: dict[str, dict] = {}
    revs: list[int] = []
    n1revs: list[int] = []

    def on_all(t: str, o: dict) -> None:
        revs.append(int(o["metadata"]["resourceVersion"]))
        if t == "DELETED":
            mirror.pop(o["metadata"]["name"], None)
        else:
            mirror[o["metadata"]["name"]] = o

    def on_node1(t: str, o: dict) -> None:
        n1revs.append(int(o["metadata"]["resourceVersion"]))
        if t == "DELETED":
            node1.pop(o["metadata"]["name"], None)
        else:
            node1[o["metadata"]["name"]] = o

    api.client("ctrl").watch("Pod", on_all)
    api.client("kubelet/node-1").watch("Pod", on_node1, field_selector="spec.nodeName=node-1")
    last_rv = 0
    for op, name, node in ops:
        try:
            if op == "create":
                out = k.create(pod(name))
            elif op == "update":
                cur = k.get("Pod", name)
                cur["metadata"].setdefault("labels", {})["n"] = str(len(revs))
                out = k.update(cur)
            elif op == "delete":
                out = None
                k.delete("Pod", name)
            else:
                out = api.client("kube-scheduler").bind("default", name, node)
        except APIError as e:
            assert e.code in (404, 409)
            continue
        if out is not None and int(out["metadata"]["resourceVersion"]) > last_rv:
            last_rv = int(out["metadata"]["resourceVersion"])
        assert api.store.revision >= last_rv
        if op in ("create", "bind") and out is not None:
            assert out["metadata"]["resourceVersion"] == str(api.store.revision)
    clock.run_until(0)
    stored = {p["metadata"]["name"]: p for p in k.list("Pod")}
    assert mirror == stored
    assert node1 == {n: p for n, p in stored.items() if p["spec"].get("nodeName") == "node-1"}
    assert revs == sorted(revs) and n1revs == sorted(n1revs)
