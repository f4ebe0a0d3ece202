"""Where kube-apiserver stores each resource in etcd: the prefix rules beyond the model's own kinds.

* Built-in resources: ``/registry/<prefix>/[<namespace>/]<name>``, where ``<prefix>`` is the plural resource name,
  without the API group, except for the prefixes compiled into kube-apiserver in ``SpecialDefaultResourcePrefixes``
  (``pkg/kubeapiserver/default_storage_factory_builder.go``; v1.35 has the six entries below, the PodSecurityPolicy
  ones left with that API in v1.25).
* Custom resources (CRDs): the prefix carries the group, ``<group>/<plural>``
  (``staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/customresource_handler.go``,
  ``CRDRESTOptionsGetter.GetRESTOptions``: ``ResourcePrefix: resource.Group + "/" + resource.Resource``).
"""

from __future__ import annotations

from k8sdocs.model.resources import ETCD_ROOT

#: (group, resource) -> etcd prefix, as ``SpecialDefaultResourcePrefixes``.
SPECIAL_DEFAULT_RESOURCE_PREFIXES: dict[tuple[str, str], str] = {
    ("", "replicationcontrollers"): "controllers",
    ("", "endpoints"): "services/endpoints",
    ("", "nodes"): "minions",
    ("", "services"): "services/specs",
    ("extensions", "ingresses"): "ingress",
    ("networking.k8s.io", "ingresses"): "ingress",
}

#: Kind and scope (namespaced?) of each special resource, for the page's table.
KINDS: dict[str, tuple[str, bool]] = {
    "replicationcontrollers": ("ReplicationController", True),
    "endpoints": ("Endpoints", True),
    "nodes": ("Node", False),
    "services": ("Service", True),
    "ingresses": ("Ingress", True),
}


def builtin_prefix(group: str, resource: str) -> str:
    """The etcd prefix of a built-in resource: the special one, or the plural name (no group)."""
    return SPECIAL_DEFAULT_RESOURCE_PREFIXES.get((group, resource), resource)


def builtin_key(group: str, resource: str, name: str, namespace: str | None = None) -> str:
    """The etcd key of a built-in object (no group in the path)."""
    middle = f"{namespace}/{name}" if namespace else name
    return f"{ETCD_ROOT}/{builtin_prefix(group, resource)}/{middle}"


def custom_resource_key(group: str, plural: str, name: str, namespace: str | None = None) -> str:
    """The etcd key of a custom resource object: the group is part of the path."""
    middle = f"{namespace}/{name}" if namespace else name
    return f"{ETCD_ROOT}/{group}/{plural}/{middle}"
