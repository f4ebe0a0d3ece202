"""API-server validation with upstream's messages, split along upstream's packages (issue #14, items 2, 3, 5).

* :mod:`.field` - ``apimachinery/pkg/util/validation/field``: ``FieldError`` (``field.Error``), its constructors,
  ``ErrorList.ToAggregate`` text, Go's renderings of bad values.
* :mod:`.metav1` - ``apimachinery/pkg/apis/meta/v1/validation``: labels and label selectors.
* :mod:`.objectmeta` - ``apimachinery/pkg/api/validation``: ObjectMeta, names, owner references, non-negative fields.
* :mod:`.core` - ``pkg/apis/core/validation``: Pod spec and updates, Node, Service, ConfigMap/Secret keys,
  ReplicationController.
* :mod:`.apps` - ``pkg/apis/apps/validation``: Deployment, ReplicaSet, DaemonSet, StatefulSet.
* :mod:`.scheduling` - ``pkg/apis/scheduling/validation``: PriorityClass.
* :mod:`.discovery` - ``pkg/apis/discovery/validation``: EndpointSlice.
* :mod:`.decode` - what fails before validation: strict decoding against the v1.35 schemas (kubernetes-validate)
  and resource quantities.
* :mod:`.object` - the entry point: ObjectMeta, then the kind's rules.

apimachinery's string validators (``IsDNS1123Label``, ``IsQualifiedName``...) live once in
:mod:`k8sdocs.model.api.validation`.
"""

from __future__ import annotations

from k8sdocs.model.validation.core import validate_pod_update
from k8sdocs.model.validation.decode import (
    SCHEMA_DIR,
    DecodeError,
    SchemaUnavailableError,
    decode_errors,
    quantity_errors,
)
from k8sdocs.model.validation.field import FieldError, aggregate
from k8sdocs.model.validation.object import validate_object

__all__ = [
    "SCHEMA_DIR",
    "DecodeError",
    "FieldError",
    "SchemaUnavailableError",
    "aggregate",
    "decode_errors",
    "quantity_errors",
    "validate_object",
    "validate_pod_update",
]
