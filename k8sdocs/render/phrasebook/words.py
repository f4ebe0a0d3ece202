"""Small helpers every phrasebook module shares: agreement of a count with its noun, list fields."""

from __future__ import annotations


def count(n: int | str, singular: str, plural: str) -> str:
    """``n`` and the word that agrees with it: «1 réplica», «0 réplicas», «-1 réplica» (only ±1 is singular)."""
    return f"{n} {singular if abs(int(n)) == 1 else plural}"


def items(joined: str) -> list[str]:
    """A list field (``TraceEvent.data`` joins lists with ``,``) as its items; ``""`` is the empty list."""
    return joined.split(",") if joined else []
