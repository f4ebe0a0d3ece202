"""Fixtures for the site tests: a throw-away copy of the project, and a headless Chromium.

``built_site`` (the real site, built once per session) lives in ``tests/conftest.py``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A build may read any project file (macros read scenarios and tests/fidelity/ relative to the
# root), so the copy takes everything except what is installed, generated or cached.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "site", ".stamps", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info"
)
CHROMIUM = shutil.which("chromium")


@dataclass
class ProjectCopy:
    """A copy of the project in a tmp dir, to build with extra (often broken) pages."""

    root: Path
    build_fn: Callable[[Path, Path], subprocess.CompletedProcess[str]]

    def add_page(self, name: str, text: str, nav_title: str) -> None:
        """Write docs/<name> and list it first in ``nav:`` (so ``omitted_files`` does not fire)."""
        (self.root / "docs" / name).write_text(text, encoding="utf-8")
        config = self.root / "mkdocs.yml"
        source = config.read_text(encoding="utf-8")
        assert "\nnav:\n" in source, "mkdocs.yml must keep an explicit top-level nav:"
        config.write_text(source.replace("\nnav:\n", f"\nnav:\n  - {nav_title}: {name}\n", 1), encoding="utf-8")

    def build(self, site_name: str = "site") -> tuple[subprocess.CompletedProcess[str], Path]:
        site_dir = self.root / site_name
        return self.build_fn(self.root, site_dir), site_dir


def copy_project(destination: Path, *, with_node_modules: bool) -> Path:
    shutil.copytree(ROOT, destination, ignore=NOT_COPIED, symlinks=True)
    if with_node_modules:
        (destination / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return destination


# Extra pages that must build: Mermaid, Go templates left alone, and a {#id} heading on a macros page.
EXTRA_PAGES: dict[str, tuple[str, str]] = {
    "diagrama.md": (
        "Diagrama",
        "# Diagrama\n\n```mermaid\nflowchart LR\n  s[kube-scheduler] --> a[kube-apiserver]\n"
        "  k[kubelet] --> a\n  a --> e[(etcd)]\n```\n",
    ),
    "plantillas.md": (
        "Plantillas",
        "# Plantillas\n\n`kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'`\n",
    ),
    "ancla.md": ("Ancla", "---\nrender_macros: true\n---\n# Ancla\n\n## Título {#mi-ancla}\n"),
}


@pytest.fixture(scope="session")
def extended_copy(
    tmp_path_factory: pytest.TempPathFactory, build_project: Callable[..., Any]
) -> tuple[ProjectCopy, subprocess.CompletedProcess[str], Path]:
    """One copy of the project plus EXTRA_PAGES, built once: (copy, build result, site dir)."""
    copy = ProjectCopy(copy_project(tmp_path_factory.mktemp("ampliado") / "proyecto", with_node_modules=True), build_project)
    for name, (title, text) in EXTRA_PAGES.items():
        copy.add_page(name, text, title)
    result, site = copy.build()
    return copy, result, site


@pytest.fixture
def project_copy(tmp_path: Path, build_project: Callable[..., Any]) -> ProjectCopy:
    """A copy of the project whose node_modules points at the real one."""
    return ProjectCopy(copy_project(tmp_path / "proyecto", with_node_modules=True), build_project)


@pytest.fixture
def project_copy_without_node_modules(tmp_path: Path, build_project: Callable[..., Any]) -> ProjectCopy:
    """A copy of the project as a fresh clone looks before ``npm ci``."""
    return ProjectCopy(copy_project(tmp_path / "proyecto", with_node_modules=False), build_project)


# --- headless Chromium (Debian package) driven by Playwright -------------------------------------


@dataclass
class Visit:
    """One browser tab on a locally served site, with what it tried to fetch elsewhere."""

    page: Any
    base_url: str
    external_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium for the browser tests: apt-get install -y chromium (.ci/run does it)")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def open_site(chromium_browser: Any) -> Iterator[Callable[..., Visit]]:
    """``open_site(site_dir, color_scheme="light")``: serve site_dir on 127.0.0.1 and open a tab.

    Every request to another host is recorded and aborted, so a page that needs the internet fails.
    """
    cleanups: list[Callable[[], None]] = []

    def _open(site_dir: Path, color_scheme: str = "light") -> Visit:
        server = socketserver.TCPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cleanups.append(server.server_close)
        cleanups.append(server.shutdown)
        context = chromium_browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 1800})
        cleanups.append(context.close)
        visit = Visit(page=None, base_url=f"http://127.0.0.1:{server.server_address[1]}")

        def _route(route: Any) -> None:
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                visit.external_requests.append(route.request.url)
                route.abort()

        context.route("**/*", _route)
        visit.page = context.new_page()
        visit.page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
        return visit

    yield _open
    for cleanup in reversed(cleanups):
        cleanup()
