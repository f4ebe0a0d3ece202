"""Python's cyclic garbage collector during a build: what is alive when the build starts is left out of it.

By the time MkDocs builds, the heap holds MkDocs, Material, the Markdown extensions, Pygments, the
configuration and (in a cold build) the model's modules, and all of it lives until the build ends. Each full
collection walks all of it again, and a build makes many: measured on the pre-rendered site (no macros),
freezing that heap makes a build ~8 % faster; on a cold build, where the model allocates far more,
~10 %. This is the recipe of the ``gc.freeze`` documentation: before ``os.fork`` (k8sdocs/prefetch.py) it also
keeps the child's collections from writing to every page inherited from the parent (copy on write).

``k8sdocs/hooks.py`` freezes in ``on_pre_build`` and releases in ``on_post_build`` and ``on_build_error``, for every
build alike (``bench/build.py``'s pre-rendered build included), so ``make serve`` collects each build's garbage
before the next one. Frozen objects are only kept out of the cycle search: reference counting still frees them.
"""

from __future__ import annotations

import gc


def freeze() -> None:
    """Leave every object tracked now out of the collector's generations until :func:`release`."""
    gc.freeze()


def release() -> None:
    """Give the frozen objects back to the collector (the oldest generation); harmless when none are frozen."""
    gc.unfreeze()
