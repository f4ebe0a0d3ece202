"""The GitHub workflows are valid, least-privilege and pinned (issue 7, part 1).

Three independent checks, all offline:

* the GitHub workflow JSON schema that check-jsonschema ships (``vendor.github-workflows``);
* zizmor's audits (``zizmor --offline``), which must report no findings;
* direct assertions on the parsed YAML for the rules the issue states explicitly.

Each checker is also run against a deliberately bad workflow, so a checker that silently
stopped checking would fail here instead of passing everything.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOWS_DIR.glob("*.yml")) + sorted(WORKFLOWS_DIR.glob("*.yaml"))
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
BIN = Path(sys.executable).parent

# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`: a full commit SHA, and the release it is, for humans
# and for Dependabot (which rewrites both together).
PINNED_USES = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})\s+#\s+(?P<version>v\d+\.\d+\.\d+)\s*$"
)
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s+(?P<ref>\S+)")

# Releases whose SHA was looked up in public workflows and cross-checked in at least two
# independent sources (tags of github.com/actions/*). A listed version with another SHA is a typo.
KNOWN_RELEASES: dict[tuple[str, str], str] = {
    ("actions/checkout", "v7.0.1"): "3d3c42e5aac5ba805825da76410c181273ba90b1",
    ("actions/checkout", "v7.0.0"): "9c091bb21b7c1c1d1991bb908d89e4e9dddfe3e0",
    ("actions/checkout", "v6.0.1"): "8e8c483db84b4bee98b60c0593521ed34d9990e8",
    ("actions/checkout", "v4.2.2"): "11bd71901bbe5b1630ceea73d27597364c9af683",
    ("actions/upload-artifact", "v7.0.1"): "043fb46d1a93c77aae656e7c1c64a875d1fc6a0a",
    ("actions/upload-artifact", "v4.6.2"): "ea165f8d65b6e75b540449e92b4886f43607fa02",
    ("actions/configure-pages", "v6.0.0"): "45bfe0192ca1faeb007ade9deae92b16b8254a0d",
    ("actions/configure-pages", "v5.0.0"): "983d7736d9b0ae728b81ab479565c72886d7745b",
    ("actions/upload-pages-artifact", "v5.0.0"): "fc324d3547104276b827a68afc52ff2a11cc49c9",
    ("actions/upload-pages-artifact", "v3.0.1"): "56afc609e74202658d3ffba0e8f6dda462b719fa",
    ("actions/deploy-pages", "v5.0.0"): "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128",
    ("actions/deploy-pages", "v4.0.5"): "d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e",
}

PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages")
WRITE_SCOPES_OF_DEPLOY = {"pages": "write", "id-token": "write"}

# A workflow that breaks every rule: the checkers must all object to it.
BAD_WORKFLOW = """\
name: bad
on:
  pull_request_target:
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""


# ---------------------------------------------------------------------------------------------
# helpers (plain functions, so the negative tests can run them on the bad workflow too)


def load_workflow(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def triggers(doc: dict[str, Any]) -> set[str]:
    on = doc["on"]
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    return set(on)


def permissions_map(perms: Any) -> dict[str, str]:
    """`write-all`/`read-all` expanded to the scopes that matter here; a mapping as is."""
    if perms is None:
        return {}
    if perms == "write-all":
        return {"contents": "write", "pages": "write", "id-token": "write"}
    if perms == "read-all":
        return {"contents": "read", "pages": "read"}
    assert isinstance(perms, dict), perms
    return dict(perms)


def rule_violations(path: Path) -> list[str]:
    """The issue's explicit rules, checked on one workflow file; empty list = compliant."""
    problems: list[str] = []
    text = path.read_text(encoding="utf-8")
    doc = load_workflow(path)
    if "pull_request_target" in triggers(doc):
        problems.append("uses pull_request_target")
    if permissions_map(doc.get("permissions")) != {"contents": "read"}:
        problems.append(f"top-level permissions are {doc.get('permissions')!r}, not contents: read")
    for number, line in enumerate(text.splitlines(), start=1):
        m = USES_LINE.match(line)
        if m and not m.group("ref").startswith("./") and not PINNED_USES.match(line):
            problems.append(f"line {number}: not pinned to a 40-hex SHA with a # vX.Y.Z comment: {line.strip()}")
    for job_id, job in doc.get("jobs", {}).items():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                if (step.get("with") or {}).get("persist-credentials") is not False:
                    problems.append(f"job {job_id}: checkout without persist-credentials: false")
    return problems


def jobs_with_deploy_scopes(doc: dict[str, Any]) -> list[str]:
    """Jobs that can write Pages or mint an OIDC token (top-level grants count for every job)."""
    top = permissions_map(doc.get("permissions"))
    found = []
    for job_id, job in doc.get("jobs", {}).items():
        perms = permissions_map(job["permissions"]) if "permissions" in job else top
        if any(perms.get(scope) == "write" for scope in WRITE_SCOPES_OF_DEPLOY):
            found.append(job_id)
    return found


def run_tool(args: list[str]) -> subprocess.CompletedProcess[str]:
    exe = BIN / args[0]
    if not exe.exists():
        found = shutil.which(args[0])
        if found is None:
            pytest.fail(f"{args[0]} is not installed (it is pinned in requirements.in; run `make test`)")
        exe = Path(found)
    return subprocess.run([str(exe), *args[1:]], cwd=ROOT, capture_output=True, text=True, timeout=300)


def all_steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def workflow_by_trigger(trigger: str) -> tuple[Path, dict[str, Any]]:
    matches = [(p, load_workflow(p)) for p in WORKFLOWS if trigger in triggers(load_workflow(p))]
    assert len(matches) == 1, f"expected exactly one workflow on {trigger}, found {[str(p) for p, _ in matches]}"
    return matches[0]


@pytest.fixture
def bad_workflow(tmp_path: Path) -> Path:
    target = tmp_path / ".github" / "workflows" / "bad.yml"
    target.parent.mkdir(parents=True)
    target.write_text(BAD_WORKFLOW, encoding="utf-8")
    return target


# ---------------------------------------------------------------------------------------------
# the real workflows


def test_there_are_workflows_for_pull_requests_and_pages() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml"}


def test_workflows_match_the_github_workflow_schema() -> None:
    result = run_tool(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_dependabot_config_matches_its_schema() -> None:
    result = run_tool(["check-jsonschema", "--builtin-schema", "vendor.dependabot", str(DEPENDABOT)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_offline_reports_no_findings() -> None:
    result = run_tool(["zizmor", "--offline", "--no-progress", *map(str, WORKFLOWS), str(DEPENDABOT)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_follows_the_issue_rules(path: Path) -> None:
    assert rule_violations(path) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_pinned_shas_match_the_looked_up_releases(path: Path) -> None:
    seen = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        m = PINNED_USES.match(line)
        if not m:
            continue
        seen += 1
        known = KNOWN_RELEASES.get((m.group("action"), m.group("version")))
        if known is not None:
            assert m.group("sha") == known, f"{m.group('action')} {m.group('version')} is {known}"
    assert seen > 0


def test_same_action_is_pinned_to_the_same_sha_everywhere() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := PINNED_USES.match(line):
                pins.setdefault(m.group("action"), set()).add((m.group("sha"), m.group("version")))
    assert pins and all(len(v) == 1 for v in pins.values()), pins


def test_only_the_deploy_job_can_write_pages_or_mint_oidc_tokens() -> None:
    holders = []
    for path in WORKFLOWS:
        doc = load_workflow(path)
        holders += [(path.name, job) for job in jobs_with_deploy_scopes(doc)]
    assert holders == [("pages.yml", "deploy")]
    _, pages = workflow_by_trigger("push")
    deploy_perms = permissions_map(pages["jobs"]["deploy"]["permissions"])
    assert deploy_perms == WRITE_SCOPES_OF_DEPLOY


def test_no_job_gets_any_other_write_scope() -> None:
    for path in WORKFLOWS:
        doc = load_workflow(path)
        for job_id, job in doc["jobs"].items():
            perms = permissions_map(job.get("permissions", doc.get("permissions")))
            writes = {k for k, v in perms.items() if v == "write"} - set(WRITE_SCOPES_OF_DEPLOY)
            assert not writes, f"{path.name}:{job_id} writes {writes}"


def test_pull_request_workflow_runs_make_test_in_debian_with_apt_chromium() -> None:
    _, doc = workflow_by_trigger("pull_request")
    jobs_running_make_test = [
        job for job in doc["jobs"].values()
        if any(re.search(r"(^|\s)make test(\s|$)", step.get("run", ""), re.M) for step in job.get("steps", []))
    ]
    assert len(jobs_running_make_test) == 1
    job = jobs_running_make_test[0]
    image = job["container"]["image"] if isinstance(job["container"], dict) else job["container"]
    assert image.split("@")[0] in {"python:3.11-bookworm", "debian:bookworm"}
    installs = " ".join(s.get("run", "") for s in job["steps"] if "apt-get install" in s.get("run", ""))
    assert set(installs.split()) >= {"chromium", "make", "nodejs", "npm"}
    uploads = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"].rstrip("/") == "site"
    # The README's commands for a newcomer are all exercised.
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    assert "make build" in runs and "make serve" in runs


def test_pages_workflow_deploys_main_with_the_official_pages_actions() -> None:
    _, doc = workflow_by_trigger("push")
    assert doc["on"]["push"]["branches"] == ["main"]
    assert doc["concurrency"]["group"] == "pages"
    assert doc["concurrency"]["cancel-in-progress"] is False
    used = [str(s.get("uses", "")).split("@")[0] for s in all_steps(doc)]
    for action in PAGES_ACTIONS:
        assert used.count(action) == 1, action
    deploy = doc["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [str(s["uses"]).split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build = doc["jobs"]["build"]
    upload = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    # Tests gate the deployment.
    assert any("make test" in s.get("run", "") for s in build["steps"])


# ---------------------------------------------------------------------------------------------
# the checkers can fail


def test_rules_reject_a_bad_workflow(bad_workflow: Path) -> None:
    problems = rule_violations(bad_workflow)
    assert any("pull_request_target" in p for p in problems)
    assert any("top-level permissions" in p for p in problems)
    assert any("not pinned" in p and "actions/checkout@v4" in p for p in problems)
    assert any("persist-credentials" in p for p in problems)
    assert jobs_with_deploy_scopes(load_workflow(bad_workflow)) == ["build"]


def test_zizmor_rejects_a_bad_workflow(bad_workflow: Path) -> None:
    result = run_tool(["zizmor", "--offline", "--no-progress", "--format", "plain", str(bad_workflow)])
    assert result.returncode != 0
    for audit in ("dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"):
        assert audit in result.stdout, (audit, result.stdout)


def test_schema_rejects_a_workflow_without_jobs(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\n", encoding="utf-8")
    result = run_tool(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(broken)])
    assert result.returncode != 0


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_run_scripts_are_valid_bash(path: Path, tmp_path: Path) -> None:
    doc = load_workflow(path)
    scripts = [s["run"] for s in all_steps(doc) if "run" in s]
    assert scripts
    for number, script in enumerate(scripts):
        target = tmp_path / f"step{number}.sh"
        target.write_text(script, encoding="utf-8")
        result = subprocess.run(["bash", "-n", str(target)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name} step {number}: {result.stderr}\n{script}"
    for job_id, job in doc["jobs"].items():
        if any("run" in s for s in job.get("steps", [])):
            assert job["defaults"]["run"]["shell"] == "bash", job_id
