"""Taint tracking: sources, propagation, sanitizers, and paths across functions of a module.

A probe rule visits every call to a function named `sink*` and reports, per sink line, the
taint path of its first argument (`sink_shell(x)` asks about a shell sink, `sink_html(x)`
about a template, plain `sink(x)` about an unknown kind of sink).
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.engine import RuleTable, run_rules
from bastion.code.rule import Issue, RuleSpec
from bastion.code.taint import TaintPath
from bastion.findings import Confidence, Severity

PATHS: dict[int, TaintPath | None] = {}


def _probe(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    name = ctx.call_name(node) or ""
    if not name.startswith("sink") or not node.args:
        return
    kind = name.partition("_")[2] or None
    path = ctx.taint(node.args[0], kind=kind)
    PATHS[node.lineno] = path
    yield Issue(node, "sink", taint=path)


PROBE = RuleSpec(
    id="T001",
    name="probe",
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    cwe=None,
    node_types=(ast.Call,),
    check=_probe,
    pack="test",
)


def taint(source: str, rule: RuleSpec = PROBE) -> dict[int, TaintPath | None]:
    PATHS.clear()
    text = textwrap.dedent(source)
    run_rules(ast.parse(text), text, "t.py", "t.py", RuleTable({rule.id: rule}))
    return dict(PATHS)


def steps(path: TaintPath | None) -> list[tuple[int, str]]:
    assert path is not None
    return [(getattr(step.node, "lineno", 0), step.message) for step in path.steps]


def test_flask_request_data_through_an_fstring_reaches_the_sink() -> None:
    found = taint(
        """
        from flask import request

        def ping():
            host = request.args.get("host", "")
            command = f"ping -c 1 {host}"
            sink(command)
        """
    )
    path = found[7]
    assert path is not None
    assert path.source == "request data (request.args)"
    assert steps(path) == [
        (5, "request data (request.args)"),
        (5, "assigned to `host`"),
        (6, "assigned to `command`"),
        (7, "reaches the sink"),
    ]


def test_constants_and_unrelated_values_are_not_tainted() -> None:
    found = taint(
        """
        import os

        def f(items):
            sink("ls -l")
            sink(os.sep.join(["a", "b"]))
            x = 3
            sink(x)
        """
    )
    assert found == {5: None, 6: None, 8: None}


def test_every_listed_source_is_recognised() -> None:
    found = taint(
        """
        import os, sys, socket
        from os import environ as E

        def f(sock):
            sink(input("name? "))
            sink(sys.argv[1])
            sink(os.environ["HOME"])
            sink(os.environ.get("HOME"))
            sink(os.getenv("HOME"))
            sink(E["X"])
            sink(sys.stdin.readline())
            sink(sock.recv(1024))
            with open("data.txt") as handle:
                sink(handle.read())
        """
    )
    sources = {line: path.source if path else None for line, path in found.items()}
    assert sources == {
        6: "user input (input())",
        7: "command-line arguments (sys.argv)",
        8: "environment variables (os.environ)",
        9: "environment variables (os.environ)",
        10: "an environment variable (os.getenv())",
        11: "environment variables (os.environ)",
        12: "standard input (sys.stdin)",
        13: "data received from a socket (recv())",
        15: "data read from a file (open())",
    }


def test_propagation_through_operators_containers_and_methods() -> None:
    found = taint(
        """
        import sys

        def f():
            a = sys.argv[1]
            sink("echo " + a)
            sink("echo %s" % a)
            sink("echo {}".format(a))
            sink(["ls", a])
            sink({"key": a})
            sink(a.strip().lower())
            sink(" ".join([a, "x"]))
            parts = []
            parts.append(a)
            sink(parts)
            sink([p for p in sys.argv])
            sink(a if a else "x")
        """
    )
    assert all(found[line] is not None for line in (6, 7, 8, 9, 10, 11, 12, 15, 16, 17))


def test_reassignment_with_a_constant_or_sanitized_value_cleans_a_variable() -> None:
    found = taint(
        """
        import shlex, sys

        def f():
            cmd = sys.argv[1]
            cmd = "ls"
            sink(cmd)
            arg = shlex.quote(sys.argv[2])
            sink_shell("echo " + arg)
            sink_sql("select " + arg)
            n = int(sys.argv[3])
            sink_shell(f"head -n {n}")
        """
    )
    assert found[7] is None
    assert found[9] is None  # shlex.quote protects a shell command...
    assert found[10] is not None  # ...but not an SQL statement
    assert found[12] is None  # int() is safe for every sink


def test_sanitizer_kind_follows_the_rule_asking() -> None:
    b602 = RuleSpec(
        id="B602",
        name="probe_shell",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=None,
        node_types=(ast.Call,),
        check=lambda node, ctx: _probe_default_kind(node, ctx),
        pack="test",
    )
    found = taint(
        """
        import html, shlex, sys

        def f():
            sink(shlex.quote(sys.argv[1]))
            sink(html.escape(sys.argv[1]))
        """,
        b602,
    )
    assert found[5] is None
    assert found[6] is not None


def _probe_default_kind(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    if ctx.call_name(node) == "sink" and node.args:
        PATHS[node.lineno] = ctx.taint(node.args[0])
    yield from ()


def test_branches_join_and_a_branch_that_returns_does_not_flow_on() -> None:
    found = taint(
        """
        import sys

        def joined(flag):
            if flag:
                x = sys.argv[1]
            else:
                x = "default"
            sink(x)

        def returns(flag):
            x = sys.argv[1]
            if flag:
                x = "fixed"
            else:
                return None
            sink(x)
        """
    )
    assert found[9] is not None
    assert found[17] is None


def test_loops_carry_taint_around() -> None:
    found = taint(
        """
        import sys

        def f():
            command = ""
            for part in sys.argv[1:]:
                command += part + " "
            sink(command)
            while True:
                line = sys.stdin.readline()
                sink(line)
        """
    )
    assert steps(found[8]) == [
        (6, "command-line arguments (sys.argv)"),
        (6, "assigned to `part`"),
        (7, "added to `command`"),
        (8, "reaches the sink"),
    ]
    assert found[11] is not None


def test_attributes_of_self_within_a_method() -> None:
    found = taint(
        """
        from flask import request

        class Handler:
            def handle(self):
                self.cmd = request.form["cmd"]
                sink(self.cmd)
                self.cmd = "safe"
                sink(self.cmd)
        """
    )
    assert found[7] is not None
    assert found[9] is None


def test_return_values_of_module_functions() -> None:
    found = taint(
        """
        import sys

        def read_name():
            return sys.argv[1]

        def wrap(text):
            return "echo " + text

        def main():
            sink(read_name())
            sink(wrap(input()))
            sink(wrap("hello"))
        """
    )
    assert steps(found[11]) == [
        (5, "command-line arguments (sys.argv)"),
        (5, "returned"),
        (11, "returned by read_name()"),
        (11, "reaches the sink"),
    ]
    assert found[12] is not None
    assert found[12].source == "user input (input())"
    assert found[13] is None


def test_a_parameter_that_reaches_a_sink_is_tainted_by_its_callers() -> None:
    found = taint(
        """
        import sys

        def run(command):
            sink(command)

        def main():
            run(sys.argv[1])
        """
    )
    assert steps(found[5]) == [
        (8, "command-line arguments (sys.argv)"),
        (8, "passed to run() as `command`"),
        (4, "parameter `command` of run()"),
        (5, "reaches the sink"),
    ]


def test_callers_passing_only_constants_leave_the_parameter_clean() -> None:
    found = taint(
        """
        def run(command):
            sink(command)

        def main():
            run("ls -l")
            run(command="pwd")
        """
    )
    assert found == {3: None}


def test_callers_through_two_levels_and_methods() -> None:
    found = taint(
        """
        class Tool:
            def execute(self, command):
                sink(command)

            def go(self, text):
                self.execute("echo " + text)

        def main(tool):
            tool_obj = Tool()
            Tool.go(tool_obj, input())
            helper(input())

        def helper(value):
            inner(value)

        def inner(value):
            sink(value)
        """
    )
    assert found[18] is not None
    assert [m for _, m in steps(found[18])] == [
        "user input (input())",
        "passed to helper() as `value`",
        "parameter `value` of helper()",
        "passed to inner() as `value`",
        "parameter `value` of inner()",
        "reaches the sink",
    ]


def test_self_method_calls_map_arguments_after_self() -> None:
    found = taint(
        """
        import sys

        class Tool:
            def execute(self, command, mode="x"):
                sink(command)
                sink(mode)

            def main(self):
                self.execute(sys.argv[1])
        """
    )
    assert found[6] is not None
    assert found[7] is None


def test_route_parameters_are_sources_unless_converted_or_typed() -> None:
    found = taint(
        """
        from flask import Flask
        from fastapi import FastAPI, Depends

        app = Flask(__name__)
        api = FastAPI()

        @app.route("/user/<name>/<int:uid>")
        def user(name, uid):
            sink(name)
            sink(uid)

        @api.get("/items")
        def items(q: str, limit: int, db=Depends(get_db)):
            sink(q)
            sink(limit)
            sink(db)
        """
    )
    assert found[10] is not None
    assert found[10].source == "route parameter `name`"
    assert found[11] is None
    assert found[15] is not None
    assert found[16] is None
    assert found[17] is None


def test_django_views_request_attributes_and_url_parameters() -> None:
    found = taint(
        """
        def article(request, slug):
            sink(request.GET["q"])
            sink(slug)
            sink(request.user.username)

        class ArticleView:
            def get(self, request, pk):
                sink(self.request.POST.get("x"))
                sink(pk)
        """
    )
    assert found[3] is not None
    assert found[3].source == "request data (request.GET)"
    assert found[4] is not None
    assert found[5] is None
    assert found[9] is not None
    assert found[10] is not None


def test_starlette_request_parameter_by_annotation() -> None:
    found = taint(
        """
        from starlette.requests import Request

        async def endpoint(req: Request):
            body = await req.body()
            sink(body)
        """
    )
    assert found[6] is not None
    assert found[6].source == "request data (request.body)"


def test_comprehensions_lambdas_walrus_and_closures() -> None:
    found = taint(
        """
        import sys

        def f():
            [sink(arg) for arg in sys.argv]
            g = lambda arg: sink(arg)
            if (value := input()):
                sink(value)
            prefix = sys.argv[0]

            def inner():
                sink(prefix)
            return inner
        """
    )
    assert found[5] is not None
    assert found[6] is None
    assert found[8] is not None
    assert found[12] is not None


def test_module_level_scripts() -> None:
    found = taint(
        """
        import sys
        name = sys.argv[1]
        sink("hello " + name)

        def later():
            sink(name)
        """
    )
    assert found[4] is not None
    assert found[7] is not None


def test_tuple_unpacking_keeps_elements_apart() -> None:
    found = taint(
        """
        import sys
        def f():
            a, b = "ls", sys.argv[1]
            sink(a)
            sink(b)
        """
    )
    assert found[5] is None
    assert found[6] is not None


def test_try_and_with_and_match() -> None:
    found = taint(
        """
        import sys
        def f():
            try:
                data = sys.argv[1]
            except IndexError:
                data = "none"
            sink(data)
            match sys.argv:
                case [_, command]:
                    sink(command)
        """
    )
    assert found[8] is not None
    assert found[11] is not None


def test_recursion_and_deep_expressions_terminate() -> None:
    chain = " + ".join(["a"] * 600)
    found = taint(
        f"""
        import sys
        def loop(x):
            return loop(x + sys.argv[1])

        def g():
            a = sys.argv[1]
            sink(loop("x"))
            sink({chain})
        """
    )
    assert set(found) == {8, 9}


def test_star_args_collect_every_extra_positional_argument() -> None:
    found = taint(
        """
        import sys

        def tool(*args):
            sink(["tool", *args])

        def main():
            tool("first", "second", sys.argv[1])
        """
    )
    assert [m for _, m in steps(found[5])] == [
        "command-line arguments (sys.argv)",
        "passed to tool() as `args`",
        "parameter `args` of tool()",
        "reaches the sink",
    ]


def test_data_put_into_a_container_taints_the_container() -> None:
    found = taint(
        """
        import sys

        def f(thing):
            a = sys.argv[1]
            p1 = []
            p1.append(a)
            sink(p1)
            p2 = ["x"]
            p2.insert(0, a)
            sink(p2)
            p3 = {}
            p3.update({"k": a})
            sink(p3)
            p4 = {}
            p4.setdefault("k", a)
            sink(p4)
            p5 = ["x"]
            p5 += [a]
            sink(p5)
            p6 = ["x", "y"]
            p6[1] = a
            sink(p6)
            p7 = [["x"]]
            p7[0].append(a)
            sink(p7)
            p8 = []
            ok = p8.append(a) or True
            sink(p8)
            p9 = set()
            p9.add(a)
            sink(p9)
            p10 = {"k": []}
            p10["k"].append(a)
            sink(p10)
            p11 = []
            fill(p11, a)
            sink(p11)
            p12 = []
            p12.append("constant")
            thing.run(p12)
            sink(p12)
        """
    )
    assert {line: path is not None for line, path in found.items()} == {
        8: True,
        11: True,
        14: True,
        17: True,
        20: True,
        23: True,
        26: True,
        29: True,
        32: True,
        35: True,
        38: True,
        42: False,
    }
    assert steps(found[8]) == [
        (5, "command-line arguments (sys.argv)"),
        (5, "assigned to `a`"),
        (7, "added to `p1`"),
        (8, "reaches the sink"),
    ]
