"""Spanish sentences for the controllers decisions (see k8sdocs/render/phrasebook/__init__.py).

The codes are upstream Event reasons or condition reasons where kube-controller-manager has one
(``SuccessfulCreate``, ``SuccessfulDelete``, ``ScalingReplicaSet``, ``NewReplicaSetAvailable``,
``TaintManagerEviction``, ``DeletionByPodGC``, ``NodeNotReady``...), else a name for the step of the upstream
function that decides (``oldPodsRunning`` -> ``OldPodsRunning``). Fields arrive as strings
(``TraceEvent.data``); lists are joined with ``,``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from k8sdocs.render.phrasebook.words import count, items

Fields = Mapping[str, str]


def count_pods(n: int | str) -> str:
    """«1 Pod», «3 Pods»: the count in the ReplicaSet decision notes."""
    return count(n, "Pod", "Pods")


def _listed(joined: str) -> str:
    return ", ".join(items(joined))


# -- replicaset-controller (pkg/controller/replicaset) -----------------------------------------------------------
def _pod_released(f: Fields) -> str:
    return f"{f['replicaset']}: el Pod {f['pod']} ya no encaja con el selector; se libera (deja de ser su propietario)"


def _pod_adopted(f: Fields) -> str:
    return f"{f['replicaset']}: adopta el Pod huérfano {f['pod']} (sus etiquetas encajan con el selector)"


def _successful_create(f: Fields) -> str:
    return (f"{f['replicaset']}: hay {count_pods(f['pods'])} y se piden {f['replicas']}; crea {f['create']} "
            f"en lotes de arranque lento {_listed(f['batches'])}")


def _slow_start_failure(f: Fields) -> str:
    skipped = int(f["skipped"])
    return f"{f['replicaset']}: fallo en el arranque lento; se {'omite' if skipped == 1 else 'omiten'} " \
           f"{count(skipped, 'creación', 'creaciones')}"


def _successful_delete(f: Fields) -> str:
    return f"{f['replicaset']}: hay {count_pods(f['pods'])} y se piden {f['replicas']}; borra {_listed(f['victims'])}"


# -- deployment-controller (pkg/controller/deployment) -----------------------------------------------------------
def _replicaset_released(f: Fields) -> str:
    return f"el ReplicaSet {f['replicaset']} ya no encaja con el selector de {f['deployment']}: se libera"


def _replicaset_adopted(f: Fields) -> str:
    return f"{f['deployment']} adopta el ReplicaSet huérfano {f['replicaset']}"


def _new_replicaset_created(f: Fields) -> str:
    return (f"crea el ReplicaSet {f['replicaset']} (hash de la plantilla {f['hash']}, "
            f"revisión {f['revision']}) con {count(f['replicas'], 'réplica', 'réplicas')}")


def _hash_collision(f: Fields) -> str:
    return f"colisión de hash en {f['replicaset']}: collisionCount = {f['collision_count']}"


def _scaling_replicaset(f: Fields) -> str:
    return f"escala el ReplicaSet {f['replicaset']} de {f['old']} a {f['new']}"


def _proportional_scaling(f: Fields) -> str:
    to_add = f"{int(f['to_add']):+d}"
    return (f"escalado proporcional: {count(to_add, 'réplica repartida', 'réplicas repartidas')} "
            f"entre {count(f['replicasets'], 'ReplicaSet', 'ReplicaSets')}")


def _old_replicaset_deleted(f: Fields) -> str:
    return f"borra el ReplicaSet antiguo {f['replicaset']} (revisionHistoryLimit {f['limit']})"


def _unhealthy_replicas_cleaned_up(f: Fields) -> str:
    return f"retira {count(f['count'], 'réplica no disponible', 'réplicas no disponibles')} del ReplicaSet antiguo {f['replicaset']}"


def _old_pods_running(f: Fields) -> str:
    return "Recreate: espera a que terminen los Pods antiguos antes de crear los nuevos"


def _new_replicaset_available(f: Fields) -> str:
    return f"el Deployment {f['deployment']} ha completado su despliegue"


# -- node-lifecycle-controller (pkg/controller/nodelifecycle) ------------------------------------------------------
def _no_schedule_taints_updated(f: Fields) -> str:
    return f"taints NoSchedule de {f['node']}: añade [{_listed(f['add'])}], quita [{_listed(f['remove'])}]"


def _node_status_unknown(f: Fields) -> str:
    silent = int(f["silent_ms"]) / 1000
    return (f"{f['node']}: ningún latido nuevo visto en {silent:.0f} s (periodo de gracia {int(f['grace_ms']) // 1000} s): "
            f"Ready=Unknown")


def _node_not_ready(f: Fields) -> str:
    return f"{f['node']} está NotReady: a la cola de taints de su zona"


def _node_unreachable(f: Fields) -> str:
    return f"{f['node']} no responde: a la cola de taints de su zona"


def _node_reachable(f: Fields) -> str:
    return f"{f['node']} vuelve a estar sano: se quitan sus taints NoExecute"


def _no_execute_taint_added(f: Fields) -> str:
    return f"añade el taint {f['taint']}:NoExecute a {f['node']} (límite --node-eviction-rate {f['eviction_rate']})"


def _full_disruption_entered(f: Fields) -> str:
    return "todos los nodos están NotReady: modo de disrupción total, se detienen los desalojos"


def _full_disruption_exited(f: Fields) -> str:
    return "vuelve a haber nodos Ready: se sale del modo de disrupción total"


# -- taint-eviction-controller (pkg/controller/tainteviction) -----------------------------------------------------
def _eviction_cancelled(f: Fields) -> str:
    return f"cancela el desalojo programado de {f['pod']}"


def _taint_manager_eviction(f: Fields) -> str:
    return f"{f['pod']} no tolera el taint {f['taint']}:NoExecute de {f['node']}: se borra ya"


def _eviction_scheduled(f: Fields) -> str:
    return (f"{f['pod']} tolera {f['taint']} durante {int(f['toleration_ms']) // 1000} s: "
            f"desalojo programado en t={int(f['at_ms']) / 1000:.1f} s")


# -- pod-garbage-collector (pkg/controller/podgc) -----------------------------------------------------------------
def _terminated_pods_over_threshold(f: Fields) -> str:
    return (f"hay {count(f['terminated'], 'Pod terminado', 'Pods terminados')} (umbral {f['threshold']}): "
            f"borra {f['excess']}")


def _deletion_by_pod_gc(f: Fields) -> str:
    return f"el Pod {f['pod']} está asignado a {f['node']}, que ya no existe: se marca Failed y se borra"


# -- generic-garbage-collector (pkg/controller/garbagecollector) --------------------------------------------------
def _dependent(f: Fields) -> str:
    ns = f.get("namespace")
    return f"{f['object_kind']} {ns + '/' if ns else ''}{f['name']}"


def _owners_gone(f: Fields) -> str:
    return f"{_dependent(f)} ya no tiene propietario ({_listed(f['owners'])}): se borra en cascada en segundo plano"


def _dangling_owner_references_removed(f: Fields) -> str:
    return f"{_dependent(f)}: se quitan las referencias a propietarios que ya no existen"


# -- endpointslice-controller (pkg/controller/endpointslice) ------------------------------------------------------
def _endpoint_slices_reconciled(f: Fields) -> str:
    return (f"Service {f['service']}: {count(f['pods'], 'Pod', 'Pods')} con IP; crea {f['created']}, actualiza {f['updated']} y "
            f"borra {f['deleted']} EndpointSlices ({count(f['endpoints'], 'endpoint escrito', 'endpoints escritos')})")


PHRASES: dict[str, Callable[[Mapping[str, str]], str]] = {
    # replicaset-controller
    "PodReleased": _pod_released,
    "PodAdopted": _pod_adopted,
    "SuccessfulCreate": _successful_create,
    "SlowStartFailure": _slow_start_failure,
    "SuccessfulDelete": _successful_delete,
    # deployment-controller
    "ReplicaSetReleased": _replicaset_released,
    "ReplicaSetAdopted": _replicaset_adopted,
    "NewReplicaSetCreated": _new_replicaset_created,
    "HashCollision": _hash_collision,
    "ScalingReplicaSet": _scaling_replicaset,
    "ProportionalScaling": _proportional_scaling,
    "OldReplicaSetDeleted": _old_replicaset_deleted,
    "UnhealthyReplicasCleanedUp": _unhealthy_replicas_cleaned_up,
    "OldPodsRunning": _old_pods_running,
    "NewReplicaSetAvailable": _new_replicaset_available,
    # node-lifecycle-controller
    "NoScheduleTaintsUpdated": _no_schedule_taints_updated,
    "NodeStatusUnknown": _node_status_unknown,
    "NodeNotReady": _node_not_ready,
    "NodeUnreachable": _node_unreachable,
    "NodeReachable": _node_reachable,
    "NoExecuteTaintAdded": _no_execute_taint_added,
    "FullDisruptionEntered": _full_disruption_entered,
    "FullDisruptionExited": _full_disruption_exited,
    # taint-eviction-controller
    "EvictionCancelled": _eviction_cancelled,
    "TaintManagerEviction": _taint_manager_eviction,
    "EvictionScheduled": _eviction_scheduled,
    # pod-garbage-collector
    "TerminatedPodsOverThreshold": _terminated_pods_over_threshold,
    "DeletionByPodGC": _deletion_by_pod_gc,
    # generic-garbage-collector
    "OwnersGone": _owners_gone,
    "DanglingOwnerReferencesRemoved": _dangling_owner_references_removed,
    # endpointslice-controller
    "EndpointSlicesReconciled": _endpoint_slices_reconciled,
}
