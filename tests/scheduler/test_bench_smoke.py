"""bench/scheduler.py keeps working (a tiny run; no timing is asserted)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_runs_small():
    proc = subprocess.run(
        [sys.executable, "bench/scheduler.py", "--nodes", "150", "--init-pods", "20", "--pods", "60"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "SchedulingBasic 150Nodes_60Pods (init 20)"
    assert lines[1].startswith("measured pods: 60, unscheduled: 0, time: ")
    assert any(line.startswith("throughput: ") and line.endswith("pods/s (wall clock)") for line in lines)
    assert any(line.startswith("peak RSS: ") for line in lines)
