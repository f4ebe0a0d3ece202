"""Scheduling reports: why the scheduler chose a node, or why no node fits.

Input is a ``k8sdocs.model.scheduler`` ``ScheduleResult``; output is Spanish Markdown: a table with
one row per node (filter verdict, score per plugin, weighted total) and a sentence naming the
winner, or the verbatim ``0/N nodes are available: …`` message for an unschedulable pod.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from k8sdocs.render.markdown import admonition, camel_breaks, code, escape_text, table


class StatusLike(Protocol):
    # read-only members: frozen dataclasses (the scheduler's Status) satisfy the protocol
    @property
    def reasons(self) -> Sequence[str]: ...
    @property
    def plugin(self) -> str: ...


class ScheduleResultLike(Protocol):
    @property
    def pod(self) -> str: ...
    @property
    def selected_node(self) -> str | None: ...
    @property
    def evaluated_nodes(self) -> Sequence[str]: ...
    @property
    def filter_statuses(self) -> Mapping[str, StatusLike]: ...
    @property
    def feasible_nodes(self) -> Sequence[str]: ...
    @property
    def scores(self) -> Mapping[str, Mapping[str, int]]: ...
    @property
    def weights(self) -> Mapping[str, int]: ...
    @property
    def total_scores(self) -> Mapping[str, int]: ...
    @property
    def message(self) -> str | None: ...


def breakable(name: str) -> str:
    """A plugin name that may wrap at its CamelCase boundaries (``<wbr>``), so wide tables fit a page."""
    return camel_breaks(escape_text(name))


def score_plugins(result: ScheduleResultLike) -> list[str]:
    """Plugins that scored at least one node, in the profile's order (the order of ``weights``)."""
    return [p for p in result.weights if p in result.scores and result.scores[p]]


def zero_plugins(result: ScheduleResultLike) -> list[str]:
    """Scoring plugins that gave 0 to every node they scored: they add nothing to any total."""
    return [p for p in score_plugins(result) if all(v == 0 for v in result.scores[p].values())]


def shown_plugins(result: ScheduleResultLike) -> list[str]:
    """The score columns of the table: every scoring plugin except those that gave 0 everywhere (said below it)."""
    zero = zero_plugins(result)
    return [p for p in score_plugins(result) if p not in zero]


def node_rows(result: ScheduleResultLike, all_nodes: Sequence[str]) -> list[list[str]]:
    """One row per node: name, filter verdict, one score column per plugin with a non-zero score, weighted total."""
    plugins = shown_plugins(result)
    evaluated = set(result.evaluated_nodes)
    rows: list[list[str]] = []
    for node in all_nodes:
        name = code(node)
        if node == result.selected_node:
            name = f"**{name}** ✓"
        if node in result.filter_statuses:
            status = result.filter_statuses[node]
            reasons = "; ".join(status.reasons)
            verdict = f"✗ {escape_text(status.plugin)}: {code(reasons)}"
            rows.append([name, verdict] + ["—"] * len(plugins) + ["—"])
        elif node not in evaluated:
            rows.append([name, "no evaluado"] + ["—"] * len(plugins) + ["—"])
        else:
            cells = [str(result.scores[p].get(node, "—")) for p in plugins]
            total = result.total_scores.get(node)
            rows.append([name, "✓ pasa"] + cells + ["—" if total is None else str(total)])
    return rows


def report(result: ScheduleResultLike, all_nodes: Sequence[str]) -> str:
    """The full Markdown report for one scheduling decision."""
    plugins = shown_plugins(result)
    headers = ["Nodo", "Filtros"] + [f"{breakable(p)} (×{result.weights[p]})" for p in plugins] + ["Total"]
    align = ["left", "left"] + ["right"] * (len(plugins) + 1)
    parts = [table(headers, node_rows(result, all_nodes), align=align)]  # type: ignore[arg-type]
    zero = zero_plugins(result)
    if zero:
        names = ", ".join(escape_text(p) for p in zero)
        parts.append(f"Sin columna (puntúa 0 en todos los nodos, no cambia ningún total): {names}.\n")
    if result.selected_node is not None:
        total = result.total_scores.get(result.selected_node)
        best = [n for n, t in result.total_scores.items() if t == total]
        sentence = f"El planificador vincula el Pod {code(result.pod)} al nodo **{code(result.selected_node)}**"
        if len(result.feasible_nodes) == 1:
            sentence += ": es el único nodo que pasa los filtros, así que no se puntúa."
        else:
            sentence += f", con la puntuación total más alta ({total})."
        if len(best) > 1:
            tied = ", ".join(code(n) for n in sorted(best))
            sentence += (
                f" Hay un empate entre {tied}: kube-scheduler elige al azar entre ellos; "
                "el modelo usa una semilla fija para que el resultado sea reproducible."
            )
        parts.append(sentence + "\n")
    else:
        body = "kube-scheduler no encuentra ningún nodo y registra el evento `FailedScheduling`:\n\n"
        body += code(result.message or "") + "\n"
        parts.append(admonition("failure", "Pod no planificable", body))
    return "\n".join(parts)
