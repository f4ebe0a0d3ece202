"""``Framework``: runs a profile's plugins at each extension point (upstream pkg/scheduler/framework/runtime/framework.go).

It is also the ``Handle`` handed to the plugins. Plugin instances are built once from a registry
(name -> factory(args, handle)); ``snapshot`` and ``nominated_pods`` are set by the scheduler at each cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from .features import UnknownFeatureGateError, feature_gates
from .interface import NodeToStatus, Pod, PostFilterResult, PreFilterResult
from .profile import Profile
from .snapshot import Snapshot
from .status import MAX_NODE_SCORE, MIN_NODE_SCORE, Code, CycleState, Status, as_status_error
from .types import NodeInfo, PodInfo

PluginFactory = Callable[[Mapping[str, Any] | None, "Framework"], Any]


class ConfigError(ValueError):
    """Invalid plugin args: ``errors`` are (type, field, message) triples as upstream field.ErrorList."""

    def __init__(self, plugin: str, errors: Sequence[tuple[str, str, str]]):
        self.plugin = plugin
        self.errors = tuple(errors)
        super().__init__("; ".join(msg for _, _, msg in errors) or f"invalid args for {plugin}")


class Framework:
    """One profile's plugins, instantiated, plus the extension-point runners."""

    def __init__(
        self,
        profile: Profile,
        registry: Mapping[str, PluginFactory],
        snapshot: Snapshot | None = None,
        parallelism: int = 16,
    ) -> None:
        self.profile = profile
        try:
            self._features = feature_gates(profile.feature_gates)
        except UnknownFeatureGateError as err:
            raise ConfigError("featureGates", [("FieldValueNotSupported", "featureGates", str(err))]) from None
        self.snapshot = snapshot if snapshot is not None else Snapshot(features=self._features)
        self._parallelism = parallelism
        # nominated pods by node name (PodNominator): pods with status.nominatedNodeName and no spec.nodeName.
        self.nominated_pods: dict[str, list[PodInfo]] = {}
        # kind -> objects the informers hold (Services, ReplicaSets, Namespaces, PodDisruptionBudgets...)
        self.object_lister: Callable[[str], Sequence[Mapping[str, Any]]] | None = None
        self.plugins: list[Any] = []
        for spec in profile.plugins:
            factory = registry.get(spec.name)
            if factory is None:
                raise KeyError(f"plugin {spec.name!r} is not registered")
            self.plugins.append(factory(spec.args, self))
        self.weights: dict[str, int] = profile.weights()

        def has(method: str) -> list[Any]:
            return [p for p in self.plugins if callable(getattr(p, method, None))]

        self.queue_sort_plugins = has("less")
        self.pre_filter_plugins = has("pre_filter")
        self.filter_plugins = has("filter")
        self.post_filter_plugins = has("post_filter")
        self.pre_score_plugins = has("pre_score")
        self.score_plugins = has("score")
        self.bind_plugins = has("bind")
        # Interned pod signatures (see signature.py), so memo checks compare by identity.
        self._signatures: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    # -- Handle -------------------------------------------------------------------------------------------------
    @property
    def features(self) -> Mapping[str, bool]:
        return self._features

    @property
    def parallelism(self) -> int:
        return self._parallelism

    def list_objects(self, kind: str) -> list[Mapping[str, Any]]:
        """Objects of ``kind`` from the scheduler's informers (the listers upstream plugins get from the handle:
        Services, ReplicationControllers, ReplicaSets, StatefulSets, Namespaces, PodDisruptionBudgets)."""
        if self.object_lister is None:
            return []
        return list(self.object_lister(kind))

    def plugin(self, name: str) -> Any:
        return next((p for p in self.plugins if p.name == name), None)

    def percentage_of_nodes_to_score(self) -> int | None:
        return self.profile.percentage_of_nodes_to_score

    def has_filter_plugins(self) -> bool:
        return bool(self.filter_plugins)

    def has_score_plugins(self) -> bool:
        return bool(self.score_plugins)

    def has_post_filter_plugins(self) -> bool:
        return bool(self.post_filter_plugins)

    # -- PreFilter ----------------------------------------------------------------------------------------------
    def run_pre_filter_plugins(
        self, state: CycleState, pod: Pod
    ) -> tuple[PreFilterResult | None, Status, list[str]]:
        """RunPreFilterPlugins: Skip marks the plugin's Filter as skipped; UU stops at once; Unschedulable keeps
        running the other PreFilters (issue 119770); an empty merged PreFilterResult is UU."""
        result: PreFilterResult | None = None
        plugins_with_nodes: list[str] = []
        return_status = Status()
        skip: set[str] = set()
        nodes = self.snapshot.node_infos
        for pl in self.pre_filter_plugins:
            r, s = pl.pre_filter(state, pod, nodes)
            if s.is_skip():
                skip.add(pl.name)
                continue
            if not s.is_success():
                s = s.with_plugin(pl.name)
                if s.code == Code.UnschedulableAndUnresolvable:
                    return None, s, plugins_with_nodes
                if s.code == Code.Unschedulable:
                    return_status = s
                    continue
                err = f'running PreFilter plugin "{pl.name}": {s.error or s.message()}'
                return None, as_status_error(err).with_plugin(pl.name), plugins_with_nodes
            if r is not None and not r.all_nodes():
                plugins_with_nodes.append(pl.name)
            result = r if result is None else result.merge(r)
            if result is not None and not result.all_nodes() and not result.node_names:
                if len(plugins_with_nodes) == 1:
                    msg = f"node(s) didn't satisfy plugin {plugins_with_nodes[0]}"
                else:
                    msg = f"node(s) didn't satisfy plugin(s) [{' '.join(plugins_with_nodes)}] simultaneously"
                return result, Status(Code.UnschedulableAndUnresolvable, (msg,)), plugins_with_nodes
        state.skip_filter_plugins = skip
        return result, return_status, plugins_with_nodes

    def run_prefilter_extension_add_pod(
        self, state: CycleState, pod: Pod, pod_info_to_add: PodInfo, node_info: NodeInfo
    ) -> Status:
        for pl in self.pre_filter_plugins:
            if pl.name in state.skip_filter_plugins or not callable(getattr(pl, "add_pod", None)):
                continue
            s = pl.add_pod(state, pod, pod_info_to_add, node_info)
            if not s.is_success():
                return as_status_error(f'running AddPod on PreFilter plugin "{pl.name}": {s.message()}')
        return Status()

    def run_prefilter_extension_remove_pod(
        self, state: CycleState, pod: Pod, pod_info_to_remove: PodInfo, node_info: NodeInfo
    ) -> Status:
        for pl in self.pre_filter_plugins:
            if pl.name in state.skip_filter_plugins or not callable(getattr(pl, "remove_pod", None)):
                continue
            s = pl.remove_pod(state, pod, pod_info_to_remove, node_info)
            if not s.is_success():
                return as_status_error(f'running RemovePod on PreFilter plugin "{pl.name}": {s.message()}')
        return Status()

    # -- Filter -------------------------------------------------------------------------------------------------
    def run_filter_plugins(self, state: CycleState, pod: Pod, node_info: NodeInfo) -> Status:
        """RunFilterPlugins: the first rejecting plugin decides; a non-rejection failure becomes Error."""
        skip = state.skip_filter_plugins
        for pl in self.filter_plugins:
            if pl.name in skip:
                continue
            s: Status = pl.filter(state, pod, node_info)
            if s.code != Code.Success:
                if not s.is_rejected():
                    return as_status_error(f'running "{pl.name}" filter plugin: {s.error or s.message()}').with_plugin(
                        pl.name
                    )
                return s.with_plugin(pl.name)
        return Status()

    def filter_signature(self, state: CycleState, pod: Pod) -> tuple[Any, ...] | None:
        """Signature of the pod for the Filter plugins that run this cycle; None if one of them cannot sign."""
        sig = []
        for pl in self.filter_plugins:
            if pl.name in state.skip_filter_plugins:
                continue
            signer = getattr(pl, "sign_pod", None)
            s = signer(pod) if signer is not None else None
            if s is None:
                return None
            sig.append((pl.name, s))
        return self.intern_signature(("filter", *sig))

    def intern_signature(self, sig: tuple[Any, ...]) -> tuple[Any, ...]:
        """The canonical object for ``sig`` (a bounded table: cleared when it grows past 4096 entries)."""
        found = self._signatures.get(sig)
        if found is None:
            if len(self._signatures) > 4096:
                self._signatures.clear()
            self._signatures[sig] = sig
            found = sig
        return found

    def run_filter_plugins_with_nominated_pods(self, state: CycleState, pod: Pod, node_info: NodeInfo) -> Status:
        """RunFilterPluginsWithNominatedPods: first with higher-or-equal priority nominated pods added, then (if that
        passed and pods were added) without them."""
        nominated = self.nominated_pods.get(node_info.name)
        if not nominated:
            return self.run_filter_plugins(state, pod, node_info)
        spec, meta = pod.get("spec"), pod.get("metadata")
        spec = spec if isinstance(spec, Mapping) else {}
        meta = meta if isinstance(meta, Mapping) else {}
        pod_priority = int(spec.get("priority") or 0)
        key = f"{meta.get('namespace') or 'default'}/{meta.get('name')}"
        added = [p for p in nominated if p.key != key and p.priority >= pod_priority]
        if not added:
            return self.run_filter_plugins(state, pod, node_info)
        state_with = state.clone()
        info_with = node_info.clone()
        for pi in added:
            info_with.add_pod(pi)
            s = self.run_prefilter_extension_add_pod(state_with, pod, pi, info_with)
            if not s.is_success():
                return s
        status = self.run_filter_plugins(state_with, pod, info_with)
        if not status.is_success():
            return status
        return self.run_filter_plugins(state, pod, node_info)

    # -- PostFilter ---------------------------------------------------------------------------------------------
    def run_post_filter_plugins(
        self, state: CycleState, pod: Pod, filtered: NodeToStatus
    ) -> tuple[PostFilterResult | None, Status]:
        result: PostFilterResult | None = None
        reasons: list[str] = []
        rejector = ""
        for pl in self.post_filter_plugins:
            r, s = pl.post_filter(state, pod, filtered)
            if s.is_success():
                return r, s
            if s.code == Code.UnschedulableAndUnresolvable:
                return r, s.with_plugin(pl.name)
            if not s.is_rejected():
                return None, as_status_error(s.error or s.message()).with_plugin(pl.name)
            if r is not None:
                result = r
            reasons.extend(s.reasons)
            rejector = rejector or pl.name
        return result, Status(Code.Unschedulable, tuple(reasons), rejector)

    # -- Score --------------------------------------------------------------------------------------------------
    def run_pre_score_plugins(self, state: CycleState, pod: Pod, nodes: Sequence[NodeInfo]) -> Status:
        skip: set[str] = set()
        for pl in self.pre_score_plugins:
            s = pl.pre_score(state, pod, nodes)
            if s.is_skip():
                skip.add(pl.name)
                continue
            if not s.is_success():
                return as_status_error(f'running PreScore plugin "{pl.name}": {s.error or s.message()}').with_plugin(
                    pl.name
                )
        state.skip_score_plugins = skip
        return Status()

    def score_vectors(
        self, state: CycleState, pod: Pod, nodes: Sequence[NodeInfo]
    ) -> tuple[dict[str, list[int]], Status]:
        """``RunScorePlugins``: scores after NormalizeScore (weights not applied) as plugin -> list aligned with
        ``nodes``.

        Plugins that can sign the pod (signature.py) are scored through a per-node memo of their raw scores; others
        may offer ``score_nodes(state, pod, nodes) -> (list[int], Status)``, a batch path with the same results as
        calling ``score`` per node. NormalizeScore always runs over the whole list.
        """
        out: dict[str, list[int]] = {}
        active = [pl for pl in self.score_plugins if pl.name not in state.skip_score_plugins]
        signed: list[Any] = []
        sig: list[tuple[str, Any]] = []
        for pl in active:
            signer = getattr(pl, "sign_pod", None)
            s = signer(pod) if signer is not None else None
            if s is not None:
                signed.append(pl)
                sig.append((pl.name, s))
        raw: dict[str, list[int]] = {}
        if signed:
            key = self.intern_signature(("score", *sig))
            rows: list[Any] = [ni.score_values if ni.score_sig is key else None for ni in nodes]
            for i, ni in enumerate(nodes):
                if rows[i] is not None:
                    continue
                vals = []
                for pl in signed:
                    v, s = pl.score(state, pod, ni)
                    if not s.is_success():
                        return {}, as_status_error(s.error or s.message()).with_plugin(pl.name)
                    vals.append(v)
                row = tuple(vals)
                ni.score_sig = key
                ni.score_values = row
                rows[i] = row
            columns = list(zip(*rows)) if rows else [() for _ in signed]
            for pl, col in zip(signed, columns):
                raw[pl.name] = list(col)
        for pl in active:
            values = raw.get(pl.name)
            if values is None:
                batch = getattr(pl, "score_nodes", None)
                if batch is not None:
                    values, s = batch(state, pod, nodes)
                    if not s.is_success():
                        return {}, as_status_error(s.error or s.message()).with_plugin(pl.name)
                else:
                    values = []
                    for ni in nodes:
                        v, s = pl.score(state, pod, ni)
                        if not s.is_success():
                            return {}, as_status_error(s.error or s.message()).with_plugin(pl.name)
                        values.append(v)
            fast_normalize = getattr(pl, "normalize_score_values", None)
            normalize = getattr(pl, "normalize_score", None)
            if fast_normalize is not None:
                values, s = fast_normalize(state, pod, list(values))
                if not s.is_success():
                    return {}, as_status_error(s.error or s.message()).with_plugin(pl.name)
            elif normalize is not None:
                pairs = [[ni.name, v] for ni, v in zip(nodes, values)]
                s = normalize(state, pod, pairs)
                if not s.is_success():
                    return {}, as_status_error(s.error or s.message()).with_plugin(pl.name)
                values = [v for _, v in pairs]
            if values and (max(values) > MAX_NODE_SCORE or min(values) < MIN_NODE_SCORE):
                bad = next(v for v in values if v > MAX_NODE_SCORE or v < MIN_NODE_SCORE)
                err = (
                    f'plugin "{pl.name}" returns an invalid score {bad}, it should in the range of '
                    f"[{MIN_NODE_SCORE}, {MAX_NODE_SCORE}] after normalizing"
                )
                return {}, as_status_error(err).with_plugin(pl.name)
            out[pl.name] = list(values)
        return out, Status()

    def weights_view(self) -> Mapping[str, int]:
        """Score plugin -> weight (read-only, built once)."""
        view = getattr(self, "_weights_view", None)
        if view is None:
            view = MappingProxyType({p.name: self.weights[p.name] for p in self.score_plugins})
            self._weights_view = view
        return view
