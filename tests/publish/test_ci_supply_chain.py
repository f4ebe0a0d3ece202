"""CI supply chain (issue #15 items 1 and 8): container images pinned by digest, and the built site is
uploaded only after the tests (and the serve check) passed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
DIGEST = re.compile(r"^[\w./-]+(:[\w.-]+)?@sha256:[0-9a-f]{64}$")


def jobs(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("jobs", {})


def test_ci_job_runs_in_a_container() -> None:
    assert any(job.get("container") for wf in WORKFLOWS for job in jobs(wf).values())


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_container_images_are_pinned_by_digest(path: Path) -> None:
    for name, job in jobs(path).items():
        container = job.get("container")
        if container:
            image = container["image"] if isinstance(container, dict) else container
            assert DIGEST.match(image), f"{path.name}: job {name}: image {image!r} is not pinned by digest"
        for service in (job.get("services") or {}).values():
            image = service["image"] if isinstance(service, dict) else service
            assert DIGEST.match(image), f"{path.name}: job {name}: service image {image!r} is not pinned by digest"


def test_site_artifact_is_uploaded_after_the_tests() -> None:
    steps = jobs(ROOT / ".github" / "workflows" / "ci.yml")["test"]["steps"]
    runs = [str(s.get("run", "")) for s in steps]
    uploads = [i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    tests = [i for i, r in enumerate(runs) if re.search(r"(^|\s)make test(\s|$)", r)]
    assert uploads and tests
    assert min(uploads) > max(tests)
    # and after every other check of the job: nothing that can still fail runs after the upload
    assert max(uploads) == len(steps) - 1
    assert all("if" not in steps[i] for i in uploads)  # default success(): a failed step skips the upload


def test_digest_pinning_rule_rejects_a_tag() -> None:
    assert not DIGEST.match("python:3.11-bookworm")
    assert DIGEST.match("python:3.11-bookworm@sha256:" + "0" * 64)
