"""B101, B102, B103, B104, B108, B110, B112: asserts, exec, chmod, bind-all, tmp, except.

Each case is a snippet, the findings of one rule on it as (line, severity, confidence), and
what bandit 1.9.4 reported for that rule on the same snippet ("same" = identical findings).
"""

from __future__ import annotations

import textwrap

import pytest

from bastion.code.engine import analyze_source
from support.rules import RULES, Case, found

CASES = [
    # --- B101 assert_used ---
    Case(
        "B101",
        """
        def check(x):
            assert x > 0, "positive"
            assert isinstance(x, int)
        """,
        ((3, "LOW", "HIGH"), (4, "LOW", "HIGH")),
    ),
    Case("B101", 'message = "assert x"\nif not x:\n    raise ValueError(x)\n', (), "none"),
    # --- B102 exec_used ---
    Case("B102", "exec(code)\n", ((1, "MEDIUM", "HIGH"),)),
    Case(
        "B102",
        """
        def run(source):
            exec(compile(source, "<string>", "exec"), {})
        """,
        ((3, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B102",
        'exec("x = 1")\n',
        ((1, "LOW", "HIGH"),),
        "MEDIUM/HIGH line 1: bastion lowers severity for a constant string",
    ),
    Case(
        "B102",
        "import builtins\nbuiltins.exec(code)\n",
        ((2, "MEDIUM", "HIGH"),),
        "none: bandit only matches the bare name",
    ),
    Case(
        "B102",
        """
        def exec(command):
            return command
        exec(user_input)
        """,
        (),
        "MEDIUM/HIGH line 4: bandit does not see that exec is a local function",
    ),
    Case(
        "B102",
        """
        def run(exec, code):
            exec(code)
        cursor.exec(query)
        """,
        (),
        "MEDIUM/HIGH line 3 (the parameter); nothing on the method",
    ),
    Case("B102", "from sandbox import exec\nexec(code)\n", (), "none"),
    # --- B103 set_bad_file_permissions ---
    Case("B103", 'import os\nos.chmod("/etc/app.conf", 0o777)\n', ((2, "HIGH", "HIGH"),)),
    Case("B103", "import os\nos.chmod(path, 0o750)\n", ((2, "MEDIUM", "HIGH"),)),
    Case("B103", "from os import chmod\nchmod(path, 0o666)\n", ((2, "HIGH", "HIGH"),)),
    Case("B103", "sftp.chmod(remote_path, 0o775)\n", ((1, "MEDIUM", "HIGH"),)),
    Case(
        "B103",
        "import os, stat\nos.chmod(path, stat.S_IRWXU | stat.S_IRWXO)\n",
        ((2, "HIGH", "HIGH"),),
        "none: bandit only reads integer literals",
    ),
    Case(
        "B103",
        "import os\nos.chmod(path, mode=0o777)\n",
        ((2, "HIGH", "HIGH"),),
        "none: bandit only reads the second positional argument",
    ),
    Case(
        "B103",
        "from pathlib import Path\nPath(name).chmod(0o757)\n",
        ((2, "HIGH", "HIGH"),),
        "none: bandit needs two positional arguments",
    ),
    Case(
        "B103",
        "import os, stat\nos.chmod(a, 0o600)\nos.chmod(b, 0o644)\nos.chmod(c, mode)\n"
        "os.chmod(d, stat.S_IRUSR | stat.S_IWUSR)\n",
        (),
        "none",
    ),
    # --- B104 hardcoded_bind_all_interfaces ---
    Case(
        "B104",
        """
        HOST = "0.0.0.0"
        app.run(host="0.0.0.0", port=8000)
        sock.bind(("0.0.0.0", 53))
        """,
        ((2, "MEDIUM", "MEDIUM"), (3, "MEDIUM", "MEDIUM"), (4, "MEDIUM", "MEDIUM")),
    ),
    Case(
        "B104",
        '''
        def serve(host):
            """Refuses "0.0.0.0" unless asked."""
            if host == "0.0.0.0":
                warn()
            network = "0.0.0.0/0"
        ''',
        (),
        "MEDIUM/MEDIUM line 4: bandit also reports the comparison",
    ),
    # --- B108 hardcoded_tmp_directory ---
    Case(
        "B108",
        """
        with open("/tmp/report.csv", "w") as out:
            pass
        CACHE = "/var/tmp"
        path = f"/dev/shm/{name}"
        """,
        ((2, "MEDIUM", "MEDIUM"), (4, "MEDIUM", "MEDIUM"), (5, "MEDIUM", "MEDIUM")),
    ),
    Case(
        "B108",
        '''
        def f():
            """Writes nothing to /tmp/x."""
            return "/home/tmp/x", "tmp/x"
        ''',
        (),
        "none",
    ),
    Case(
        "B108",
        'TEMPLATES = "/tmpl/pages"\n',
        (),
        "MEDIUM/MEDIUM line 1: bandit compares a plain prefix",
    ),
    # --- B110 try_except_pass ---
    Case(
        "B110",
        """
        try:
            a()
        except:
            pass
        try:
            b()
        except Exception:
            pass
        """,
        ((4, "LOW", "HIGH"), (8, "LOW", "HIGH")),
    ),
    Case(
        "B110",
        """
        try:
            a()
        except BaseException:
            pass
        """,
        ((4, "LOW", "HIGH"),),
        "none: bandit skips every typed handler but Exception",
    ),
    Case(
        "B110",
        """
        try:
            a()
        except ValueError:
            pass
        except (OSError, Exception):
            pass
        except Exception:
            log()
        except Exception:
            ...
        """,
        (),
        "none",
    ),
    # --- B112 try_except_continue ---
    Case(
        "B112",
        """
        for item in items:
            try:
                a(item)
            except:
                continue
            try:
                b(item)
            except Exception as error:
                continue
        """,
        ((5, "LOW", "HIGH"), (9, "LOW", "HIGH")),
    ),
    Case(
        "B112",
        """
        for item in items:
            try:
                a(item)
            except BaseException:
                continue
        """,
        ((5, "LOW", "HIGH"),),
        "none: bandit skips every typed handler but Exception",
    ),
    Case(
        "B112",
        """
        for item in items:
            try:
                a(item)
            except KeyError:
                continue
            except Exception:
                log(item)
                continue
        """,
        (),
        "none",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_rule_findings(case: Case) -> None:
    assert found(case) == case.expected


def test_b103_message_names_the_mode() -> None:
    findings = analyze_source("m.py", "import os\nos.chmod(p, 0o777)\n", {"B103": RULES["B103"]})
    assert [f.title for f in findings] == ["chmod makes a file world-writable (mode 0o777)"]


def test_b102_builtin_check_is_scope_aware() -> None:
    source = textwrap.dedent(
        """
        def outer():
            def exec(code):
                return code
            exec(a)
        def other():
            exec(b)
        """
    )
    findings = analyze_source("s.py", source, {"B102": RULES["B102"]})
    assert [f.location.line for f in findings if f.location] == [7]
