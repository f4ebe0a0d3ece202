"""Every Event reason and message (and condition reason/message) the controllers write, in ONE place.

Target: Kubernetes v1.35. Messages stay verbatim English, as a real cluster prints them; each constant
cites the upstream file it comes from. Where the wording changed between releases (k8s-facts.md §2.4, §7),
the v1.35 form is used and the older forms are noted so a change happens here only.
"""

from __future__ import annotations

# -- Event types (staging/src/k8s.io/api/core/v1/types.go: EventTypeNormal / EventTypeWarning) -----------------
NORMAL = "Normal"
WARNING = "Warning"

# -- deployment-controller (pkg/controller/deployment/sync.go) --------------------------------------------------
SCALING_REPLICA_SET = "ScalingReplicaSet"
# getNewReplicaSet: `"Scaled up replica set %s from 0 to %d", createdRS.Name, newReplicasCount`
# (PR #125118 "Order ScalingReplicaSet message from->to"; before it: "Scaled up replica set %s to %d").
SCALED_UP_NEW_RS = "Scaled up replica set {rs} from 0 to {new}"
# scaleReplicaSet: `"Scaled %s replica set %s from %d to %d", scalingOperation, rs.Name, oldScale, newScale`
# (≈v1.22–v1.30: "Scaled %s replica set %s to %d from %d"; pre-2021: "Scaled %s replica set %s to %d").
SCALED_RS = "Scaled {op} replica set {rs} from {old} to {new}"
# pkg/controller/deployment/util/deployment_util.go: FailedRSCreateReason
FAILED_RS_CREATE = "ReplicaSetCreateError"
# sync.go getNewReplicaSet: `msg := fmt.Sprintf("Failed to create new replica set %q: %v", newRS.Name, err)`
FAILED_RS_CREATE_MSG = 'Failed to create new replica set "{rs}": {err}'

# Deployment condition reasons (pkg/controller/deployment/util/deployment_util.go, "Reasons for deployment conditions")
REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated"
NEW_REPLICA_SET_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
PAUSED_DEPLOY_REASON = "DeploymentPaused"
RESUMED_DEPLOY_REASON = "DeploymentResumed"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"
# Condition messages: sync.go (getNewReplicaSet, calculateStatus, checkPausedConditions) and progress.go (syncRolloutStatus)
CREATED_NEW_RS_MSG = 'Created new replica set "{rs}"'
FOUND_NEW_RS_MSG = 'Found new replica set "{rs}"'
MIN_AVAILABLE_MSG = "Deployment has minimum availability."
MIN_UNAVAILABLE_MSG = "Deployment does not have minimum availability."
RS_PROGRESSED_MSG = 'ReplicaSet "{rs}" has successfully progressed.'
DEPLOYMENT_PROGRESSED_MSG = 'Deployment "{d}" has successfully progressed.'
RS_PROGRESSING_MSG = 'ReplicaSet "{rs}" is progressing.'
DEPLOYMENT_PROGRESSING_MSG = 'Deployment "{d}" is progressing.'
RS_TIMED_OUT_MSG = 'ReplicaSet "{rs}" has timed out progressing.'
DEPLOYMENT_TIMED_OUT_MSG = 'Deployment "{d}" has timed out progressing.'
PAUSED_MSG = "Deployment is paused"
RESUMED_MSG = "Deployment is resumed"

# -- replicaset-controller (pkg/controller/controller_utils.go, RealPodControl) ----------------------------------
SUCCESSFUL_CREATE = "SuccessfulCreate"  # SuccessfulCreatePodReason
FAILED_CREATE = "FailedCreate"  # FailedCreatePodReason
SUCCESSFUL_DELETE = "SuccessfulDelete"  # SuccessfulDeletePodReason
FAILED_DELETE = "FailedDelete"  # FailedDeletePodReason
CREATED_POD_MSG = "Created pod: {pod}"  # `"Created pod: %v", pod.Name`
CREATE_ERROR_MSG = "Error creating: {err}"  # `"Error creating: %v", err`
DELETED_POD_MSG = "Deleted pod: {pod}"  # `"Deleted pod: %v", podID`
DELETE_ERROR_MSG = "Error deleting: {err}"  # `"Error deleting: %v", err`

# -- node-lifecycle-controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go) -------------------------
NODE_STATUS_UNKNOWN_REASON = "NodeStatusUnknown"
NODE_STATUS_UNKNOWN_MSG = "Kubelet stopped posting node status."
NODE_STATUS_NEVER_UPDATED_REASON = "NodeStatusNeverUpdated"
NODE_STATUS_NEVER_UPDATED_MSG = "Kubelet never posted node status."
# pkg/controller/util/node/controller_utils.go RecordNodeStatusChange:
# `recorder.Eventf(ref, v1.EventTypeNormal, newStatus, "Node %s status is now: %s", node.Name, newStatus)`
NODE_NOT_READY = "NodeNotReady"
NODE_STATUS_CHANGE_MSG = "Node {node} status is now: {status}"
# controller_utils.go MarkPodsNotReady: `recorder.Event(pod, v1.EventTypeWarning, "NodeNotReady", "Node is not ready")`
POD_NODE_NOT_READY_MSG = "Node is not ready"
# pkg/controller/util/node/controller_utils.go RecordNodeEvent: `recorder.Eventf(ref, eventtype, reason, "Node %s event: %s",
# nodeName, event)`, called by monitorNodeHealth with "Registered Node %v in Controller" / "Removing Node %v from Controller"
REGISTERED_NODE = "RegisteredNode"
REMOVING_NODE = "RemovingNode"
NODE_EVENT_MSG = "Node {node} event: {event}"
REGISTERED_NODE_EVENT = "Registered Node {node} in Controller"
REMOVING_NODE_EVENT = "Removing Node {node} from Controller"

# -- pod-garbage-collector (pkg/controller/podgc/gc_controller.go gcOrphaned): DisruptionTarget condition -----------
DELETION_BY_POD_GC_REASON = "DeletionByPodGC"
POD_GC_NODE_GONE_MSG = "PodGC: node no longer exists"

# -- taint-eviction-controller (pkg/controller/tainteviction/taint_eviction.go) ------------------------------------
TAINT_MANAGER_EVICTION = "TaintManagerEviction"
# emitPodDeletionEvent: `"Marking for deletion Pod %s", nsName.String()` (nsName.String() = "<ns>/<name>")
MARKING_FOR_DELETION_MSG = "Marking for deletion Pod {ns}/{name}"
# emitCancelPodDeletionEvent: `"Cancelling deletion of Pod %s", nsName.String()`
CANCELLING_DELETION_MSG = "Cancelling deletion of Pod {ns}/{name}"
# addConditionAndDeletePod: DisruptionTarget condition written before the DELETE
DELETION_BY_TAINT_MANAGER_REASON = "DeletionByTaintManager"
DELETION_BY_TAINT_MANAGER_MSG = "Taint manager: deleting due to NoExecute taint"


def scaled_up_new_rs(rs: str, new: int) -> str:
    return SCALED_UP_NEW_RS.format(rs=rs, new=new)


def scaled_rs(op: str, rs: str, old: int, new: int) -> str:
    return SCALED_RS.format(op=op, rs=rs, old=old, new=new)


def created_pod(pod: str) -> str:
    return CREATED_POD_MSG.format(pod=pod)


def deleted_pod(pod: str) -> str:
    return DELETED_POD_MSG.format(pod=pod)


def marking_for_deletion(namespace: str, name: str) -> str:
    return MARKING_FOR_DELETION_MSG.format(ns=namespace, name=name)


def cancelling_deletion(namespace: str, name: str) -> str:
    return CANCELLING_DELETION_MSG.format(ns=namespace, name=name)


def node_status_change(node: str, status: str) -> str:
    return NODE_STATUS_CHANGE_MSG.format(node=node, status=status)


def registered_node(node: str) -> str:
    return NODE_EVENT_MSG.format(node=node, event=REGISTERED_NODE_EVENT.format(node=node))


def removing_node(node: str) -> str:
    return NODE_EVENT_MSG.format(node=node, event=REMOVING_NODE_EVENT.format(node=node))
