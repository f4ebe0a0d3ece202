"""`make serve` rebuilds only the pages whose inputs changed (MkDocs' ``--dirty``, made aware of scenarios).

``mkdocs serve --dirty`` rebuilds a page only when its Markdown file is newer than its HTML
(mkdocs/structure/files.py, ``File.is_modified``). That is right for a page edit, but a page whose
macros read a scenario must also be rebuilt when the scenario or one of its manifests changes. This
module remembers, per page, the input files its macro calls read (k8sdocs/cache.py records them) with
their hashes; at the start of the next rebuild it deletes the HTML of every page whose inputs changed,
or that showed an error box, or whose calls could not be tracked, so MkDocs rebuilds exactly those.

Changes that affect every page (mkdocs.yml, ``docs/includes/``, the ``k8sdocs`` package) make
``python -m k8sdocs.serve`` restart MkDocs instead, which builds everything. With ``--dirty`` the
other pages keep their last HTML: the navigation of an unchanged page and the search index can lag
until the next restart (README, "Inicio rápido"). Used only under serve; builds are always complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PageInputs:
    dest: Path  # the page's HTML in serve's site folder
    deps: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 at the last build
    untracked: bool = False  # a call whose inputs are unknown (not cacheable): always rebuilt
    failed: bool = False  # the page showed an error box: always rebuilt


@dataclass
class DirtyTracker:
    """What each page of the last build read; lives as long as the serving process."""

    pages: dict[str, PageInputs] = field(default_factory=dict)
    current: str | None = None

    def start_page(self, src_path: str, dest: Path) -> None:
        self.pages[src_path] = PageInputs(dest)
        self.current = src_path

    def note(self, deps: dict[str, str] | None) -> None:
        """Record the inputs of one macro call of the current page (None: unknown)."""
        page = self.pages.get(self.current or "")
        if page is None:
            return
        if deps is None:
            page.untracked = True
        else:
            page.deps.update(deps)

    def end_page(self, markdown: str, failed_marker: str) -> None:
        page = self.pages.get(self.current or "")
        if page is not None and failed_marker in markdown:
            page.failed = True
        self.current = None

    def stale(self, root: Path, file_hash) -> list[str]:
        """Pages to rebuild: inputs changed or missing, untracked calls, or an error box last time."""
        out = []
        for src, page in sorted(self.pages.items()):
            if page.failed or page.untracked or any(file_hash(root / rel) != digest for rel, digest in page.deps.items()):
                out.append(src)
        return out

    def invalidate(self, root: Path, file_hash) -> list[str]:
        """Delete the HTML of the stale pages (MkDocs' dirty build then rebuilds them); returns them."""
        stale = self.stale(root, file_hash)
        for src in stale:
            self.pages[src].dest.unlink(missing_ok=True)
        return stale
