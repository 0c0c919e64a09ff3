"""`FileContext.is_constant`: true only for values provably built from literals."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.engine import RuleTable, run_rules
from bastion.code.rule import Issue, RuleSpec
from bastion.findings import Confidence, Severity

SEEN: dict[int, bool] = {}


def _probe(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    if ctx.call_name(node) == "sink" and node.args:
        SEEN[node.lineno] = ctx.is_constant(node.args[0])
    yield from ()


PROBE = RuleSpec(
    id="T002",
    name="constant_probe",
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    cwe=None,
    node_types=(ast.Call,),
    check=_probe,
    pack="test",
)


def constant(source: str) -> dict[int, bool]:
    SEEN.clear()
    text = textwrap.dedent(source)
    run_rules(ast.parse(text), text, "c.py", "c.py", RuleTable({PROBE.id: PROBE}))
    return dict(SEEN)


def test_literals_and_expressions_built_from_them() -> None:
    assert constant(
        """
        sink("ls -l")
        sink(["ls", "-l"])
        sink(("a", 1, None, True, b"x"))
        sink({"k": [1, 2], **{"z": 3}})
        sink("a" + "b" * 3)
        sink(f"x{1}{'y'!r:>4}")
        sink("%s-%d" % ("a", 1))
        sink(-1)
        sink("a" if x else "b")
        sink(["a", "b"][0])
        """
    ) == {
        2: True,
        3: True,
        4: True,
        5: True,
        6: True,
        7: True,
        8: True,
        9: True,
        10: True,
        11: True,
    }


def test_names_parameters_attributes_and_unknown_calls_are_not() -> None:
    assert constant(
        """
        import os
        def f(param):
            sink(param)
            sink(undefined_name)
            sink(os.sep)
            sink(compute())
            sink(f"x{param}")
            sink(["ls", param])
            sink(__file__)
        """
    ) == {4: False, 5: False, 6: False, 7: False, 8: False, 9: False, 10: False}


def test_local_names_every_assignment_of_which_is_constant() -> None:
    assert constant(
        """
        def f(flag, other):
            a = "ls"
            sink(a)
            b = "x"
            if flag:
                b = "y"
            sink(b)
            c = "x"
            if flag:
                c = other
            sink(c)
            d = "a"
            d = d + "b"
            d += "c"
            sink(d)
            e = other
            e = "now constant"
            sink(e)
            for item in ["a", "b"]:
                sink(item)
            for each in other:
                sink(each)
            p, q = "a", "b"
            sink(p)
            with open("x") as handle:
                sink(handle)
        """
    ) == {
        4: True,
        8: True,
        12: False,
        16: True,
        19: False,  # flow-insensitive: one assignment of `e` is not constant
        21: True,
        23: False,
        25: True,
        27: False,
    }


def test_module_constants_and_global_rebinding() -> None:
    assert constant(
        """
        COMMAND = "ls -l"
        OTHER = "pwd"

        def f():
            sink(COMMAND)
            sink(OTHER)

        def g(value):
            global OTHER
            OTHER = value
        """
    ) == {6: True, 7: False}


def test_pure_calls_on_constants_and_shadowed_builtins() -> None:
    assert constant(
        """
        import os, shlex
        from os.path import join
        sink(" ".join(["ls", "-l"]))
        sink("{} {}".format("a", "b"))
        sink(os.path.join("a", "b"))
        sink(join("a", "b"))
        sink(shlex.split("ls -l"))
        sink(str(1))
        sink("x".upper())

        def f(str):
            sink(str(1))
        """
    ) == {4: True, 5: True, 6: True, 7: True, 8: True, 9: True, 10: True, 13: False}


def test_comprehensions_over_constants() -> None:
    assert constant(
        """
        def f(items):
            sink([x.upper() for x in ["a", "b"]])
            sink([x for x in items])
            sink({k: "v" for k in ("a",)})
        """
    ) == {3: True, 4: False, 5: True}


def test_cycles_between_names_do_not_hide_a_non_constant_binding() -> None:
    assert constant(
        """
        def f(param):
            x = y
            y = x + param
            sink(y)
            sink(x)
        """
    ) == {5: False, 6: False}


def test_class_body_names_are_not_visible_in_methods() -> None:
    assert constant(
        """
        CMD = "outer"
        class A:
            CMD = input()
            sink(CMD)
            def m(self):
                sink(CMD)
        """
    ) == {5: False, 7: True}
