"""`make serve` survives content errors, says why in the page and the log, and recovers (issue 12, item 1).

The test runs the real entry point of `make serve` (``python -m k8sdocs.serve``) on a free port in a
small project with the site's macros configuration: a scenario, its manifests and one page. It breaks
the scenario (a misspelled field, rejected by strict decoding as the API server does), checks the
error box in the served page, the one ERROR line in the log and that the server is still running;
then it fixes the file and checks that the page comes back. Every wait is bounded.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

NODE = """\
apiVersion: v1
kind: Node
metadata:
  name: node-a
status:
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
GOOD_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests: {cpu: 500m, memory: 64Mi}
"""
WAIT_SECONDS = 120  # first build under a loaded 2-core machine; each wait returns as soon as it succeeds

SCENARIO = "name: prueba\nseed: 1\nuntil: 10s\nmanifests:\n  - manifiestos/cluster.yaml\n"
BROKEN_POD = GOOD_POD.replace("spec:\n", "spec:\n  nodeselector: {disktype: ssd}\n", 1)


def macros_config() -> dict:
    """The macros plugin block of the real mkdocs.yml (tags ignored)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_project(root: Path) -> None:
    docs = root / "docs"
    (docs / "escenarios" / "manifiestos").mkdir(parents=True)
    (docs / "escenarios" / "manifiestos" / "cluster.yaml").write_text(NODE + "---\n" + GOOD_POD, encoding="utf-8")
    (docs / "escenarios" / "prueba.yaml").write_text(SCENARIO, encoding="utf-8")
    (docs / "index.md").write_text(
        '---\nrender_macros: true\n---\n# Prueba\n\n{{ informe_planificacion("prueba.yaml", pod="web") }}\n',
        encoding="utf-8",
    )
    config = {
        "site_name": "prueba",
        "strict": True,
        "theme": {"name": "material", "language": "es", "font": False},
        "plugins": [{"macros": macros_config()}],
        "nav": [{"Prueba": "index.md"}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until(predicate, what: str, proc: subprocess.Popen, log: list[str]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"{what} (server exit code: {proc.poll()}); log:\n" + "".join(log[-30:]), pytrace=False)


def serve(root: Path, addr: str) -> tuple[subprocess.Popen, list[str]]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", K8SDOCS_CACHE_DIR=str(root / ".cache"))
    env.pop("K8SDOCS_TRACEBACK", None)
    proc = subprocess.Popen([sys.executable, "-m", "k8sdocs.serve", "--dev-addr", addr], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    return proc, log


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_serve_shows_a_broken_scenario_in_the_page_keeps_running_and_recovers(tmp_path: Path) -> None:
    make_project(tmp_path)
    addr = f"127.0.0.1:{free_port()}"
    url = f"http://{addr}/"
    proc, log = serve(tmp_path, addr)
    try:
        wait_until(lambda: "node-a" in fetch(url), "the first build was not served", proc, log)

        manifests = tmp_path / "docs" / "escenarios" / "manifiestos" / "cluster.yaml"
        manifests.write_text(NODE + "---\n" + BROKEN_POD, encoding="utf-8")
        wait_until(lambda: "Error al construir esta página" in fetch(url), "no error box after the break", proc, log)
        page = fetch(url)
        assert proc.poll() is None, "the server died on a content error"
        for needle in ("Página", "index.md", "Archivo", "cluster.yaml", "Campo", "Causa", "nodeselector",
                       "Qué hacer", "Corrige ese campo"):
            assert needle in page, f"{needle!r} missing from the error box"
        errors = [line for line in log if line.startswith("ERROR")]
        assert errors and all(line.startswith("ERROR    -  k8sdocs: index.md: ") for line in errors), "".join(log)
        assert "nodeselector" in errors[0] and len(errors[0].splitlines()) == 1
        assert not any("Traceback" in line or "[macros]" in line for line in log), "".join(log)

        manifests.write_text(NODE + "---\n" + GOOD_POD, encoding="utf-8")
        wait_until(lambda: "node-a" in (body := fetch(url)) and "Error al construir" not in body,
                   "the page did not come back after the fix", proc, log)
        assert proc.poll() is None
    finally:
        stop(proc)


def test_busy_port_is_one_line_naming_addr_before_any_build(tmp_path: Path) -> None:
    make_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        addr = f"127.0.0.1:{taken.getsockname()[1]}"
        result = subprocess.run([sys.executable, "-m", "k8sdocs.serve", "--dev-addr", addr], cwd=tmp_path,
                                capture_output=True, text=True, timeout=60, check=False)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 2
    assert len(output.splitlines()) == 1, output
    assert addr in output and "make serve ADDR=127.0.0.1:" in output
    assert "Building" not in output and "Traceback" not in output
