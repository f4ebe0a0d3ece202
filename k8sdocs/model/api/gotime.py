"""Go's ``time.Duration`` text and RFC 3339 instants, as the upstream helpers exchange them.

``format_duration`` is ``time.Duration.String`` (src/time/time.go): "0s", "1.5s", "2m0s", "1h0m0s", "-1ns", "1µs".
Instants are ``metav1.Time`` values serialised as RFC 3339 (second precision); the model keeps them as integer
milliseconds since the epoch.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

NANOSECOND = 1
MICROSECOND = 1_000
MILLISECOND = 1_000_000
SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE


def _fmt_frac(v: int, prec: int) -> tuple[str, int]:
    """time.fmtFrac: the fraction of v/10**prec without trailing zeros, and v // 10**prec."""
    digits = ""
    printed = False
    for _ in range(prec):
        d = v % 10
        printed = printed or d != 0
        if printed:
            digits = str(d) + digits
        v //= 10
    return ("." + digits if printed else ""), v


def format_duration(ns: int) -> str:
    """``time.Duration(ns).String()``."""
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = -ns if neg else ns
    if u < SECOND:
        if u < MICROSECOND:
            out = f"{u}ns"
        elif u < MILLISECOND:
            frac, whole = _fmt_frac(u, 3)
            out = f"{whole}{frac}µs"
        else:
            frac, whole = _fmt_frac(u, 6)
            out = f"{whole}{frac}ms"
    else:
        frac, whole = _fmt_frac(u, 9)
        secs = whole % 60
        whole //= 60
        out = f"{secs}{frac}s"
        if whole > 0:
            mins = whole % 60
            whole //= 60
            out = f"{mins}m" + out
            if whole > 0:
                out = f"{whole}h" + out
    return "-" + out if neg else out


_UNITS = {"ns": 1, "us": MICROSECOND, "µs": MICROSECOND, "μs": MICROSECOND, "ms": MILLISECOND, "s": SECOND,
          "m": MINUTE, "h": HOUR}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> int:
    """``time.ParseDuration`` → nanoseconds (raises ValueError like Go's error cases)."""
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise ValueError(f'time: invalid duration "{text}"')
    total = 0
    pos = 0
    while pos < len(s):
        m = _DURATION_PART.match(s, pos)
        if not m or m.group(1) in ("", "."):
            raise ValueError(f'time: invalid duration "{text}"')
        number, unit = m.group(1), m.group(2)
        whole, _, frac = number.partition(".")
        value = int(whole or "0") * _UNITS[unit]
        if frac:
            value += int(frac) * _UNITS[unit] // 10 ** len(frac)
        total += value
        pos = m.end()
    return -total if neg else total


_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def parse_time_ms(text: str | None) -> int | None:
    """An RFC 3339 instant (``metav1.Time`` / ``MicroTime``) → epoch milliseconds, as Go's ``Time.UnixMilli`` (exact
    integer arithmetic, rounding down); None for an absent/zero time. A timestamp without offset is UTC."""
    if not text:
        return None
    dt = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    delta = dt - _UNIX_EPOCH
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000
