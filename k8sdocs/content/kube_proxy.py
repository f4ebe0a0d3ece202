"""The kube-proxy page: a Service's iptables rules, the chain path of a packet and the probabilities.

Everything comes from the ``iptables-restore`` text that the model's kube-proxy (``k8sdocs/model/kube_proxy``)
wrote on one node of a scenario run, read with upstream's parser (``ParseIPTablesDump``,
``model/kube_proxy/canonical.py``: each rule's chain, comment and parameters by flag). This module only
selects rules and does arithmetic on the ``--probability`` values it finds there (``pkg/proxy/iptables/proxier.go``
writeServiceToEndpointRules: endpoint ``i`` of ``n`` gets ``computeProbability(n - i)``, the last one none).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.content.nodes import decimal_es
from k8sdocs.model.kube_proxy.canonical import IPTablesParseError, Rule, parse_iptables_dump
from k8sdocs.model.kube_proxy.chains import SEP_PREFIX, SVC_PREFIX
from k8sdocs.render.flowchart import FlowEdge, FlowNode, flowchart_figure
from k8sdocs.render.markdown import code, code_block, escape_text, table


def nat_rules(text: str) -> list[Rule]:
    """The rules of the ``*nat`` table of an iptables-restore text, chain by chain, as upstream's parser reads them
    (``ParseIPTablesDump``, ``model/kube_proxy/canonical.py``): chain, comment and parameters by flag."""
    try:
        tables = parse_iptables_dump(text)
    except IPTablesParseError as err:
        raise ContentError(f"el texto de iptables-restore no se puede leer: {err}") from None
    return [rule for table in tables if table.name == "nat" for chain in table.chains for rule in chain.rules]


@dataclass(frozen=True)
class Endpoint:
    index: int  # 0-based position in the KUBE-SVC chain
    address: str  # ip:port from the DNAT rule
    sep_chain: str
    probability_text: str | None  # the --probability value written by kube-proxy, None for the last rule

    @property
    def probability(self) -> Fraction:
        """The rule's own match probability, as the fraction the decimal text stands for (1/(n-i))."""
        if self.probability_text is None:
            return Fraction(1)
        return Fraction(self.probability_text).limit_denominator(10_000)


@dataclass(frozen=True)
class ServiceRules:
    service_port: str  # "default/nginx:http"
    cluster_ip: str
    port: str
    svc_chain: str
    dispatch: Rule  # the KUBE-SERVICES rule that jumps to KUBE-SVC-…
    svc_rules: tuple[Rule, ...]
    sep_rules: tuple[Rule, ...]
    endpoints: tuple[Endpoint, ...]


def rules_from_text(text: str, servicio: str, where: str = "") -> ServiceRules:
    """The rules of Service port ``servicio`` (``namespace/name:port``, or ``namespace/name`` for an unnamed port)
    in the nat table of an iptables-restore text, in any line order (raw or upstream's canonical order)."""
    rules = nat_rules(text)
    dispatch = [r for r in rules if r.chain == "KUBE-SERVICES" and r.comment == f"{servicio} cluster IP"
                and (r.jump or "").startswith(SVC_PREFIX)]
    if not dispatch:
        known = sorted({(r.comment or "").removesuffix(" cluster IP") for r in rules
                        if r.chain == "KUBE-SERVICES" and (r.comment or "").endswith(" cluster IP")})
        raise ContentError(f"kube-proxy{where} no tiene reglas para {servicio}; Services: {', '.join(known) or 'ninguno'}")
    svc_chain = dispatch[0].jump or ""
    svc_rules = tuple(r for r in rules if r.chain == svc_chain)
    to_sep = [r for r in svc_rules if (r.jump or "").startswith(SEP_PREFIX)]
    sep_rules = tuple(r for r in rules if r.chain in {x.jump for x in to_sep})
    endpoints = []
    for i, r in enumerate(to_sep):
        dnat = next((s for s in sep_rules if s.chain == r.jump and s.jump == "DNAT"), None)
        if dnat is None:
            raise ContentError(f"la cadena {r.jump} no tiene regla DNAT")
        endpoints.append(Endpoint(i, dnat.dnat_destination or "", r.jump or "", r.probability))
    return ServiceRules(servicio, dispatch[0].destination_address or "", dispatch[0].destination_port or "", svc_chain,
                        dispatch[0], svc_rules, sep_rules, tuple(endpoints))


def service_rules(book: ExampleBook, escenario: str, servicio: str, nodo: str) -> ServiceRules:
    """The rules of Service port ``servicio`` in the nat table that the kube-proxy of ``nodo`` wrote in ``escenario``."""
    run = book.run(escenario)
    if nodo not in run.iptables:
        raise ContentError(f"no hay kube-proxy en el nodo {nodo}; nodos: {', '.join(sorted(run.iptables)) or 'ninguno'}")
    return rules_from_text(run.iptables[nodo], servicio, f" de {nodo}")


def rules_block(book: ExampleBook, escenario: str, servicio: str, nodo: str, espera_endpoints: int | None = None) -> str:
    """The lines of the nat table that belong to the Service, in the order kube-proxy writes them."""
    sr = service_rules(book, escenario, servicio, nodo)
    expect(f"número de endpoints de {servicio}", espera_endpoints, len(sr.endpoints))
    run = book.run(escenario)
    wanted = {sr.dispatch.raw} | {r.raw for r in sr.svc_rules} | {r.raw for r in sr.sep_rules}
    chains = {sr.svc_chain} | {e.sep_chain for e in sr.endpoints}
    lines = ["*nat"]
    for line in run.iptables[nodo].splitlines():
        if line.startswith(":") and line[1:].split(" ", 1)[0] in chains:
            lines.append(line)
    table_name = ""
    for line in run.iptables[nodo].splitlines():
        if line.startswith("*"):
            table_name = line[1:]
        elif table_name == "nat" and line in wanted:
            lines.append(line)
    lines.append("COMMIT")
    return code_block("\n".join(lines), "text")


def probability_rows(sr: ServiceRules) -> list[list[str]]:
    rows = []
    remaining = Fraction(1)
    for ep in sr.endpoints:
        p = ep.probability
        effective = remaining * p
        rows.append([
            str(ep.index + 1),
            code(ep.address),
            code(ep.probability_text) if ep.probability_text else "sin <code>statistic</code> (siempre)",
            escape_text(f"{p.numerator}/{p.denominator}") if p != 1 else "1",
            escape_text(f"{remaining.numerator}/{remaining.denominator}") if remaining != 1 else "1",
            escape_text(f"{effective.numerator}/{effective.denominator}") + f" ≈ {decimal_es(float(effective), 4)}",
        ])
        remaining -= effective
    return rows


def effective_probabilities(sr: ServiceRules) -> list[Fraction]:
    """Probability that a new connection ends at each endpoint: reach the rule × the rule matches."""
    out = []
    remaining = Fraction(1)
    for ep in sr.endpoints:
        effective = remaining * ep.probability
        out.append(effective)
        remaining -= effective
    return out


def probability_table(book: ExampleBook, escenario: str, servicio: str, nodo: str, espera: str | None = None) -> str:
    """One row per endpoint: its rule's ``--probability``, the chance of reaching the rule and the resulting share.

    ``espera`` states the share each endpoint gets (e.g. ``"1/3"``), checked for every endpoint.
    """
    sr = service_rules(book, escenario, servicio, nodo)
    shares = effective_probabilities(sr)
    if espera is not None:
        expect(f"reparto entre los endpoints de {servicio}", [Fraction(espera)] * len(shares), shares)
    headers = ["Regla", "Endpoint (DNAT)", "<code>--probability</code>", "Fracción", "Llega a la regla", "Acaba aquí"]
    return table(headers, probability_rows(sr), align=["right", "left", "left", "right", "right", "right"])


def chain_path(book: ExampleBook, escenario: str, servicio: str, nodo: str) -> str:
    """Flowchart (SVG, top-down): PREROUTING/OUTPUT -> KUBE-SERVICES -> KUBE-SVC-… -> KUBE-SEP-… -> DNAT, edges with probabilities."""
    sr = service_rules(book, escenario, servicio, nodo)
    nodes = [
        FlowNode("packet", f"paquete a {sr.cluster_ip}:{sr.port}"),
        FlowNode("hook", "PREROUTING / OUTPUT (tabla nat)"),
        FlowNode("services", "KUBE-SERVICES"),
        FlowNode("svc", sr.svc_chain),
    ]
    edges = [
        FlowEdge("packet", "hook"),
        FlowEdge("hook", "services"),
        FlowEdge("services", "svc", f"-d {sr.cluster_ip} --dport {sr.port}"),
    ]
    for ep in sr.endpoints:
        p = ep.probability
        label = f"p = {ep.probability_text} = {p.numerator}/{p.denominator}" if ep.probability_text else "el resto: p = 1"
        nodes += [FlowNode(f"sep{ep.index}", ep.sep_chain), FlowNode(f"dnat{ep.index}", f"DNAT a {ep.address}")]
        edges += [FlowEdge("svc", f"sep{ep.index}", label), FlowEdge(f"sep{ep.index}", f"dnat{ep.index}")]
    title = f"Camino de un paquete a {sr.cluster_ip}:{sr.port} por las cadenas de iptables de {nodo}"
    return flowchart_figure(nodes, edges, title=title, wrap_chars=18)


def endpoint_count(book: ExampleBook, escenario: str, servicio: str, nodo: str) -> str:
    """How many endpoints the Service port has in the rules of ``nodo``."""
    return str(len(service_rules(book, escenario, servicio, nodo).endpoints))


def probability_sentence(book: ExampleBook, escenario: str, servicio: str, nodo: str) -> str:
    """The probabilities of the rules as a readable chain: ``1/3, luego 1/2, luego 1``."""
    sr = service_rules(book, escenario, servicio, nodo)
    parts = []
    for ep in sr.endpoints:
        p = ep.probability
        parts.append("1" if p == 1 else f"{p.numerator}/{p.denominator}")
    return ", luego ".join(parts)


def masquerade_source(book: ExampleBook, escenario: str, servicio: str, nodo: str) -> str:
    """The source range the Service chain does NOT masquerade (``! -s <cluster CIDR>``), as kube-proxy wrote it."""
    sr = service_rules(book, escenario, servicio, nodo)
    for rule in sr.svc_rules:
        source = rule.params.get("-s")
        if rule.jump == "KUBE-MARK-MASQ" and source is not None and source.negated:
            return code(f"! -s {source.value}")
    raise ContentError(f"la cadena {sr.svc_chain} no tiene la regla de enmascaramiento «! -s …»")


def _frac(f: Fraction) -> str:
    return "1" if f == 1 else f"{f.numerator}/{f.denominator}"


def share_explanation(book: ExampleBook, escenario: str, servicio: str, nodo: str) -> str:
    """A bullet list, rule by rule: what reaches the rule, the share it keeps, what it passes on."""
    sr = service_rules(book, escenario, servicio, nodo)
    items = []
    remaining = Fraction(1)
    for ep in sr.endpoints:
        p = ep.probability
        share = remaining * p
        n = ep.index + 1
        if remaining == 1:
            text = f"La regla {n} recibe todas las conexiones nuevas y se queda con {_frac(p)}."
        elif p == 1:
            text = f"A la regla {n} llega {'el' if remaining.numerator == 1 else 'los'} {_frac(remaining)} que queda, " \
                   f"y lo acepta entero: {_frac(share)}."
        else:
            text = (f"A la regla {n} llegan los {_frac(remaining)} restantes, y se queda con {_frac(p)} de ellos: "
                    f"{_frac(remaining)} × {_frac(p)} = {_frac(share)}.")
        items.append(f"- {text} ({code(ep.address)})")
        remaining -= share
    return "\n".join(items) + "\n"


MACROS = {
    "kp_reparto": share_explanation,
    "kp_origen_sin_masq": masquerade_source,
    "kp_reglas": rules_block,
    "kp_camino": chain_path,
    "kp_probabilidades": probability_table,
    "kp_num_endpoints": endpoint_count,
    "kp_fracciones": probability_sentence,
}
