"""The outcome of one fidelity case, shared by every case family (scheduler, kube-proxy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["PASS", "FAIL", "SKIP"]


@dataclass(frozen=True)
class CaseResult:
    """One line of the runner's report: ``PASS <id>``, ``FAIL <id>: <detail>`` or ``SKIP <id>: <detail>``."""

    case_id: str
    outcome: Outcome
    detail: str = ""

    def line(self) -> str:
        if self.outcome == "PASS":
            return f"PASS {self.case_id}"
        return f"{self.outcome} {self.case_id}: {self.detail}"
