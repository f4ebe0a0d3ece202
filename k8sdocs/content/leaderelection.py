"""The high-availability page: two kube-scheduler instances, one Lease, a crash and a takeover.

Everything shown comes from :func:`k8sdocs.model.leaderelection.run_failover`; this module groups the steps
into the rows a reader can follow and names them in Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.model.leaderelection import FailoverRun, LeaseStep, run_failover
from k8sdocs.render.markdown import code, escape_text, table
from k8sdocs.render.sequence import trace_sequence
from k8sdocs.render.timefmt import format_time


def failover(book: ExampleBook) -> FailoverRun:
    """The page's run, computed once per build."""
    return book.memo(("leaderelection", "failover"), run_failover)


@dataclass(frozen=True)
class Row:
    """Consecutive steps of one process that do the same thing (grouped so the table stays short)."""

    steps: tuple[LeaseStep, ...]
    saw_change: bool  # for "held": the record differed from the one seen before

    @property
    def first(self) -> LeaseStep:
        return self.steps[0]

    @property
    def last(self) -> LeaseStep:
        return self.steps[-1]


def _saw_change(prev: LeaseStep | None, step: LeaseStep) -> bool:
    return prev is None or prev.renew_time_ms != step.renew_time_ms or prev.holder != step.holder


def timeline_rows(run: FailoverRun) -> list[Row]:
    """Group each process's steps into runs of the same action; a crash, a creation or a takeover ends every run."""
    open_rows: dict[tuple[str, str, bool], list[LeaseStep]] = {}
    last_seen: dict[str, LeaseStep] = {}
    done: list[Row] = []

    def close_all() -> None:
        for (_, _, change), steps in open_rows.items():
            done.append(Row(tuple(steps), change))
        open_rows.clear()

    for step in run.steps:
        change = step.action == "held" and _saw_change(last_seen.get(step.identity), step)
        if step.action in ("crash", "create", "acquire"):
            close_all()
            done.append(Row((step,), False))
        else:
            key = (step.identity, step.action, change)
            for other in [k for k in open_rows if k[0] == step.identity and k != key]:
                done.append(Row(tuple(open_rows.pop(other)), other[2]))
            open_rows.setdefault(key, []).append(step)
        last_seen[step.identity] = step
    close_all()
    return sorted(done, key=lambda r: (r.first.time_ms, run.steps.index(r.first)))


def _when(row: Row, retry_ms: int) -> str:
    if len(row.steps) == 1:
        return format_time(row.first.time_ms)
    return f"de {format_time(row.first.time_ms)} a {format_time(row.last.time_ms)}, cada {format_time(retry_ms)}"


def _what(row: Row, run: FailoverRun) -> str:
    s, n = row.last, len(row.steps)
    lease_s = format_time(run.config.lease_duration_ms)
    if s.action == "create":
        return "no hay Lease: lo crea con su nombre y pasa a ser el líder"
    if s.action == "renew":
        veces = "una vez" if n == 1 else f"{n} veces"
        return f"renueva el Lease ({veces}): escribe `renewTime`"
    if s.action == "crash":
        return "el proceso se detiene: ya no renueva el Lease (y no lo libera)"
    if s.action == "acquire":
        return "el Lease ha caducado: lo toma con su nombre y suma un cambio de líder"
    assert s.observed_time_ms is not None
    expiry = format_time(s.observed_time_ms + run.config.lease_duration_ms)
    if row.saw_change:
        veces = "" if n == 1 else f" ({n} lecturas)"
        if n == 1:
            return (f"lee el Lease: lo tiene `{escape_text(s.holder)}` y `renewTime` ha cambiado; "
                    f"lo da por vigente {lease_s} desde esta lectura, hasta {expiry}")
        return (f"lee el Lease{veces}: lo tiene `{escape_text(s.holder)}` y cada vez `renewTime` ha cambiado; "
                f"lo da por vigente {lease_s} desde cada lectura (tras la última, hasta {expiry})")
    veces = "una lectura" if n == 1 else f"{n} lecturas"
    return f"lee el Lease ({veces}): `renewTime` no ha cambiado y aún no son las {expiry}; sigue esperando"


def timeline_table(book: ExampleBook, espera_toma: str | None = None) -> str:
    """The failover as a table: when, which process, what it does, and the Lease it leaves behind."""
    run = failover(book)
    expect("el instante en que la segunda instancia toma el Lease", espera_toma, value(book, "toma"))
    rows = []
    for row in timeline_rows(run):
        s = row.last
        rows.append([
            escape_text(_when(row, run.config.retry_period_ms)),
            f"{code(s.identity)}: {_what(row, run)}",
            f"{code(s.holder)}, {escape_text(format_time(s.renew_time_ms))}, {s.lease_transitions}",
        ])
    return table(["Instante", "Qué pasa", "Lease después: holderIdentity, renewTime, leaseTransitions"], rows)


def value(book: ExampleBook, dato: str) -> str:
    """A duration or instant of the run, for the page's sentences.

    ``dato``: ``lease``, ``renovacion`` (renew deadline), ``reintento`` (retry period), ``fallo``,
    ``ultima_renovacion``, ``ultima_observacion`` (when the second instance last saw the record change),
    ``caducidad`` (that + lease), ``toma``, ``sin_lider`` (toma − fallo), ``inicio_segunda``.
    """
    run = failover(book)
    first, second = run.first, run.second
    last_renew = run.last_step(first, "renew")
    held = [s for s in run.steps if s.identity == second and s.action == "held"]
    observed = held[-1].observed_time_ms
    take = run.first_step(second, "acquire")
    assert observed is not None
    values = {
        "lease": run.config.lease_duration_ms,
        "renovacion": run.config.renew_deadline_ms,
        "reintento": run.config.retry_period_ms,
        "inicio_segunda": run.second_start_ms,
        "fallo": run.crash_ms,
        "ultima_renovacion": last_renew.time_ms,
        "ultima_observacion": observed,
        "caducidad": observed + run.config.lease_duration_ms,
        "toma": take.time_ms,
        "sin_lider": take.time_ms - run.crash_ms,
    }
    if dato not in values:
        raise ContentError(f"dato desconocido {dato!r}; usa uno de: {', '.join(values)}")
    return format_time(values[dato])


@dataclass(frozen=True)
class _Message:
    """A drawn message (the renderer's TraceEventLike), with Spanish text."""

    seq: int
    time_ms: int
    kind: str
    source: str
    target: str
    summary: str


def diagram(book: ExampleBook) -> str:
    """A sequence diagram of the key steps: creation, the last renewal, the crash, the last read and the takeover."""
    run = failover(book)
    a, b = run.first, run.second
    pa, pb = f"kube-scheduler ({a})", f"kube-scheduler ({b})"
    last_renew = run.last_step(a, "renew")
    held = [s for s in run.steps if s.identity == b and s.action == "held"]
    take = run.first_step(b, "acquire")
    changed = [s for s in held if s.observed_time_ms == s.time_ms]
    last_observed = held[-1].observed_time_ms
    assert last_observed is not None  # a "held" step records when it last saw the record change
    picks: list[tuple[LeaseStep, str, str, str, str]] = [
        (run.first_step(a, "create"), "request", pa, "kube-apiserver", "crea el Lease: holderIdentity=" + a),
        (held[0], "request", pb, "kube-apiserver", "lee el Lease: lo tiene " + a),
        (last_renew, "request", pa, "kube-apiserver", "última renovación: renewTime=" + format_time(last_renew.time_ms)),
        (run.first_step(a, "crash"), "decision", pa, pa, "falla"),
        (changed[-1], "request", pb, "kube-apiserver",
         f"lee el Lease: renewTime={format_time(changed[-1].renew_time_ms)} es nuevo; "
         f"vigente hasta {format_time(changed[-1].time_ms + run.config.lease_duration_ms)}"),
        (held[-1], "request", pb, "kube-apiserver",
         f"lee el Lease: sin cambios, vigente hasta {format_time(last_observed + run.config.lease_duration_ms)}"),
        (take, "request", pb, "kube-apiserver", f"toma el Lease: holderIdentity={b}, leaseTransitions={take.lease_transitions}"),
    ]
    messages = [_Message(i, s.time_ms, kind, src, dst, text) for i, (s, kind, src, dst, text) in enumerate(picks, 1)]
    return trace_sequence(messages, [pa, "kube-apiserver", pb], title="Relevo del líder: el Lease de kube-scheduler")


MACROS = {
    "eleccion_cronologia": timeline_table,
    "eleccion_dato": value,
    "eleccion_diagrama": diagram,
}
