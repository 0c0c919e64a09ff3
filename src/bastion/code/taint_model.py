"""What the taint analysis knows about the world: sources, sanitizers, kinds of sink, and
which parameters of web framework handlers carry client data.

Names are dotted names after import aliases (`from flask import request as r` makes `r.args`
read as `flask.request.args`). Adding a framework or a sanitizer means adding a line here.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.code.scopes import dotted_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The kind of sink each rule guards, so that sanitizers apply only where they help.
SINK_KINDS: dict[str, str] = {
    **dict.fromkeys(("B601", "B602", "B604", "B605", "B609"), "shell"),
    **dict.fromkeys(("B603", "B606", "B607"), "process"),
    **dict.fromkeys(("B102", "B307"), "code"),
    **dict.fromkeys(("B608", "B610", "B611"), "sql"),
    **dict.fromkeys(("B301", "B302", "B506", "B614"), "deserialize"),
    **dict.fromkeys(("B310",), "url"),
    **dict.fromkeys(("B308", "B701", "B702", "B703", "B704"), "html"),
    **dict.fromkeys(tuple(f"B3{n}" for n in range(13, 21)), "xml"),
    **dict.fromkeys(("B202",), "path"),
}

#: Names whose value is untrusted.
SOURCE_NAMES: dict[str, str] = {
    "sys.argv": "command-line arguments (sys.argv)",
    "os.environ": "environment variables (os.environ)",
    "os.environb": "environment variables (os.environb)",
    "sys.stdin": "standard input (sys.stdin)",
}

#: Calls whose result is untrusted.
SOURCE_CALLS: dict[str, str] = {
    "input": "user input (input())",
    "builtins.input": "user input (input())",
    "os.getenv": "an environment variable (os.getenv())",
    "os.getenvb": "an environment variable (os.getenvb())",
    "open": "data read from a file (open())",
    "builtins.open": "data read from a file (open())",
    "io.open": "data read from a file (io.open())",
    "codecs.open": "data read from a file (codecs.open())",
    "os.read": "data read from a file descriptor (os.read())",
    "fileinput.input": "data read from files (fileinput.input())",
}

#: Methods whose result is untrusted whatever they are called on.
SOURCE_METHODS: dict[str, str] = {
    "recv": "data received from a socket (recv())",
    "recvfrom": "data received from a socket (recvfrom())",
    "recvmsg": "data received from a socket (recvmsg())",
    "read_text": "data read from a file (read_text())",
    "read_bytes": "data read from a file (read_bytes())",
}

#: Module-level request objects of web frameworks.
REQUEST_GLOBALS = _words("flask.request quart.request bottle.request")

#: Type annotations that mark a parameter as a request object (its attributes are sources).
REQUEST_TYPES = _words("Request HttpRequest WSGIRequest ASGIRequest")

#: Attributes (and methods) of a request object that carry client-controlled data.
REQUEST_ATTRS = _words(
    """
    args form json values cookies headers files data GET POST COOKIES FILES META body
    query_params path_params query_string get_json get_data stream environ path path_info
    full_path url base_url view_args content text query match_info
    """
)

#: Decorator methods that make a function a route handler (Flask, FastAPI, Starlette).
ROUTE_DECORATORS = _words("route get post put delete patch head options websocket api_route")

#: Parameter annotations the framework validates into values that cannot carry an injection.
SAFE_PARAM_TYPES = _words("int float bool UUID uuid.UUID datetime date time Decimal")

#: Flask/Werkzeug route converters that only accept safe values (`<int:id>`).
SAFE_CONVERTERS = _words("int float uuid")

#: Calls whose result carries no attacker-controlled text, for every kind of sink.
UNIVERSAL_SANITIZERS = _words(
    """
    int float bool len abs round ord hash complex isinstance issubclass callable id
    uuid.UUID ipaddress.ip_address ipaddress.ip_network
    os.path.exists os.path.isfile os.path.isdir
    """
)

#: Calls that make data safe for some kinds of sink only.
KIND_SANITIZERS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("shlex.quote", "shlex.join", "pipes.quote"), frozenset({"shell"})),
    **dict.fromkeys(
        (
            "html.escape",
            "cgi.escape",
            "markupsafe.escape",
            "markupsafe.Markup.escape",
            "jinja2.escape",
            "flask.escape",
            "django.utils.html.escape",
            "django.utils.html.conditional_escape",
            "bleach.clean",
        ),
        frozenset({"html"}),
    ),
    "xml.sax.saxutils.escape": frozenset({"html", "xml"}),
    **dict.fromkeys(
        ("os.path.basename", "posixpath.basename", "werkzeug.utils.secure_filename"),
        frozenset({"path"}),
    ),
    "re.escape": frozenset({"regex"}),
    **dict.fromkeys(("urllib.parse.quote", "urllib.parse.quote_plus"), frozenset({"url"})),
}

#: Methods whose result is a bool or a number, whatever the input.
SAFE_METHODS = _words(
    """
    isdigit isdecimal isnumeric isalpha isalnum isidentifier isspace islower isupper
    startswith endswith count find rfind index rindex exists is_file is_dir
    """
)

#: Methods that put their arguments into the object they are called on.
MUTATORS = _words("append extend insert add update setdefault appendleft extendleft")


def sink_kind(rule_id: str | None) -> str | None:
    """The kind of sink a rule guards, for sink-aware sanitizers."""
    return SINK_KINDS.get(rule_id) if rule_id else None


# -- web frameworks: which parameters are untrusted ------------------------------------------


def dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None (import aliases not applied:
    `FileContext.qualname` applies them)."""
    return dotted_name(node, None)


def annotation_name(annotation: ast.expr | None) -> str | None:
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.rsplit(".", 1)[-1]
    text = dotted(annotation)
    return text.rsplit(".", 1)[-1] if text else None


def safe_annotation(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Subscript):  # Annotated[int, ...], Optional[int]
        inner = annotation.slice
        first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
        return safe_annotation(first)
    text = dotted(annotation)
    if text is None and isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        text = annotation.value
    return text is not None and (
        text in SAFE_PARAM_TYPES or text.rsplit(".", 1)[-1] in SAFE_PARAM_TYPES
    )


def injected_dependency(function: FunctionNode, param: ast.arg) -> bool:
    """A FastAPI parameter whose default is `Depends(...)` comes from the application."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: dict[str, ast.expr] = {}
    for arg, default in zip(
        positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=True
    ):
        defaults[arg.arg] = default
    for keyword_only, maybe in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if maybe is not None:
            defaults[keyword_only.arg] = maybe
    given = defaults.get(param.arg)
    if isinstance(given, ast.Call):
        text = dotted(given.func)
        return text is not None and text.rsplit(".", 1)[-1] in {"Depends", "Security"}
    return False


def is_request_param(param: ast.arg) -> bool:
    """The request object itself is not data; its attributes are (see REQUEST_ATTRS)."""
    return param.arg == "request" or annotation_name(param.annotation) in REQUEST_TYPES


def route_kind(function: FunctionNode, qualname: Callable[[ast.AST], str | None]) -> str | None:
    """Whether a function's parameters come from the client: `route` for a handler decorated
    as one (`@app.route`, `@bp.get`, `@router.post`: Flask, FastAPI, Starlette), `view` for a
    Django view (`@api_view`, or a first parameter `request`, or `self, request`), else None.
    """
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ROUTE_DECORATORS
        ):
            return "route"
        name = qualname(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name and name.rsplit(".", 1)[-1] == "api_view":
            return "view"
    positional = [*function.args.posonlyargs, *function.args.args]
    if positional and positional[0].arg == "request":
        return "view"
    if len(positional) > 1 and positional[0].arg == "self" and positional[1].arg == "request":
        return "view"
    return None


def safe_route_params(function: FunctionNode) -> frozenset[str]:
    """Parameters a Flask route converter restricts to numbers or UUIDs (`<int:id>`)."""
    safe: set[str] = set()
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call) or not decorator.args:
            continue
        rule = decorator.args[0]
        if not (isinstance(rule, ast.Constant) and isinstance(rule.value, str)):
            continue
        for part in rule.value.split("<")[1:]:
            spec = part.split(">", 1)[0]
            converter, _, name = spec.rpartition(":")
            converter = converter.split("(", 1)[0]
            if converter in SAFE_CONVERTERS:
                safe.add(name)
    return frozenset(safe)
