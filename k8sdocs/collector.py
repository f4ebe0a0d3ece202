"""Python's cyclic garbage collector during a build: what is alive when the build starts is left out of it, and
young objects are collected less often.

By the time MkDocs builds, the heap holds MkDocs, Material, the Markdown extensions, Pygments, the configuration
and (in a cold build) the model's modules, and all of it lives until the build ends; each full collection walks
it again. A cold build makes many collections: the model allocates millions of short-lived dicts (the API
server's copies of objects), and with CPython's default threshold (a young collection every 700 allocations)
the collector took 0.25 s of a serial cold build (time inside collections, measured with ``gc.callbacks``).
Freezing that heap brings it to 0.17 s, and :data:`BUILD_THRESHOLD` to 0.09 s (~150 collections instead of
~700), for ~2 MB more memory at the peak (78 MB). Reference counting still frees nearly all the garbage at once;
the threshold only delays the search for cycles. The pre-rendered site, without the model, spends 0.034 s in
collections, 0.017 s with both. Freezing right before ``os.fork`` (k8sdocs/prefetch.py) is the recipe of the
``gc.freeze`` documentation: the child's collections then leave alone the pages it shares with the parent
(~2 000 fewer page faults in a cold build with the child).

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
