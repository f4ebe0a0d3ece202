"""The resource registry: one place that maps a manifest kind to its REST and etcd shape.

Sources:
* plural resource names and groups: the built-in API types (``k8s.io/api``), e.g. ``pods`` (core/v1),
  ``deployments`` (apps/v1), ``endpointslices`` (discovery.k8s.io/v1), ``leases`` (coordination.k8s.io/v1),
  ``priorityclasses`` (scheduling.k8s.io/v1).
* etcd prefixes: lower-case resource name under ``/registry`` except the compiled-in overrides in
  ``pkg/kubeapiserver/default_storage_factory_builder.go`` (``SpecialDefaultResourcePrefixes``):
  nodes -> ``minions``, services -> ``services/specs``, endpoints -> ``services/endpoints``,
  replicationcontrollers -> ``controllers``. Namespaced keys are ``<prefix>/<ns>/<name>``, cluster-scoped
  ``<prefix>/<name>`` (``staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go``,
  ``NamespaceKeyFunc`` / ``NoNamespaceKeyFunc``).
* name validation per kind (``pkg/apis/*/validation``): most kinds use ``ValidateObjectMeta(...,
  path.ValidatePathSegmentName / NameIsDNSSubdomain)``; Namespace uses ``ValidateNamespaceName``
  (``NameIsDNSLabel``, RFC 1123 label); Service uses ``ValidateServiceName = NameIsDNS1035Label`` (RFC 1035: must
  start with a letter; the ``RelaxedServiceNameValidation`` gate that relaxes it is alpha, off, in v1.35); Node uses
  ``ValidateNodeName`` (= ``NameIsDNSSubdomain``); Event names are only checked as path segments
  (``ValidateEventCreate`` -> ``ValidateObjectMetaAccessor(..., apimachineryvalidation.NameIsDNSSubdomain)``
  in ``pkg/apis/core/validation/events.go`` for ``v1`` events).
"""

from __future__ import annotations

from dataclasses import dataclass

ETCD_ROOT = "/registry"


def rest_path(group: str, version: str, resource: str, namespace: str | None = None, name: str | None = None,
              subresource: str | None = None) -> str:
    """The REST path client-go builds (``rest.Request.URL``): ``/api/v1`` for the core group, else
    ``/apis/<group>/<version>``; then ``namespaces/<ns>``, the resource, the name, the subresource.
    The one place a request path is built (its tail is :func:`resource_path`)."""
    path = f"/apis/{group}/{version}" if group else f"/api/{version}"
    if namespace:
        path += f"/namespaces/{namespace}"
    return f"{path}/{resource_path(resource, name, subresource)}"


def resource_path(resource: str, name: str | None = None, subresource: str | None = None) -> str:
    """The tail of a REST path, below the group version and the namespace: ``pods/web-1/binding``, ``deployments``."""
    return "/".join(p for p in (resource, name, subresource) if p)


@dataclass(frozen=True)
class ResourceInfo:
    kind: str
    group: str  # "" for the core group
    version: str
    resource: str  # plural, lower case
    namespaced: bool
    etcd_prefix: str  # under /registry, without slashes
    name_rule: str = "subdomain"  # "subdomain" (RFC 1123 subdomain), "label" (RFC 1123 label), "dns1035" (RFC 1035 label)
    has_status: bool = True  # the /status subresource exists
    sets_generation: bool = False  # strategy PrepareForCreate sets metadata.generation = 1

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified_resource(self) -> str:
        """``schema.GroupResource.String()``: ``pods`` for core, ``deployments.apps`` otherwise."""
        return f"{self.resource}.{self.group}" if self.group else self.resource

    @property
    def qualified_kind(self) -> str:
        """``schema.GroupKind.String()``: ``Pod`` for core, ``Deployment.apps`` otherwise."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    def collection_path(self, namespace: str | None) -> str:
        return rest_path(self.group, self.version, self.resource, namespace if self.namespaced else None)

    def object_path(self, name: str, namespace: str | None) -> str:
        return rest_path(self.group, self.version, self.resource, namespace if self.namespaced else None, name)

    def key_prefix(self, namespace: str | None = None) -> str:
        """etcd range prefix: all objects of this resource, or of one namespace (ends with ``/``)."""
        if self.namespaced and namespace:
            return f"{ETCD_ROOT}/{self.etcd_prefix}/{namespace}/"
        return f"{ETCD_ROOT}/{self.etcd_prefix}/"

    def key(self, name: str, namespace: str | None = None) -> str:
        if self.namespaced:
            return f"{ETCD_ROOT}/{self.etcd_prefix}/{namespace}/{name}"
        return f"{ETCD_ROOT}/{self.etcd_prefix}/{name}"


_RESOURCES: tuple[ResourceInfo, ...] = (
    ResourceInfo("Namespace", "", "v1", "namespaces", False, "namespaces", name_rule="label"),
    ResourceInfo("Node", "", "v1", "nodes", False, "minions"),
    ResourceInfo("Pod", "", "v1", "pods", True, "pods", sets_generation=True),
    ResourceInfo("Service", "", "v1", "services", True, "services/specs", name_rule="dns1035"),
    ResourceInfo("Endpoints", "", "v1", "endpoints", True, "services/endpoints", has_status=False),
    ResourceInfo("Event", "", "v1", "events", True, "events", has_status=False),
    ResourceInfo("ConfigMap", "", "v1", "configmaps", True, "configmaps", has_status=False),
    ResourceInfo("Secret", "", "v1", "secrets", True, "secrets", has_status=False),
    ResourceInfo("ServiceAccount", "", "v1", "serviceaccounts", True, "serviceaccounts", has_status=False),
    ResourceInfo("ReplicationController", "", "v1", "replicationcontrollers", True, "controllers", sets_generation=True),
    ResourceInfo("Deployment", "apps", "v1", "deployments", True, "deployments", sets_generation=True),
    ResourceInfo("ReplicaSet", "apps", "v1", "replicasets", True, "replicasets", sets_generation=True),
    ResourceInfo("DaemonSet", "apps", "v1", "daemonsets", True, "daemonsets", sets_generation=True),
    # ValidateStatefulSetName = NameIsDNSLabel (pkg/apis/apps/validation/validation.go)
    ResourceInfo("StatefulSet", "apps", "v1", "statefulsets", True, "statefulsets", sets_generation=True, name_rule="label"),
    ResourceInfo("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", True, "endpointslices", has_status=False),
    ResourceInfo("Lease", "coordination.k8s.io", "v1", "leases", True, "leases", has_status=False),
    ResourceInfo("PriorityClass", "scheduling.k8s.io", "v1", "priorityclasses", False, "priorityclasses", has_status=False),
)

RESOURCES: dict[str, ResourceInfo] = {r.kind: r for r in _RESOURCES}
_BY_RESOURCE: dict[str, ResourceInfo] = {r.resource: r for r in _RESOURCES}


class UnknownKindError(LookupError):
    """No resource registered for ``(apiVersion, kind)``; ``str()`` is kubectl's wording."""

    def __init__(self, kind: str, api_version: str) -> None:
        self.kind = kind
        self.api_version = api_version
        group, _, version = api_version.rpartition("/")
        # kubectl / k8s.io/apimachinery/pkg/api/meta.NoKindMatchError.Error():
        #   fmt.Sprintf("no matches for kind %q in version %q", e.GroupKind.Kind, e.SearchedVersions[0]) when
        #   the group is empty, else "no matches for kind %q in group %q" ... ; kubectl reports
        #   `resource mapping not found for name: ... no matches for kind "Foo" in version "example.com/v1"`.
        super().__init__(f'no matches for kind "{kind}" in version "{api_version}"')
        self.group = group
        self.version = version


def lookup(kind: str) -> ResourceInfo:
    try:
        return RESOURCES[kind]
    except KeyError:
        raise UnknownKindError(kind, "v1") from None


def lookup_gvk(api_version: str, kind: str) -> ResourceInfo:
    """Resolve a manifest's ``apiVersion``/``kind`` pair; raise :class:`UnknownKindError` otherwise."""
    info = RESOURCES.get(kind)
    if info is None or info.api_version != api_version:
        raise UnknownKindError(kind, api_version)
    return info


def by_resource(resource: str) -> ResourceInfo:
    return _BY_RESOURCE[resource]


def kinds() -> list[str]:
    return sorted(RESOURCES)


def resource_for_key(key: str) -> tuple[ResourceInfo, str | None, str] | None:
    """The inverse of :meth:`ResourceInfo.key`: (resource, namespace, name) of a ``/registry/...`` key, or ``None``;
    the longest matching prefix wins (``services/specs`` before a hypothetical ``services``)."""
    rest = key.removeprefix(ETCD_ROOT + "/")
    for info in sorted(RESOURCES.values(), key=lambda r: -len(r.etcd_prefix)):
        prefix = info.etcd_prefix + "/"
        if not rest.startswith(prefix):
            continue
        parts = rest[len(prefix):].split("/")
        if info.namespaced and len(parts) == 2:
            return info, parts[0], parts[1]
        if not info.namespaced and len(parts) == 1:
            return info, None, parts[0]
    return None
