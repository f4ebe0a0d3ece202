"""Benchmark (not a test): upstream scheduler_perf SchedulingBasic / 5000Nodes_10000Pods.

test/integration/scheduler_perf/misc/performance-config.yaml@76c191b9: 5 000 nodes (node-default.yaml@898b9f80:
4 cpu, 32Gi, 110 pods), 1 000 init pods, then 10 000 measured pods (pod-default.yaml@e42d4271: 100m cpu, 500Mi),
default profile, adaptive percentageOfNodesToScore (v1.35 node sampling). Upstream's regression floor for this
workload is 270 pods/s. The model binds each pod by updating the snapshot incrementally, as the scheduler cache does
after an assume.

Run: .venv/bin/python bench/scheduler.py [--nodes 5000 --init-pods 1000 --pods 10000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc

from k8sdocs.model.scheduler.framework.snapshot import Snapshot
from k8sdocs.model.scheduler.schedule_one import Scheduler


def make_node(i: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": f"node-{i}", "labels": {"kubernetes.io/hostname": f"node-{i}"}},
        "spec": {},
        "status": {
            "capacity": {"cpu": "4", "memory": "32Gi", "pods": "110"},
            "allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"},
        },
    }


def make_pod(prefix: str, i: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"{prefix}-{i}", "namespace": "default"},
        "spec": {
            "containers": [
                {"name": "pause", "image": "registry.k8s.io/pause:3.10",
                 "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}}}
            ]
        },
    }


def schedule(sched: Scheduler, snapshot: Snapshot, prefix: str, count: int) -> int:
    unscheduled = 0
    for i in range(count):
        pod = make_pod(prefix, i)
        result = sched.schedule(pod, snapshot)
        if result.selected_node is None:
            unscheduled += 1
            continue
        bound = dict(pod, spec=dict(pod["spec"], nodeName=result.selected_node))
        snapshot.add_pod(bound)
    return unscheduled


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--init-pods", type=int, default=1000)
    ap.add_argument("--pods", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tracemalloc", action="store_true", help="also report Python heap peak (slows the run)")
    args = ap.parse_args(argv)
    if args.tracemalloc:
        tracemalloc.start()
    sched = Scheduler(seed=args.seed)
    snapshot = Snapshot.build([make_node(i) for i in range(args.nodes)], [])
    schedule(sched, snapshot, "init", args.init_pods)
    start = time.perf_counter()
    cpu_start = time.process_time()
    unscheduled = schedule(sched, snapshot, "measured", args.pods)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"SchedulingBasic {args.nodes}Nodes_{args.pods}Pods (init {args.init_pods})")
    print(f"measured pods: {args.pods}, unscheduled: {unscheduled}, time: {elapsed:.2f} s")
    print(f"throughput: {args.pods / elapsed:.0f} pods/s (wall clock)")
    print(f"CPU time: {cpu:.2f} s -> {args.pods / cpu:.0f} pods/s of CPU (what the wall figure is on an idle machine)")
    print(f"peak RSS: {rss_mb:.0f} MB")
    if args.tracemalloc:
        _, peak = tracemalloc.get_traced_memory()
        print(f"peak Python heap (tracemalloc): {peak / 2**20:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
