"""Per-resource strategies: what a registry does that depends on the kind, as ``pkg/registry/<group>/<resource>/
strategy.go`` (``PrepareForCreate``, ``PrepareForUpdate``, ``Validate``, ``ValidateUpdate``).

The generic store (:mod:`k8sdocs.model.apiserver.registry`) calls them; kinds without their own strategy get the
generic one: on update the main resource keeps the stored ``status`` and ``/status`` keeps everything but ``status``.
"""

from __future__ import annotations

from k8sdocs.model import admission
from k8sdocs.model.apiserver.alloc import keep_allocated
from k8sdocs.model.apiserver.codec import Obj
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import ResourceInfo
from k8sdocs.model.validation import FieldError, validate_object, validate_pod_update


class Strategy:
    """The generic strategy of one resource."""

    def __init__(self, info: ResourceInfo) -> None:
        self.info = info

    def prepare_for_create(self, obj: Obj) -> None:
        """``PrepareForCreate``: what the server resets or fills before validation (nothing, generically)."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        """``PrepareForUpdate`` of the main resource: ``status`` is not changeable through it."""
        if self.info.has_status:
            if "status" in old:
                new["status"] = clone(old["status"])
            else:
                new.pop("status", None)

    def prepare_for_status_update(self, body: Obj, old: Obj) -> Obj:
        """The ``/status`` strategy's ``PrepareForUpdate``: the stored object with only ``status`` from ``body``."""
        new = clone(old)
        if "status" in body:
            new["status"] = clone(body["status"])
        else:
            new.pop("status", None)
        return new

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_object(obj, self.info)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        """``ValidateUpdate``'s immutability checks (the object itself is checked by :meth:`validate`)."""
        return []


class PodStrategy(Strategy):
    """``pkg/registry/core/pod/strategy.go``."""

    def prepare_for_create(self, obj: Obj) -> None:
        # podStrategy.PrepareForCreate runs after mutating admission: mutatePodAffinity (MatchLabelKeysInPodAffinity,
        # on in v1.35); the status starts Pending with the pod's QoS class.
        admission.mutate_pod_affinity(obj)
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        obj["status"] = {"phase": "Pending", "qosClass": admission.pod_qos_class(spec or {})}

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_pod_update(new.get("spec"), old.get("spec"))


class WorkloadStrategy(Strategy):
    """Deployments and ReplicaSets (``pkg/registry/apps/*/strategy.go``): PrepareForCreate clears ``status``."""

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}


class ServiceStrategy(Strategy):
    """``pkg/registry/core/service``: an update that omits allocated values keeps them."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        keep_allocated(old, new)


_STRATEGIES: dict[str, type[Strategy]] = {
    "Pod": PodStrategy,
    "Deployment": WorkloadStrategy,
    "ReplicaSet": WorkloadStrategy,
    "Service": ServiceStrategy,
}


def strategy_for(info: ResourceInfo) -> Strategy:
    return _STRATEGIES.get(info.kind, Strategy)(info)
