"""Rules whose sink takes data pass the data-flow path to the engine.

Each snippet sends Flask request data to the rule's sink; the finding must carry the path as
evidence, which raises its confidence to HIGH.
"""

from __future__ import annotations

import textwrap

import pytest

from bastion.code.engine import analyze_source
from bastion.code.rule import load_rules

RULES = load_rules()

SINKS = [
    ("B506", "import yaml", "yaml.load(data, Loader=yaml.Loader)"),
    ("B601", "import paramiko", "client.exec_command(data)"),
    ("B602", "import subprocess", "subprocess.run(data, shell=True)"),
    ("B603", "import subprocess", "subprocess.run(['git', 'log', data])"),
    ("B604", "import invoke", "invoke.run(data, shell=True)"),
    ("B605", "import os", "os.system('ls ' + data)"),
    ("B606", "import os", "os.execvp(data, [data])"),
    ("B608", "import sqlite3", "cursor.execute(\"SELECT * FROM t WHERE a = '%s'\" % data)"),
    ("B610", "import django", "Entry.objects.extra(where=[data])"),
    ("B611", "from django.db.models import RawSQL", "RawSQL(data, ())"),
    ("B614", "import torch", "torch.load(data)"),
    ("B702", "from mako.template import Template", "Template(data)"),
    ("B703", "from django.utils.safestring import mark_safe", "mark_safe(data)"),
    ("B704", "from markupsafe import Markup", "Markup(data)"),
]


@pytest.mark.parametrize(("rule", "imports", "sink"), SINKS, ids=[s[0] for s in SINKS])
def test_request_data_reaching_the_sink_is_evidence(rule: str, imports: str, sink: str) -> None:
    source = textwrap.dedent(
        f"""\
        {imports}
        from flask import request

        def view():
            data = request.args["q"]
            {sink}
        """
    )
    findings = [
        f for f in analyze_source("view.py", source, {rule: RULES[rule]}) if f.rule_id == rule
    ]
    assert [f.location.line for f in findings if f.location] == [6]
    (finding,) = findings
    assert finding.evidence, "the taint path should be attached as evidence"
    assert finding.confidence.name == "HIGH"


@pytest.mark.parametrize(
    ("rule", "sink", "expected"),
    [
        # bandit 1.9: B602 HIGH/HIGH (it only sees that the command is not a string literal)
        ("B602", "cmd = 'ls -l'\nsubprocess.run(cmd, shell=True)", [(4, "LOW", "HIGH")]),
        # bandit 1.9: B603 LOW/HIGH
        ("B603", "argv = ['ls', '-l']\nsubprocess.run(argv)", []),
        # bandit 1.9: B605 HIGH/HIGH
        ("B605", "cmd = 'uptime'\nos.system(cmd)", [(4, "LOW", "HIGH")]),
        # bandit 1.9: no B703 either (it traces the literal assignment itself)
        ("B703", "html = '<b>ok</b>'\nmark_safe(html)", []),
    ],
)
def test_names_bound_only_to_literals_count_as_constant(
    rule: str, sink: str, expected: list[tuple[int, str, str]]
) -> None:
    header = "import os, subprocess\nfrom django.utils.safestring import mark_safe\n"  # 2 lines
    findings = analyze_source("case.py", header + sink + "\n", {rule: RULES[rule]})
    got = [(f.location.line, f.severity.name, f.confidence.name) for f in findings if f.location]
    assert got == expected


def test_a_list_filled_from_a_parameter_is_not_constant() -> None:
    source = textwrap.dedent(
        """\
        import subprocess

        def run(x):
            words = []
            words.append(x)
            subprocess.run(" ".join(words), shell=True)
        """
    )
    findings = analyze_source("case.py", source, {"B602": RULES["B602"]})
    # bandit 1.9: B602 HIGH/HIGH
    assert [(f.severity.name, f.confidence.name) for f in findings] == [("HIGH", "HIGH")]
