"""Python's cyclic garbage collector during a build: what is alive when the build starts is left out of it, and
young objects are collected less often.

By the time MkDocs builds, the heap holds MkDocs, Material, the Markdown extensions, Pygments, the
configuration and (in a cold build) the model's modules, and all of it lives until the build ends. Each full
collection walks all of it again, and a build makes many: measured on the pre-rendered site (no macros),
freezing that heap makes a build ~8 % faster; on a cold build, where the model allocates far more,
~10 %. This is the recipe of the ``gc.freeze`` documentation: before ``os.fork`` (k8sdocs/prefetch.py) it also
keeps the child's collections from writing to every page inherited from the parent (copy on write).

A cold build also allocates millions of short-lived dicts (the API server's copies of objects): with CPython's
default threshold (700 allocations) it ran ~700 collections, 0.2 s of a serial cold build; with
:data:`BUILD_THRESHOLD`, ~150 and 0.1 s, for ~2 MB more memory at its peak (78 MB). Reference counting still frees
nearly all of that garbage at once; the threshold only delays the search for cycles.

``k8sdocs/hooks.py`` calls :func:`freeze` in ``on_pre_build`` and :func:`release` in ``on_post_build`` and
``on_build_error``, for every build alike (``bench/build.py``'s pre-rendered build included), so ``make serve`` is
back to Python's settings, with each build's garbage collectable, before the next one.
"""

from __future__ import annotations

import gc

#: Allocations between two collections of the youngest generation during a build (CPython's default: 700).
BUILD_THRESHOLD = 10_000

#: The thresholds before the first :func:`freeze` of a build (empty when none is in force).
_saved: list[tuple[int, int, int]] = []


def freeze() -> None:
    """Leave every object tracked now out of the collector until :func:`release`, and collect young objects every
    :data:`BUILD_THRESHOLD` allocations."""
    gc.freeze()
    if not _saved:
        _saved.append(gc.get_threshold())
        young, middle, old = _saved[0]
        gc.set_threshold(max(young, BUILD_THRESHOLD), middle, old)


def release() -> None:
    """Give the frozen objects back to the collector and restore its thresholds; harmless when nothing is frozen."""
    gc.unfreeze()
    if _saved:
        gc.set_threshold(*_saved.pop())
