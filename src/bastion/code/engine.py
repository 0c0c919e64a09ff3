"""Parse a file once and run every enabled rule from one walk of its tree."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping

from bastion.code.context import FileContext
from bastion.code.rule import Issue, RuleSpec
from bastion.findings import Finding, Location


def dispatch_table(rules: Iterable[RuleSpec]) -> dict[type[ast.AST], list[RuleSpec]]:
    """Group rules by the node type they visit, so the walk does one dict lookup per node."""
    table: dict[type[ast.AST], list[RuleSpec]] = defaultdict(list)
    for spec in rules:
        for node_type in spec.node_types:
            table[node_type].append(spec)
    return dict(table)


def analyze_source(path: str, source: str, rules: Mapping[str, RuleSpec]) -> list[Finding]:
    """Run `rules` over one file's source. Raises SyntaxError when it does not parse."""
    tree = ast.parse(source, filename=path)
    ctx = FileContext(path=path, source=source, tree=tree, lines=source.splitlines())
    table = dispatch_table(rules.values())
    findings: list[Finding] = []
    _walk(tree, ctx, table, findings)
    return findings


def _walk(
    node: ast.AST,
    ctx: FileContext,
    table: dict[type[ast.AST], list[RuleSpec]],
    findings: list[Finding],
) -> None:
    if isinstance(node, ast.Import | ast.ImportFrom):
        ctx.record_import(node)
    specs = table.get(type(node))
    if specs:
        for spec in specs:
            for issue in spec.check(node, ctx):
                findings.append(_to_finding(spec, issue, ctx))
    ctx.ancestors.append(node)
    for child in ast.iter_child_nodes(node):
        _walk(child, ctx, table, findings)
    ctx.ancestors.pop()


def _to_finding(spec: RuleSpec, issue: Issue, ctx: FileContext) -> Finding:
    node = issue.node
    line = getattr(node, "lineno", None)
    column = getattr(node, "col_offset", None)
    location = Location(
        path=ctx.path,
        line=line,
        column=column + 1 if column is not None else None,
        end_line=getattr(node, "end_lineno", None),
        end_column=(getattr(node, "end_col_offset", None) or 0) + 1 if line else None,
        snippet=ctx.snippet(line),
    )
    return Finding(
        rule_id=spec.id,
        check="scan",
        title=issue.message,
        severity=issue.severity or spec.severity,
        confidence=issue.confidence or spec.confidence,
        location=location,
        cwe=(f"CWE-{spec.cwe}",) if spec.cwe else (),
    )
