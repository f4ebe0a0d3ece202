"""Paths from untrusted files stay inside the folders the build allows (issue 15, item 1).

A scenario's ``manifests:`` entry, a case's ``expected_file``, a fidelity folder given to a macro: each is a
path written by a contributor. :func:`confined` joins it to its base folder, resolves it (``..`` and
symlinks followed, as the file system will) and refuses anything that ends outside the allowed folders,
so a build can never read ``/etc/passwd``, ``/proc/self/environ`` or ``../../x.yaml`` and publish it.
:func:`check_tree` walks a folder without following symlinks and refuses every symlink that leads
outside the allowed folders (MkDocs copies ``docs/`` following symlinks).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath


class ConfinementError(ValueError):
    """A path leads outside the allowed folders; ``str()`` names the path as written and where it leads."""


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def confined(base: str | Path, relative: str, allowed: Iterable[str | Path] | None = None) -> Path:
    """``base / relative`` resolved; it must be relative and end inside ``allowed`` (default: ``base``)."""
    if not isinstance(relative, str) or not relative:
        raise ConfinementError(f"path {relative!r} must be a non-empty relative path")
    if "\x00" in relative:
        raise ConfinementError(f"path {relative!r} contains a NUL byte")
    if PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).is_absolute() or relative.startswith("~"):
        raise ConfinementError(f"path {relative!r} must be relative (absolute paths are not read)")
    roots = [Path(r).resolve() for r in (allowed if allowed is not None else [base])]
    target = (Path(base) / relative).resolve()
    if not _inside(target, roots):
        shown = ", ".join(_shown(r) for r in roots)
        raise ConfinementError(f"path {relative!r} leads outside {shown}")
    return target


def _shown(root: Path) -> str:
    """A folder named by its last two parts (never the build machine's absolute path)."""
    parts = root.parts[-2:]
    return "/".join(parts) + "/"


def check_tree(folder: str | Path, allowed: Iterable[str | Path], label: str) -> None:
    """Every symlink under ``folder`` (files and folders, not followed while walking) must resolve inside
    ``allowed``; ``label`` is how errors name ``folder`` (e.g. ``docs``)."""
    root = Path(folder)
    if not root.is_dir():
        return
    roots = [Path(r).resolve() for r in allowed]
    for current, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            entry = Path(current) / name
            if not entry.is_symlink():
                continue
            rel = entry.relative_to(root).as_posix()
            try:
                target = entry.resolve(strict=True)
            except (OSError, RuntimeError):
                raise ConfinementError(f"{label}/{rel}: broken or looping symlink") from None
            if not _inside(target, roots):
                raise ConfinementError(f"{label}/{rel}: symlink leads outside the repository's allowed folders "
                                       f"({', '.join(_shown(r) for r in roots)})")
