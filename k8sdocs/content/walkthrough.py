"""The two walkthroughs: «De kubectl apply a un contenedor en ejecución» and «Cuando un nodo falla».

Both are read from a scenario run. The first picks, from the whole trace of a Deployment, the
messages that carry one replica from ``kubectl apply`` to a running container (and to the Service's
rules on its node); the second reads the store history of a run in which a node stops answering.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Sequence

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.content.nodes import KubeEvent, kube_events, pod_cri_calls, span_text
from k8sdocs.model import observe as ob
from k8sdocs.model.trace import ObjectRef, TraceEvent
from k8sdocs.render.markdown import code, escape_text, table
from k8sdocs.render.sequence import trace_sequence
from k8sdocs.render.timefmt import format_time

#: Controllers run inside kube-controller-manager: the diagram draws them as that one process.
KCM_CONTROLLERS = ("deployment-controller", "replicaset-controller", "endpointslice-controller",
                   "node-lifecycle-controller", "taint-eviction-controller")


@dataclass(frozen=True)
class Step:
    event: TraceEvent
    explanation: str  # Spanish Markdown


def _one(found: list[TraceEvent], what: str) -> TraceEvent:
    """The first event a query found (they come in trace order), or a ContentError naming what is missing."""
    if not found:
        raise ContentError(f"la traza no tiene {what}")
    return found[0]


def _obj(ev: TraceEvent) -> ObjectRef:
    if ev.obj is None:
        raise ContentError(f"el evento {ev.seq} de la traza no nombra ningún objeto")
    return ev.obj


def apply_steps(book: ExampleBook, escenario: str, deployment: str, namespace: str = "default") -> list[Step]:
    """The messages that take one replica of ``deployment`` from ``kubectl apply`` to a running container."""
    run = book.run(escenario)
    evs = run.events
    ns = namespace
    steps: list[Step] = []

    def add(ev: TraceEvent, text: str) -> TraceEvent:
        steps.append(Step(ev, text))
        return ev

    post = add(_one(ob.requests(evs, source="kubectl", verb="POST", resource="deployments", namespace=ns, name=None),
                    "el POST del Deployment"),
               "kubectl envía el Deployment al servidor de la API (kube-apiserver), que lo admite, le pone los valores "
               "por defecto y lo valida.")
    put = add(_one(ob.etcd_writes(evs, op="PUT", kind="Deployment", namespace=ns, name=deployment, after=post.seq),
                   "la escritura del Deployment en etcd"),
              "El servidor de la API guarda el objeto en etcd; solo él habla con etcd.")
    w = add(_one(ob.watch_notices(evs, target="kube-controller-manager", op="ADDED", kind="Deployment", namespace=ns,
                                  name=deployment, after=put.seq), "la notificación del Deployment"),
            "kube-controller-manager observa (*watch*) los Deployments: la notificación `ADDED` despierta al controlador de Deployments.")
    rs_post = add(_one(ob.requests(evs, source="deployment-controller", verb="POST", resource="replicasets", namespace=ns,
                                   name=None, after=w.seq), "el POST del ReplicaSet"),
                  "El controlador de Deployments crea un ReplicaSet cuyo nombre lleva el *hash* de la plantilla de Pod.")
    rs_put = add(_one(ob.etcd_writes(evs, op="PUT", kind="ReplicaSet", namespace=ns, after=rs_post.seq),
                      "la escritura del ReplicaSet"), "El ReplicaSet queda guardado en etcd.")
    rs_name = _obj(rs_put).name
    w2 = add(_one(ob.watch_notices(evs, target="kube-controller-manager", op="ADDED", kind="ReplicaSet", namespace=ns,
                                   name=rs_name, after=rs_put.seq), "la notificación del ReplicaSet"),
             "El controlador de ReplicaSets recibe el ReplicaSet nuevo y ve que faltan todas sus réplicas.")
    pod_post = add(_one(ob.requests(evs, source="replicaset-controller", verb="POST", resource="pods", namespace=ns,
                                    name=None, after=w2.seq), "el POST del primer Pod"),
                   "Crea los Pods con `generateName`; aquí se sigue solo la primera réplica.")
    pod_put = add(_one(ob.etcd_writes(evs, op="PUT", kind="Pod", namespace=ns, after=pod_post.seq),
                       "la escritura del primer Pod"),
                  "El servidor de la API completa el nombre del Pod y lo guarda: todavía no tiene nodo (`spec.nodeName` vacío).")
    pod = _obj(pod_put).name
    w3 = add(_one(ob.watch_notices(evs, target="kube-scheduler", op="ADDED", kind="Pod", namespace=ns, name=pod,
                                   after=pod_put.seq), "la notificación del Pod al planificador"),
             "El planificador (kube-scheduler) observa los Pods sin nodo y pone este en su cola.")
    decision = add(_one(ob.decisions(evs, source="kube-scheduler", pod=f"{ns}/{pod}", after=w3.seq),
                        "la decisión del planificador"),
                   "Filtra los nodos, puntúa los que quedan y elige el de mayor puntuación (nota sobre el planificador).")
    node = decision.get("node") or ""
    bind = add(_one(ob.bindings(evs, pod=pod, namespace=ns, after=decision.seq), "la vinculación"),
               f"Vincula (*binding*) el Pod al nodo `{node}`: el servidor de la API escribe `spec.nodeName` y la condición `PodScheduled`.")
    bind_put = add(_one(ob.etcd_writes(evs, op="PUT", kind="Pod", namespace=ns, name=pod, after=bind.seq),
                        "la escritura de la vinculación"), "El Pod vinculado queda en etcd.")
    kubelet = f"kubelet/{node}"
    w4 = add(_one(ob.watch_notices(evs, target=kubelet, op="ADDED", kind="Pod", namespace=ns, name=pod,
                                   after=bind_put.seq), "la notificación al kubelet"),
             f"El kubelet de `{node}` observa solo los Pods de su nodo (`spec.nodeName={node}`): para él, el Pod acaba de aparecer.")
    explain = {
        "RunPodSandbox": "Pide al entorno de ejecución de contenedores, por CRI, el entorno aislado del Pod (*sandbox*) con su red e IP.",
        "PodSandboxStatus": "Lee la IP que recibió el Pod.",
        "ImageStatus": "Pregunta si la imagen ya está en el nodo.",
        "PullImage": "No está: la descarga del registro.",
        "CreateContainer": "Crea el contenedor.",
        "StartContainer": "Lo arranca: el proceso del contenedor ya está en ejecución.",
    }
    cri = pod_cri_calls(run, f"{ns}/{pod}")
    for ev in cri:
        method = ev.cri.method if ev.cri else ""
        add(ev, explain.get(method, f"Llamada CRI `{method}`."))
    started = cri[-1] if cri else w4
    status = add(_one(ob.requests(evs, source=kubelet, verb="PATCH", resource="pods", namespace=ns, name=pod,
                                  subresource="status", after=started.seq), "el estado Running del Pod"),
                 "El kubelet informa del estado: fase `Running`, condiciones `ContainersReady` y `Ready` en `True`.")
    slice_put = add(_one([e for e in ob.requests(evs, source="endpointslice-controller", verb="PUT",
                                                 resource="endpointslices", namespace=ns, after=status.seq)
                          if e.api and e.api.name], "la actualización del EndpointSlice"),
                    "El controlador de EndpointSlices marca el *endpoint* del Pod como listo en el EndpointSlice del Service.")
    proxy_watch = add(_one(ob.watch_notices(evs, target=f"kube-proxy/{node}", op="MODIFIED", kind="EndpointSlice",
                                            after=slice_put.seq), "la notificación a kube-proxy"),
                      f"kube-proxy de `{node}` observa los EndpointSlices y recibe el cambio.")
    add(_one(ob.iptables_syncs(evs, node=node, after=proxy_watch.seq), "la sincronización de kube-proxy"),
        f"kube-proxy de `{node}` reescribe sus reglas de iptables: el Service ya reparte tráfico a este Pod.")
    return steps


def short_summary(ev: TraceEvent) -> str:
    """The diagram's label: the request path without ``/api(s)/<group>/v1/namespaces/<ns>/``, CRI calls without the pod.

    The numbered list under the diagram keeps the full protocol text.
    """
    if ev.kind == "request" and ev.api is not None:
        return f"{ev.api.verb} {ev.api.resource_path}"
    if ev.kind == "cri" and ev.cri is not None:
        return f"{ev.cri.method} {ev.cri.image}" if ev.cri.method in ("ImageStatus", "PullImage") else ev.cri.method
    return ev.summary


def _as_drawn(ev: TraceEvent) -> TraceEvent:
    """Controllers are drawn as kube-controller-manager, with their name in front of the message; iptables syncs as notes."""
    if ev.source in KCM_CONTROLLERS:
        return replace(ev, source="kube-controller-manager", summary=f"{ev.source}: {short_summary(ev)}")
    if ev.kind == "decision":
        return ev
    if ev.kind == "iptables":
        return replace(ev, kind="decision", target=ev.source, summary=ev.summary)
    return replace(ev, summary=short_summary(ev))


PARTICIPANTS = ("kubectl", "kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler")


PARTS = ("plano-de-control", "nodo")


def split_steps(steps: list[Step]) -> tuple[list[Step], list[Step]]:
    """Control-plane half (until the Pod is bound) and node half (from the kubelet's notification on)."""
    for i, s in enumerate(steps):
        if s.event.kind == "watch" and s.event.receiver.component == "kubelet":
            return steps[:i], steps[i:]
    return steps, []


def _numbered(steps: list[Step]) -> int:
    """Messages the diagram numbers (notes are not numbered; iptables syncs are drawn as notes)."""
    return sum(1 for s in steps if s.event.kind not in ("decision", "iptables"))


def apply_diagram(book: ExampleBook, escenario: str, deployment: str, parte: str | None = None,
                  espera_nodo: str | None = None) -> str:
    """The sequence diagram (SVG) of :func:`apply_steps` (numbered arrows; decisions as notes).

    ``parte="plano-de-control"`` draws the messages until the Pod is bound, ``parte="nodo"`` the rest (numbering
    continues), so that each half fits the text column; without ``parte``, the whole walkthrough.
    """
    steps = apply_steps(book, escenario, deployment)
    node = next(s.event.get("node") or "" for s in steps if s.event.kind == "decision")
    expect("nodo de la primera réplica", espera_nodo, node)
    first, second = split_steps(steps)
    node_side = [f"kubelet/{node}", f"container-runtime/{node}", "kube-controller-manager", f"kube-proxy/{node}"]
    if parte is None:
        chosen, participants, start = steps, list(PARTICIPANTS) + node_side[:2] + node_side[3:], 1
    elif parte == "plano-de-control":
        chosen, participants, start = first, list(PARTICIPANTS), 1
    elif parte == "nodo":
        chosen, participants, start = second, ["kube-apiserver"] + node_side, _numbered(first) + 1
    else:
        raise ContentError(f"parte debe ser una de {', '.join(PARTS)}, no {parte!r}")
    titles = {None: "De kubectl apply a un contenedor", "plano-de-control": "De kubectl apply a un contenedor, "
              "parte 1: plano de control", "nodo": f"De kubectl apply a un contenedor, parte 2: en el nodo {node}"}
    return trace_sequence([_as_drawn(s.event) for s in chosen], participants, title=titles[parte], first_number=start)


def apply_explanation(book: ExampleBook, escenario: str, deployment: str) -> str:
    """A numbered list matching the diagram's numbers (notes are not numbered, so they join the next item)."""
    steps = apply_steps(book, escenario, deployment)
    items: list[str] = []
    notes: list[str] = []
    pending = ""
    for s in steps:
        if s.event.kind == "iptables":
            notes.append(f"La última nota del diagrama (**{format_time(s.event.time_ms)}**, {code(s.event.summary)}): "
                         f"{s.explanation}")
            continue
        if s.event.kind == "decision":
            pending = s.explanation + " "
            continue
        who = f"{s.event.sender.component} → {s.event.receiver.component}"
        items.append(f"1. **{format_time(s.event.time_ms)}, {escape_text(who)}** ({code(s.event.summary)}). {pending}{s.explanation}")
        pending = ""
    return "\n".join(items) + "\n" + "".join("\n" + n + "\n" for n in notes)


def apply_pod(book: ExampleBook, escenario: str, deployment: str) -> str:
    """The name of the replica the diagram follows."""
    steps = apply_steps(book, escenario, deployment)
    decision = next(s.event for s in steps if s.event.kind == "decision")
    return code((decision.get("pod") or "").split("/", 1)[-1])


# --- «Cuando un nodo falla» -----------------------------------------------------------------------------

@dataclass(frozen=True)
class FailureMoment:
    time_ms: int
    component: str
    what: str  # Spanish Markdown
    evidence: str  # verbatim protocol text


@dataclass(frozen=True)
class FailureTimeline:
    node: str
    last_heartbeat_ms: int
    failure_ms: int
    unknown_ms: int
    noschedule_ms: int
    noexecute_ms: int
    evictions: tuple[tuple[int, str], ...]  # (time, pod)
    replacements: tuple[tuple[str, int, str, int], ...]  # (pod, created, node, started)
    moments: tuple[FailureMoment, ...]


def failure_timeline(book: ExampleBook, escenario: str, nodo: str) -> FailureTimeline:
    run = book.run(escenario)
    evs = run.events
    kubelet = f"kubelet/{nodo}"
    fail = next(iter(ob.decisions(evs, source=kubelet, code="NodeStopped")), None)
    if fail is None:
        raise ContentError(f"el nodo {nodo} no falla en {escenario} (falta un paso fail-node)")
    beats = [e for e in ob.node_lease_writes(evs, nodo, verb="PUT") if e.seq < fail.seq]
    if not beats:
        raise ContentError(f"el kubelet de {nodo} no renovó su Lease antes de fallar")
    # revision -> time of the etcd write
    rev_time = {rev: e.time_ms for rev, e in ob.writes_by_revision(evs).items()}
    unknown = noschedule = noexecute = None
    for h in ob.object_history(run.history, "Node", nodo):
        if h.type == "DELETE" or rev_time.get(h.revision, 0) < fail.time_ms:
            continue
        t, value = rev_time[h.revision], h.kv.value
        ready: dict[str, Any] = next((c for c in value.get("status", {}).get("conditions", []) if c.get("type") == "Ready"), {})
        taints = {(x.get("key"), x.get("effect")) for x in value.get("spec", {}).get("taints") or []}
        if unknown is None and ready.get("status") == "Unknown":
            unknown = t
        if noschedule is None and ("node.kubernetes.io/unreachable", "NoSchedule") in taints:
            noschedule = t
        if noexecute is None and ("node.kubernetes.io/unreachable", "NoExecute") in taints:
            noexecute = t
    if unknown is None or noexecute is None or noschedule is None:
        raise ContentError(f"en {escenario} el nodo {nodo} no llega a Ready=Unknown con sus taints: alarga «until»")
    evicted = [e for e in kube_events(evs) if e.reason == "TaintManagerEviction" and e.time_ms >= fail.time_ms]
    evictions = tuple((e.time_ms, e.involved_name) for e in evicted)
    created = [e for e in kube_events(evs, source="replicaset-controller")
               if e.reason == "SuccessfulCreate" and e.time_ms >= fail.time_ms]
    replacements = []
    later: list[FailureMoment] = []
    for c in created:
        pod = _created_pod(evs, c)
        later.append(FailureMoment(c.time_ms, "replicaset-controller", f"Faltan réplicas: el ReplicaSet crea `{pod}`.",
                                   f"{c.type} {c.reason} {c.message}"))
        pod_events = kube_events(evs, kind="Pod", name=pod)
        sched = [e for e in pod_events if e.reason == "Scheduled"]
        start = [e for e in pod_events if e.reason == "Started"]
        binds = ob.bindings(evs, pod=pod)
        target = (binds[0].get("node") or "") if sched and binds else ""
        if sched:
            later.append(FailureMoment(sched[0].time_ms, "kube-scheduler", f"El planificador lo vincula a `{target}`.",
                                       f"{sched[0].type} {sched[0].reason} {sched[0].message}"))
        if start:
            later.append(FailureMoment(start[0].time_ms, "kubelet", f"`{pod}` arranca en `{target}`.",
                                       f"{start[0].type} {start[0].reason} {start[0].message}"))
        replacements.append((pod, c.time_ms, target, start[0].time_ms if start else -1))
    not_ready = [e for e in kube_events(evs, kind="Node", name=nodo) if e.reason == "NodeNotReady"]
    moments = [
        FailureMoment(beats[-1].time_ms, "kubelet", f"Último latido de `{nodo}`: renueva su Lease.", beats[-1].summary),
        FailureMoment(fail.time_ms, "kubelet", f"`{nodo}` deja de responder (fallo simulado): no más latidos.", "—"),
        FailureMoment(unknown, "node-lifecycle-controller",
                      "Pasa el periodo de gracia sin latidos: la condición `Ready` del nodo pasa a `Unknown`.",
                      f"{not_ready[0].type} {not_ready[0].reason} {not_ready[0].message}" if not_ready else "Ready=Unknown"),
        FailureMoment(noschedule, "node-lifecycle-controller",
                      "*Taint* `NoSchedule`: el planificador deja de elegir el nodo.", "node.kubernetes.io/unreachable:NoSchedule"),
        FailureMoment(noexecute, "node-lifecycle-controller",
                      "*Taint* `NoExecute`: los Pods que no lo toleren se desalojan; los demás, al acabar su tolerancia.",
                      "node.kubernetes.io/unreachable:NoExecute"),
    ]
    for e in evicted:
        pod = e.involved_name
        moments.append(FailureMoment(e.time_ms, "taint-eviction-controller",
                                     f"Se acaba la tolerancia de `{pod}`: desalojo (se borra el Pod).",
                                     f"{e.type} {e.reason} {e.message}"))
    moments += later
    moments.sort(key=lambda m: m.time_ms)
    return FailureTimeline(nodo, beats[-1].time_ms, fail.time_ms, unknown, noschedule, noexecute, evictions,
                           tuple(replacements), tuple(moments))


def failure_table(book: ExampleBook, escenario: str, nodo: str, espera_tolerancia: str | None = None) -> str:
    """The timeline of a node failure; ``espera_tolerancia`` is the expected time from the NoExecute taint to eviction."""
    tl = failure_timeline(book, escenario, nodo)
    if tl.evictions:
        expect("tiempo entre el taint NoExecute y el desalojo", espera_tolerancia,
               span_text(tl.evictions[0][0] - tl.noexecute_ms))
    rows = [[span_text(m.time_ms), "+" + span_text(m.time_ms - tl.failure_ms) if m.time_ms >= tl.failure_ms else
             "−" + span_text(tl.failure_ms - m.time_ms), escape_text(m.component), m.what,
             code(m.evidence) if m.evidence != "—" else "—"] for m in tl.moments]
    return table(["Tiempo simulado", "Desde el fallo", "Componente", "Qué pasa", "En la traza"], rows,
                 align=["right", "right", "left", "left", "left"])


def failure_value(book: ExampleBook, escenario: str, nodo: str, dato: str) -> str:
    """One computed duration of the failure, for the page's sentences.

    ``dato``: ``fallo`` (time of failure), ``ultimo_latido``, ``unknown``, ``noexecute``, ``desalojo`` (first
    eviction), ``gracia`` (unknown − last heartbeat), ``tolerancia`` (eviction − NoExecute),
    ``total`` (first eviction − failure), ``reemplazo`` (first replacement started − failure).
    """
    tl = failure_timeline(book, escenario, nodo)
    first_evict = tl.evictions[0][0] if tl.evictions else None
    started = [r[3] for r in tl.replacements if r[3] >= 0]
    values = {
        "fallo": tl.failure_ms,
        "ultimo_latido": tl.last_heartbeat_ms,
        "unknown": tl.unknown_ms,
        "noexecute": tl.noexecute_ms,
        "desalojo": first_evict,
        "gracia": tl.unknown_ms - tl.last_heartbeat_ms,
        "tolerancia": None if first_evict is None else first_evict - tl.noexecute_ms,
        "total": None if first_evict is None else first_evict - tl.failure_ms,
        "reemplazo": started[0] - tl.failure_ms if started else None,
    }
    if dato not in values:
        raise ContentError(f"dato desconocido {dato!r}; usa uno de: {', '.join(values)}")
    value = values[dato]
    if value is None:
        raise ContentError(f"en {escenario} no hay {dato} (¿ningún Pod desalojado o reemplazado?)")
    return span_text(value)


def failure_events(book: ExampleBook, escenario: str, nodo: str) -> list[TraceEvent]:
    """The requests that carry the failure, from the last heartbeat to the replacement Pod running elsewhere."""
    tl = failure_timeline(book, escenario, nodo)
    evs = book.run(escenario).events
    kubelet = f"kubelet/{nodo}"
    picked = [e for e in ob.node_lease_writes(evs, nodo, verb="PUT") if e.time_ms == tl.last_heartbeat_ms]
    picked += [e for e in ob.decisions(evs, source=kubelet) if e.time_ms == tl.failure_ms]
    picked += [e for e in _node_writes(evs, nodo) if e.time_ms >= tl.failure_ms]
    picked += ob.requests(evs, source="taint-eviction-controller", verb="DELETE")
    for pod, created, target, started in tl.replacements:
        create = [e for e in ob.requests(evs, source="replicaset-controller", verb="POST", resource="pods",
                                         namespace="default", name=None) if e.time_ms == created]
        bind = ob.bindings(evs, pod=pod, namespace="default")
        running = [e for e in ob.requests(evs, source=f"kubelet/{target}", verb="PATCH", resource="pods",
                                          namespace="default", name=pod, subresource="status") if e.time_ms >= started]
        picked += create[:1] + bind[:1] + running[:1]
    return sorted(picked, key=lambda e: e.seq)


def _created_pod(evs: Sequence[TraceEvent], created: KubeEvent) -> str:
    """The Pod a ``SuccessfulCreate`` Event reports: the one the replicaset-controller's last create before the
    Event stored (the create carries ``generateName``; the name shows in the etcd write)."""
    ref = ob.created_before(evs, source="replicaset-controller", resource="pods", before=created.seq)
    if ref is None or ref.kind != "Pod":
        raise ContentError(f"el Event {created.reason} de {created.involved_name} no sigue a ninguna creación de Pod")
    return ref.name


def _node_writes(evs: Sequence[TraceEvent], nodo: str) -> list[TraceEvent]:
    """node-lifecycle-controller's writes of the Node: ``status`` (conditions) or the object (taints)."""
    return [e for e in ob.requests(evs, source="node-lifecycle-controller", verb="PUT", resource="nodes", name=nodo)
            if e.api is not None and e.api.subresource in (None, "status")]


def failure_diagram(book: ExampleBook, escenario: str, nodo: str) -> str:
    """Sequence diagram (SVG) of the failure: silence, Ready=Unknown and taints, eviction, the replacement."""
    events = failure_events(book, escenario, nodo)
    tl = failure_timeline(book, escenario, nodo)
    targets = [f"kubelet/{t}" for _, _, t, _ in tl.replacements if t]
    participants = [f"kubelet/{nodo}", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] + targets
    # which node write added which taint: the history says when each taint appeared (NoSchedule first if earlier)
    taint_labels = sorted([(tl.noschedule_ms, 0, "unreachable:NoSchedule"), (tl.noexecute_ms, 1, "unreachable:NoExecute")])
    drawn = []
    node_writes = {e.seq for e in _node_writes(events, nodo)}
    for original in events:
        ev = _as_drawn(original)
        if original.seq in node_writes:
            if original.api is not None and original.api.subresource == "status":
                what = "Ready=Unknown"
            else:
                what = next((label for t, _, label in taint_labels if t == ev.time_ms), "taint")
                taint_labels = [x for x in taint_labels if x[2] != what]
            ev = replace(ev, summary=f"{ev.summary} ({what})")
        drawn.append(ev)
    # no time prefix: the timeline table above has the times, and the labels stay short enough to read
    return trace_sequence(drawn, participants, show_time=False, title=f"Cuando {nodo} falla: del silencio del kubelet "
                          "a la réplica de sustitución")


MACROS = {
    "recorrido_fallo_diagrama": failure_diagram,
    "recorrido_apply_diagrama": apply_diagram,
    "recorrido_apply_pasos": apply_explanation,
    "recorrido_apply_pod": apply_pod,
    "recorrido_fallo_cronologia": failure_table,
    "recorrido_fallo_dato": failure_value,
}
