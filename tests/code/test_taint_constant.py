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


def test_a_container_filled_with_non_constant_data_is_not_constant() -> None:
    assert constant(
        """
        def f(param, other):
            a = []
            a.append(param)
            sink(a)
            b = []
            b.extend(other)
            sink(" ".join(b))
            c = ["ls"]
            c.insert(0, param)
            sink(c)
            d = {}
            d.update(param)
            sink(d)
            e = {"k": "v"}
            e.setdefault("x", param)
            sink(e)
            g = set()
            g.add(param)
            sink(g)
            h = ["ls"]
            h += [param]
            sink(h)
            i = ["ls", "x"]
            i[1] = param
            sink(i)
            j = {"a": ["x"]}
            j["a"] += param
            sink(j)
            k = ["ls", "x"]
            k[1:] = param
            sink(k)
            m = [["ls"]]
            m[0].append(param)
            sink(m)
        """
    ) == {
        5: False,
        8: False,
        11: False,
        14: False,
        17: False,
        20: False,
        23: False,
        26: False,
        29: False,
        32: False,
        35: False,
    }


def test_a_container_filled_only_with_constants_stays_constant() -> None:
    assert constant(
        """
        import subprocess
        PREFIX = "--"
        def f(flag):
            a = ["ls"]
            a.append("-l")
            if flag:
                a.extend(["-a", PREFIX + "color"])
            for option in ("-h", "-S"):
                a.append(option)
            a[0] = "/bin/ls"
            a.sort()
            a.pop()
            subprocess.run(a)
            print(a, len(a))
            sink(" ".join(a))
            words = "a b".split()
            words.append("c")
            sink(words)
        """
    ) == {16: True, 19: True}


def test_aliases_and_nested_containers_share_changes() -> None:
    assert constant(
        """
        def f(param):
            a = ["ls"]
            b = a
            b.append(param)
            sink(a)
            rows = [["ls"], ["pwd"]]
            for row in rows:
                row.append(param)
            sink(rows)
            inner = ["ls"]
            outer = [inner]
            outer[0].append(param)
            sink(inner)
            box = []
            items = ["ls"]
            box.append(items)
            box[0].append(param)
            sink(items)
            with_alias = {"k": ["x"]}
            value = with_alias.get("k")
            value.append(param)
            sink(with_alias)
        """
    ) == {6: False, 10: False, 14: False, 19: False, 23: False}


def test_a_container_handed_to_unknown_code_is_not_constant() -> None:
    assert constant(
        """
        import subprocess
        import shlex
        def fill(words):
            words.append(input())
        def f(obj):
            a = ["ls"]
            fill(a)
            sink(a)
            b = ["ls"]
            obj.configure(b)
            sink(b)
            c = ["ls"]
            obj.attr = c
            sink(c)
            d = ["ls"]
            subprocess.run(d)
            shlex.join(d)
            sink(d)
            s = "ls -l"
            fill(s)
            obj.configure(s)
            sink(s)
            t = ("ls", "-l")
            fill(t)
            sink(t)
        """
    ) == {9: False, 12: False, 15: False, 19: True, 23: True, 26: True}


def test_module_and_class_level_containers_changed_from_functions() -> None:
    assert constant(
        """
        COMMAND = ["ls"]
        FIXED = ["pwd"]
        OPTIONS = {"shell": "sh"}

        def extend(value):
            COMMAND.append(value)

        def configure(value):
            OPTIONS["shell"] = value

        class Runner:
            ARGS = ["ls"]

            def add(self, value):
                self.ARGS.append(value)

            def run(self):
                sink(COMMAND)
                sink(FIXED)
                sink(OPTIONS)

        sink(Runner.ARGS)

        class Other:
            ARGS = ["ls"]
            sink(ARGS)
        """
    ) == {19: False, 20: True, 21: False, 23: False, 27: False}


def test_a_variable_a_nested_function_rebinds_through_nonlocal_is_not_constant() -> None:
    assert constant(
        """
        def f():
            command = "ls"
            def configure():
                nonlocal command
                command = input()
            configure()
            sink(command)
            fixed = "pwd"
            sink(fixed)
        """
    ) == {8: False, 10: True}


def test_a_container_stored_in_a_global_name_is_not_constant() -> None:
    assert constant(
        """
        SHARED = None
        def keep():
            global SHARED
            words = ["ls"]
            SHARED = words
            sink(words)
        def add(value):
            SHARED.append(value)
        """
    ) == {7: False}
