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
   blocking pods all have priority >= the incoming pod; a reason repeated in the PostFilter part = still failing after
   every lower-priority pod is removed; no PostFilter part = at least one node where preemption succeeds.
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
    MSG_NOT_ELIGIBLE_NEVER,
    MSG_NOT_ELIGIBLE_TERMINATING,
    MSG_NO_VICTIMS,
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
from k8sdocs.model.scheduler.schedule_one import ScheduleResult, Scheduler


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


@dataclass
class NodePlan:
    """One witness node: its main reason(s), and what the preemption dry run finds there."""

    kind: ReasonKind
    reasons: set[str]  # one reason, or NodeResourcesFit's set
    outcome: str
    still: set[str] = field(default_factory=set)  # reasons left after removing lower-priority pods


def _cyclic(counts: Sequence[tuple[str, int]], sets: list[set[str]]) -> None:
    """Place each reason on ``count`` distinct sets, round robin (every set gets one if the total allows)."""
    i = 0
    for reason, count in counts:
        for _ in range(count):
            sets[i % len(sets)].add(reason)
            i += 1


def _fit_plans(main: Mapping[str, int], pre: Mapping[str, int], r: int, n_unresolvable: int, n_no_victims: int,
               candidates: bool) -> list[NodePlan]:
    if r == 0:
        if main:
            raise WitnessError(f"no node left for the NodeResourcesFit reasons {sorted(main)}")
        return []
    if not main:
        raise WitnessError(f"the reasons count {r} node(s) fewer than the message's nodes")
    too_many = [k for k, c in main.items() if c > r]
    if too_many:
        raise WitnessError(f"{too_many[0]!r} counts more nodes than those left for NodeResourcesFit ({r})")
    if sum(main.values()) < r:
        raise WitnessError(f"the NodeResourcesFit reasons cover {sum(main.values())} of the {r} nodes left")
    if candidates:
        sets: list[set[str]] = [set() for _ in range(r)]
        _cyclic(sorted(main.items()), sets)
        return [NodePlan(FIT, s, CANDIDATE) for s in sets]
    w = r - n_unresolvable - n_no_victims
    if w < 0:
        raise WitnessError(f"{n_unresolvable + n_no_victims} NodeResourcesFit nodes needed in the preemption part, "
                           f"only {r} in the message")
    if w == 0 and pre:
        raise WitnessError(f"no NodeResourcesFit node left to still report {sorted(pre)} in the preemption part")
    for k, c in pre.items():
        if c > main.get(k, 0):
            raise WitnessError(f"{k!r} counts more nodes in the preemption part than in the message")
        if c > w:
            raise WitnessError(f"{k!r} counts more nodes in the preemption part than can still fail there")
    if w and sum(pre.values()) < w:
        raise WitnessError(f"{w} NodeResourcesFit node(s) must still fail in the preemption part, "
                           f"its reasons cover {sum(pre.values())}")
    still: list[set[str]] = [set() for _ in range(w)]
    if w:
        _cyclic(sorted(pre.items()), still)
    plans = [NodePlan(FIT, set(s), STILL, set(s)) for s in still]
    plans += [NodePlan(FIT, set(), NOT_HELPFUL) for _ in range(n_unresolvable)]
    plans += [NodePlan(FIT, set(), NO_VICTIMS) for _ in range(n_no_victims)]
    remaining = {k: c - pre.get(k, 0) for k, c in main.items()}
    for plan in plans:
        if plan.reasons:
            continue
        pool = [k for k, c in remaining.items() if c > 0 and (plan.outcome != NOT_HELPFUL or fit_resource(k))]
        if not pool:
            what = "an 'Insufficient <resource>' reason" if plan.outcome == NOT_HELPFUL else "a NodeResourcesFit reason"
            raise WitnessError(f"a NodeResourcesFit node of the preemption part needs {what} left in the message")
        best = max(pool, key=lambda k: (remaining[k], [-ord(ch) for ch in k]))
        plan.reasons.add(best)
        remaining[best] -= 1
    for k in sorted(remaining):
        for plan in plans:
            if remaining[k] == 0:
                break
            if k not in plan.reasons:
                plan.reasons.add(k)
                remaining[k] -= 1
    return plans


def plan_nodes(parsed: ParsedMessage) -> list[NodePlan]:
    """Assign every node its reason(s) and preemption outcome, or raise WitnessError."""
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
            plans += [NodePlan(REASONS[reason], {reason}, "") for _ in range(count)]
        else:
            raise WitnessError(f"no witness builder for reason {reason!r}")
    r = n - len(plans)
    if r < 0:
        raise WitnessError(f"the histogram counts {len(plans)} single-reason nodes but the message has {n}")
    name_count = sum(1 for p in plans if ERR_REASON_NODE_NAME in p.reasons)
    if name_count and name_count < n - 1:
        raise WitnessError(f"{ERR_REASON_NODE_NAME!r} holds for every node but the requested one ({n - 1} or {n})")
    resolvable = [p for p in plans if p.kind.code == U]
    for p in plans:
        if p.kind.code == UU:
            p.outcome = NOT_HELPFUL
    if parsed.preemption is None:
        candidates = parsed.post_filter is None
        if candidates and not resolvable and not fit_main:
            raise WitnessError("a message without a preemption part needs a node where preemption succeeds, "
                               "but every reason is UnschedulableAndUnresolvable")
        for p in resolvable:
            p.outcome = CANDIDATE if candidates else NO_VICTIMS
        return plans + _fit_plans(fit_main, {}, r, 0, 0 if candidates else r, candidates)
    pre = dict((reason, count) for count, reason in parsed.preemption.histogram)
    not_helpful = pre.pop(MSG_NOT_HELPFUL, 0)
    no_victims = pre.pop(MSG_NO_VICTIMS, 0)
    fit_pre = {k: pre.pop(k) for k in list(pre) if is_fit_reason(k)}
    for reason in sorted(pre):
        kind = REASONS.get(reason)
        if kind is None or kind.code != U:
            raise WitnessError(f"{reason!r} cannot be what the preemption dry run reports for a node")
        nodes = [p for p in resolvable if reason in p.reasons]
        if pre[reason] > len(nodes):
            raise WitnessError(f"{reason!r} counts more nodes in the preemption part than in the message")
        for p in nodes[: pre[reason]]:
            p.outcome = STILL
            p.still = {reason}
    others = [p for p in resolvable if not p.outcome]
    for p in others:
        p.outcome = NO_VICTIMS
    uu = sum(1 for p in plans if p.kind.code == UU)
    n_unresolvable = not_helpful - uu
    n_no_victims = no_victims - len(others)
    if n_unresolvable < 0:
        raise WitnessError(f"{uu} node(s) are UnschedulableAndUnresolvable but the preemption part counts "
                           f"{not_helpful} '{MSG_NOT_HELPFUL}'")
    if n_no_victims < 0:
        raise WitnessError(f"{len(others)} node(s) have no victims but the preemption part counts {no_victims}")
    return plans + _fit_plans(fit_main, fit_pre, r, n_unresolvable, n_no_victims, False)


# -- objects -----------------------------------------------------------------------------------------------------
def _pod(name: str, node: str, priority: int, labels: Mapping[str, str] | None = None,
         requests: Mapping[str, str] | None = None, host_port: bool = False, affinity: Any = None) -> dict:
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


def _repel_witness() -> dict:
    return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": dict([APP_LABEL])}, "topologyKey": HOSTNAME}]}}


@dataclass
class Witness:
    nodes: list[dict]
    pods: list[dict]
    pod: dict
    plans: list[NodePlan]


def build_witness(parsed: ParsedMessage, filter_order: Sequence[str]) -> Witness:
    plans = plan_nodes(parsed)
    order = {name: i for i, name in enumerate(filter_order)}
    outcome_order = {NOT_HELPFUL: 0, NO_VICTIMS: 1, STILL: 2, CANDIDATE: 3}
    plans.sort(key=lambda p: (order.get(p.kind.plugin, len(order)), sorted(p.reasons), outcome_order[p.outcome],
                              sorted(p.still)))
    width = len(str(len(plans)))
    names = [f"node-{i + 1:0{width}d}" for i in range(len(plans))]
    used = set().union(*(p.reasons | p.still for p in plans)) if plans else set()
    resources = sorted({res for r in used if is_fit_reason(r) and (res := fit_resource(r))})
    uses = {r: r in used for r in REASONS}
    spread = uses[ERR_REASON_CONSTRAINTS_NOT_MATCH] or uses[ERR_REASON_NODE_LABEL_NOT_MATCH]

    def allocatable(res: str, units: int) -> str:
        return _quantity(res, units)

    nodes: list[dict] = []
    node_pods: list[list[tuple[dict, int]]] = []
    for name, plan in zip(names, plans):
        reason = next(iter(plan.reasons)) if plan.kind is not FIT and plan.reasons else ""
        early = plan.kind.plugin in EARLY_NODE_PLUGINS
        labels = {HOSTNAME: name}
        if uses[ERR_REASON_POD] and reason != ERR_REASON_POD and not early:
            labels[SELECTOR_KEY] = "true"
        if spread and reason != ERR_REASON_NODE_LABEL_NOT_MATCH and not early:
            labels[SPREAD_KEY] = f"d-{name}"
        if uses[ERR_REASON_AFFINITY_RULES_NOT_MATCH] and reason != ERR_REASON_AFFINITY_RULES_NOT_MATCH and not early:
            labels[AFFINITY_KEY] = "a"
        spec: dict[str, Any] = {}
        if reason == ERR_REASON_UNSCHEDULABLE:
            spec = {"unschedulable": True, "taints": [dict(UNSCHEDULABLE_TAINT)]}
        elif reason == ERR_REASON_NOT_MATCH:
            spec = {"taints": [dict(CONTROL_PLANE_TAINT)]}
        alloc = {res: allocatable(res, ALLOCATABLE_UNITS) for res in resources}
        pods: list[tuple[dict, int]] = []
        high = plan.outcome in (NO_VICTIMS, STILL)
        blocker_priority = HIGH_PRIORITY if high else LOW_PRIORITY
        tag = "high" if high else "low"
        if reason == ERR_REASON_NODE_PORTS:
            pods.append((_pod(f"{name}-ports-{tag}", name, blocker_priority, host_port=True), blocker_priority))
        elif reason == ERR_REASON_CONSTRAINTS_NOT_MATCH:
            pods.append((_pod(f"{name}-spread-{tag}", name, blocker_priority, dict([APP_LABEL])), blocker_priority))
        elif reason == ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH:
            pods.append((_pod(f"{name}-repelled-{tag}", name, blocker_priority, dict([BLOCKER_LABEL])), blocker_priority))
        elif reason == ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH:
            pods.append((_pod(f"{name}-repels-{tag}", name, blocker_priority, affinity=_repel_witness()),
                         blocker_priority))
        elif plan.kind is FIT:
            fit_res = {res for r in plan.reasons if (res := fit_resource(r))}
            if plan.outcome == NOT_HELPFUL:
                for res in fit_res:
                    alloc[res] = allocatable(res, UNRESOLVABLE_UNITS)
            else:
                on_high = fit_res if plan.outcome == NO_VICTIMS else {res for r in plan.still if (res := fit_resource(r))}
                on_low = fit_res - on_high
                if on_high or plan.outcome == NO_VICTIMS:
                    req = {res: allocatable(res, ALLOCATABLE_UNITS) for res in sorted(on_high)}
                    pods.append((_pod(f"{name}-fill-high", name, HIGH_PRIORITY, requests=req), HIGH_PRIORITY))
                if plan.outcome in (STILL, CANDIDATE):
                    req = {res: allocatable(res, ALLOCATABLE_UNITS) for res in sorted(on_low)}
                    pods.append((_pod(f"{name}-fill-low", name, LOW_PRIORITY, requests=req), LOW_PRIORITY))
        if plan.kind is not FIT and plan.outcome == STILL:
            pods.append((_pod(f"{name}-victim-low", name, LOW_PRIORITY), LOW_PRIORITY))
        nodes.append({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
                      "spec": spec, "status": {"capacity": alloc, "allocatable": dict(alloc)}})
        node_pods.append(pods)

    if uses[ERR_REASON_AFFINITY_RULES_NOT_MATCH]:
        # One pod the incoming pod has affinity to, in the (single) affinity domain, if any node carries it.
        for i, node in enumerate(nodes):
            if AFFINITY_KEY in node["metadata"]["labels"]:
                node_pods[i].append((_pod(f"{names[i]}-target", names[i], HIGH_PRIORITY, dict([TARGET_LABEL])),
                                     HIGH_PRIORITY))
                break
    nominated = ""
    if parsed.post_filter == MSG_NOT_ELIGIBLE_TERMINATING:
        resolvable = [i for i, p in enumerate(plans) if p.outcome != NOT_HELPFUL]
        if not resolvable:
            raise WitnessError("'not eligible due to a terminating pod on the nominated node' needs a nominated node "
                               "that is not UnschedulableAndUnresolvable")
        i = resolvable[0]
        nominated = names[i]
        victim = _pod(f"{nominated}-terminating-low", nominated, LOW_PRIORITY)
        victim["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
        victim["status"]["conditions"] = [{"type": "DisruptionTarget", "status": "True",
                                           "reason": "PreemptionByScheduler"}]
        node_pods[i].append((victim, LOW_PRIORITY))

    for node, plan, pods in zip(nodes, plans, node_pods):
        total = len(pods)
        pods_allocatable = ROOMY_PODS
        if TOO_MANY_PODS in plan.reasons:
            highs = sum(1 for _, prio in pods if prio >= PRIORITY)
            pods_allocatable = highs if TOO_MANY_PODS in plan.still else total
        for key in ("capacity", "allocatable"):
            node["status"][key]["pods"] = str(pods_allocatable)

    pod = _incoming_pod(parsed, plans, names, resources, uses, spread, nominated)
    return Witness(nodes, [p for pods in node_pods for p, _ in pods], pod, plans)


def _incoming_pod(parsed: ParsedMessage, plans: Sequence[NodePlan], names: Sequence[str], resources: Sequence[str],
                  uses: Mapping[str, bool], spread: bool, nominated: str) -> dict:
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
    filter_order = [pl.name for pl in sched.framework.filter_plugins]
    witness = build_witness(parsed, filter_order)
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
