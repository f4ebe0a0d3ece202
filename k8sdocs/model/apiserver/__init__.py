"""kube-apiserver, split along upstream's seams (``staging/src/k8s.io/apiserver``, ``pkg/registry``):

* :mod:`.server`: :class:`APIServer`, the request handlers (decode, admission, registry call, trace);
* :mod:`.client`: :class:`Client`, a thin client bound to one component name;
* :mod:`.registry`: the generic registry store over etcd; :mod:`.strategy`: per-resource strategies;
  :mod:`.alloc`: Service ClusterIP and NodePort allocation;
* :mod:`.watch`: the watch cache; :mod:`.codec`: decoding bodies, ``resourceVersion`` from etcd revisions;
* :mod:`.errors`: ``metav1.Status`` errors; :mod:`.selectors`: label and field selectors; :mod:`.events`: core/v1
  Events as ``record.EventRecorder`` writes them.
"""

from k8sdocs.model.apiserver.client import Client
from k8sdocs.model.apiserver.errors import (
    APIError,
    already_exists,
    bad_request,
    conflict,
    forbidden,
    invalid,
    not_found,
)
from k8sdocs.model.apiserver.registry import OPTIMISTIC_LOCK_ERROR_MSG
from k8sdocs.model.apiserver.server import GENERATE_NAME_ALPHANUMS, SYSTEM_NAMESPACES, APIServer

__all__ = [
    "APIError",
    "APIServer",
    "Client",
    "GENERATE_NAME_ALPHANUMS",
    "OPTIMISTIC_LOCK_ERROR_MSG",
    "SYSTEM_NAMESPACES",
    "already_exists",
    "bad_request",
    "conflict",
    "forbidden",
    "invalid",
    "not_found",
]
