"""canonical_order is a port of sortIPTablesRules: checked with upstream's own TestSortIPTablesRules cases
(pkg/proxy/iptables/proxier_test.go, v1.32+ era) and the parse errors of ParseIPTablesDump
(pkg/util/iptables/testing/parse.go)."""

from pathlib import Path

import pytest

from k8sdocs.model.kube_proxy.canonical import IPTablesParseError, canonical_order, parse_iptables_dump, parse_rule
from k8sdocs.model.kube_proxy.gosort import slice_stable

DATA = Path(__file__).parent / "data"


def test_TestSortIPTablesRules_basic_test_using_each_match_type() -> None:
    text = (DATA / "sort-basic-input.txt").read_text()
    assert canonical_order(text) == (DATA / "sort-basic-output.txt").read_text()


def test_TestSortIPTablesRules_same_service_name_in_different_styles_of_comments() -> None:
    text = """
*filter
COMMIT
*nat
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2
-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" svc1 line 1
-A KUBE-SERVICES -m comment --comment ns1/svc1 svc1 line 2
-A KUBE-SERVICES -m comment --comment "ns1/svc1 blah" svc1 line 3
-A KUBE-SERVICES -m comment --comment ns4/svc4 svc4 line 1
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" svc4 line 2
-A KUBE-SERVICES -m comment --comment "ns4/svc4 blah" svc4 line 3
-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" svc3 line 1
-A KUBE-SERVICES -m comment --comment "ns3/svc3 blah" svc3 line 2
-A KUBE-SERVICES -m comment --comment ns3/svc3 svc3 line 3
COMMIT
"""
    assert canonical_order(text) == (
        "*filter\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n"
        '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" svc1 line 1\n'
        "-A KUBE-SERVICES -m comment --comment ns1/svc1 svc1 line 2\n"
        '-A KUBE-SERVICES -m comment --comment "ns1/svc1 blah" svc1 line 3\n'
        '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1\n'
        "-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2\n"
        '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3\n'
        '-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" svc3 line 1\n'
        '-A KUBE-SERVICES -m comment --comment "ns3/svc3 blah" svc3 line 2\n'
        "-A KUBE-SERVICES -m comment --comment ns3/svc3 svc3 line 3\n"
        "-A KUBE-SERVICES -m comment --comment ns4/svc4 svc4 line 1\n"
        '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" svc4 line 2\n'
        '-A KUBE-SERVICES -m comment --comment "ns4/svc4 blah" svc4 line 3\n'
        "COMMIT\n"
    )


def test_TestSortIPTablesRules_unexpected_junk_lines_are_preserved() -> None:
    text = """
*filter
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-AAAAA - [0:0]
:KUBE-ZZZZZ - [0:0]
:WHY-IS-THIS-CHAIN-HERE - [0:0]
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2
-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT
-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3
-A KUBE-AAAAA -m comment --comment "mystery chain number 2"
COMMIT
"""
    assert canonical_order(text) == (
        "*filter\nCOMMIT\n*nat\n"
        ":KUBE-SERVICES - [0:0]\n:KUBE-AAAAA - [0:0]\n:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]\n"
        ":KUBE-ZZZZZ - [0:0]\n:WHY-IS-THIS-CHAIN-HERE - [0:0]\n"
        '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1\n'
        "-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2\n"
        '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3\n'
        '-A KUBE-AAAAA -m comment --comment "mystery chain number 2"\n'
        "-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80\n"
        '-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"\n'
        "-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT\n"
        "COMMIT\n"
    )


def test_TestSortIPTablesRules_extra_tables_sorted_by_name() -> None:
    body = (
        ":KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n"
        "-A KUBE-NODEPORTS -m comment --comment x -j ACCEPT\n"
    )
    text = f"*nat\n{body}COMMIT\n*mangle\n{body}COMMIT\n*filter\n{body}COMMIT\n"
    out = canonical_order(text)
    assert [line for line in out.splitlines() if line.startswith("*")] == ["*filter", "*mangle", "*nat"]
    assert out.startswith("*filter\n:KUBE-NODEPORTS - [0:0]\n:KUBE-SERVICES - [0:0]\n")


def test_deleted_chains_print_after_all_rules() -> None:
    text = "*filter\nCOMMIT\n*nat\n:KUBE-SVC-B - [0:0]\n:KUBE-SVC-A - [0:0]\n:KUBE-SERVICES - [0:0]\n-X KUBE-SVC-B\n-A KUBE-SVC-A -j ACCEPT\nCOMMIT\n"
    assert canonical_order(text).endswith("-A KUBE-SVC-A -j ACCEPT\n-X KUBE-SVC-B\nCOMMIT\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (":KUBE-SERVICES - [0:0]\nCOMMIT\n", "could not parse iptables data (table 1 starts with"),
        ("*nat\n:KUBE-SERVICES - [0:0]\n", "could not parse iptables data (no COMMIT line?)"),
        ("*nat\n-A KUBE-SERVICES -j ACCEPT\nCOMMIT\n", "error parsing rule"),
        ("*nat\n:KUBE-A - [0:0]\n-A KUBE-A -j ACCEPT\n-X KUBE-A\nCOMMIT\n", "cannot delete chain"),
    ],
)
def test_parse_errors_as_upstream(text: str, message: str) -> None:
    with pytest.raises(IPTablesParseError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        parse_iptables_dump(text)


def test_parse_rule_reads_quoted_and_bare_comments() -> None:
    assert parse_rule('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -j X').comment == "ns1/svc1:p80 cluster IP"
    assert parse_rule("-A KUBE-SEP-X -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ").comment == "ns1/svc1:p80"
    with pytest.raises(IPTablesParseError, match="cannot negate"):
        parse_rule("-A KUBE-X ! -j DROP")


def test_go_slice_stable_keeps_equal_elements_in_order() -> None:
    data = [(i % 7, i) for i in range(100)]
    slice_stable(data, lambda a, b: a[0] < b[0])
    assert data == sorted(((i % 7, i) for i in range(100)), key=lambda x: x[0])


def test_parse_rule_keeps_chain_and_parameters():
    """ParseRule fills the Rule's chain and its parameters (IPTablesValue: value, negated), as parse.go does."""
    rule = parse_rule('-A KUBE-SVC-X -m comment --comment "ns/svc:p cluster IP" -m tcp -p tcp -d 10.96.0.10 '
                      "--dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ")
    assert rule.chain == "KUBE-SVC-X" and rule.comment == "ns/svc:p cluster IP" and rule.jump == "KUBE-MARK-MASQ"
    assert (rule.destination_address, rule.destination_port) == ("10.96.0.10", "80")
    assert rule.params["-s"].negated and rule.params["-s"].value == "10.244.0.0/16"
    assert not rule.params["-d"].negated and rule.probability is None
    pick = parse_rule("-A KUBE-SVC-X -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-A")
    assert pick.probability == "0.3333333333" and pick.params["--mode"].value == "random"
    dnat = parse_rule("-A KUBE-SEP-A -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:80")
    assert dnat.dnat_destination == "10.244.0.5:80"
