"""Leader election through a ``coordination.k8s.io/v1`` Lease, as client-go ``tools/leaderelection``.

kube-scheduler and kube-controller-manager run one active instance per cluster: every instance runs a
``LeaderElector`` on the same Lease (``kube-system/kube-scheduler``); the one that holds it works, the others
keep retrying. Upstream:

* ``staging/src/k8s.io/client-go/tools/leaderelection/leaderelection.go``:

  - ``acquire``: ``tryAcquireOrRenew`` every ``RetryPeriod`` until it succeeds (``wait.JitterUntil`` with
    ``JitterFactor`` 1.2: the real wait is between 1× and 2.2× ``RetryPeriod``; **the model does not jitter**);
  - ``renew``: the leader calls ``tryAcquireOrRenew`` every ``RetryPeriod``; if it cannot renew for
    ``RenewDeadline`` it stops leading (kube-scheduler then exits);
  - ``tryAcquireOrRenew``: GET the Lease (CREATE it when absent); when the record differs from the one observed
    last, remember it with ``observedTime = now``; a record held by someone else is valid while
    ``observedTime + leaseDurationSeconds > now`` (``isLeaseValid``): the expiry is measured on the candidate's
    own clock from when it *saw* the last change, not from ``renewTime``; otherwise UPDATE the record with
    ``holderIdentity = me``, ``acquireTime = renewTime = now`` and ``leaseTransitions + 1`` (the leader keeps
    ``acquireTime`` and ``leaseTransitions`` when it renews). The leader's fast path updates its observed copy
    without a GET.
* ``staging/src/k8s.io/client-go/tools/leaderelection/resourcelock/leaselock.go``: the record lives in the Lease
  ``spec`` (``holderIdentity``, ``leaseDurationSeconds``, ``acquireTime``, ``renewTime``, ``leaseTransitions``).
* Defaults for kube-scheduler and kube-controller-manager: ``RecommendedDefaultLeaderElectionConfiguration`` in
  ``staging/src/k8s.io/component-base/config/v1alpha1/defaults.go`` (lease 15 s, renew deadline 10 s, retry 2 s);
  ``pkg/scheduler/apis/config/v1/defaults.go`` sets the lock to ``leases`` in ``kube-system`` named
  ``kube-scheduler``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import Trace

#: component-base/config/v1alpha1/defaults.go RecommendedDefaultLeaderElectionConfiguration.
LEASE_DURATION_MS = 15_000
RENEW_DEADLINE_MS = 10_000
RETRY_PERIOD_MS = 2_000
#: client-go leaderelection.go JitterFactor (acquire waits RetryPeriod × [1, 1 + JitterFactor)); not modelled.
JITTER_FACTOR = 1.2
#: pkg/scheduler/apis/config/v1/defaults.go: ResourceNamespace / ResourceName of the scheduler's lock.
LEASE_NAMESPACE = "kube-system"
SCHEDULER_LEASE_NAME = "kube-scheduler"


@dataclass(frozen=True)
class LeaderElectionConfig:
    """``leaderelection.LeaderElectionConfig`` durations (milliseconds) and the lock's name."""

    lease_duration_ms: int = LEASE_DURATION_MS
    renew_deadline_ms: int = RENEW_DEADLINE_MS
    retry_period_ms: int = RETRY_PERIOD_MS
    namespace: str = LEASE_NAMESPACE
    name: str = SCHEDULER_LEASE_NAME

    def __post_init__(self) -> None:
        # NewLeaderElector's checks (leaderelection.go).
        if self.lease_duration_ms <= self.renew_deadline_ms:
            raise ValueError("leaseDuration must be greater than renewDeadline")
        if self.renew_deadline_ms <= JITTER_FACTOR * self.retry_period_ms:
            raise ValueError("renewDeadline must be greater than retryPeriod*JitterFactor")
        if self.lease_duration_ms < 1000 or self.retry_period_ms < 1:
            raise ValueError("leaseDuration must be at least 1 s and retryPeriod positive")


@dataclass(frozen=True)
class LeaseStep:
    """One ``tryAcquireOrRenew`` (or a crash) of one candidate, with the Lease as it left it."""

    time_ms: int
    identity: str
    action: str  # "create" | "renew" | "held" | "acquire" | "crash"
    holder: str
    renew_time_ms: int
    acquire_time_ms: int
    lease_transitions: int
    observed_time_ms: int | None = None  # when this candidate last saw the record change ("held")


def _ms_of(clock: Clock, stamp: str) -> int:
    """Simulated milliseconds of a ``metav1.MicroTime`` text written by :meth:`Clock.micro_timestamp`."""
    t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return round((t - clock.epoch).total_seconds() * 1000)


@dataclass
class LeaderElector:
    """One candidate (one kube-scheduler process) competing for the Lease."""

    server: APIServer
    identity: str
    config: LeaderElectionConfig = field(default_factory=LeaderElectionConfig)
    component: str = "kube-scheduler"
    steps: list[LeaseStep] = field(default_factory=list)  # shared by the candidates of one run: time order
    leading: bool = False
    crashed: bool = False
    _observed_spec: dict[str, Any] | None = None
    _observed_time_ms: int | None = None
    _lease: dict[str, Any] | None = None  # the Lease as last read or written (the leader's fast path updates it)
    _timer: int | None = None
    _last_renew_ms: int = 0

    @property
    def actor(self) -> str:
        """Trace name of this process, as ``kubelet/<node>``: ``kube-scheduler/<identity>``."""
        return f"{self.component}/{self.identity}"

    @property
    def clock(self) -> Clock:
        return self.server.clock

    def run(self) -> None:
        """``LeaderElector.Run``: start the acquire loop now."""
        self._schedule(0, self._acquire_tick)

    def crash(self) -> None:
        """The process stops: no more renewals, nothing released (``ReleaseOnCancel`` needs a clean exit)."""
        self.crashed = True
        self.leading = False
        if self._timer is not None:
            self.clock.cancel(self._timer)
        lease = self._lease or {}
        spec = lease.get("spec") or {}
        self.steps.append(self._step("crash", spec))

    # -- loops ------------------------------------------------------------------------------------
    def _schedule(self, delay_ms: int, fn: Callable[[], None]) -> None:
        self._timer = self.clock.call_later(delay_ms, fn, f"leaderelection {self.identity}")

    def _acquire_tick(self) -> None:
        if self.crashed:
            return
        if self._try_acquire_or_renew():
            self.leading = True
            self._last_renew_ms = self.clock.now_ms
            self._schedule(self.config.retry_period_ms, self._renew_tick)
        else:
            self._schedule(self.config.retry_period_ms, self._acquire_tick)

    def _renew_tick(self) -> None:
        if self.crashed:
            return
        if self._try_acquire_or_renew():
            self._last_renew_ms = self.clock.now_ms
            self._schedule(self.config.retry_period_ms, self._renew_tick)
        elif self.clock.now_ms - self._last_renew_ms >= self.config.renew_deadline_ms:
            self.leading = False  # "failed to renew lease": OnStoppedLeading (kube-scheduler exits)
        else:
            self._schedule(self.config.retry_period_ms, self._renew_tick)

    # -- tryAcquireOrRenew --------------------------------------------------------------------------
    def _record(self, now_ms: int, old: dict[str, Any] | None) -> dict[str, Any]:
        spec = {
            "holderIdentity": self.identity,
            "leaseDurationSeconds": self.config.lease_duration_ms // 1000,
            "acquireTime": self.clock.micro_timestamp(now_ms),
            "renewTime": self.clock.micro_timestamp(now_ms),
            "leaseTransitions": 0,
        }
        if old is not None:
            if self.leading:
                spec["acquireTime"] = old.get("acquireTime", spec["acquireTime"])
                spec["leaseTransitions"] = int(old.get("leaseTransitions", 0))
            else:
                spec["leaseTransitions"] = int(old.get("leaseTransitions", 0)) + 1
        return spec

    def _lease_valid(self, now_ms: int) -> bool:
        assert self._observed_spec is not None and self._observed_time_ms is not None
        duration_ms = int(self._observed_spec.get("leaseDurationSeconds", 0)) * 1000
        return self._observed_time_ms + duration_ms > now_ms

    def _try_acquire_or_renew(self) -> bool:
        now = self.clock.now_ms
        client = self.server.client(self.actor)  # one client per call: the process may have crashed since
        # 1. fast path: the leader updates the copy it holds, without a GET.
        if self.leading and self._lease is not None and self._lease_valid(now):
            updated = clone(self._lease)
            updated["spec"] = self._record(now, self._lease["spec"])
            try:
                self._lease = client.update(updated)
            except APIError:
                pass  # fall through to the slow path
            else:
                self._observe(self._lease["spec"], now)
                self.steps.append(self._step("renew", self._lease["spec"]))
                return True
        # 2. GET (and CREATE when absent).
        try:
            lease = client.get("Lease", self.config.name, self.config.namespace)
        except APIError as err:
            if err.code != 404:
                return False
            new = {
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": self.config.name, "namespace": self.config.namespace},
                "spec": self._record(now, None),
            }
            try:
                self._lease = client.create(new)
            except APIError:
                return False
            self._observe(self._lease["spec"], now)
            self.steps.append(self._step("create", self._lease["spec"]))
            return True
        spec = lease.get("spec") or {}
        if spec != self._observed_spec:
            self._observe(spec, now)
        if spec.get("holderIdentity") and spec.get("holderIdentity") != self.identity and self._lease_valid(now):
            self._lease = lease
            self.steps.append(self._step("held", spec))
            return False
        # 3. update: take the Lease over, or renew it.
        updated = clone(lease)
        updated["spec"] = self._record(now, spec)
        try:
            self._lease = client.update(updated)
        except APIError:
            return False
        self._observe(self._lease["spec"], now)
        self.steps.append(self._step("renew" if self.leading else "acquire", self._lease["spec"]))
        return True

    def _observe(self, spec: dict[str, Any], now_ms: int) -> None:
        self._observed_spec = clone(spec)
        self._observed_time_ms = now_ms

    def _step(self, action: str, spec: dict[str, Any]) -> LeaseStep:
        return LeaseStep(
            time_ms=self.clock.now_ms,
            identity=self.identity,
            action=action,
            holder=str(spec.get("holderIdentity", "")),
            renew_time_ms=_ms_of(self.clock, spec["renewTime"]) if spec.get("renewTime") else -1,
            acquire_time_ms=_ms_of(self.clock, spec["acquireTime"]) if spec.get("acquireTime") else -1,
            lease_transitions=int(spec.get("leaseTransitions", 0)),
            observed_time_ms=self._observed_time_ms,
        )


@dataclass(frozen=True)
class FailoverRun:
    """Two kube-scheduler instances, the first one crashing while it leads."""

    config: LeaderElectionConfig
    first: str
    second: str
    second_start_ms: int
    crash_ms: int
    steps: tuple[LeaseStep, ...]  # both candidates' steps, in time order
    trace: Trace
    final_lease: dict[str, Any]

    def first_step(self, identity: str, action: str) -> LeaseStep:
        return next(s for s in self.steps if s.identity == identity and s.action == action)

    def last_step(self, identity: str, action: str) -> LeaseStep:
        return [s for s in self.steps if s.identity == identity and s.action == action][-1]


def run_failover(
    *,
    first: str = "control-plane-1",
    second: str = "control-plane-2",
    second_start_ms: int = 1_000,
    crash_ms: int = 21_000,
    after_ms: int = 4_000,
    config: LeaderElectionConfig | None = None,
) -> FailoverRun:
    """Run the two candidates: ``first`` starts at 0 and creates the Lease, ``second`` starts at ``second_start_ms``,
    ``first`` crashes at ``crash_ms``; the run stops ``after_ms`` after ``second`` takes over."""
    if not 0 <= second_start_ms < crash_ms:
        raise ValueError("the second instance must start before the first one crashes")
    config = config or LeaderElectionConfig()
    clock = Clock()
    trace = Trace(clock)
    server = APIServer(clock, trace)
    steps: list[LeaseStep] = []
    a = LeaderElector(server, first, config, steps=steps)
    b = LeaderElector(server, second, config, steps=steps)
    a.run()
    clock.call_at(second_start_ms, b.run, "start second")
    clock.call_at(crash_ms, a.crash, "crash first")
    # Bounded: the takeover happens at most lease + 2 retries after the crash.
    limit = crash_ms + config.lease_duration_ms + 2 * config.retry_period_ms + after_ms
    while not b.leading and (nxt := clock.next_time()) is not None and nxt <= limit:
        clock.run_until(nxt)
    if not b.leading:
        raise RuntimeError("the second instance never acquired the Lease")  # pragma: no cover - model bug
    clock.run_until(clock.now_ms + after_ms)
    shown = tuple(steps)
    kv = server.store.get(f"/registry/leases/{config.namespace}/{config.name}")
    if kv is None:
        raise RuntimeError("the Lease is gone after the failover")  # pragma: no cover - model bug
    final = server.decode(kv)
    return FailoverRun(config, first, second, second_start_ms, crash_ms, shown, trace, final)
