"""A static server for a built site that sends the playground's CSP (tests/site/test_playground_browser.py,
bench/playground.py): ``script-src 'self' 'wasm-unsafe-eval'`` plus the hashes of the page's own inline scripts
(Material's), ``worker-src 'self'``, ``connect-src 'self'``."""

from __future__ import annotations

import base64
import hashlib
import http.server
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

_INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S)


def csp_for(html: str) -> str:
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'"
                     for m in _INLINE.finditer(html)})
    return f"script-src 'self' 'wasm-unsafe-eval' {' '.join(hashes)}; worker-src 'self'; connect-src 'self'"


def make_handler(site: Path) -> type[http.server.SimpleHTTPRequestHandler]:
    class CSPHandler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            path = urlparse(self.path).path
            page = site / path.lstrip("/") / "index.html" if path.endswith("/") else site / path.lstrip("/")
            html = page.read_text(encoding="utf-8") if page.suffix == ".html" and page.is_file() else ""
            self.send_header("Content-Security-Policy", csp_for(html))
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return CSPHandler


