"""Event reasons and messages: each helper equals upstream's Go format string applied to the same arguments.
The format strings are quoted from the upstream files named in each case (v1.35 wording)."""

from __future__ import annotations

import pytest

from k8sdocs.model.controllers import events as ev


@pytest.mark.parametrize("got,go_format,args", [
    # pkg/controller/deployment/sync.go getNewReplicaSet (PR #125118 from->to order)
    (ev.scaled_up_new_rs("web-5869d7778c", 3), "Scaled up replica set %s from 0 to %d", ("web-5869d7778c", 3)),
    # pkg/controller/deployment/sync.go scaleReplicaSet
    (ev.scaled_rs("down", "web-5869d7778c", 3, 2), "Scaled %s replica set %s from %d to %d", ("down", "web-5869d7778c", 3, 2)),
    # pkg/controller/controller_utils.go RealPodControl
    (ev.created_pod("web-5869d7778c-jn88b"), "Created pod: %s", ("web-5869d7778c-jn88b",)),
    (ev.deleted_pod("web-5869d7778c-jn88b"), "Deleted pod: %s", ("web-5869d7778c-jn88b",)),
    # pkg/controller/tainteviction/taint_eviction.go (nsName.String() = "<ns>/<name>")
    (ev.marking_for_deletion("default", "web-1"), "Marking for deletion Pod %s", ("default/web-1",)),
    (ev.cancelling_deletion("default", "web-1"), "Cancelling deletion of Pod %s", ("default/web-1",)),
    # pkg/controller/util/node/controller_utils.go RecordNodeStatusChange
    (ev.node_status_change("node-1", "NodeNotReady"), "Node %s status is now: %s", ("node-1", "NodeNotReady")),
    # RecordNodeEvent("Node %s event: %s") with monitorNodeHealth's "Registered Node %v in Controller"
    (ev.registered_node("node-1"), "Node %s event: %s", ("node-1", "Registered Node node-1 in Controller")),
    (ev.removing_node("node-1"), "Node %s event: %s", ("node-1", "Removing Node node-1 from Controller")),
])
def test_message_equals_upstream_format(got: str, go_format: str, args: tuple) -> None:
    assert got == go_format % args


def test_reasons_are_upstream_constants() -> None:
    assert (ev.SCALING_REPLICA_SET, ev.SUCCESSFUL_CREATE, ev.SUCCESSFUL_DELETE) == (
        "ScalingReplicaSet", "SuccessfulCreate", "SuccessfulDelete")
    assert (ev.FAILED_CREATE, ev.FAILED_DELETE, ev.FAILED_RS_CREATE) == ("FailedCreate", "FailedDelete", "ReplicaSetCreateError")
    assert ev.TAINT_MANAGER_EVICTION == "TaintManagerEviction"
    assert (ev.NODE_STATUS_UNKNOWN_REASON, ev.NODE_STATUS_UNKNOWN_MSG) == ("NodeStatusUnknown", "Kubelet stopped posting node status.")
    # deployment_util.go condition reasons
    assert (ev.NEW_REPLICA_SET_REASON, ev.FOUND_NEW_RS_REASON, ev.NEW_RS_AVAILABLE_REASON, ev.REPLICA_SET_UPDATED_REASON,
            ev.TIMED_OUT_REASON, ev.MINIMUM_REPLICAS_AVAILABLE, ev.MINIMUM_REPLICAS_UNAVAILABLE) == (
        "NewReplicaSetCreated", "FoundNewReplicaSet", "NewReplicaSetAvailable", "ReplicaSetUpdated",
        "ProgressDeadlineExceeded", "MinimumReplicasAvailable", "MinimumReplicasUnavailable")


def test_condition_messages_quote_names_like_go_percent_q() -> None:
    assert ev.CREATED_NEW_RS_MSG.format(rs="web-1") == 'Created new replica set %q'.replace("%q", '"web-1"')
    assert ev.RS_PROGRESSED_MSG.format(rs="web-1") == 'ReplicaSet "web-1" has successfully progressed.'
