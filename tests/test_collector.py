"""k8sdocs/collector.py: a build freezes what is alive when it starts and gives it back when it ends (issue 12)."""

from __future__ import annotations

import gc
from pathlib import Path

from mkdocs.config import load_config

from k8sdocs import collector, hooks

ROOT = Path(__file__).resolve().parents[1]


def test_freeze_leaves_the_live_objects_out_and_release_gives_them_back() -> None:
    try:
        collector.freeze()
        assert gc.get_freeze_count() > 0
    finally:
        collector.release()
    assert gc.get_freeze_count() == 0
    collector.release()  # nothing frozen: harmless
    assert gc.get_freeze_count() == 0


def test_the_hooks_freeze_before_the_build_and_release_after_it_or_after_an_error() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    try:
        hooks.on_pre_build(config)
        assert gc.get_freeze_count() > 0
        hooks.on_post_build(config)
        assert gc.get_freeze_count() == 0
        hooks.on_pre_build(config)
        hooks.on_build_error(RuntimeError("a page failed"))
        assert gc.get_freeze_count() == 0  # under serve, a failed build does not keep its objects frozen
    finally:
        collector.release()


def test_a_build_collects_young_objects_less_often_and_gives_the_settings_back() -> None:
    before = gc.get_threshold()
    try:
        collector.freeze()
        collector.freeze()  # the cold build's fork and the hooks both freeze: one saved setting
        assert gc.get_threshold()[0] == max(before[0], collector.BUILD_THRESHOLD)
    finally:
        collector.release()
    assert gc.get_threshold() == before
    collector.release()
    assert gc.get_threshold() == before
