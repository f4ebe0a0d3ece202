"""Leader election through a Lease (client-go tools/leaderelection): the failover times follow from the constants."""

from __future__ import annotations

import pytest

from k8sdocs.model import leaderelection as le
from k8sdocs.model import observe as ob


def test_upstream_defaults():
    # staging/src/k8s.io/component-base/config/v1alpha1/defaults.go RecommendedDefaultLeaderElectionConfiguration
    assert (le.LEASE_DURATION_MS, le.RENEW_DEADLINE_MS, le.RETRY_PERIOD_MS) == (15_000, 10_000, 2_000)
    # pkg/scheduler/apis/config/v1/defaults.go: the scheduler's lock
    assert (le.LEASE_NAMESPACE, le.SCHEDULER_LEASE_NAME) == ("kube-system", "kube-scheduler")


@pytest.mark.parametrize("bad", [
    dict(lease_duration_ms=10_000, renew_deadline_ms=10_000),  # leaseDuration must be greater than renewDeadline
    dict(renew_deadline_ms=2_400, retry_period_ms=2_000),      # renewDeadline must be greater than retryPeriod*JitterFactor
])
def test_config_checks_of_new_leader_elector(bad):
    with pytest.raises(ValueError):
        le.LeaderElectionConfig(**bad)


def _expected_takeover(start_b: int, crash: int, cfg: le.LeaderElectionConfig) -> tuple[int, int, int]:
    """From the constants alone: A renews every retry from 0; B reads every retry from start_b (no jitter).

    B notes the time of the first read that shows A's last renewal; the Lease is valid until that time plus
    leaseDuration (isLeaseValid uses observedTime, not renewTime); B takes it at its first read at or after that.
    """
    r = cfg.retry_period_ms
    last_renew = ((crash - 1) // r) * r
    reads = [start_b + k * r for k in range(1000)]
    observed = next(t for t in reads if t > last_renew)
    takeover = next(t for t in reads if t >= observed + cfg.lease_duration_ms)
    return last_renew, observed, takeover


@pytest.mark.parametrize("start_b,crash", [(1_000, 21_000), (500, 9_000), (1_500, 30_100)])
def test_failover_times_follow_from_the_constants(start_b, crash):
    run = le.run_failover(second_start_ms=start_b, crash_ms=crash)
    last_renew, observed, takeover = _expected_takeover(start_b, crash, run.config)
    assert run.last_step(run.first, "renew").time_ms == last_renew
    held = [s for s in run.steps if s.identity == run.second and s.action == "held"]
    assert held[-1].observed_time_ms == observed
    take = run.first_step(run.second, "acquire")
    assert take.time_ms == takeover
    # between leaseDuration and leaseDuration + one retry after the last renewal the candidate saw
    assert run.config.lease_duration_ms <= take.time_ms - last_renew <= run.config.lease_duration_ms + 2 * run.config.retry_period_ms
    assert (take.holder, take.lease_transitions, take.acquire_time_ms) == (run.second, 1, takeover)
    spec = run.final_lease["spec"]
    assert spec["holderIdentity"] == run.second and spec["leaseTransitions"] == 1
    assert spec["leaseDurationSeconds"] == 15


def test_leader_keeps_acquire_time_and_transitions_when_renewing():
    run = le.run_failover()
    renews = [s for s in run.steps if s.identity == run.first and s.action == "renew"]
    assert [s.time_ms for s in renews] == list(range(2_000, 21_000, 2_000))
    assert {(s.acquire_time_ms, s.lease_transitions) for s in renews} == {(0, 0)}


def test_lease_goes_through_the_api_server():
    run = le.run_failover()
    puts = ob.etcd_writes(run.trace.events, kind="Lease", namespace="kube-system", name="kube-scheduler")
    writes = [s for s in run.steps if s.action in ("create", "renew", "acquire")]
    assert len(puts) == len(writes)
    assert {e.source for e in run.trace.events if e.kind == "request"} == {
        "kube-scheduler/control-plane-1", "kube-scheduler/control-plane-2"}


def test_deterministic():
    assert le.run_failover().steps == le.run_failover().steps
