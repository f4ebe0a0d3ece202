"""resourceVersion comparison (KEP-5504, client-go CompareResourceVersion): -1/0/1, error when not comparable."""

from __future__ import annotations

import pytest

from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.resourceversion import IncomparableResourceVersion, compare_resource_version
from k8sdocs.model.trace import Trace


@pytest.mark.parametrize("x, y, want", [("9", "10", -1), ("10", "9", 1), ("42", "42", 0),
                                        ("123456789012345678901234567890", "123456789012345678901234567891", -1),
                                        ("0", "1", -1)])
def test_compare_as_integers_not_as_text(x, y, want):
    assert compare_resource_version(x, y) == want


@pytest.mark.parametrize("bad", ["", "01", "-1", "1a", " 1", "١"])
def test_not_comparable(bad):
    with pytest.raises(IncomparableResourceVersion):
        compare_resource_version(bad, "1")


def test_every_write_of_one_resource_has_a_larger_resource_version():
    clock = Clock()
    c = APIServer(clock, Trace(clock)).client("kubectl")
    cm = c.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "1"}})
    versions = [cm["metadata"]["resourceVersion"]]
    for i in range(12):  # crosses a power of ten: text order would put "10" before "9"
        cm["data"]["k"] = str(i)
        cm = c.update(cm)
        versions.append(cm["metadata"]["resourceVersion"])
    assert all(compare_resource_version(a, b) == -1 for a, b in zip(versions, versions[1:]))
