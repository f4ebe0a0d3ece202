"""Fixtures for the site tests: a throw-away copy of the project, and a headless Chromium.

``built_site`` (the real site, built once per session) lives in ``tests/conftest.py``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from support.hostile import HOSTILE_STEP

ROOT = Path(__file__).resolve().parents[2]

# A build may read any project file (macros read scenarios and tests/fidelity/ relative to the
# root), so the copy takes everything except what is installed, generated or cached.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "site", "capturas", ".stamps", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info"
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


# Extra pages that must build: a diagram whose labels carry Mermaid syntax and markup (drawn as inert text),
# Go templates left alone, and a {#id} heading on a macros page.
EXTRA_PAGES: dict[str, tuple[str, str]] = {
    "diagrama.md": (
        "Diagrama",
        "---\nrender_macros: true\n---\n# Diagrama\n\n"
        '{{ diagrama_cadena("kube-scheduler", "' + HOSTILE_STEP.replace('"', '\\"') + '", "etcd", titulo="Prueba") }}\n',
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
#
# One browser per session (``chromium_browser``), the real site served once on 127.0.0.1
# (``site_url``), one browser context per colour scheme (``theme_contexts``); each test opens its own
# tab (``open_page``). Locally a missing Chromium or Playwright skips the browser tests; with CI set
# it is a failure, and so is any browser test that skips for another reason (hook at the end).

THEMES = ("light", "dark")
# What Material's palette in mkdocs.yml shows for each system preference (data-md-color-scheme).
SCHEME_OF_THEME = {"light": "default", "dark": "slate"}
VIEWPORT = {"width": 1280, "height": 1800}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@dataclass
class Visit:
    """One browser tab on a locally served site, and what went wrong while it was open."""

    page: Any
    base_url: str
    external_requests: list[str] = field(default_factory=list)  # requests to any other origin (aborted)
    page_errors: list[str] = field(default_factory=list)  # uncaught JavaScript exceptions
    console_errors: list[str] = field(default_factory=list)  # console messages of type "error"
    failed_responses: list[str] = field(default_factory=list)  # HTTP status >= 400 from the site itself

    def problems(self) -> list[str]:
        """Everything a reader's browser reported as wrong, one line each (empty: a clean load)."""
        return (
            [f"external request: {url}" for url in self.external_requests]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"HTTP error: {text}" for text in self.failed_responses]
        )


def is_local(url: str, base_url: str) -> bool:
    """True for the served origin itself and for inline URLs (data:, blob:, about:)."""
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about"}:
        return True
    base = urlparse(base_url)
    return (parsed.scheme, parsed.hostname, parsed.port) == (base.scheme, base.hostname, base.port)


def _guard_context(context: Any, base_url: str, current: Callable[[], Visit | None]) -> None:
    """Abort and record every request of ``context`` that would leave ``base_url``.

    Context-level, so the search worker's requests are seen too; ``current()`` is the tab being tested.
    """

    def _route(route: Any) -> None:
        if is_local(route.request.url, base_url):
            route.continue_()
            return
        visit = current()
        if visit is not None:
            visit.external_requests.append(route.request.url)
        route.abort()

    context.route("**/*", _route)


def _watch_page(visit: Visit) -> None:
    page = visit.page
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    page.on(
        "console",
        lambda message: visit.console_errors.append(f"{message.text} ({message.location.get('url', '')})")
        if message.type == "error"
        else None,
    )
    page.on(
        "response",
        lambda response: visit.failed_responses.append(f"{response.status} {response.url}")
        if response.status >= 400 and is_local(response.url, visit.base_url)
        else None,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site_dir`` on 127.0.0.1 (a free port) from a daemon thread: (server, base URL)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM:
        if in_ci():
            pytest.fail("CI needs Chromium for the browser tests: apt-get install -y chromium (.ci/run does it)")
        pytest.skip("Chromium is not installed (apt-get install -y chromium): browser tests skipped")
    try:
        from playwright import sync_api
    except ImportError:
        if in_ci():
            pytest.fail("CI needs Playwright for Python (requirements.lock) for the browser tests")
        pytest.skip("Playwright for Python is not installed (make deps): browser tests skipped")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)  # Debian's; no browser download
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The real built site, served once per session on 127.0.0.1: its base URL (no trailing slash)."""
    server, base_url = serve(built_site)
    yield base_url
    server.shutdown()
    server.server_close()


@dataclass
class ThemeContext:
    """A browser context whose system colour preference is ``theme`` ("light" or "dark")."""

    theme: str
    context: Any
    base_url: str
    current: Visit | None = None

    def open(self, path: str) -> Visit:
        """A new tab at ``base_url + path`` (loaded; the caller waits for anything else)."""
        visit = Visit(page=self.context.new_page(), base_url=self.base_url)
        self.current = visit
        _watch_page(visit)
        visit.page.goto(self.base_url + path, wait_until="load")
        return visit


def new_theme_context(browser: Any, base_url: str, theme: str) -> ThemeContext:
    holder = ThemeContext(theme, browser.new_context(color_scheme=theme, viewport=VIEWPORT), base_url)
    _guard_context(holder.context, base_url, lambda: holder.current)
    return holder


@pytest.fixture(scope="session")
def theme_contexts(chromium_browser: Any, site_url: str) -> Iterator[dict[str, ThemeContext]]:
    """One context per colour scheme for the whole session (tests must not change its palette)."""
    contexts = {theme: new_theme_context(chromium_browser, site_url, theme) for theme in THEMES}
    yield contexts
    for holder in contexts.values():
        holder.context.close()


@pytest.fixture
def open_page(theme_contexts: dict[str, ThemeContext]) -> Iterator[Callable[[str, str], Visit]]:
    """``open_page(path, theme)``: a new tab of the real site in that theme, closed after the test."""
    opened: list[Visit] = []

    def _open(path: str, theme: str = "light") -> Visit:
        visit = theme_contexts[theme].open(path)
        opened.append(visit)
        return visit

    yield _open
    for visit in opened:
        visit.page.close()
    for holder in theme_contexts.values():
        holder.current = None


WIDTHS = (1280, 390)  # a laptop and a phone (CSS px); issue 10 asks for both


@pytest.fixture(scope="session")
def width_contexts(chromium_browser: Any, site_url: str) -> Iterator[dict[int, ThemeContext]]:
    """One light context per viewport width in ``WIDTHS`` (phone: device scale 3, touch, as a real phone)."""
    contexts = {}
    for width in WIDTHS:
        phone = width < 600
        context = chromium_browser.new_context(
            color_scheme="light", viewport={"width": width, "height": 844 if phone else 900},
            device_scale_factor=3 if phone else 1, is_mobile=phone, has_touch=phone,
        )
        holder = ThemeContext("light", context, site_url)
        _guard_context(context, site_url, lambda holder=holder: holder.current)
        contexts[width] = holder
    yield contexts
    for holder in contexts.values():
        holder.context.close()


@pytest.fixture
def open_at_width(width_contexts: dict[int, ThemeContext]) -> Iterator[Callable[[str, int], Visit]]:
    """``open_at_width(path, width)``: a new tab of the real site, light theme, at that viewport width."""
    opened: list[Visit] = []

    def _open(path: str, width: int) -> Visit:
        visit = width_contexts[width].open(path)
        opened.append(visit)
        return visit

    yield _open
    for visit in opened:
        visit.page.close()
    for holder in width_contexts.values():
        holder.current = None


@pytest.fixture
def fresh_context(chromium_browser: Any, site_url: str) -> Iterator[Callable[[str], ThemeContext]]:
    """``fresh_context(theme)``: a context of its own, for tests that change stored state (the palette)."""
    made: list[ThemeContext] = []

    def _new(theme: str) -> ThemeContext:
        made.append(new_theme_context(chromium_browser, site_url, theme))
        return made[-1]

    yield _new
    for holder in made:
        holder.context.close()


@pytest.fixture
def open_site(chromium_browser: Any) -> Iterator[Callable[..., Visit]]:
    """``open_site(site_dir, color_scheme="light")``: serve another site_dir (a project copy) and open a tab.

    Every request to another origin is recorded and aborted, so a page that needs the internet fails.
    """
    cleanups: list[Callable[[], None]] = []

    def _open(site_dir: Path, color_scheme: str = "light") -> Visit:
        server, base_url = serve(site_dir)
        cleanups.append(server.server_close)
        cleanups.append(server.shutdown)
        holder = new_theme_context(chromium_browser, base_url, color_scheme)
        cleanups.append(holder.context.close)
        visit = Visit(page=holder.context.new_page(), base_url=base_url)
        holder.current = visit
        _watch_page(visit)
        return visit

    yield _open
    for cleanup in reversed(cleanups):
        cleanup()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With CI set, a skipped browser test is a failed one: a CI run must really drive the browser."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and item.get_closest_marker("browser") is not None:
        report.outcome = "failed"
        report.longrepr = f"browser test skipped under CI: {report.longrepr}"
