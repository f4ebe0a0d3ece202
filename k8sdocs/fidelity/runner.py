"""Find case files, dispatch each case to its family, print one line per case and the summary.

Output order is deterministic: files sorted by path, cases in file order. Only ``incomplete: true`` cases are
skipped; a case whose shape is not understood is a FAIL.

End-to-end scheduler cases without inputs (``plugin: scheduler`` with only ``expected.message``, e.g. ``derived:
true`` ones) are checked on a witness cluster (witness.py): the message is parsed with the FitError grammar
("0/N nodes are available: " + reason histogram or PreFilter message + "." + optional " preemption: ..."), nodes
that trigger each reason through the real plugins are built (first failing Filter plugin per node, preemption
outcome from the PostFilter part), one scheduling cycle of the default profile with DefaultPreemption runs, and the
model's message must equal the expected one byte for byte. A reason without a builder or an unparsable message is a
FAIL with that reason. See k8sdocs/fidelity/README.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from k8sdocs.fidelity import functions, kube_proxy, loader, scheduler_cases
from k8sdocs.fidelity.result import CaseResult

KUBE_PROXY_KIND = "kube-proxy-iptables"


def run_case(case: Any, case_dir: Path, fallback_id: str) -> CaseResult:
    if not isinstance(case, dict):
        return CaseResult(fallback_id, "FAIL", "a case must be a mapping")
    case_id = str(case.get("id") or fallback_id)
    if case.get("incomplete") is True:
        why = case.get("incomplete_reason") or "incomplete: true"
        return CaseResult(case_id, "SKIP", f"incomplete: {why}")
    if case.get("kind") == KUBE_PROXY_KIND:
        try:
            return kube_proxy.run_case(case, case_dir)
        except Exception as err:  # a crash in the model is a failure of that case, not of the run
            return CaseResult(case_id, "FAIL", f"kube-proxy runner raised {type(err).__name__}: {err}")
    if "function" in case and "input" not in case:  # upstream Go function cases (scheduler_core's use `input`)
        return functions.run_case(case)
    if "kind" in case:
        return CaseResult(case_id, "FAIL", f"unknown case kind {case.get('kind')!r}")
    try:
        return scheduler_cases.run_case(case)
    except Exception as err:
        return CaseResult(case_id, "FAIL", f"runner raised {type(err).__name__}: {err}")


def iter_results(paths: Sequence[str | Path]) -> Iterator[CaseResult]:
    found = loader.find_case_files(paths)
    for where, why in found.problems:
        yield CaseResult(where, "FAIL", why)
    for path in found.files:
        try:
            cases = loader.load_cases(path)
        except loader.CaseFileError as err:
            yield CaseResult(str(path), "FAIL", str(err))
            continue
        for i, case in enumerate(cases):
            yield run_case(case, path.parent, f"{path}#{i}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m k8sdocs.fidelity",
        description="Check the model against upstream's cases: one line per case (PASS, FAIL with the difference, "
                    "SKIP for incomplete ones), then a summary. The case format is in tests/fidelity/README.md.",
        epilog="Exit status: 0 when no case fails, 1 when some case fails (a path without cases fails), "
               "2 for a usage error. Example: python -m k8sdocs.fidelity tests/fidelity",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a case file (*.yaml, *.yml) or a folder searched recursively for them")
    return parser


def main(argv: Sequence[str], out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        args = build_parser().parse_args([str(a) for a in argv])
    except SystemExit as stop:  # --help (0) or a usage error (2): argparse has printed it
        return stop.code if isinstance(stop.code, int) else 2
    paths: list[str] = args.paths
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for result in iter_results(paths):
        counts[result.outcome] += 1
        print(result.line(), file=out)
    if not any(counts.values()):
        counts["FAIL"] += 1
        print(CaseResult(" ".join(paths), "FAIL", "no cases to run").line(), file=out)
    print(f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped", file=out)
    return 1 if counts["FAIL"] else 0
