"""Part A's sink rules hand the dangerous argument to taint tracking (B102-B324).

A Flask view passes request data to each sink; the finding must carry the path from the
request to the sink and HIGH confidence. A constant argument carries no path.
"""

from __future__ import annotations

import textwrap

import pytest

from bastion.code.engine import analyze_source
from bastion.code.rule import load_rules

RULES = load_rules()

APP = textwrap.dedent(
    """
    import marshal, pickle, tarfile
    import xml.etree.ElementTree as ET
    from urllib.request import urlopen
    from django.utils.safestring import mark_safe
    from flask import Flask, request
    app = Flask(__name__)

    @app.route("/upload", methods=["POST"])
    def upload():
        data = request.get_data()
        state = pickle.loads(data)
        total = eval(request.args["expression"])
        exec(request.form["code"])
        page = urlopen(request.args["url"])
        tree = ET.fromstring(request.data)
        banner = mark_safe(request.args["banner"])
        config = marshal.loads(data)
        with tarfile.open(fileobj=request.files["bundle"]) as bundle:
            bundle.extractall("/srv/bundles")
        return ""
    """
)

# rule id -> (sink line, line where the untrusted data enters)
SINKS = {
    "B301": (12, 11),
    "B307": (13, 13),
    "B102": (14, 14),
    "B310": (15, 15),
    "B314": (16, 16),
    "B308": (17, 17),
    "B302": (18, 11),
    "B202": (20, 19),
}


@pytest.mark.parametrize("rule_id", sorted(SINKS))
def test_tainted_argument_carries_the_path(rule_id: str) -> None:
    sink_line, source_line = SINKS[rule_id]
    findings = [f for f in analyze_source("app.py", APP, RULES) if f.rule_id == rule_id]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.location is not None and finding.location.line == sink_line
    assert finding.confidence.name == "HIGH"
    assert finding.evidence, "no taint path attached"
    assert finding.evidence[0].location.line == source_line
    assert finding.evidence[-1].location.line == sink_line


def test_constant_argument_has_no_path() -> None:
    source = 'import pickle\npickle.loads(b"\\x80\\x04N.")\n'
    findings = [f for f in analyze_source("c.py", source, RULES) if f.rule_id == "B301"]
    assert [(f.severity.name, f.evidence) for f in findings] == [("LOW", ())]


def test_list_filled_at_run_time_is_not_constant() -> None:
    source = textwrap.dedent(
        """
        from django.utils.safestring import mark_safe
        def render(nodes, context):
            parts = []
            for node in nodes:
                parts.append(node.render(context))
            return mark_safe("".join(parts))
        """
    )
    findings = [f for f in analyze_source("r.py", source, RULES) if f.rule_id == "B308"]
    assert [f.severity.name for f in findings] == ["MEDIUM"]
