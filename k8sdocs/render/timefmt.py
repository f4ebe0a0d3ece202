"""Simulated time as Spanish readers expect it."""

from __future__ import annotations


def format_time(time_ms: int) -> str:
    """``12,5 s`` (decimal comma), ``0 s``, ``5 min 50 s``."""
    seconds, millis = divmod(time_ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    frac = f",{millis:03d}".rstrip("0").rstrip(",") if millis else ""
    if minutes:
        return f"{minutes} min {seconds}{frac} s"
    return f"{seconds}{frac} s"
