"""Shared helpers for rules: literals, call blacklists, imports and name scopes.

Rules run on every node of their type across large trees, so each helper does the cheapest
test first (node shape, a set lookup) and anything derived from the whole file (its imports,
its module-level names) is computed once per file and kept in a one-file cache: the engine
analyses one file at a time per worker, so the cache holds the current tree only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Generic, TypeVar

from bastion.code.rule import Issue
from bastion.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.code.context import FileContext

T = TypeVar("T")

_FUNCTION_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class PerFile(Generic[T]):
    """A value derived from one file's tree, computed once and kept until the next file."""

    __slots__ = ("_entry",)

    def __init__(self) -> None:
        self._entry: tuple[ast.Module, T] | None = None

    def get(self, tree: ast.Module, compute: Callable[[ast.Module], T]) -> T:
        entry = self._entry
        if entry is not None and entry[0] is tree:
            return entry[1]
        value = compute(tree)
        self._entry = (tree, value)
        return value


_BODY_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
_DEF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def statements(body: list[ast.stmt], *, nested: bool) -> Iterator[ast.AST]:
    """Every statement in `body` and the blocks under it, without visiting expressions.

    `except` handlers and `case` blocks are yielded too. With `nested=False` the bodies of
    nested functions and classes (other scopes) are skipped, though their `def`/`class`
    statements are yielded. Much cheaper than `ast.walk`, which visits every expression.
    """
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        if not nested and isinstance(node, _DEF_TYPES):
            continue
        for name in _BODY_FIELDS:
            block = getattr(node, name, None)
            if block:
                stack.extend(block)


# --- literals ---------------------------------------------------------------------------------


def string_value(node: ast.AST | None) -> str | None:
    """The value of a `str` literal, or None for anything else."""
    if type(node) is ast.Constant and type(node.value) is str:
        value: str = node.value
        return value
    return None


def is_true(node: ast.AST | None) -> bool:
    """True for the literal `True` (not merely a truthy value)."""
    return type(node) is ast.Constant and node.value is True


def data_argument(call: ast.Call, *keywords: str) -> ast.expr | None:
    """The first positional argument, else the first of `keywords` passed by name."""
    if call.args and type(call.args[0]) is not ast.Starred:
        return call.args[0]
    for kw in call.keywords:
        if kw.arg in keywords:
            return kw.value
    return None


def has_double_star(call: ast.Call) -> bool:
    """True when the call passes `**mapping`, which may carry any keyword."""
    return any(kw.arg is None for kw in call.keywords)


# --- names ------------------------------------------------------------------------------------


def root_name(node: ast.expr) -> ast.Name | None:
    """The `Name` at the root of an attribute chain (`a` in `a.b.c`), or None."""
    while type(node) is ast.Attribute:
        node = node.value
    return node if type(node) is ast.Name else None


def call_tail(call: ast.Call, ctx: FileContext) -> str | None:
    """The last segment of the called name, without resolving the whole chain.

    `loads` for `pickle.loads(x)`, and for `from pickle import loads as ld; ld(x)`.
    """
    func = call.func
    if type(func) is ast.Attribute:
        return func.attr
    if type(func) is ast.Name:
        return ctx.aliases.get(func.id, func.id).rpartition(".")[2]
    return None


# --- imports ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportFacts:
    """What a file's import statements bind, wherever they are in the file.

    `bound`: the local names an import binds (`import xml.etree` binds `xml`,
    `import numpy as np` binds `np`, `from a import b as c` binds `c`).
    `modules`: the dotted names imported (`import a.b` gives `a.b`; `from a import b` gives
    `a` and `a.b`). Relative imports are left out.
    """

    bound: frozenset[str]
    modules: frozenset[str]


def _collect_imports(tree: ast.Module) -> ImportFacts:
    bound: set[str] = set()
    modules: set[str] = set()
    for node in statements(tree.body, nested=True):
        if type(node) is ast.Import:
            for alias in node.names:
                modules.add(alias.name)
                bound.add(alias.asname or alias.name.partition(".")[0])
        elif type(node) is ast.ImportFrom:
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if node.module and not node.level:
                    modules.add(node.module)
                    modules.add(f"{node.module}.{alias.name}")
    return ImportFacts(frozenset(bound), frozenset(modules))


_IMPORTS: PerFile[ImportFacts] = PerFile()


def file_imports(ctx: FileContext) -> ImportFacts:
    """The `ImportFacts` of the file being analysed (one walk per file, then cached)."""
    return _IMPORTS.get(ctx.tree, _collect_imports)


def is_imported(name: ast.Name, ctx: FileContext) -> bool:
    """True when `name` was bound by an import statement of this file."""
    return name.id in ctx.aliases or name.id in file_imports(ctx).bound


def imports_module(ctx: FileContext, module: str) -> bool:
    """True when the file imports `module` itself or something from inside it."""
    if module not in ctx.source:  # cheap: no mention, no import
        return False
    prefix = module + "."
    return any(m == module or m.startswith(prefix) for m in file_imports(ctx).modules)


# --- call blacklists --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallBlacklist:
    """A set of dotted function names whose call is a finding (bandit's B3xx style).

    `tails` (the last segments) lets `match` reject almost every call with one set lookup
    before resolving the full name.
    """

    names: frozenset[str]
    tails: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str]) -> CallBlacklist:
        frozen = frozenset(names)
        return cls(frozen, frozenset(n.rpartition(".")[2] for n in frozen))

    def match(self, call: ast.Call, ctx: FileContext) -> str | None:
        """The blacklisted name `call` calls, or None.

        The name must resolve through the file's imports: `pickle.loads(x)` counts only when
        `pickle` is an imported module here, not a local variable that happens to be called so.
        """
        func = call.func
        if type(func) is ast.Attribute:
            if func.attr not in self.tails:
                return None
            name = ctx.qualname(func)
            if name is None or name not in self.names:
                return None
            root = root_name(func)
            return name if root is not None and is_imported(root, ctx) else None
        if type(func) is ast.Name:
            resolved = ctx.aliases.get(func.id)
            return resolved if resolved in self.names else None
        return None


def sink_issue(
    call: ast.Call,
    ctx: FileContext,
    data: ast.expr | None,
    message: str,
    *,
    literal_data: bool,
) -> Issue:
    """The finding for a call that is dangerous when outside data reaches `data`.

    With `literal_data` the argument is the data itself (`pickle.loads(blob)`), so when only
    constants reach it nobody else controls it: LOW severity. Otherwise (a file name, a
    stream) the rule's own severity stands. Either way a known taint path is attached.
    """
    if literal_data and data is not None and ctx.is_constant(data):
        return Issue(call, f"{message} (constant argument)", severity=Severity.LOW)
    return Issue(call, message, taint=ctx.taint(data) if data is not None else None)


# --- scopes and builtins ----------------------------------------------------------------------


def _target_binds(target: ast.expr | None, name: str) -> bool:
    """True when an assignment target (`x`, `a, *b`, `[c, d]`) binds `name`."""
    if isinstance(target, ast.Name):
        return target.id == name
    if isinstance(target, ast.Tuple | ast.List):
        return any(_target_binds(element, name) for element in target.elts)
    if isinstance(target, ast.Starred):
        return _target_binds(target.value, name)
    return False


def _binds(node: ast.AST, name: str) -> bool:
    """True when statement `node` itself binds `name` in the scope it belongs to."""
    if isinstance(node, ast.Assign):
        return any(_target_binds(t, name) for t in node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor):
        return _target_binds(node.target, name)
    if isinstance(node, ast.With | ast.AsyncWith):
        return any(_target_binds(item.optional_vars, name) for item in node.items)
    if isinstance(node, _DEF_TYPES):
        return node.name == name
    if isinstance(node, ast.Import):
        return any((a.asname or a.name.partition(".")[0]) == name for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return any((a.asname or a.name) == name for a in node.names)
    if isinstance(node, ast.ExceptHandler):
        return node.name == name
    return False


def scope_binds(scope: ast.AST, name: str) -> bool:
    """True when `name` is bound in `scope` (a module, class, function or lambda).

    Parameters count, and so do assignments, loop and `with` targets, imports, `def`/`class`
    names and `except ... as` names in the scope's statements. Nested functions and classes
    are other scopes (only their own name counts); walrus and `match` captures are not seen.
    """
    if isinstance(scope, _FUNCTION_SCOPES):
        args = scope.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        if args.vararg:
            params.append(args.vararg)
        if args.kwarg:
            params.append(args.kwarg)
        if any(p.arg == name for p in params):
            return True
    body = getattr(scope, "body", None)
    if not isinstance(body, list):
        return False
    return any(_binds(node, name) for node in statements(body, nested=False))


_MODULE_NAMES: PerFile[dict[str, bool]] = PerFile()


def module_binds(ctx: FileContext, name: str) -> bool:
    """True when the file binds `name` at module level (cached per file and name)."""
    known = _MODULE_NAMES.get(ctx.tree, lambda _tree: {})
    bound = known.get(name)
    if bound is None:
        bound = known[name] = scope_binds(ctx.tree, name)
    return bound


def innermost_scope(ctx: FileContext) -> ast.AST:
    """The function (or, outside any function, the module) enclosing the visited node."""
    for node in reversed(ctx.ancestors):
        if isinstance(node, _FUNCTION_SCOPES):
            return node
    return ctx.tree


def calls_bound_to(scope: ast.AST, name: str) -> list[ast.Call]:
    """The calls whose result `scope` binds to `name`: `name = f(...)`, `with f(...) as name`.

    Nested functions and classes are other scopes and are not searched.
    """
    found: list[ast.Call] = []
    body = getattr(scope, "body", None)
    if not isinstance(body, list):
        return found
    for node in statements(body, nested=False):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if any(type(t) is ast.Name and t.id == name for t in node.targets):
                found.append(node.value)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                var, value = item.optional_vars, item.context_expr
                if type(var) is ast.Name and var.id == name and isinstance(value, ast.Call):
                    found.append(value)
    return found


def calls_builtin(call: ast.Call, ctx: FileContext, name: str) -> bool:
    """True when `call` calls the builtin `name` (`eval`), not something that shadows it.

    `eval(x)` counts unless `eval` is imported, or bound in the module or an enclosing
    function (a `def eval`, an assignment, a parameter). `builtins.eval(x)` counts too.
    """
    func = call.func
    if type(func) is ast.Name:
        if func.id != name or name in ctx.aliases:
            return False
        innermost = True
        for scope in reversed(ctx.ancestors):
            if isinstance(scope, _FUNCTION_SCOPES) or (innermost and type(scope) is ast.ClassDef):
                if scope_binds(scope, name):
                    return False
                innermost = False
        return not module_binds(ctx, name)
    if type(func) is ast.Attribute:
        return func.attr == name and ctx.qualname(func) == f"builtins.{name}"
    return False


# --- exception handlers -----------------------------------------------------------------------


def catches_everything(handler: ast.ExceptHandler) -> bool:
    """True for a bare `except:`, `except Exception:` and `except BaseException:`."""
    kind = handler.type
    return kind is None or (type(kind) is ast.Name and kind.id in ("Exception", "BaseException"))


# --- secrets ----------------------------------------------------------------------------------

# One `_`-separated part of an identifier that names a secret: password and its misspellings
# (passwd, pasword, passwrd), pass, passphrase, pwd, token, secret, secrete.
_SECRET_PART = re.compile(r"pas+wo?r?d|pass(?:phrase)?|pwd|token|secrete?", re.IGNORECASE)


@cache
def looks_like_password(identifier: str) -> bool:
    """True when an identifier names a secret, the way bandit's B105-B107 decide it.

    A name qualifies when one of its `_`-separated parts is a secret word: `password`,
    `db_password`, `password_hash` and `api_token` do; `tokenizer`, `passenger`, `dbPassword`
    do not.
    """
    return any(_SECRET_PART.fullmatch(part) for part in identifier.split("_"))


# --- value names and literal truth (B5xx, B6xx) -----------------------------------------------


def value_tail(node: ast.AST | None, ctx: FileContext) -> str | None:
    """The last segment of a name used as a value: `PROTOCOL_TLSv1` for `ssl.PROTOCOL_TLSv1`,
    and for `from ssl import PROTOCOL_TLSv1 as old; old`."""
    if type(node) is ast.Attribute:
        return node.attr
    if type(node) is ast.Name:
        return ctx.aliases.get(node.id, node.id).rpartition(".")[2]
    return None


def literal_truth(node: ast.AST) -> bool | None:
    """Whether a literal is truthy (`True`, `1`, `"yes"`, `[x]`); None when it is no literal."""
    if type(node) is ast.Constant:
        return bool(node.value)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return bool(node.elts)
    if type(node) is ast.Dict:
        return bool(node.keys)
    return None


# --- import blacklists (B4xx) -----------------------------------------------------------------

_DYNAMIC_IMPORTERS = frozenset({"__import__", "importlib.import_module", "importlib.__import__"})


def _inside(name: str, modules: frozenset[str]) -> bool:
    """True when `name` is one of `modules` or lies inside one (`xml.sax.handler` in `xml.sax`)."""
    if name in modules:
        return True
    index = name.find(".")
    while index != -1:
        if name[:index] in modules:
            return True
        index = name.find(".", index + 1)
    return False


@dataclass(frozen=True, slots=True)
class ImportBlacklist:
    """Modules whose import a B4xx rule reports.

    Matching is by whole dotted segments: `xml.sax` covers `xml.sax.handler` but not
    `xml.saxophone`. Build one per rule module at import time with `ImportBlacklist.of`.
    `call_tails` are the last segments of the names a call must end with to be looked at:
    the dynamic importers and the blacklisted names themselves.
    """

    modules: frozenset[str]
    call_tails: frozenset[str]

    @classmethod
    def of(cls, modules: Iterable[str]) -> ImportBlacklist:
        names = frozenset(modules)
        tails = frozenset(m.rpartition(".")[2] for m in names)
        return cls(names, tails | {"__import__", "import_module"})

    @property
    def call_hints(self) -> tuple[str, ...]:
        """The `calls=` hint for the rule: the only calls `loaded_by` can match."""
        return tuple(sorted(self.call_tails))

    def loaded_by(self, node: ast.AST, ctx: FileContext) -> tuple[str, ...]:
        """The blacklisted names an import statement or call loads, in source order.

        Handles `import m`, `from m import x` (as `m.x`), `__import__("m")`,
        `importlib.import_module("m")`, and a call of a blacklisted name itself (a class such
        as `wsgiref.handlers.CGIHandler`). Relative imports name the project's own modules and
        never match.
        """
        if type(node) is ast.Call:
            func = node.func
            if type(func) is ast.Attribute:
                tail = func.attr
            elif type(func) is ast.Name:
                target = ctx.aliases.get(func.id)
                tail = func.id if target is None else target.rpartition(".")[2]
            else:
                return ()
            if tail not in self.call_tails:
                return ()
            return self._loaded_by_call(node, tail, ctx)
        if isinstance(node, ast.Import):
            return tuple(a.name for a in node.names if _inside(a.name, self.modules))
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            module = node.module
            loaded = (module if a.name == "*" else f"{module}.{a.name}" for a in node.names)
            return tuple(name for name in loaded if _inside(name, self.modules))
        return ()

    def issues(
        self, node: ast.AST, ctx: FileContext, why: str, *, verb: str = "import of"
    ) -> Iterator[Issue]:
        """One issue naming every blacklisted name `node` loads: "import of `m`: WHY"."""
        names = self.loaded_by(node, ctx)
        if names:
            yield Issue(node, f"{verb} {quoted_names(names)}: {why}")

    def _loaded_by_call(self, call: ast.Call, tail: str, ctx: FileContext) -> tuple[str, ...]:
        qualname = ctx.call_name(call)
        if tail in ("__import__", "import_module") and qualname in _DYNAMIC_IMPORTERS:
            name = string_value(ctx.argument(call, 0, "name"))
            return (name,) if name is not None and _inside(name, self.modules) else ()
        return (qualname,) if qualname is not None and qualname in self.modules else ()


# --- process execution (B602-B607, B609) ------------------------------------------------------

#: Functions that start a process and take `shell=`.
SUBPROCESS_FUNCTIONS = frozenset(
    {
        "subprocess.Popen",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.run",
    }
)
#: Functions that always run their command through a shell.
SHELL_FUNCTIONS = frozenset(
    {
        "os.system",
        "os.popen",
        "os.popen2",
        "os.popen3",
        "os.popen4",
        "popen2.popen2",
        "popen2.popen3",
        "popen2.popen4",
        "popen2.Popen3",
        "popen2.Popen4",
        "commands.getoutput",
        "commands.getstatusoutput",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
    }
)
#: Functions that start a program directly, without a shell.
NO_SHELL_FUNCTIONS = frozenset(
    {
        "os.execl",
        "os.execle",
        "os.execlp",
        "os.execlpe",
        "os.execv",
        "os.execve",
        "os.execvp",
        "os.execvpe",
        "os.spawnl",
        "os.spawnle",
        "os.spawnlp",
        "os.spawnlpe",
        "os.spawnv",
        "os.spawnve",
        "os.spawnvp",
        "os.spawnvpe",
        "os.startfile",
    }
)
PROCESS_FUNCTIONS = SUBPROCESS_FUNCTIONS | SHELL_FUNCTIONS | NO_SHELL_FUNCTIONS


def _tails(names: frozenset[str]) -> frozenset[str]:
    return frozenset(n.rpartition(".")[2] for n in names)


#: Last segments of the tables above, to reject a call before resolving its name.
SUBPROCESS_TAILS = _tails(SUBPROCESS_FUNCTIONS)
SHELL_TAILS = _tails(SHELL_FUNCTIONS)
NO_SHELL_TAILS = _tails(NO_SHELL_FUNCTIONS)
PROCESS_TAILS = _tails(PROCESS_FUNCTIONS)


def shell_keyword(call: ast.Call) -> ast.expr | None:
    """The value passed as `shell=` unless it is a falsy literal (`False`, `0`, `None`)."""
    for kw in call.keywords:
        if kw.arg == "shell":
            return None if literal_truth(kw.value) is False else kw.value
    return None


def argument_or_unpacked(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
    """The argument at `position`, or passed as keyword `name`.

    When a `*args` unpacking comes at or before `position`, that `Starred` node is returned
    instead: the argument is there, but what it holds is unknown (`ctx.argument` gives None).
    """
    for index, argument in enumerate(call.args):
        if type(argument) is ast.Starred or index == position:
            return argument
    if name is not None:
        for kw in call.keywords:
            if kw.arg == name:
                return kw.value
    return None


def command_argument(call: ast.Call, qualname: str) -> ast.expr | None:
    """The argument holding the program or command line of a function in `PROCESS_FUNCTIONS`."""
    if qualname in SUBPROCESS_FUNCTIONS:
        return argument_or_unpacked(call, 0, "args")
    if qualname in SHELL_FUNCTIONS:
        return argument_or_unpacked(call, 0, "command" if qualname == "os.system" else "cmd")
    return argument_or_unpacked(call, 1 if qualname.startswith("os.spawn") else 0)


def program_literal(command: ast.AST | None) -> str | None:
    """The literal a command starts with: the string itself, or a literal list's first item."""
    if isinstance(command, ast.List | ast.Tuple) and command.elts:
        return string_value(command.elts[0])
    return string_value(command)


# --- TLS protocol versions (B502, B503) -------------------------------------------------------

#: `ssl` and pyOpenSSL protocol constants that allow SSLv2, SSLv3, TLS 1.0 or TLS 1.1.
BAD_TLS_PROTOCOLS = frozenset(
    {
        "PROTOCOL_SSLv2",
        "SSLv2_METHOD",
        "SSLv23_METHOD",
        "PROTOCOL_SSLv3",
        "PROTOCOL_TLSv1",
        "SSLv3_METHOD",
        "TLSv1_METHOD",
        "PROTOCOL_TLSv1_1",
        "TLSv1_1_METHOD",
    }
)


# --- B313-B319: the standard library's XML parsers --------------------------------------

_XML_DATA_KEYWORDS = ("source", "string", "text", "file", "stream_or_string", "inputsource")


@dataclass(frozen=True)
class XmlParsers:
    """The parsing entry points of one standard-library XML module (one per rule B313-B319).

    `takes_data`: calls whose argument is the document text itself (`fromstring`,
    `parseString`), so a constant argument is a constant document. `no_input`: calls that
    build a parser and take no document (`XMLParser`, `make_parser`): reported as they are.
    """

    calls: CallBlacklist
    takes_data: frozenset[str] = frozenset()
    no_input: frozenset[str] = frozenset()

    def issues(self, node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        name = self.calls.match(node, ctx)
        if name is None:
            return
        message = f"{name} parses XML unsafely; use the defusedxml equivalent"
        if name in self.no_input:
            yield Issue(node, message)
            return
        data = data_argument(node, *_XML_DATA_KEYWORDS)
        yield sink_issue(node, ctx, data, message, literal_data=name in self.takes_data)


def quoted_names(names: Iterable[str]) -> str:
    """`a`, `b` (names as a finding message shows them)."""
    return ", ".join(f"`{name}`" for name in names)


#: Why importing one of the standard library's XML parsers is reported (B405-B409).
UNSAFE_XML_IMPORT = "parsing untrusted XML with it is unsafe, use defusedxml"
