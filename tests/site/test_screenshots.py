"""PNG screenshots of the architecture and kube-scheduler pages, light and dark, for a person to review.

They are written to capturas/ (in .gitignore) at the repository root, e.g.
capturas/arquitectura-claro.png, capturas/kube-scheduler-oscuro.png: whole page, 1280 px wide.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CAPTURAS = ROOT / "capturas"
PAGES = {"arquitectura": "/arquitectura/", "kube-scheduler": "/plano-de-control/kube-scheduler/"}
THEME_NAMES = {"light": "claro", "dark": "oscuro"}
# Material's page background (--md-default-bg-color): #fff, and slate's hsl(232, 15%, 14%).
BACKGROUND = {"light": "rgb(255, 255, 255)", "dark": "rgb(30, 33, 41)"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, which PNG requires first (RFC 2083, 4.1.1)."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot(open_page, name: str, theme: str) -> None:
    visit = open_page(PAGES[name], theme)
    page = visit.page
    # Everything a reader would see: diagrams drawn, images decoded, web fonts (none) settled.
    page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0", timeout=20_000)
    page.evaluate("Promise.all([...document.images].map(img => img.decode().catch(() => null)))")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUND[theme]
    CAPTURAS.mkdir(exist_ok=True)
    target = CAPTURAS / f"{name}-{THEME_NAMES[theme]}.png"
    page.screenshot(path=str(target), full_page=True, animations="disabled")
    width, height = png_size(target.read_bytes())
    assert width == page.viewport_size["width"] == 1280
    assert height == page.evaluate("document.documentElement.scrollHeight") > page.viewport_size["height"] // 2
    assert visit.problems() == []
