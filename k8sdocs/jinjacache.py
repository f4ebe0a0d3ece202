"""Under ``make serve``, the theme's compiled Jinja templates are kept in memory between rebuilds.

MkDocs builds a new Jinja environment for the theme on every rebuild and compiles Material's
templates again (cProfile of a one-page ``--dirty`` rebuild: template compilation was its largest
cost). :data:`SHARED` keeps the compiled code for the life of the serving process; Jinja checks each
template's source checksum before reusing it, so an edited template is compiled again. Memory only:
nothing compiled is written to disk or read from it. Builds (``make build``, tests) do not use it.
"""

from __future__ import annotations

from typing import Any

import jinja2

from k8sdocs.report import serving


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache interface over a dict (jinja2/bccache.py, ``BytecodeCache``)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


# Lives as long as the process: MkDocs loads the hooks module once (mkdocs/mkdocs#3993).
SHARED = MemoryBytecodeCache()


def on_env(env: jinja2.Environment, **_: Any) -> jinja2.Environment:
    """MkDocs event (re-exported by k8sdocs/hooks.py): attach the shared cache under serve."""
    if serving():
        env.bytecode_cache = SHARED
    return env
