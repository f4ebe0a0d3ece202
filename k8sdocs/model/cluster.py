"""The cluster: every component wired to one API server, running a scenario on one clock.

``Cluster(manifests, seed)`` builds one :class:`Clock`, one :class:`Trace` and one
:class:`APIServer` (with its etcd-like store), then starts the components in the order a real
cluster comes up:

1. kube-apiserver + etcd (system namespaces and PriorityClasses exist from the start);
2. kube-controller-manager (deployment, replicaset, node-lifecycle, endpointslice controllers);
3. kube-scheduler;
4. cloud-controller-manager (node and service controllers) with a :class:`FakeCloud`;
5. per Node manifest, in name order: the container runtime, the kubelet (which registers the
   Node and starts its Lease heartbeats) and kube-proxy.

The remaining manifests are then applied as ``kubectl apply`` would (actor ``kubectl``, document
order, at ``t = 0``, through ``scenario.apply_objects``), and the scenario's timed steps are scheduled
on the clock. ``run()`` runs the clock until the scenario's ``until`` and returns a
:class:`ClusterRun`. Same inputs → byte-identical trace (``Trace.to_text``).

Steps: ``apply``/``delete``/``scale`` go through ``scenario.run_step`` with the ``kubectl`` client, except
that a Node in an ``apply`` step is a machine joining the cluster (runtime + kubelet + kube-proxy start)
or, if it already joined, an update of its labels and of the spec fields the manifest names.
``fail-node`` stops the node's kubelet and kube-proxy (the machine is unreachable); ``recover-node``
starts them again. Any failure is a ``ScenarioError`` naming the file and the step.

Node manifests describe machines, not API requests: the kubelet of each node registers it. When a
Node has no ``spec.podCIDR`` the cluster gives it ``10.244.<i>.0/24`` (i = position in name order),
as kube-controller-manager's node IPAM range allocator does with ``--cluster-cidr=10.244.0.0/16``
(simplification: assigned at registration instead of by a later update); when it has no
``InternalIP`` address it gets ``192.168.0.<10+i+1>``.

This module is pure: it does not cache runs (callers cache by path and mtime).
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import BudgetExceeded, Clock
from k8sdocs.model.cloud import CloudControllerManager, FakeCloud
from k8sdocs.model.controllers.manager import KubeControllerManager
from k8sdocs.model.kube_proxy.component import KubeProxy
from k8sdocs.model.kube_proxy.iptables import ProxierConfig
from k8sdocs.model.kubelet import Kubelet
from k8sdocs.model.limits import MAX_CALLBACKS
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.runtime import ContainerRuntime
from k8sdocs.model.scenario import Scenario, ScenarioError, Step, apply_objects, load_scenario, run_step
from k8sdocs.model.scheduler.component import KubeScheduler
from k8sdocs.model.scheduler.default_plugins import default_profile
from k8sdocs.model.scheduler.schedule_one import Scheduler
from k8sdocs.model.store import WatchEvent
from k8sdocs.model.trace import Trace, TraceEvent

#: kube-controller-manager ``--cluster-cidr`` used for node podCIDRs and kube-proxy's local detector.
CLUSTER_CIDR = "10.244.0.0/16"
NODE_CIDR_MASK_SIZE = 24  # --node-cidr-mask-size default for IPv4
NODE_NETWORK = "192.168.0.0/24"
#: How long a scenario without steps nor ``until`` runs.
SETTLE_MS = 30_000
#: Kinds listed into ``ClusterRun.objects`` (as ``kubectl get`` would).
LISTED_KINDS = ("Namespace", "Node", "Lease", "PriorityClass", "ServiceAccount", "ConfigMap", "Deployment", "ReplicaSet", "Pod", "Service",
                "EndpointSlice", "Event")


@dataclass(frozen=True)
class EtcdKey:
    key: str
    create_revision: int
    mod_revision: int
    version: int


@dataclass(frozen=True)
class ClusterRun:
    """What a page needs from one scenario run."""

    name: str
    seed: int
    end_ms: int
    events: tuple[TraceEvent, ...]
    trace_text: str
    objects: dict[str, tuple[dict[str, Any], ...]]
    etcd: tuple[EtcdKey, ...]
    schedule_results: tuple[Any, ...]
    iptables: dict[str, str]
    #: the scenario this run ran: its manifests and steps, each step with the manifest files it applied
    #: (``Step.files``, ``Scenario.files()``); a ``Cluster`` built from objects has one without files
    scenario: Scenario
    cloud_load_balancers: dict[str, str] = field(default_factory=dict)
    #: every store write in revision order (``Store.history()``: PUT/DELETE with the key's value)
    history: tuple[WatchEvent, ...] = ()

    def objects_of(self, kind: str) -> tuple[dict[str, Any], ...]:
        return self.objects.get(kind, ())

    def get(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        for obj in self.objects_of(kind):
            meta = obj.get("metadata", {})
            if meta.get("name") == name and (namespace is None or meta.get("namespace") == namespace):
                return obj
        return None

    def etcd_keys(self, prefix: str = "/registry/") -> list[str]:
        return [k.key for k in self.etcd if k.key.startswith(prefix)]


class Cluster:
    """``Cluster(manifests, seed)`` or ``Cluster.from_scenario(path)``; then :meth:`run`."""

    def __init__(self, manifests: Iterable[dict[str, Any]], seed: int = 0, steps: Iterable[Step] = (),
                 name: str = "", source: str = "", until_ms: int | None = None,
                 budget: int | None = MAX_CALLBACKS, feature_gates: Iterable[tuple[str, bool]] = (),
                 scenario: Scenario | None = None) -> None:
        self.name = name
        self.feature_gates = dict(feature_gates)
        self.seed = seed
        self.source = source or name or "<cluster>"
        self.manifests = [clone(m) for m in manifests]
        self.steps = sorted(steps, key=lambda s: (s.at_ms, s.index))
        self.until_ms = until_ms
        self.scenario = scenario if scenario is not None else Scenario(
            name, seed, self.source, tuple(clone(self.manifests)), tuple(self.steps), until_ms or 0,
            feature_gates=tuple(self.feature_gates.items()))
        self.clock = Clock(budget=budget)
        self.trace = Trace(self.clock)
        self.api = APIServer(self.clock, self.trace, seed=seed)
        self.kubectl = self.api.client("kubectl")
        self.controller_manager: KubeControllerManager | None = None
        self.scheduler: KubeScheduler | None = None
        self.cloud = FakeCloud(self.clock, self.trace)
        self.ccm = CloudControllerManager(self.api.client, self.clock, self.trace, self.cloud)
        self.kubelets: dict[str, Kubelet] = {}
        self.runtimes: dict[str, ContainerRuntime] = {}
        self.proxies: dict[str, KubeProxy] = {}
        self._node_index = 0
        self._started = False

    @classmethod
    def from_scenario(cls, path: str | Path) -> "Cluster":
        """Parse ``path`` with ``model/scenario.py`` (a bad file is a ``ScenarioError`` naming file and step)."""
        return cls.from_parsed(load_scenario(path))

    @classmethod
    def from_parsed(cls, scenario: Scenario) -> "Cluster":
        return cls(scenario.manifests, seed=scenario.seed, steps=scenario.steps, name=scenario.name,
                   source=scenario.source, until_ms=scenario.until_ms, feature_gates=scenario.feature_gates,
                   scenario=scenario)

    # ------------------------------------------------------------------------------------------
    def _prepare_node(self, node: dict[str, Any]) -> dict[str, Any]:
        """podCIDR from the cluster CIDR and an InternalIP, in join order (see the module docstring)."""
        i = self._node_index
        self._node_index += 1
        node = clone(node)
        cluster_net = ipaddress.ip_network(CLUSTER_CIDR)
        cidr = str(ipaddress.ip_network((int(cluster_net.network_address) + (i << (32 - NODE_CIDR_MASK_SIZE)),
                                         NODE_CIDR_MASK_SIZE)))
        spec = node.setdefault("spec", {})
        if not spec.get("podCIDR"):
            spec["podCIDR"] = cidr
            spec["podCIDRs"] = [cidr]
        status = node.setdefault("status", {})
        addresses = status.setdefault("addresses", [])
        if not any(a.get("type") == "InternalIP" for a in addresses):
            node_net = ipaddress.ip_network(NODE_NETWORK)
            addresses.insert(0, {"type": "InternalIP", "address": str(node_net.network_address + 10 + i + 1)})
        return node

    def join_node(self, manifest: dict[str, Any]) -> Kubelet:
        """A machine joins: its container runtime, kubelet (which registers the Node) and kube-proxy start."""
        node = self._prepare_node(manifest)
        name = node["metadata"]["name"]
        if name in self.kubelets:
            raise ScenarioError(self.source, "manifests", f'node "{name}" already joined the cluster')
        self.cloud.add_instance(name)
        rt = ContainerRuntime(name, self.clock, self.trace, pod_cidr=node["spec"]["podCIDR"],
                              images=(node.get("status") or {}).get("images", []) or [])
        kubelet = Kubelet(name, self.api.client(f"kubelet/{name}"), self.clock, self.trace, rt, node)
        self.runtimes[name] = rt
        self.kubelets[name] = kubelet
        kubelet.start()
        ip = next(a["address"] for a in node["status"]["addresses"] if a.get("type") == "InternalIP")
        proxy = KubeProxy(name, self.api.client(f"kube-proxy/{name}"), self.clock, self.trace,
                          ProxierConfig(node_name=name, cluster_cidr=CLUSTER_CIDR, node_ip=ip))
        self.proxies[name] = proxy
        proxy.start()
        return kubelet

    def start(self) -> None:
        """Start every component in a realistic order (see the module docstring)."""
        if self._started:
            return
        self._started = True
        self.controller_manager = KubeControllerManager(self.api.client, self.clock, self.trace, self.seed)
        self.controller_manager.start()
        algorithm = (Scheduler(seed=self.seed, profile=default_profile(feature_gates=self.feature_gates))
                     if self.feature_gates else Scheduler(seed=self.seed))
        self.scheduler = KubeScheduler(self.api.client("kube-scheduler"), self.clock, self.trace, algorithm)
        self.scheduler.start()
        self.ccm.start()
        for node in sorted((m for m in self.manifests if m.get("kind") == "Node"), key=lambda m: m["metadata"]["name"]):
            self.join_node(node)
        others = [m for m in self.manifests if m.get("kind") != "Node"]
        if others:
            try:
                apply_objects(self.kubectl, others)
            except Exception as err:
                raise ScenarioError(self.source, "manifests", str(err)) from err
        for step in self.steps:
            self.clock.call_at(step.at_ms, functools.partial(self._execute, step), f"{step.label}")

    def _execute(self, step: Step) -> None:
        """Run one scenario step now; any failure is a ScenarioError naming the file and the step."""
        try:
            if step.action == "apply":
                for obj in step.objects:
                    if obj.get("kind") == "Node":
                        if obj["metadata"]["name"] in self.kubelets:
                            self._apply_node(obj)
                        else:
                            self.join_node(obj)  # a new machine joins (its kubelet registers it)
                others = [o for o in step.objects if o.get("kind") != "Node"]
                if others:
                    apply_objects(self.kubectl, others)
            else:
                run_step(step, self.kubectl, fail_node=self.fail_node, recover_node=self.recover_node)
        except ScenarioError as err:
            if err.step is not None:
                raise
            raise ScenarioError(self.source, f"step {step.index}", err.cause, step.index) from err
        except Exception as err:
            raise ScenarioError(self.source, f"step {step.index}", f"{step.action}: {err}", step.index) from err

    def _apply_node(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """``kubectl apply`` of an existing Node: labels/annotations merged, the spec fields it names replaced
        (e.g. ``taints``, ``unschedulable``); fields it does not name (podCIDR, providerID) are kept, as a
        three-way merge would."""
        current = self.kubectl.get("Node", manifest["metadata"]["name"])
        new = clone(current)
        for part in ("labels", "annotations"):
            if manifest["metadata"].get(part):
                new["metadata"].setdefault(part, {}).update(manifest["metadata"][part])
        for key, value in (manifest.get("spec") or {}).items():
            new.setdefault("spec", {})[key] = clone(value)
        return self.kubectl.update(new)

    def fail_node(self, node: str) -> None:
        """The machine stops answering: its kubelet (heartbeats, status, pods) and its kube-proxy stop."""
        self._kubelet(node).fail()
        proxy = self.proxies.get(node)
        if proxy is not None:
            proxy.stop()

    def recover_node(self, node: str) -> None:
        self._kubelet(node).recover()
        proxy = self.proxies.get(node)
        if proxy is not None:
            proxy.start()

    def _kubelet(self, node: str) -> Kubelet:
        if node not in self.kubelets:
            raise LookupError(f'node "{node}" not found; nodes: {", ".join(sorted(self.kubelets)) or "none"}')
        return self.kubelets[node]

    # ------------------------------------------------------------------------------------------
    def default_until_ms(self) -> int:
        """The scenario's ``until`` (which defaults to its last step); a scenario with neither runs SETTLE_MS."""
        if self.until_ms:
            return self.until_ms
        last = max((s.at_ms for s in self.steps), default=0)
        return last or SETTLE_MS

    def run(self, until_ms: int | None = None) -> ClusterRun:
        """Start, run the clock to ``until``, snapshot. Any failure is a ``ScenarioError`` naming the file: the
        work budget (``limits.MAX_CALLBACKS``), or a model failure with the simulated time and the callback."""
        try:
            self.start()
            self.clock.run_until(until_ms if until_ms is not None else self.default_until_ms())
        except ScenarioError:
            raise
        except BudgetExceeded as err:
            raise ScenarioError(self.source, "until", f"{err} (model limit: {err.budget} callbacks per scenario, "
                                "see the Contribuir page)") from err
        except Exception as err:  # a model failure on this input: name the file, the time and the component
            what = " ".join(f"{type(err).__name__}: {err}".split())[:300]
            raise ScenarioError(self.source, f"at {self.clock.now_ms} ms ({self.clock.current_label or 'start'})",
                                f"the model cannot run this input ({what})") from err
        return self.snapshot()

    def snapshot(self) -> ClusterRun:
        events = tuple(self.trace.events)
        text = self.trace.to_text()
        end = self.clock.now_ms
        # the final objects, as `kubectl get` lists them (these reads are not part of the returned trace)
        reader = self.api.client("kubectl")
        # every kind the store holds (a ConfigMap a contributor adds must be listed too: the etcd page
        # checks each key's resourceVersion against the listed object)
        kinds = LISTED_KINDS + tuple(k for k in sorted(RESOURCES) if k not in LISTED_KINDS)
        objects = {kind: tuple(reader.list(kind)) for kind in kinds}
        etcd = tuple(EtcdKey(kv.key, kv.create_revision, kv.mod_revision, kv.version)
                     for kv in self.api.store.range("/registry/"))
        results = tuple(self.scheduler.results) if self.scheduler is not None else ()
        iptables = {name: proxy.rules() for name, proxy in sorted(self.proxies.items())}
        return ClusterRun(name=self.name, seed=self.seed, end_ms=end, events=events, trace_text=text,
                          objects=objects, etcd=etcd, schedule_results=results, iptables=iptables,
                          cloud_load_balancers=self.cloud.load_balancers(),
                          history=tuple(self.api.store.history()), scenario=self.scenario)
