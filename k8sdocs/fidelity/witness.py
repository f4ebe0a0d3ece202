"""Witness construction for end-to-end scheduler cases that state only ``expected.message``.

Some cases (``plugin: scheduler``, ``derived: true``) give a FailedScheduling / PodScheduled message and a prose
derivation, but no nodes and no pod. Such a message is checked by building a concrete cluster that should produce
it and running the model's real scheduling cycle on it (``Scheduler.schedule_one``, default v1.35 profile with
DefaultPreemption as PostFilter); the model's full message must then equal the expected one byte for byte.

1. Parse the message with the FitError grammar (pkg/scheduler/framework/types.go ``FitError.Error``,
   ``NoNodeAvailableMsg`` = ``0/%v nodes are available``, ``SeparatorFormat`` = `` %v.``):
   ``0/N nodes are available: `` + (histogram ``<count> <reason>, ...`` | PreFilter message) + ``.`` + optionally
   `` `` + the PostFilter message of DefaultPreemption (``preemption: `` + ``0/N nodes are available: <histogram>.``
   or ``not eligible due to preemptionPolicy=Never.`` / ``not eligible due to a terminating pod on the nominated
   node.``; default_preemption.go / preemption.go ``Preempt``).
2. Plan one node per non-NodeResourcesFit histogram entry unit (a node reports the reasons of the first failing Filter
   plugin only, and every plugin but NodeResourcesFit reports one reason); NodeResourcesFit nodes may carry several
   reasons (``Too many pods``, ``Insufficient <resource>``), so their sets are distributed so that every such node
   has at least one. Each node also gets a preemption outcome read from the PostFilter part:
   ``Preemption is not helpful for scheduling`` = an UnschedulableAndUnresolvable node (taint, selector, ... or a
   request larger than allocatable); ``No preemption victims found for incoming pod`` = an Unschedulable node whose
   blocking pods all have priority >= the incoming pod; a reason in the PostFilter part = still failing after every
   lower-priority pod is removed: the same reason (its blocker has a higher priority), or the reason of a later
   check that the first failing plugin hid (NodePorts/NodeResourcesFit/PodTopologySpread/InterPodAffinity order, and
   inside InterPodAffinity: affinity, anti-affinity, existing pods' anti-affinity), or pod affinity lost because the
   pod it needed was a victim; no PostFilter part = at least one node where preemption succeeds.
3. Build the objects with the table of witness builders below (keyed by the reason strings the model's plugins
   emit), name the nodes in Filter-plugin order, and give the nodes of early node-level plugins (NodeUnschedulable,
   NodeName, TaintToleration) the conditions of later plugins too, so that "only the first failing plugin counts"
   is exercised.

A reason without a builder, a message that does not parse, or counts that no cluster can produce is a FAIL with
that reason (``WitnessError``), never a silent pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.scheduler.framework.fit_error import NO_NODE_AVAILABLE_MSG
from k8sdocs.model.scheduler.plugins.defaultpreemption.default_preemption import (
    MSG_NO_VICTIMS,
    MSG_NOT_ELIGIBLE_NEVER,
    MSG_NOT_ELIGIBLE_TERMINATING,
    MSG_NOT_HELPFUL,
    PREFIX,
)
from k8sdocs.model.scheduler.plugins.interpodaffinity.filtering import (
    ERR_REASON_AFFINITY_RULES_NOT_MATCH,
    ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
    ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
)
from k8sdocs.model.scheduler.plugins.nodeaffinity.node_affinity import ERR_REASON_CONFLICT, ERR_REASON_POD
from k8sdocs.model.scheduler.plugins.nodename.node_name import ERR_REASON as ERR_REASON_NODE_NAME
from k8sdocs.model.scheduler.plugins.nodeports.node_ports import ERR_REASON as ERR_REASON_NODE_PORTS
from k8sdocs.model.scheduler.plugins.nodeunschedulable.node_unschedulable import ERR_REASON_UNSCHEDULABLE
from k8sdocs.model.scheduler.plugins.podtopologyspread.common import (
    ERR_REASON_CONSTRAINTS_NOT_MATCH,
    ERR_REASON_NODE_LABEL_NOT_MATCH,
)
from k8sdocs.model.scheduler.plugins.tainttoleration.taint_toleration import ERR_REASON_NOT_MATCH
from k8sdocs.model.scheduler.schedule_one import Scheduler, ScheduleResult


class WitnessError(Exception):
    """The message cannot be parsed or no witness cluster can be built for it; the text says why."""


# -- grammar -----------------------------------------------------------------------------------------------------
_HEAD = re.compile(re.escape(NO_NODE_AVAILABLE_MSG).replace(r"\{\}", r"(\d+)") + r": (.*)\Z", re.S)
_ENTRY = re.compile(r"([1-9]\d*) (.+)\Z", re.S)
# fit.go: "Too many pods" and "Insufficient <resource name>".
TOO_MANY_PODS = "Too many pods"
INSUFFICIENT = "Insufficient "
# schedule_one.go findNodesThatFitPod: absent nodes of a PreFilterResult, "node(s) didn't satisfy plugin(s) %v".
ABSENT_NODE_AFFINITY = "node(s) didn't satisfy plugin(s) [NodeAffinity]"


@dataclass(frozen=True)
class FitMessage:
    """One ``0/N nodes are available: ...`` message: a histogram or a PreFilter message."""

    num_nodes: int
    histogram: tuple[tuple[int, str], ...] = ()
    pre_filter_msg: str = ""


@dataclass(frozen=True)
class ParsedMessage:
    main: FitMessage
    post_filter: str | None  # None: no PostFilter part; else the text after "preemption: "
    preemption: FitMessage | None = None  # when the PostFilter part is a FitError


def _parse_fit(text: str, where: str) -> FitMessage:
    m = _HEAD.match(text)
    if not m:
        raise WitnessError(f"{where} does not start with '0/N nodes are available: '")
    n = int(m.group(1))
    body = m.group(2)
    if not body.endswith("."):
        raise WitnessError(f"{where} does not end with '.'")
    body = body[:-1]
    if not body:
        raise WitnessError(f"{where} has neither a reason histogram nor a PreFilter message")
    parts = re.split(r", (?=\d+ )", body)
    entries = [_ENTRY.match(p) for p in parts]
    if all(entries):
        hist = tuple((int(e.group(1)), e.group(2)) for e in entries if e)
        reasons = [r for _, r in hist]
        if len(set(reasons)) != len(reasons):
            raise WitnessError(f"{where} repeats a reason in its histogram")
        return FitMessage(n, hist)
    if body[:1].isdigit():
        raise WitnessError(f"{where}: cannot split {body!r} into '<count> <reason>' entries")
    return FitMessage(n, pre_filter_msg=body)


def parse_message(message: str) -> ParsedMessage:
    """Split a FailedScheduling message into its FitError and DefaultPreemption parts."""
    idx = message.find(" " + PREFIX)
    main_text, post = (message, None) if idx < 0 else (message[:idx], message[idx + 1 + len(PREFIX):])
    main = _parse_fit(main_text, "the message")
    if post is None:
        return ParsedMessage(main, None)
    if post in (MSG_NOT_ELIGIBLE_NEVER, MSG_NOT_ELIGIBLE_TERMINATING):
        return ParsedMessage(main, post)
    pre = _parse_fit(post, "the preemption part")
    if pre.pre_filter_msg:
        raise WitnessError("the preemption part must be a reason histogram")
    if pre.num_nodes != main.num_nodes:
        raise WitnessError(f"the preemption part counts {pre.num_nodes} nodes, the message {main.num_nodes}")
    return ParsedMessage(main, post, pre)


# -- the table of witness builders -------------------------------------------------------------------------------
UU = "UnschedulableAndUnresolvable"
U = "Unschedulable"


@dataclass(frozen=True)
class ReasonKind:
    """How a reason is produced: the plugin that emits it, its status code, and whether the node (config) or a pod
    on it causes it."""

    plugin: str
    code: str
    caused_by_pod: bool


REASONS: Mapping[str, ReasonKind] = {
    ERR_REASON_UNSCHEDULABLE: ReasonKind("NodeUnschedulable", UU, False),  # spec.unschedulable
    ERR_REASON_NODE_NAME: ReasonKind("NodeName", UU, False),  # pod spec.nodeName names another node
    ERR_REASON_NOT_MATCH: ReasonKind("TaintToleration", UU, False),  # NoSchedule taint
    ERR_REASON_POD: ReasonKind("NodeAffinity", UU, False),  # nodeSelector label missing
    ABSENT_NODE_AFFINITY: ReasonKind("NodeAffinity", UU, False),  # not in matchFields metadata.name
    ERR_REASON_NODE_PORTS: ReasonKind("NodePorts", U, True),  # a pod uses the hostPort
    ERR_REASON_NODE_LABEL_NOT_MATCH: ReasonKind("PodTopologySpread", UU, False),  # topology label missing
    ERR_REASON_CONSTRAINTS_NOT_MATCH: ReasonKind("PodTopologySpread", U, True),  # a matching pod, minDomains
    ERR_REASON_AFFINITY_RULES_NOT_MATCH: ReasonKind("InterPodAffinity", UU, False),  # affinity topology missing
    ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH: ReasonKind("InterPodAffinity", U, True),  # a pod it repels
    ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH: ReasonKind("InterPodAffinity", U, True),  # a pod repelling it
}
FIT = ReasonKind("NodeResourcesFit", U, True)
# PreFilter messages with a builder (the whole main part is the message).
PRE_FILTER_MESSAGES = (ERR_REASON_CONFLICT,)
EARLY_NODE_PLUGINS = ("NodeUnschedulable", "NodeName", "TaintToleration")

# Witness objects.
PRIORITY = 100  # the incoming pod
HIGH_PRIORITY = 1000  # not preemptable by it (isPreemptionAllowed: strictly lower priority only)
LOW_PRIORITY = 0
REQUEST_UNITS = 2  # the incoming pod's request of each resource in the message
ALLOCATABLE_UNITS = 4  # a normal node; a pod that fills a resource requests all of it
UNRESOLVABLE_UNITS = 1  # request > allocatable: UnschedulableAndUnresolvable (fit.go, v1.32+)
ROOMY_PODS = 110
HOST_PORT = 8080
SELECTOR_KEY = "witness.k8sdocs.io/selected"
SPREAD_KEY = "witness.k8sdocs.io/domain"
AFFINITY_KEY = "witness.k8sdocs.io/affinity-domain"
TARGET_LABEL = ("witness.k8sdocs.io/target", "yes")
BLOCKER_LABEL = ("witness.k8sdocs.io/blocker", "anti")
APP_LABEL = ("app", "witness")
HOSTNAME = "kubernetes.io/hostname"
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}  # added with cordon


def fit_resource(reason: str) -> str | None:
    """The resource of an ``Insufficient <name>`` reason the witness can request (None for "Too many pods")."""
    if reason == TOO_MANY_PODS:
        return None
    name = reason[len(INSUFFICIENT):]
    if name in ("cpu", "memory", "ephemeral-storage") or re.fullmatch(r"hugepages-\d+[KMG]i", name):
        return name
    if re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?", name) and (
        "kubernetes.io/" not in name
    ):
        return name  # an extended resource
    raise WitnessError(f"no witness builder for reason {reason!r}")


def is_fit_reason(reason: str) -> bool:
    if reason == TOO_MANY_PODS:
        return True
    if reason.startswith(INSUFFICIENT):
        fit_resource(reason)
        return True
    return False


def _quantity(resource: str, units: int) -> str:
    return f"{units}Gi" if resource in ("memory", "ephemeral-storage") or resource.startswith("hugepages-") else str(units)


# -- plan --------------------------------------------------------------------------------------------------------
NOT_HELPFUL, NO_VICTIMS, STILL, CANDIDATE = "not-helpful", "no-victims", "still", "candidate"
# Default profile Filter order (default_plugins.go); run_witness passes the framework's own order.
DEFAULT_FILTER_ORDER = ("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                        "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity")


def _kind(reason: str) -> ReasonKind:
    return FIT if is_fit_reason(reason) else REASONS[reason]


# interpodaffinity/filtering.go Filter checks pod affinity, then pod anti-affinity, then existing pods' anti-affinity.
_CHECK_ORDER = {ERR_REASON_AFFINITY_RULES_NOT_MATCH: 0, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH: 1,
                ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH: 2}


def _rank(reason: str, order: Mapping[str, int]) -> tuple[int, int]:
    """Where a reason's check runs: Filter plugin order, then the check order inside the plugin."""
    return order.get(_kind(reason).plugin, len(order)), _CHECK_ORDER.get(reason, 0)


@dataclass
class NodePlan:
    """One witness node: its reason(s) in the message, and what the preemption dry run reports there.

    ``still`` (outcome STILL): the reasons the node reports in the preemption part, after every lower-priority pod
    is gone: the same plugin's (same reason, or a subset of NodeResourcesFit's), or a later Filter plugin's, whose
    condition was hidden behind the first failing plugin (its blockers are then of priority >= the incoming pod)."""

    kind: ReasonKind
    reasons: set[str]  # one reason, or NodeResourcesFit's set
    outcome: str = ""
    still: set[str] = field(default_factory=set)
    cross: bool = False  # ``still`` comes from a later check than ``reasons``


def _fill_fit_sets(plans: Sequence[NodePlan], main: Mapping[str, int]) -> None:
    """Give every NodeResourcesFit node its reasons in the message: a same-plugin STILL node keeps (at least) what it
    still reports; every node gets one reason; an unresolvable node an ``Insufficient <resource>``; then the rest of
    each count on distinct nodes."""
    n = len(plans)
    too_many = sorted(k for k, c in main.items() if c > n)
    if too_many:
        raise WitnessError(f"{too_many[0]!r} counts more nodes than those left for NodeResourcesFit ({n})")
    remaining = dict(main)
    for plan in plans:
        if plan.outcome == STILL and not plan.cross:
            plan.reasons = set(plan.still)
            for k in plan.still:
                remaining[k] = remaining.get(k, 0) - 1
    short = sorted(k for k, c in remaining.items() if c < 0)
    if short:
        raise WitnessError(f"{short[0]!r} counts more nodes in the preemption part than in the message")
    for plan in sorted(plans, key=lambda p: p.outcome != NOT_HELPFUL):
        if plan.reasons:
            continue
        pool = [k for k, c in remaining.items() if c > 0 and (plan.outcome != NOT_HELPFUL or fit_resource(k))]
        if not pool:
            what = "an 'Insufficient <resource>' reason" if plan.outcome == NOT_HELPFUL else "a NodeResourcesFit reason"
            raise WitnessError(f"a NodeResourcesFit node needs {what} left in the message "
                               f"({n} such nodes, {sum(main.values())} reasons)")
        best = min(pool, key=lambda k: (-remaining[k], k))
        plan.reasons.add(best)
        remaining[best] -= 1
    for k in sorted(remaining):
        for plan in plans:
            if remaining[k] == 0:
                break
            if k not in plan.reasons:
                plan.reasons.add(k)
                remaining[k] -= 1


def plan_nodes(parsed: ParsedMessage, filter_order: Sequence[str] = DEFAULT_FILTER_ORDER) -> list[NodePlan]:
    """Assign every node its reason(s) and preemption outcome, or raise WitnessError.

    NodeResourcesFit reasons left in the preemption part are put on NodeResourcesFit nodes or, behind a removable
    earlier blocker, on NodePorts nodes; every split between the two is tried, fewest earlier-plugin nodes first."""
    first: WitnessError | None = None
    splits = [0]  # how many splits there are, known once planning reaches them
    cross_hosts = 0
    while cross_hosts <= splits[0]:
        try:
            return _plan_nodes(parsed, filter_order, cross_hosts, splits)
        except WitnessError as err:
            first = first or err
        cross_hosts += 1
    assert first is not None
    raise first


def _plan_nodes(parsed: ParsedMessage, filter_order: Sequence[str], cross_hosts: int,
                splits: list[int]) -> list[NodePlan]:
    order = {name: i for i, name in enumerate(filter_order)}
    main = parsed.main
    n = main.num_nodes
    if n == 0:
        raise WitnessError("a FitError message with 0 nodes comes from 'no nodes available', not from filters")
    if main.pre_filter_msg:
        if main.pre_filter_msg not in PRE_FILTER_MESSAGES:
            raise WitnessError(f"no witness builder for PreFilter message {main.pre_filter_msg!r}")
        return [NodePlan(REASONS[ERR_REASON_POD], set(), NOT_HELPFUL) for _ in range(n)]
    fit_main: dict[str, int] = {}
    plans: list[NodePlan] = []
    for count, reason in main.histogram:
        if is_fit_reason(reason):
            fit_main[reason] = count
        elif reason in REASONS:
            plans += [NodePlan(REASONS[reason], {reason}) for _ in range(count)]
        else:
            raise WitnessError(f"no witness builder for reason {reason!r}")
    r = n - len(plans)
    if r < 0:
        raise WitnessError(f"the histogram counts {len(plans)} single-reason nodes but the message has {n}")
    if r and not fit_main:
        raise WitnessError(f"the reasons count {r} node(s) fewer than the message's nodes")
    if fit_main and not r:
        raise WitnessError(f"no node left for the NodeResourcesFit reasons {sorted(fit_main)}")
    if sum(fit_main.values()) < r:
        raise WitnessError(f"the NodeResourcesFit reasons cover {sum(fit_main.values())} of the {r} nodes left")
    name_count = sum(1 for p in plans if ERR_REASON_NODE_NAME in p.reasons)
    if name_count and name_count < n - 1:
        raise WitnessError(f"{ERR_REASON_NODE_NAME!r} holds for every node but the requested one ({n - 1} or {n})")
    uu = [p for p in plans if p.kind.code == UU]
    for p in uu:
        p.outcome = NOT_HELPFUL
    resolvable = [p for p in plans if p.kind.code == U]
    if parsed.preemption is None:
        candidates = parsed.post_filter is None
        if candidates and not resolvable and not fit_main:
            raise WitnessError("a message without a preemption part needs a node where preemption succeeds, "
                               "but every reason is UnschedulableAndUnresolvable")
        fit_plans = [NodePlan(FIT, set()) for _ in range(r)]
        for p in resolvable + fit_plans:
            p.outcome = CANDIDATE if candidates else NO_VICTIMS
        _fill_fit_sets(fit_plans, fit_main)
        return plans + fit_plans

    pre = {reason: count for count, reason in parsed.preemption.histogram}
    not_helpful = pre.pop(MSG_NOT_HELPFUL, 0)
    no_victims = pre.pop(MSG_NO_VICTIMS, 0)
    fit_pre = {k: pre.pop(k) for k in list(pre) if is_fit_reason(k)}
    for reason in sorted(pre):
        kind = REASONS.get(reason)
        if kind is None or order.get(kind.plugin, -1) < order.get("NodePorts", 0):
            raise WitnessError(f"{reason!r} cannot be what the preemption dry run reports for a node")
    n_unresolvable = not_helpful - len(uu)
    if n_unresolvable < 0:
        raise WitnessError(f"{len(uu)} node(s) are UnschedulableAndUnresolvable but the preemption part counts "
                           f"{not_helpful} '{MSG_NOT_HELPFUL}'")
    if n_unresolvable > r:
        raise WitnessError(f"the preemption part counts {not_helpful} '{MSG_NOT_HELPFUL}' but only {len(uu) + r} "
                           "node(s) can be UnschedulableAndUnresolvable")
    fit_plans = [NodePlan(FIT, set()) for _ in range(r - n_unresolvable)]
    unresolvable = [NodePlan(FIT, set(), NOT_HELPFUL) for _ in range(n_unresolvable)]
    open_nodes = resolvable + fit_plans
    # 1. a reason the preemption part repeats, on nodes that reported it (same blocker, now of higher priority).
    for reason in sorted(pre):
        same = [p for p in resolvable if reason in p.reasons and not p.outcome][: pre[reason]]
        for p in same:
            p.outcome, p.still = STILL, {reason}
        pre[reason] -= len(same)
    cross_demand = sum(pre.values())
    assigned = sum(1 for p in open_nodes if p.outcome)
    f = len(open_nodes) - no_victims - assigned - cross_demand
    if f < 0:
        raise WitnessError(f"the preemption part counts more nodes ({no_victims + assigned + cross_demand}) than the "
                           f"{len(open_nodes)} that preemption can try")
    if (f == 0) != (not fit_pre):
        raise WitnessError(f"{f} node(s) are left to report NodeResourcesFit reasons in the preemption part, "
                           f"which lists {sorted(fit_pre)}")
    if fit_pre:
        if sum(fit_pre.values()) < f or max(fit_pre.values()) > f:
            raise WitnessError(f"the preemption part's NodeResourcesFit counts do not fit on the {f} node(s) left")
        # 2. NodeResourcesFit reasons that remain: Fit nodes first, then NodePorts nodes whose blocker is removable.
        fit_order = order.get("NodeResourcesFit", 0)
        earlier = [p for p in resolvable if not p.outcome and order.get(p.kind.plugin, 0) < fit_order]
        splits[0] = min(f, len(earlier))
        hosts = earlier[:cross_hosts] + [p for p in fit_plans if not p.outcome][: f - cross_hosts]
        if len(hosts) < f:
            raise WitnessError(f"{f} node(s) must still report NodeResourcesFit reasons, only "
                               f"{len(earlier) + len(fit_plans)} can")
        sets: list[set[str]] = [set() for _ in hosts]
        on_fit_nodes = {k: 0 for k in fit_pre}
        # A NodeResourcesFit node still reports only what it reported (removing pods frees resources), so a reason
        # the message lacks goes behind an earlier blocker; otherwise the emptiest node first.
        for k, count in sorted(fit_pre.items(), key=lambda kv: (fit_main.get(kv[0], 0) > 0, kv[0])):
            eligible = [i for i, h in enumerate(hosts)
                        if k not in sets[i] and (h.kind is not FIT or on_fit_nodes[k] < fit_main.get(k, 0))]
            eligible.sort(key=lambda i: (len(sets[i]), hosts[i].kind is FIT, i))
            chosen: list[int] = []
            for i in eligible:
                if len(chosen) == count:
                    break
                if hosts[i].kind is FIT:
                    if on_fit_nodes[k] >= fit_main.get(k, 0):
                        continue
                    on_fit_nodes[k] += 1
                chosen.append(i)
            if len(chosen) < count:
                raise WitnessError(f"{k!r} counts more nodes in the preemption part than can still report it")
            for i in chosen:
                sets[i].add(k)
        if not all(sets):
            raise WitnessError(f"the preemption part's NodeResourcesFit reasons leave one of {f} node(s) without any")
        for p, t in zip(hosts, sets):
            p.outcome, p.still, p.cross = STILL, t, p.kind is not FIT
    # 3. a later plugin's reason behind an earlier, removable one (cross); latest plugins first.
    def rank_of(p: NodePlan) -> tuple[int, int]:
        return max(_rank(k, order) for k in p.reasons) if p.reasons else (order.get(p.kind.plugin, 0), 0)

    # Eligible hosts are nested (an earlier check's nodes can host every later reason): lowest rank first.
    # Pod affinity can also fail after preemption because the pod it needs was a victim: any node can host it.
    for reason in sorted(pre, key=lambda k: (_rank(k, order), k)):
        later = _rank(reason, order)
        hosts = [p for p in open_nodes if not p.outcome and
                 (rank_of(p) < later or reason == ERR_REASON_AFFINITY_RULES_NOT_MATCH)][: pre[reason]]
        if len(hosts) < pre[reason]:
            raise WitnessError(f"{reason!r} counts more nodes in the preemption part than can report it")
        for p in hosts:
            p.outcome, p.still, p.cross = STILL, {reason}, True
    for p in open_nodes:
        p.outcome = p.outcome or NO_VICTIMS
    _fill_fit_sets(fit_plans + unresolvable, fit_main)
    return plans + fit_plans + unresolvable


# -- objects -----------------------------------------------------------------------------------------------------
def _pod(name: str, node: str, priority: int, labels: Mapping[str, str] | None = None,
         requests: Mapping[str, str] | None = None, host_port: bool = False, affinity: Any = None) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "app", "image": "registry.k8s.io/pause:3.10"}
    if requests:
        container["resources"] = {"requests": dict(requests)}
    if host_port:
        container["ports"] = [{"containerPort": HOST_PORT, "hostPort": HOST_PORT, "protocol": "TCP"}]
    spec: dict[str, Any] = {"nodeName": node, "priority": priority, "containers": [container]}
    if affinity:
        spec["affinity"] = affinity
    meta: dict[str, Any] = {"name": name, "namespace": "default", "uid": f"uid-{name}"}
    if labels:
        meta["labels"] = dict(labels)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": {"phase": "Running"}}


def _repel_witness() -> dict[str, Any]:
    return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": dict([APP_LABEL])}, "topologyKey": HOSTNAME}]}}


@dataclass
class Witness:
    nodes: list[dict[str, Any]]
    pods: list[dict[str, Any]]
    pod: dict[str, Any]
    plans: list[NodePlan]


@dataclass
class _NodeBuild:
    """What one node gets, condition by condition."""

    name: str
    labels: dict[str, str]
    spec: dict[str, Any] = field(default_factory=dict)
    pods: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    res_high: set[str] = field(default_factory=set)
    res_low: set[str] = field(default_factory=set)
    res_unresolvable: set[str] = field(default_factory=set)

    def pod(self, what: str, priority: int, **kw: Any) -> None:
        tag = "high" if priority >= PRIORITY else "low"
        self.pods.append((_pod(f"{self.name}-{what}-{tag}", self.name, priority, **kw), priority))


def _apply(b: _NodeBuild, reason: str, cause: str) -> None:
    """Make node ``b`` fail with ``reason``; ``cause`` is "high"/"low" (a pod of that priority) or "node"."""
    prio = HIGH_PRIORITY if cause == "high" else LOW_PRIORITY
    if reason == ERR_REASON_UNSCHEDULABLE:
        b.spec.update({"unschedulable": True, "taints": [dict(UNSCHEDULABLE_TAINT)]})
    elif reason == ERR_REASON_NOT_MATCH:
        b.spec["taints"] = [dict(CONTROL_PLANE_TAINT)]
    elif reason in (ERR_REASON_POD, ERR_REASON_NODE_NAME, ABSENT_NODE_AFFINITY):
        pass  # a missing label / the pod's nodeName / matchFields: see build_witness and _incoming_pod
    elif reason == ERR_REASON_NODE_LABEL_NOT_MATCH:
        b.labels.pop(SPREAD_KEY, None)
    elif reason == ERR_REASON_AFFINITY_RULES_NOT_MATCH:
        b.labels.pop(AFFINITY_KEY, None)
    elif reason == ERR_REASON_NODE_PORTS:
        b.pod("ports", prio, host_port=True)
    elif reason == ERR_REASON_CONSTRAINTS_NOT_MATCH:
        b.pod("spread", prio, labels=dict([APP_LABEL]))
    elif reason == ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH:
        b.pod("repelled", prio, labels=dict([BLOCKER_LABEL]))
    elif reason == ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH:
        b.pod("repels", prio, affinity=_repel_witness())
    elif (res := fit_resource(reason)) is not None:
        {"high": b.res_high, "low": b.res_low, "node": b.res_unresolvable}[cause].add(res)
    # "Too many pods": the node's pod count is set once all its pods are known (build_witness).


def build_witness(parsed: ParsedMessage, filter_order: Sequence[str] = DEFAULT_FILTER_ORDER) -> Witness:
    plans = plan_nodes(parsed, filter_order)
    order = {name: i for i, name in enumerate(filter_order)}
    outcome_order = {NOT_HELPFUL: 0, NO_VICTIMS: 1, STILL: 2, CANDIDATE: 3}
    plans.sort(key=lambda p: (order.get(p.kind.plugin, len(order)), sorted(p.reasons), outcome_order[p.outcome],
                              p.cross, sorted(p.still)))
    width = len(str(len(plans)))
    names = [f"node-{i + 1:0{width}d}" for i in range(len(plans))]
    used = set().union(*(p.reasons | p.still for p in plans)) if plans else set()
    resources = sorted({res for r in used if is_fit_reason(r) and (res := fit_resource(r))})
    uses = {r: r in used for r in REASONS}
    spread = uses[ERR_REASON_CONSTRAINTS_NOT_MATCH] or uses[ERR_REASON_NODE_LABEL_NOT_MATCH]

    builds: list[_NodeBuild] = []
    for name, plan in zip(names, plans):
        labels = {HOSTNAME: name}
        early = plan.kind.plugin in EARLY_NODE_PLUGINS  # they also miss later plugins' labels (first failure counts)
        if uses[ERR_REASON_POD] and ERR_REASON_POD not in plan.reasons and not early:
            labels[SELECTOR_KEY] = "true"
        if spread and not early:
            labels[SPREAD_KEY] = f"d-{name}"
        if uses[ERR_REASON_AFFINITY_RULES_NOT_MATCH] and not early:
            labels[AFFINITY_KEY] = f"a-{name}"  # one affinity domain per node
        b = _NodeBuild(name, labels)
        main_cause = {NOT_HELPFUL: "node", NO_VICTIMS: "high", CANDIDATE: "low"}.get(plan.outcome, "low")
        if plan.outcome == STILL and not plan.cross:
            for reason in sorted(plan.reasons):  # what is still reported stays (higher priority), the rest goes
                _apply(b, reason, "high" if reason in plan.still else "low")
            b.pod("victim", LOW_PRIORITY)
        else:
            for reason in sorted(plan.reasons):
                _apply(b, reason, "node" if plan.kind.code == UU else main_cause)
            for reason in sorted(plan.still):  # cross: hidden behind the first failing plugin until preemption
                if reason == ERR_REASON_AFFINITY_RULES_NOT_MATCH:
                    b.pod("target", LOW_PRIORITY, labels=dict([TARGET_LABEL]))  # the only one in its domain
                else:
                    _apply(b, reason, "node" if REASONS.get(reason, FIT).code == UU else "high")
        builds.append(b)

    if uses[ERR_REASON_AFFINITY_RULES_NOT_MATCH]:
        # A pod the incoming pod has affinity to in every node's domain (unless the node already has its own).
        for b in builds:
            if AFFINITY_KEY in b.labels and not any(TARGET_LABEL[0] in (p["metadata"].get("labels") or {})
                                                    for p, _ in b.pods):
                b.pod("target", HIGH_PRIORITY, labels=dict([TARGET_LABEL]))
    nominated = ""
    if parsed.post_filter == MSG_NOT_ELIGIBLE_TERMINATING:
        resolvable = [b for b, p in zip(builds, plans) if p.outcome != NOT_HELPFUL]
        if not resolvable:
            raise WitnessError("'not eligible due to a terminating pod on the nominated node' needs a nominated node "
                               "that is not UnschedulableAndUnresolvable")
        b = resolvable[0]
        nominated = b.name
        b.pod("terminating", LOW_PRIORITY)
        victim = b.pods[-1][0]
        victim["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
        victim["status"]["conditions"] = [{"type": "DisruptionTarget", "status": "True",
                                           "reason": "PreemptionByScheduler"}]

    nodes: list[dict[str, Any]] = []
    for b, plan in zip(builds, plans):
        alloc = {res: _quantity(res, ALLOCATABLE_UNITS) for res in resources}
        for res in b.res_unresolvable:
            alloc[res] = _quantity(res, UNRESOLVABLE_UNITS)
        fit_main = plan.kind is FIT and plan.outcome not in (NOT_HELPFUL,)
        if b.res_high or (fit_main and plan.outcome == NO_VICTIMS) or (plan.cross and any(map(is_fit_reason, plan.still))):
            req = {res: _quantity(res, ALLOCATABLE_UNITS) for res in sorted(b.res_high)}
            b.pod("fill", HIGH_PRIORITY, requests=req)
        if b.res_low or (fit_main and plan.outcome in (CANDIDATE, STILL)):
            req = {res: _quantity(res, ALLOCATABLE_UNITS) for res in sorted(b.res_low)}
            b.pod("fill", LOW_PRIORITY, requests=req)
        pods_allocatable = ROOMY_PODS
        reported_later = plan.still if plan.outcome == STILL else set()
        if TOO_MANY_PODS in reported_later:
            pods_allocatable = sum(1 for _, prio in b.pods if prio >= PRIORITY)  # only they stay
        elif TOO_MANY_PODS in plan.reasons:
            pods_allocatable = len(b.pods)  # full until a lower-priority pod goes
        alloc["pods"] = str(pods_allocatable)
        nodes.append({"apiVersion": "v1", "kind": "Node", "metadata": {"name": b.name, "labels": b.labels},
                      "spec": b.spec, "status": {"capacity": alloc, "allocatable": dict(alloc)}})

    pod = _incoming_pod(parsed, plans, names, resources, uses, spread, nominated)
    return Witness(nodes, [p for b in builds for p, _ in b.pods], pod, plans)


def _incoming_pod(parsed: ParsedMessage, plans: Sequence[NodePlan], names: Sequence[str], resources: Sequence[str],
                  uses: Mapping[str, bool], spread: bool, nominated: str) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "app", "image": "registry.k8s.io/pause:3.10"}
    if resources:
        container["resources"] = {"requests": {res: _quantity(res, REQUEST_UNITS) for res in resources}}
    if uses[ERR_REASON_NODE_PORTS]:
        container["ports"] = [{"containerPort": HOST_PORT, "hostPort": HOST_PORT, "protocol": "TCP"}]
    spec: dict[str, Any] = {"priority": PRIORITY, "schedulerName": "default-scheduler", "containers": [container]}
    affinity: dict[str, Any] = {}
    if uses[ERR_REASON_POD]:
        spec["nodeSelector"] = {SELECTOR_KEY: "true"}
    if parsed.main.pre_filter_msg == ERR_REASON_CONFLICT:
        # node_affinity.go PreFilter: ANDed metadata.name requirements with no common node.
        affinity["nodeAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-a"]},
                             {"key": "metadata.name", "operator": "In", "values": ["node-b"]}]}]}}
    elif uses[ABSENT_NODE_AFFINITY]:
        present = [n for n, p in zip(names, plans) if ABSENT_NODE_AFFINITY not in p.reasons]
        # One ORed term per present node: a metadata.name requirement takes exactly one value (API validation).
        affinity["nodeAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [name]}]}
            for name in present or ["absent-node"]]}}
    if uses[ERR_REASON_AFFINITY_RULES_NOT_MATCH]:
        affinity["podAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": dict([TARGET_LABEL])}, "topologyKey": AFFINITY_KEY}]}
    if uses[ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH]:
        affinity["podAntiAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": dict([BLOCKER_LABEL])}, "topologyKey": HOSTNAME}]}
    if affinity:
        spec["affinity"] = affinity
    if spread:
        # minDomains above the number of domains makes the global minimum 0 (filtering.go minMatchNum), so a node
        # whose domain already has one matching pod fails with skew 2 > maxSkew 1.
        spec["topologySpreadConstraints"] = [{
            "maxSkew": 1, "topologyKey": SPREAD_KEY, "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": dict([APP_LABEL])}, "minDomains": len(names) + 1}]
    if uses[ERR_REASON_NODE_NAME]:
        others = [n for n, p in zip(names, plans) if ERR_REASON_NODE_NAME not in p.reasons]
        spec["nodeName"] = others[0] if others else "requested-node"
    if parsed.post_filter == MSG_NOT_ELIGIBLE_NEVER:
        spec["preemptionPolicy"] = "Never"
    pod: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod",
                           "metadata": {"name": "witness", "namespace": "default", "uid": "uid-witness",
                                        "labels": dict([APP_LABEL])},
                           "spec": spec}
    if nominated:
        pod["status"] = {"nominatedNodeName": nominated}
    return pod


@dataclass(frozen=True)
class WitnessRun:
    witness: Witness
    result: ScheduleResult


def run_witness(message: str, seed: int = 0) -> WitnessRun:
    """Parse ``message``, build its witness cluster and run one scheduling cycle of the default profile on it."""
    parsed = parse_message(message)
    sched = Scheduler(seed=seed)
    if not sched.framework.has_post_filter_plugins():
        raise WitnessError("the default profile has no PostFilter (DefaultPreemption) plugin")
    witness = build_witness(parsed, [pl.name for pl in sched.framework.filter_plugins])
    result = sched.schedule_one(witness.pod, witness.nodes, witness.pods, [])
    return WitnessRun(witness, result)


__all__ = [
    "ParsedMessage",
    "REASONS",
    "WitnessError",
    "build_witness",
    "parse_message",
    "plan_nodes",
    "run_witness",
]
