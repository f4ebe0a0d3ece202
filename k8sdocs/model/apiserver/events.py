"""core/v1 Events as client-go's ``record.EventRecorder`` creates them, with the ``EventCorrelator``'s aggregation
(``staging/src/k8s.io/client-go/tools/record``: ``event.go`` makeEvent, ``events_cache.go`` getEventKey).

The correlator's state is kept by the API server for every client, where upstream each component's recorder keeps
its own cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from k8sdocs.model.admission import DEFAULT_SCHEDULER_NAME
from k8sdocs.model.apiserver.codec import Obj, decode
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.trace import Actor, EventNote, ObjectRef

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.server import APIServer


def component_of(actor: str) -> tuple[str, str]:
    """``kubelet/node-1`` -> (``kubelet``, ``node-1``); ``kube-scheduler`` reports as ``default-scheduler``."""
    parsed = Actor.parse(actor)
    component, host = parsed.component, parsed.instance
    if component == "kube-scheduler":
        component = DEFAULT_SCHEDULER_NAME  # the profile's schedulerName is the event source
    return component, host


@dataclass
class EventCorrelator:
    """Names handed out per ``<object>.<nanos>`` base, and the etcd key of the Event each aggregation key counts in,
    so that recording an event does not scan every stored Event."""

    names: dict[str, int] = field(default_factory=dict)
    keys: dict[tuple[str, ...], str] = field(default_factory=dict)

    def bump_name(self, base: str) -> int:
        n = self.names.get(base, -1) + 1
        self.names[base] = n
        return n


def record_event(
    srv: APIServer, actor: str, involved: Obj, event_type: str, reason: str, message: str, action: str = "", *,
    field_path: str | None = None, component: str | None = None,
) -> Obj:
    """Create a core/v1 Event about ``involved`` (as ``record.EventRecorder``), or bump the count of an
    identical one (``EventCorrelator`` aggregation by source, object, type, reason and message)."""
    imeta = involved.get("metadata") or {}
    ns = imeta.get("namespace") or "default"
    comp, host = component_of(actor)
    if component:
        comp = component
    ref: dict[str, Any] = {
        "apiVersion": involved.get("apiVersion"),
        "kind": involved.get("kind"),
        "name": imeta.get("name"),
        "namespace": imeta.get("namespace"),
        "resourceVersion": imeta.get("resourceVersion"),
        "uid": imeta.get("uid"),
    }
    if field_path:
        ref["fieldPath"] = field_path
    ref = {k: v for k, v in ref.items() if v is not None}
    srv.trace.record(
        "event", actor, f"{str(involved.get('kind')).lower()}/{imeta.get('name')}",
        f"{event_type} {reason} {message}", namespace=imeta.get("namespace"),
        obj=ObjectRef(str(involved.get("kind")), imeta.get("namespace") or None, str(imeta.get("name"))),
        note=EventNote(event_type, reason, message),
    )
    now = srv.clock.timestamp()
    source = {"component": comp}
    if host:
        source["host"] = host
    # client-go tools/record/events_cache.go getEventKey: source, involvedObject (incl. fieldPath), type,
    # reason and message; a pod's two containers get separate "Container created" Events.
    aggregate = (
        ns, str(ref.get("uid")), str(ref.get("name")), str(ref.get("kind")), str(ref.get("fieldPath")),
        reason, message, event_type,
        str(source.get("component")), str(source.get("host")),
    )
    correlator = srv.events
    existing = srv.store.get(correlator.keys[aggregate]) if aggregate in correlator.keys else None
    if existing is not None:
        updated = decode(existing)
        updated["count"] = int(updated.get("count", 1)) + 1
        updated["lastTimestamp"] = now
        srv.begin(actor, "PATCH", RESOURCES["Event"], ns, existing.value["metadata"]["name"])
        return decode(srv.registry.write(existing.key, updated, existing.mod_revision))
    # record/event.go makeEvent: name = fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())
    nanos = srv.clock.unix_nano()
    base = f"{imeta.get('name')}.{nanos:x}"
    n = correlator.bump_name(base)
    name = base if n == 0 else f"{imeta.get('name')}.{nanos + n:x}"
    event: Obj = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": ref,
        "reason": reason,
        "message": message,
        "source": source,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
        "type": event_type,
        "eventTime": None,
        "reportingComponent": comp,
        "reportingInstance": host,
    }
    if action:
        event["action"] = action
    created = srv.handle_create(actor, event)
    correlator.keys[aggregate] = RESOURCES["Event"].key(created["metadata"]["name"], ns)
    return created
