"""PNG screenshots of every page at 1280 and 390 px (and two pages in the dark theme), for a person to review.

They are written to .cache/capturas/ (ignored by git): <página>-1280.png and <página>-390.png for every page of the
nav (inicio, arquitectura, kube-apiserver, ...), plus arquitectura-oscuro.png and kube-scheduler-oscuro.png: whole
page. The screenshots kept in the repository (capturas/) come from `make capturas` (bench/capturas.py).
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from support.site_nav import NAV_PAGES  # the nav of mkdocs.yml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CAPTURAS = ROOT / ".cache" / "capturas"
DARK_PAGES = {"arquitectura": "/arquitectura/", "kube-scheduler": "/plano-de-control/kube-scheduler/"}
# Material's page background (--md-default-bg-color): #fff, and slate's hsl(232, 15%, 14%).
BACKGROUND = {"light": "rgb(255, 255, 255)", "dark": "rgb(30, 33, 41)"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, which PNG requires first (RFC 2083, 4.1.1)."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def capture_name(path: str) -> str:
    """``/`` -> ``inicio``, ``/plano-de-control/kube-apiserver/`` -> ``kube-apiserver``."""
    return path.strip("/").rsplit("/", 1)[-1] or "inicio"


def _settle(page) -> None:
    """Everything a reader would see: <details> as they are, images decoded, fonts (all local) settled, and every
    diagram drawn (a whole-page capture does not scroll, so frames off screen would stay skipped placeholders:
    content-visibility: auto, k8sdocs/render/svg.py frame_style)."""
    page.evaluate("document.querySelectorAll('.k8s-diagram__scroll').forEach(f => f.style.contentVisibility = 'visible')")
    page.evaluate("Promise.all([...document.images].map(img => img.decode().catch(() => null)))")
    page.evaluate("document.fonts.ready.then(() => true)")


def test_capture_names_are_distinct() -> None:
    assert len({capture_name(p) for p in NAV_PAGES}) == len(NAV_PAGES)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", NAV_PAGES)
def test_screenshot_at_width(open_at_width, path: str, width: int) -> None:
    visit = open_at_width(path, width)
    page = visit.page
    _settle(page)
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    target = CAPTURAS / f"{capture_name(path)}-{width}.png"
    page.screenshot(path=str(target), full_page=True, animations="disabled", scale="css")
    shot_width, height = png_size(target.read_bytes())
    assert shot_width == width
    assert height == page.evaluate("document.documentElement.scrollHeight") > page.viewport_size["height"] // 2
    assert visit.problems() == []


@pytest.mark.parametrize("name", list(DARK_PAGES))
def test_screenshot_dark(open_page, name: str) -> None:
    visit = open_page(DARK_PAGES[name], "dark")
    page = visit.page
    _settle(page)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUND["dark"]
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    target = CAPTURAS / f"{name}-oscuro.png"
    page.screenshot(path=str(target), full_page=True, animations="disabled")
    width, height = png_size(target.read_bytes())
    assert width == page.viewport_size["width"] == 1280
    assert height == page.evaluate("document.documentElement.scrollHeight") > page.viewport_size["height"] // 2
    assert visit.problems() == []
