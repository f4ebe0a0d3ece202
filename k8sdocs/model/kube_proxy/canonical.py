"""Upstream's canonical order for iptables-restore text: a port of the test helper
``sortIPTablesRules`` (pkg/proxy/iptables/proxier_test.go, v1.32+ era) and of the parser it uses,
``ParseIPTablesDump`` / ``ParseRule`` / ``IPTablesDump.String`` (pkg/util/iptables/testing/parse.go,
kubernetes/kubernetes@21cd2f2472c2).

Tables sort by name; chains sort KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* alphabetically, then
non-KUBE-*; rules print chain by chain (raw text), then ``-X`` deletions; the rules of
KUBE-NODEPORTS and KUBE-SERVICES are stable-sorted by the service name in their ``--comment``
(nat KUBE-SERVICES keeps its "must be the last rule" rule last).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from k8sdocs.model.kube_proxy.chains import KUBE_NODEPORTS, KUBE_SERVICES
from k8sdocs.model.kube_proxy.gosort import slice_stable

# parse.go regexes; Go's \s is [\t\n\f\r ] and \S its complement (Python's are wider).
_DECLARE_TABLE = re.compile(r"^\*(.*)$")
_DECLARE_CHAIN = re.compile(r"^:([^ ]*) - \[([0-9]*):([0-9]*)\]$")
_ADD_RULE = re.compile(r"^-A ([^ ]*) (.*)$")
_DELETE_CHAIN = re.compile(r"^-X (.*)$")
_WORD = re.compile(r'(?:^|[\t\n\f\r ])("[^"]*"|[^"][^\t\n\f\r ]*)')
_GO_SPACE = " \t\n\v\f\r\x85\xa0"  # strings.TrimSpace (unicode.IsSpace, Latin-1 subset)

# Rule fields parse.go knows ("param" tag -> takes a value?, negatable?).
_PARAMS: dict[str, tuple[bool, bool]] = {
    "-A": (True, False),
    "--comment": (True, False),
    "-p": (True, True),
    "-s": (True, True),
    "--src-type": (True, True),
    "--sport": (True, True),
    "-d": (True, True),
    "--dst-type": (True, True),
    "--dport": (True, True),
    "--match-set": (True, True),
    "-j": (True, False),
    "--random-fully": (False, False),
    "--probability": (True, False),
    "--to-destination": (True, False),
    "--rcheck": (False, True),
    "--mark": (True, True),
    "--ctstate": (True, True),
    "--name": (True, False),
    "--seconds": (True, False),
    "--set": (False, True),
    "--reap": (False, False),
    "--mode": (True, False),
}


class IPTablesParseError(ValueError):
    """The text is not an iptables-restore dump that upstream's parser accepts."""


@dataclass(frozen=True)
class IPTablesValue:
    """``IPTablesValue``: one parameter of a rule, its value (``""`` for a flag) and whether ``!`` negates it."""

    value: str
    negated: bool = False


@dataclass
class Rule:
    """``Rule``: the raw text, its chain and its parameters by flag (``-d``, ``--dport``, ``-j``, ``--probability``,
    ``--to-destination``...); the typed fields upstream names are properties over ``params``."""

    raw: str
    comment: str | None = None
    chain: str = ""
    params: dict[str, IPTablesValue] = field(default_factory=dict)

    def value(self, flag: str) -> str | None:
        """The value of parameter ``flag`` (negated or not), or ``None`` when the rule does not have it."""
        param = self.params.get(flag)
        return None if param is None else param.value

    @property
    def jump(self) -> str | None:
        return self.value("-j")

    @property
    def destination_address(self) -> str | None:
        return self.value("-d")

    @property
    def destination_port(self) -> str | None:
        return self.value("--dport")

    @property
    def probability(self) -> str | None:
        return self.value("--probability")

    @property
    def dnat_destination(self) -> str | None:
        return self.value("--to-destination")


@dataclass
class Chain:
    name: str
    packets: int = 0
    bytes: int = 0
    rules: list[Rule] = field(default_factory=list)
    deleted: bool = False


@dataclass
class Table:
    name: str
    chains: list[Chain] = field(default_factory=list)


def parse_rule(rule: str) -> Rule:
    """``ParseRule(rule, strict=false)``: the chain, the comment (the field the sort uses) and every parameter."""
    words = [m.group(1).strip('"') for m in _WORD.finditer(rule)]
    if len(words) < 2 or words[0] != "-A":
        raise IPTablesParseError('bad iptables rule (does not start with "-A CHAIN")')
    if len(words) < 3:
        raise IPTablesParseError("bad iptables rule (no match rules)")
    parsed = Rule(raw=rule)
    negated = False
    w = 0
    while w < len(words):
        if words[w] == "-m" and w < len(words) - 1:
            w += 2
            continue
        if words[w] == "!":
            negated = True
            w += 1
            continue
        spec = _PARAMS.get(words[w])
        if spec is not None:
            takes_value, negatable = spec
            if negated and not negatable:
                raise IPTablesParseError(f"cannot negate parameter {words[w]!r}")
            if takes_value and w == len(words) - 1:
                raise IPTablesParseError(f"parameter {words[w]!r} requires an argument")
            if takes_value:
                if words[w] == "--comment":
                    parsed.comment = words[w + 1]
                if words[w] == "-A":
                    parsed.chain = words[w + 1]
                else:
                    parsed.params[words[w]] = IPTablesValue(words[w + 1], negated)
                w += 2
            else:
                parsed.params[words[w]] = IPTablesValue("", negated)
                w += 1
        else:
            w += 1
        negated = False
    return parsed


def parse_iptables_dump(data: str) -> list[Table]:
    """``ParseIPTablesDump``."""
    tables: list[Table] = []
    state = "table"
    table: Table | None = None
    # GetChain -> GetTable finds the first table of that name, then the first chain of that name.
    first_tables: dict[str, Table] = {}
    indices: dict[str, dict[str, Chain]] = {}

    def get_chain(name: str) -> Chain:
        assert table is not None
        chain = indices[table.name].get(name)
        if chain is None:
            raise IPTablesParseError(f"no such chain {name!r}")
        return chain

    for raw_line in data.strip("\n").split("\n"):
        line = raw_line.strip(_GO_SPACE)
        if line == "" or line[0] == "#":
            continue
        while True:  # "goto retry"
            if state == "table":
                m = _DECLARE_TABLE.match(line)
                if m is None:
                    raise IPTablesParseError(
                        f"could not parse iptables data (table {len(tables) + 1} starts with {line!r} not a table name)"
                    )
                table = Table(m.group(1))
                tables.append(table)
                first_tables.setdefault(table.name, table)
                indices.setdefault(table.name, {})
                state = "chains-decl"
            elif state == "chains-decl":
                m = _DECLARE_CHAIN.match(line)
                if m is None:
                    state = "chains"
                    continue
                assert table is not None
                table.chains.append(Chain(m.group(1), int(m.group(2) or 0), int(m.group(3) or 0)))
                if first_tables[table.name] is table:
                    indices[table.name].setdefault(m.group(1), table.chains[-1])
            else:
                m = _ADD_RULE.match(line)
                if m is not None:
                    try:
                        chain = get_chain(m.group(1))
                    except IPTablesParseError as err:
                        raise IPTablesParseError(f"error parsing rule {line!r}: {err}") from None
                    if chain.deleted:
                        raise IPTablesParseError(f"cannot add rules to deleted chain {m.group(1)!r}")
                    chain.rules.append(parse_rule(line))
                elif (m := _DELETE_CHAIN.match(line)) is not None:
                    try:
                        chain = get_chain(m.group(1))
                    except IPTablesParseError as err:
                        raise IPTablesParseError(f"error parsing rule {line!r}: {err}") from None
                    if chain.rules:
                        raise IPTablesParseError(f"cannot delete chain {m.group(1)!r} after adding rules")
                    chain.deleted = True
                elif line == "COMMIT":
                    state = "table"
                else:
                    raise IPTablesParseError(f"error parsing rule {line!r}")
            break
    if state != "table":
        raise IPTablesParseError("could not parse iptables data (no COMMIT line?)")
    return tables


def dump_string(tables: list[Table]) -> str:
    """``IPTablesDump.String``."""
    out: list[str] = []
    for t in tables:
        out.append(f"*{t.name}")
        out.extend(f":{c.name} - [{c.packets}:{c.bytes}]" for c in t.chains)
        out.extend(r.raw for c in t.chains for r in c.rules)
        out.extend(f"-X {c.name}" for c in t.chains if c.deleted)
        out.append("COMMIT")
    return "".join(line + "\n" for line in out)


def _order_by_comment_service_name(rule1: Rule, rule2: Rule) -> bool:
    """``orderByCommentServiceName``: the service name is the comment up to the first space or colon."""
    if rule1.comment is None or rule2.comment is None:
        return False

    def name(comment: str) -> str:
        idx = [i for i in (comment.find(" "), comment.find(":")) if i != -1]
        return comment[: min(idx)] if idx else comment

    return name(rule1.comment).encode() < name(rule2.comment).encode()


def _chain_less(a: Chain, b: Chain) -> bool:
    if a.name == KUBE_NODEPORTS:
        return True
    if b.name == KUBE_NODEPORTS:
        return False
    if a.name == KUBE_SERVICES:
        return True
    if b.name == KUBE_SERVICES:
        return False
    a_kube, b_kube = a.name.startswith("KUBE-"), b.name.startswith("KUBE-")
    if a_kube and not b_kube:
        return True
    if not a_kube and b_kube:
        return False
    return a.name.encode() < b.name.encode()


def _get_chain(tables: list[Table], table: str, chain: str) -> Chain | None:
    for t in tables:
        if t.name == table:
            for c in t.chains:
                if c.name == chain:
                    return c
    return None


def _last_rule_first_less(r1: Rule, r2: Rule) -> bool:
    if r1.comment is not None and "must be the last rule" in r1.comment:
        return False
    if r2.comment is not None and "must be the last rule" in r2.comment:
        return True
    return _order_by_comment_service_name(r1, r2)


def _chain_cmp(a: Chain, b: Chain) -> int:
    return -1 if _chain_less(a, b) else (1 if _chain_less(b, a) else 0)


def canonical_order(text: str) -> str:
    """``sortIPTablesRules``: the normalization upstream's tests apply before comparing."""
    tables = parse_iptables_dump(text)
    tables.sort(key=lambda t: t.name.encode())  # table names are unique: any correct sort agrees
    for t in tables:
        t.chains.sort(key=functools.cmp_to_key(_chain_cmp))
    for table_name in ("filter", "nat"):
        chain = _get_chain(tables, table_name, KUBE_NODEPORTS)
        if chain is not None:
            slice_stable(chain.rules, _order_by_comment_service_name)
    chain = _get_chain(tables, "filter", KUBE_SERVICES)
    if chain is not None:
        slice_stable(chain.rules, _order_by_comment_service_name)
    chain = _get_chain(tables, "nat", KUBE_SERVICES)
    if chain is not None:
        slice_stable(chain.rules, _last_rule_first_less)
    return dump_string(tables)
