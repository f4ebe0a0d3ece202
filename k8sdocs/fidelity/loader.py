"""Strict reading of fidelity case files, shared by the runner (``python -m k8sdocs.fidelity``) and the page
«¿Cuánto se parece el modelo a Kubernetes?» (issue 15, item 7).

Nothing that is not a well-formed case may count as a pass:

* a path with no case files (an empty folder, a folder of ``.txt``) is a FAIL, and so is a run with no case;
* a case file must be a non-empty YAML list of mappings: ``[]``, a mapping, a scalar are FAILs;
* duplicate keys (``expected:`` twice), YAML anchors/aliases, nesting or sizes beyond ``model/limits.py``,
  bytes that are not UTF-8: one FAIL line naming the file, line and column (the bounded loader of
  ``model/manifests.py``), never a traceback;
* a case file reached through a symlink that leads outside the folder given is a FAIL, and so is an
  ``expected_file`` outside the case file's folder (``model/confine.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from k8sdocs.model.confine import ConfinementError, confined
from k8sdocs.model.limits import InputLimitError, Utf8Error, describe_yaml_error, read_bounded
from k8sdocs.model.manifests import StrictLoader

CASE_SUFFIXES = (".yaml", ".yml")


class CaseFileError(ValueError):
    """A case file that cannot count: ``str()`` is the one-line reason (file named by the caller)."""


@dataclass(frozen=True)
class Found:
    """The case files under the paths given, and one problem line per path that cannot count."""

    files: tuple[Path, ...]
    problems: tuple[tuple[str, str], ...]  # (path as given, reason)


def find_case_files(paths: Sequence[str | Path]) -> Found:
    """Case files under ``paths`` (sorted by path, no repeats); a path without any is a problem, not a pass."""
    files: set[Path] = set()
    problems: list[tuple[str, str]] = []
    for raw in paths:
        given = Path(raw)
        if given.is_dir():
            under = sorted(f for f in given.rglob("*") if f.suffix in CASE_SUFFIXES and (f.is_file() or f.is_symlink()))
            if not under:
                problems.append((str(raw), "no case files (*.yaml, *.yml) in this folder"))
            for f in under:
                try:
                    confined(given, f.relative_to(given).as_posix())
                except ConfinementError as err:
                    problems.append((str(f), str(err)))
                    continue
                files.add(f)
        elif given.is_file():
            files.add(given)
        else:
            problems.append((str(raw), "no such file or directory"))
    return Found(tuple(sorted(files, key=str)), tuple(problems))


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of one file; :class:`CaseFileError` says why the file cannot count (one line)."""
    try:
        text = read_bounded(path)
    except OSError as err:
        raise CaseFileError(f"cannot read cases: {err.strerror}") from None
    except Utf8Error as err:
        raise CaseFileError(f"cannot read cases: line {err.line}, column {err.column}: yaml: {err.problem}") from None
    except InputLimitError as err:
        raise CaseFileError(f"cannot read cases: {err}") from None
    try:
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - bounded SafeLoader, duplicate keys refused
    except yaml.YAMLError as err:
        problem, line, column = describe_yaml_error(err)
        where = f"line {line}, column {column}: " if line is not None else ""
        raise CaseFileError(f"cannot read cases: {where}{problem}") from None
    if not isinstance(data, list):
        raise CaseFileError("a case file must be a YAML list of cases")
    if not data:
        raise CaseFileError("a case file must list at least one case (got an empty list)")
    return data


def expected_path(case_dir: Path, expected_file: Any) -> Path:
    """A case's ``expected_file`` inside the case file's folder (ConfinementError otherwise)."""
    return confined(case_dir, str(expected_file))
