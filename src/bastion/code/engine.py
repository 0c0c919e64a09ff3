"""Parse a file once and run every enabled rule from one walk of its tree.

The walk is the hot loop of `bastion scan` (millions of nodes on a large project), so it is
written for speed: a per-node-type plan of the fields that can hold child nodes (names,
operators and contexts are never visited), one dict lookup to find the rules of a node type,
and recursion (cheap in CPython 3.11+) with an explicit-stack fallback for pathologically
deep trees. Rules that raise do not stop the scan: the error becomes a warning.
"""

from __future__ import annotations

import ast
import codecs
import re
import tokenize
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from bastion.code.context import FileContext
from bastion.code.fingerprint import fingerprint, header_lines, normalize_code
from bastion.code.records import FileAnalysis
from bastion.code.rule import CheckFunction, Issue, RuleSpec
from bastion.code.scopes import CHILD_FIELDS, child_fields
from bastion.code.suppress import Suppression, find_suppressions, suppression_for
from bastion.findings import Confidence, Diagnostic, EvidenceStep, Finding, Location

_MAX_RECURSION = 400
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]")


def dispatch_table(rules: Iterable[RuleSpec]) -> dict[type[ast.AST], list[RuleSpec]]:
    """Group rules by the node type they visit, so the walk does one dict lookup per node."""
    table: dict[type[ast.AST], list[RuleSpec]] = defaultdict(list)
    for spec in rules:
        for node_type in spec.node_types:
            table[node_type].append(spec)
    return dict(table)


_Entry = tuple[str, CheckFunction, RuleSpec]


class RuleTable:
    """The enabled rules, grouped for the walk, and their names for `# nosec name`.

    `by_type` maps a node type to its rules; calls go to the rules without a hint plus,
    through `by_call`, those whose `calls` hint names the call's last segment and, through
    `by_keyword`, those whose `keywords` hint names one of the call's keyword arguments
    (`"*"`: any).
    """

    def __init__(self, rules: Mapping[str, RuleSpec]) -> None:
        self.rules = dict(rules)
        self.names = {spec.name: spec.id for spec in self.rules.values()}
        by_type: dict[type[ast.AST], list[_Entry]] = defaultdict(list)
        by_call: dict[str, list[_Entry]] = defaultdict(list)
        by_keyword: dict[str, list[_Entry]] = defaultdict(list)
        for spec in self.rules.values():
            entry = (spec.id, spec.check, spec)
            for node_type in spec.node_types:
                if node_type is ast.Call and (spec.calls or spec.keywords):
                    for tail in spec.calls:
                        by_call[tail].append(entry)
                    for keyword in spec.keywords:
                        by_keyword[keyword].append(entry)
                else:
                    by_type[node_type].append(entry)
        self.by_type: dict[type[ast.AST], tuple[_Entry, ...]] = {
            k: tuple(v) for k, v in by_type.items()
        }
        self.by_call: dict[str, tuple[_Entry, ...]] = {k: tuple(v) for k, v in by_call.items()}
        self.by_keyword: dict[str, tuple[_Entry, ...]] = {
            k: tuple(v) for k, v in by_keyword.items()
        }


# -- entry points --------------------------------------------------------------------------


def analyze_source(path: str, source: str, rules: Mapping[str, RuleSpec]) -> list[Finding]:
    """Run `rules` over one file's source. Raises SyntaxError when it does not parse.

    Findings a `# nosec`/`# bastion: ignore` comment suppresses are left out.
    """
    tree = ast.parse(source, filename=path)
    return run_rules(tree, source, path, path, RuleTable(rules)).findings


def analyze_file(path: str, data: bytes, table: RuleTable, relpath: str) -> FileAnalysis:
    """Decode, parse and analyse one file; a file that cannot be read is one warning."""
    try:
        source = decode_source(data)
    except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
        return _not_analysed(path, f"cannot decode: {exc}")
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        return _not_analysed(path, f"does not parse: {exc.msg or 'invalid syntax'}", exc.lineno)
    except (ValueError, RecursionError, MemoryError) as exc:
        return _not_analysed(path, f"does not parse: {exc or type(exc)}")
    return run_rules(tree, source, path, relpath, table)


def _not_analysed(path: str, reason: str, line: int | None = None) -> FileAnalysis:
    diagnostic = Diagnostic(f"{reason}; file not scanned", Location(path, line))
    return FileAnalysis(diagnostics=[diagnostic], analysed=False)


def decode_source(data: bytes) -> str:
    """The text of a Python file: UTF-8 unless a PEP 263 coding line says otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    head = data[:400].split(b"\n", 2)[:2]
    if any(_CODING.match(line) for line in head):
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
        return data.decode(encoding)
    return data.decode("utf-8")


def run_rules(
    tree: ast.Module, source: str, path: str, relpath: str, table: RuleTable
) -> FileAnalysis:
    """Walk `tree` once, dispatching each node to the rules of its type."""
    ctx = FileContext(path=path, source=source, tree=tree, lines=source.splitlines())
    ctx.record_module_imports()
    collector = _Collector(ctx, table)
    walker = _Walker(ctx, table, collector.emit, collector.failed)
    walker.walk(tree)
    return collector.finish(relpath)


# -- the walk ------------------------------------------------------------------------------


class _Walker:
    __slots__ = ("aliases", "ancestors", "by_call", "by_keyword", "ctx", "emit", "failed", "table")

    def __init__(
        self,
        ctx: FileContext,
        table: RuleTable,
        emit: Callable[[RuleSpec, Issue, ast.AST], None],
        failed: Callable[[RuleSpec, ast.AST, Exception], None],
    ) -> None:
        self.ctx = ctx
        self.table = table.by_type
        self.by_call = table.by_call
        self.by_keyword = table.by_keyword
        self.emit = emit
        self.failed = failed
        self.ancestors = ctx.ancestors
        self.aliases = ctx.aliases

    def walk(self, root: ast.AST) -> None:
        self._visit(root, 0)

    def _rules_for(self, node: ast.AST, node_type: type) -> tuple[_Entry, ...] | None:
        entries = self.table.get(node_type)
        if node_type is not ast.Call:
            return entries
        hinted: tuple[_Entry, ...] | None = None
        if self.by_call:
            func = node.func  # type: ignore[attr-defined]
            func_type = type(func)
            if func_type is ast.Attribute:
                hinted = self.by_call.get(func.attr)
            elif func_type is ast.Name:
                hinted = self.by_call.get(self.aliases.get(func.id, func.id).rpartition(".")[2])
        keywords = node.keywords  # type: ignore[attr-defined]
        if keywords and self.by_keyword:
            hinted = self._keyword_rules(keywords, hinted)
        if hinted:
            return entries + hinted if entries else hinted
        return entries

    def _keyword_rules(
        self, keywords: list[ast.keyword], hinted: tuple[_Entry, ...] | None
    ) -> tuple[_Entry, ...] | None:
        """Add the rules hinted by the call's keyword arguments, each rule once."""
        by_keyword = self.by_keyword
        found = list(hinted) if hinted else []
        extra = by_keyword.get("*")
        if extra:
            found.extend(extra)
        for kw in keywords:
            extra = by_keyword.get(kw.arg)  # type: ignore[arg-type]
            if extra:
                found.extend(extra)
        if not found:
            return None
        if len(found) > 1:
            found = list({id(entry[2]): entry for entry in found}.values())
        return tuple(found)

    def _dispatch(self, node: ast.AST, entries: tuple[_Entry, ...]) -> None:
        ctx = self.ctx
        if isinstance(node, ast.Import | ast.ImportFrom):
            ctx.record_import(node)
        ctx.current = node
        emit = self.emit
        for rule_id, check, spec in entries:
            ctx.rule_id = rule_id
            try:
                for issue in check(node, ctx):
                    emit(spec, issue, node)
            except Exception as exc:  # a broken rule must not stop the scan
                self.failed(spec, node, exc)
        ctx.current = None
        ctx.rule_id = None

    def _visit(self, node: ast.AST, depth: int) -> None:
        node_type = type(node)
        entries = self._rules_for(node, node_type)
        if entries:
            self._dispatch(node, entries)
        elif node_type is ast.Import or node_type is ast.ImportFrom:
            self.ctx.record_import(node)  # type: ignore[arg-type]
        plan = CHILD_FIELDS.get(node_type)
        if plan is None:
            plan = child_fields(node_type)
        if not plan:
            return
        if depth > _MAX_RECURSION:
            self._visit_deep(node)
            return
        ancestors = self.ancestors
        ancestors.append(node)
        depth += 1
        for name in plan:
            value = getattr(node, name)
            if type(value) is list:
                for child in value:
                    if isinstance(child, ast.AST):
                        self._visit(child, depth)
            elif isinstance(value, ast.AST):
                self._visit(value, depth)
        ancestors.pop()

    def _visit_deep(self, root: ast.AST) -> None:
        """The same walk with an explicit stack, for trees deeper than the recursion budget."""
        ancestors = self.ancestors
        base = len(ancestors)
        stack: list[tuple[ast.AST, int]] = [(root, base)]
        while stack:
            node, level = stack.pop()
            del ancestors[level:]
            node_type = type(node)
            if node is not root:
                entries = self._rules_for(node, node_type)
                if entries:
                    self._dispatch(node, entries)
                elif node_type is ast.Import or node_type is ast.ImportFrom:
                    self.ctx.record_import(node)  # type: ignore[arg-type]
            plan = child_fields(node_type)
            if not plan:
                continue
            ancestors.append(node)
            children: list[ast.AST] = []
            for name in plan:
                value = getattr(node, name)
                if type(value) is list:
                    children.extend(c for c in value if isinstance(c, ast.AST))
                elif isinstance(value, ast.AST):
                    children.append(value)
            stack.extend((child, level + 1) for child in reversed(children))
        del ancestors[base:]


# -- from issues to findings -----------------------------------------------------------------


@dataclass(slots=True)
class _Pending:
    finding: Finding
    statement: ast.stmt | None
    suppression: Suppression | None


class _Collector:
    """Turns issues into findings: location, taint evidence, suppression, fingerprint."""

    def __init__(self, ctx: FileContext, table: RuleTable) -> None:
        self.ctx = ctx
        self.table = table
        self.pending: list[_Pending] = []
        self.diagnostics: list[Diagnostic] = []
        self._suppressions: dict[int, list[Suppression]] | None = None

    @property
    def suppressions(self) -> dict[int, list[Suppression]]:
        if self._suppressions is None:
            self._suppressions = find_suppressions(self.ctx.source, self.table.names)
        return self._suppressions

    def failed(self, spec: RuleSpec, node: ast.AST, exc: Exception) -> None:
        line = getattr(node, "lineno", None)
        self.diagnostics.append(
            Diagnostic(
                f"rule {spec.id} failed: {type(exc).__name__}: {exc}; results may be incomplete",
                Location(self.ctx.path, line),
            )
        )

    def emit(self, spec: RuleSpec, issue: Issue, visited: ast.AST) -> None:
        ctx = self.ctx
        node = issue.node if hasattr(issue.node, "lineno") else visited
        line = getattr(node, "lineno", None)
        if line is None:
            node = next((a for a in reversed(ctx.ancestors) if hasattr(a, "lineno")), node)
            line = getattr(node, "lineno", None)
        column = getattr(node, "col_offset", None)
        end_line = getattr(node, "end_lineno", None)
        end_column = getattr(node, "end_col_offset", None)
        location = Location(
            path=ctx.path,
            line=line,
            column=column + 1 if column is not None else None,
            end_line=end_line,
            end_column=end_column + 1 if end_column is not None else None,
            snippet=ctx.snippet(line),
        )
        confidence = issue.confidence or spec.confidence
        evidence: tuple[EvidenceStep, ...] = ()
        if issue.taint is not None and issue.taint.steps:
            evidence = tuple(
                EvidenceStep(self._location(step.node), step.message) for step in issue.taint.steps
            )
            confidence = Confidence.HIGH
        statement = next(
            (a for a in reversed([*ctx.ancestors, visited]) if isinstance(a, ast.stmt)), None
        )
        suppression = None
        if self.suppressions:
            lines = _suppression_lines(visited, node, ctx.parent, statement)
            suppression = suppression_for(spec.id, lines, self.suppressions)
        finding = Finding(
            rule_id=spec.id,
            check="scan",
            title=issue.message,
            severity=issue.severity or spec.severity,
            confidence=confidence,
            location=location,
            description=spec.summary,
            references=spec.references,
            cwe=(f"CWE-{spec.cwe}",) if spec.cwe else (),
            evidence=evidence,
        )
        self.pending.append(_Pending(finding, statement, suppression))

    def _location(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", None)
        column = getattr(node, "col_offset", None)
        end_column = getattr(node, "end_col_offset", None)
        return Location(
            path=self.ctx.path,
            line=line,
            column=column + 1 if column is not None else None,
            end_line=getattr(node, "end_lineno", None),
            end_column=end_column + 1 if end_column is not None else None,
            snippet=self.ctx.snippet(line),
        )

    def finish(self, relpath: str) -> FileAnalysis:
        result = FileAnalysis(diagnostics=self.diagnostics)
        seen: dict[tuple[str, str], int] = {}
        texts: dict[int, str] = {}
        self.pending.sort(key=lambda p: _position(p.finding))
        for item in self.pending:
            finding = item.finding
            statement = item.statement
            if statement is None:
                text = finding.location.snippet or "" if finding.location else ""
            else:
                text = texts.get(id(statement)) or self._statement_text(statement)
                texts[id(statement)] = text
            key = (finding.rule_id, text)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            finding = _with_fingerprint(
                finding, fingerprint(finding.rule_id, relpath, text, occurrence)
            )
            if item.suppression is not None:
                finding.extra["suppressed_by"] = item.suppression.kind
                result.suppressed.append(finding)
            else:
                result.findings.append(finding)
        return result

    def _statement_text(self, statement: ast.stmt) -> str:
        first, last = header_lines(statement)
        return normalize_code("\n".join(self.ctx.lines[first - 1 : last]))


def _position(finding: Finding) -> tuple[int, int, str]:
    location = finding.location
    if location is None:
        return (0, 0, finding.rule_id)
    return (location.line or 0, location.column or 0, finding.rule_id)


def _with_fingerprint(finding: Finding, value: str) -> Finding:
    return replace(finding, fingerprint=value, extra=dict(finding.extra))


def _node_lines(node: ast.AST) -> Iterable[int]:
    first = getattr(node, "lineno", None)
    if first is None:
        return ()
    if isinstance(node, ast.stmt):
        start, end = header_lines(node)
        return range(start, end + 1)
    end = getattr(node, "end_lineno", None) or first
    return range(first, end + 1)


def _suppression_lines(
    visited: ast.AST, reported: ast.AST, parent: ast.AST | None, statement: ast.stmt | None
) -> list[int]:
    """The lines whose comments may suppress a finding (see `bastion.code.suppress`)."""
    lines: list[int] = []
    lines.extend(_node_lines(reported))
    if visited is not reported:
        lines.extend(_node_lines(visited))
    if isinstance(visited, ast.Constant) and parent is not None:
        lines.extend(_node_lines(parent))  # bandit checks a string's parent node
    if statement is not None:
        first, last = header_lines(statement)
        lines.extend((first, last))
    return list(dict.fromkeys(lines))
