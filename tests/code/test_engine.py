"""The engine: one parse, one walk, every rule; aliases, locations, failures, fingerprints."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.engine import RuleTable, analyze_file, analyze_source, run_rules
from bastion.code.fingerprint import normalize_code
from bastion.code.records import FileAnalysis, from_record, to_record
from bastion.code.rule import Issue, RuleSpec, load_rules
from bastion.findings import Confidence, Severity

RULES = load_rules()


def spec(
    rule_id: str,
    check: object,
    nodes: tuple[type[ast.AST], ...] = (ast.Call,),
    calls: frozenset[str] = frozenset(),
) -> RuleSpec:
    return RuleSpec(
        id=rule_id,
        name=f"probe_{rule_id.lower()}",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=78,
        node_types=nodes,
        check=check,  # type: ignore[arg-type]
        pack="test",
        doc="A probe rule.\n\n## What it does\nProbes.",
    )


def analyse(source: str, *specs: RuleSpec, relpath: str = "m.py") -> FileAnalysis:
    text = textwrap.dedent(source)
    return run_rules(
        ast.parse(text), text, "pkg/m.py", relpath, RuleTable({s.id: s for s in specs})
    )


def test_one_walk_dispatches_each_node_type_to_its_rules_in_source_order() -> None:
    seen: list[tuple[str, str, int]] = []

    def calls(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        seen.append(("T1", type(node).__name__, node.lineno))
        yield from ()

    def names(node: ast.AST, ctx: FileContext) -> Iterator[Issue]:
        seen.append(("T2", type(node).__name__, getattr(node, "lineno", 0)))
        yield from ()

    analyse(
        """
        f(1)
        def g():
            assert h()
        """,
        spec("T1", calls),
        spec("T2", names, (ast.FunctionDef, ast.Assert)),
    )
    assert seen == [
        ("T1", "Call", 2),
        ("T2", "FunctionDef", 3),
        ("T2", "Assert", 4),
        ("T1", "Call", 4),
    ]


def test_imports_and_aliases_resolve_call_names() -> None:
    names: dict[int, str | None] = {}

    def record(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        names[node.lineno] = ctx.call_name(node)
        yield from ()

    analyse(
        """
        def early(cmd):
            P(cmd, shell=True)
        from subprocess import Popen as P
        import os as o
        import os.path
        run = o.system
        o.system("x")
        os.path.join("a")
        run("y")
        def late():
            import shutil as sh
            sh.rmtree("z")
        """,
        spec("T1", record),
    )
    assert names == {
        3: "subprocess.Popen",
        8: "os.system",
        9: "os.path.join",
        10: "os.system",
        13: "shutil.rmtree",
    }


def test_real_rules_catch_aliased_calls() -> None:
    findings = analyze_source(
        "a.py",
        "from subprocess import Popen as P\nimport os as o\n"
        "def f(cmd, x):\n    P(cmd, shell=True)\n    o.system(x)\n",
        {rid: RULES[rid] for rid in ("B602", "B605")},
    )
    assert [(f.rule_id, f.location.line if f.location else 0) for f in findings] == [
        ("B602", 4),
        ("B605", 5),
    ]


def test_location_has_line_column_end_and_source_line() -> None:
    def flag(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        yield Issue(node, "flagged", severity=Severity.HIGH)

    result = analyse("x = 1\nvalue = danger(\n    1, 2)\n", spec("T1", flag))
    (finding,) = result.findings
    assert finding.location is not None
    assert (
        finding.location.path,
        finding.location.line,
        finding.location.column,
        finding.location.end_line,
        finding.location.end_column,
        finding.location.snippet,
    ) == ("pkg/m.py", 2, 9, 3, 10, "value = danger(")
    assert (finding.rule_id, finding.check, finding.title, finding.severity) == (
        "T1",
        "scan",
        "flagged",
        Severity.HIGH,
    )
    assert (finding.confidence, finding.cwe, finding.description) == (
        Confidence.MEDIUM,
        ("CWE-78",),
        "A probe rule.",
    )


def test_a_failing_rule_becomes_a_warning_and_the_others_still_run() -> None:
    def broken(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        raise ValueError("boom")
        yield

    def fine(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        yield Issue(node, "ok")

    result = analyse("f()\n", spec("T1", broken), spec("T2", fine))
    assert [f.rule_id for f in result.findings] == ["T2"]
    assert [str(d) for d in result.diagnostics] == [
        "pkg/m.py:1: rule T1 failed: ValueError: boom; results may be incomplete"
    ]


def test_a_file_that_does_not_parse_is_one_warning() -> None:
    table = RuleTable(RULES)
    result = analyze_file("bad.py", b"def f(:\n    pass\n", table, "bad.py")
    assert result.findings == []
    assert [str(d) for d in result.diagnostics] == [
        "bad.py:1: does not parse: invalid syntax; file not scanned"
    ]
    nulls = analyze_file("nul.py", b"x = 1\x00\n", table, "nul.py")
    assert len(nulls.diagnostics) == 1
    assert "file not scanned" in nulls.diagnostics[0].message
    undecodable = analyze_file("enc.py", b"x = '\xff'\n", table, "enc.py")
    assert len(undecodable.diagnostics) == 1
    assert undecodable.diagnostics[0].message.startswith("cannot decode")


def test_coding_cookies_and_bom_are_honoured() -> None:
    def flag(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        yield Issue(node, "flagged")

    table = RuleTable({"T1": spec("T1", flag)})
    latin = "# -*- coding: latin-1 -*-\nf('caf\u00e9')\n".encode("latin-1")
    result = analyze_file("l.py", latin, table, "l.py")
    assert result.findings[0].location is not None
    assert result.findings[0].location.snippet == "f('caf\u00e9')"
    bom = analyze_file("b.py", b"\xef\xbb\xbff('x')\n", table, "b.py")
    assert [f.location.line for f in bom.findings if f.location] == [1]


def test_pathological_files_are_analysed() -> None:
    """A 200,000-element literal and a 900-term expression: no crash, no recursion error."""
    calls: list[int] = []

    def count(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        calls.append(node.lineno)
        if node.args:
            ctx.is_constant(node.args[0])
            ctx.taint(node.args[0])
        yield from ()

    big = "data = [" + ", ".join(["'x'"] * 200_000) + "]\n"
    deep = "value = f(" + " + ".join(["a"] * 900) + ")\n"
    nested = "thing = g(" + "[" * 150 + "1" + "]" * 150 + ")\n"
    table = RuleTable({"T1": spec("T1", count)})
    result = analyze_file("p.py", (big + deep + nested).encode(), table, "p.py")
    assert result.diagnostics == []
    assert calls == [2, 3]


def test_a_file_too_deep_to_parse_is_one_warning_and_deep_blocks_are_analysed() -> None:
    table = RuleTable({"B605": RULES["B605"]})
    too_deep = ("x = " + " + ".join(["a"] * 5000) + "\n").encode()
    result = analyze_file("deep.py", too_deep, table, "deep.py")
    assert result.findings == []
    assert [str(d) for d in result.diagnostics] == [
        "deep.py: does not parse: maximum recursion depth exceeded during ast construction;"
        " file not scanned"
    ]
    chain = "import os\ndef f(x):\n    if x == 0:\n        os.system(x)\n" + "".join(
        f"    elif x == {i}:\n        os.system(x)\n" for i in range(1, 1000)
    )
    result = analyze_file("elif.py", chain.encode(), table, "elif.py")
    assert result.diagnostics == []
    assert len(result.findings) == 1000
    assert {(f.rule_id, f.severity) for f in result.findings} == {("B605", Severity.HIGH)}


def test_taint_paths_become_evidence_with_high_confidence() -> None:
    def sink(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        if ctx.call_name(node) == "os.system":
            yield Issue(node, "shell", confidence=Confidence.LOW, taint=ctx.taint(node.args[0]))

    result = analyse(
        """
        import os, sys
        name = sys.argv[1]
        os.system("echo " + name)
        """,
        spec("T1", sink),
    )
    (finding,) = result.findings
    assert finding.confidence is Confidence.HIGH
    assert [(e.location.line, e.message) for e in finding.evidence] == [
        (3, "command-line arguments (sys.argv)"),
        (3, "assigned to `name`"),
        (4, "reaches the sink"),
    ]
    assert finding.evidence[0].location.snippet == "name = sys.argv[1]"
    assert finding.evidence[-1].location.snippet == 'os.system("echo " + name)'


def test_calls_hint_limits_a_rule_to_named_calls() -> None:
    seen: list[int] = []

    def record(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        seen.append(node.lineno)
        yield from ()

    hinted = spec("T1", record)
    hinted = RuleSpec(
        **{**{f: getattr(hinted, f) for f in hinted.__slots__}, "calls": frozenset({"loads"})}
    )  # type: ignore[attr-defined]
    analyse(
        """
        import pickle
        from pickle import loads as ld
        pickle.loads(b"")
        ld(b"")
        pickle.dumps(1)
        other()
        """,
        hinted,
    )
    assert seen == [4, 5]


def test_keywords_hint_limits_a_rule_to_calls_passing_those_keywords() -> None:
    seen: dict[str, list[int]] = {"shell": [], "any": [], "both": []}

    def recorder(key: str) -> object:
        def record(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
            seen[key].append(node.lineno)
            yield from ()

        return record

    def hinted(rule_id: str, key: str, **hints: frozenset[str]) -> RuleSpec:
        base = spec(rule_id, recorder(key))
        fields = {f: getattr(base, f) for f in base.__slots__}  # type: ignore[attr-defined]
        return RuleSpec(**{**fields, **hints})

    analyse(
        """
        import subprocess
        run_it(cmd, shell=True)
        subprocess.run(cmd, shell=False, check=True)
        call(cmd, timeout=3)
        call(cmd)
        wrap_socket(sock)
        """,
        hinted("T1", "shell", keywords=frozenset({"shell"})),
        hinted("T2", "any", keywords=frozenset({"*"})),
        hinted(
            "T3", "both", calls=frozenset({"wrap_socket"}), keywords=frozenset({"check", "shell"})
        ),
    )
    assert seen == {"shell": [3, 4], "any": [3, 4, 5], "both": [3, 4, 7]}


def test_every_call_rule_has_a_hint() -> None:
    """A rule without `calls=` or `keywords=` would see every call of every file."""
    unhinted = [
        spec.id
        for spec in RULES.values()
        if ast.Call in spec.node_types and not (spec.calls or spec.keywords)
    ]
    assert unhinted == []


def test_fingerprints_survive_lines_added_above_and_change_with_the_statement() -> None:
    def flag(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        yield Issue(node, "flagged")

    rule = spec("T1", flag)
    before = analyse("run(a)\nrun(b)\nrun(a)\n", rule)
    after = analyse("import x\n\n# comment\nrun( a )  # reformatted\nrun(b)\nrun(a)\n", rule)
    edited = analyse("run(c)\nrun(b)\nrun(a)\n", rule)
    first = [f.fingerprint for f in before.findings]
    assert len(set(first)) == 3  # identical statements differ by occurrence index
    assert [f.fingerprint for f in after.findings] == first
    assert edited.findings[0].fingerprint not in first
    assert edited.findings[1].fingerprint == first[1]
    other_file = analyse("run(a)\nrun(b)\nrun(a)\n", rule, relpath="other.py")
    assert other_file.findings[0].fingerprint != first[0]


def test_normalize_code_drops_comments_and_whitespace() -> None:
    assert normalize_code("x  =  f( 1 ,\n   2 )  # why") == normalize_code("x = f(1, 2)")
    assert normalize_code("x = f(1, 2)") == "x = f ( 1 , 2 )"
    assert normalize_code("s = '#  not a comment'") == "s = '#  not a comment'"


def test_records_round_trip_through_json() -> None:
    import json

    def flag(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        yield Issue(node, "flagged", taint=ctx.taint(node.args[0]) if node.args else None)

    result = analyse(
        """
        import sys
        run(sys.argv[1])  # nosec
        run(input())
        """,
        spec("T1", flag),
    )
    result.diagnostics.append(result.diagnostics[0] if result.diagnostics else _diag())
    text = json.dumps(to_record(result))
    again = from_record(json.loads(text), "pkg/m.py")
    assert again.findings == result.findings
    assert again.suppressed == result.suppressed
    assert [f.extra for f in again.suppressed] == [{"suppressed_by": "nosec"}]
    assert [str(d) for d in again.diagnostics] == [str(d) for d in result.diagnostics]


def _diag() -> object:
    from bastion.findings import Diagnostic, Location

    return Diagnostic("a warning", Location("pkg/m.py", 3))
