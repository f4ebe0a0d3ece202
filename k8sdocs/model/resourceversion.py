"""Comparing resourceVersions, as v1.35 allows (KEP-5504, "Comparable resource version semantics").

kube-apiserver's resourceVersions are etcd revisions written as decimal integers; from v1.35 the API promises that the
resourceVersions of one resource are comparable integers, and client-go offers ``CompareResourceVersion(x, y)``
returning -1, 0 or 1 and an error when a value is not comparable. The KEP's algorithm, followed here: every character
a digit and no leading zero, then the longer string is the larger number, else the first differing digit decides
(no size limit, no integer parsing).
"""

from __future__ import annotations


class IncomparableResourceVersion(ValueError):
    """A resourceVersion that is not a canonical decimal integer (an aggregated API server may use others)."""


def _check(rv: str) -> str:
    if not isinstance(rv, str) or not rv or not rv.isascii() or not rv.isdigit() or (len(rv) > 1 and rv[0] == "0"):
        raise IncomparableResourceVersion(f"resourceVersion {rv!r} is not a comparable integer")
    return rv


def compare_resource_version(x: str, y: str) -> int:
    """-1 if ``x`` is older than ``y``, 0 if equal, 1 if newer (KEP-5504 ``CompareResourceVersion``)."""
    a, b = _check(x), _check(y)
    if len(a) != len(b):
        return -1 if len(a) < len(b) else 1
    if a == b:
        return 0
    return -1 if a < b else 1
