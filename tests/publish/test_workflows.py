"""P101-P107: the release path in GitHub Actions and GitLab CI; each fires on a crafted
workflow and stays quiet on Trusted Publishing as PyPI documents it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.cli import enter_empty_project, run

SHA = "a" * 40
# The shape PyPI and the Python Packaging User Guide document: build in one job, upload the
# artifact from another with only `id-token: write`, in an environment, on a release.
TRUSTED = f"""\
name: release
on:
  release:
    types: [published]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{SHA}
      - run: python -m pip install --require-hashes -r requirements/build.txt
      - run: python -m build
      - uses: actions/upload-artifact@{SHA}
        with: {{name: dist, path: dist/}}
  publish:
    needs: build
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@{SHA}
        with: {{name: dist, path: dist/}}
      - uses: pypa/gh-action-pypi-publish@{SHA}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = enter_empty_project(tmp_path, monkeypatch)
    (folder / ".github" / "workflows").mkdir(parents=True)
    return folder


def workflow(text: str, name: str = "release.yml") -> None:
    Path(".github/workflows", name).write_text(text)


def publish(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(capsys, "publish", "--format", "json", *argv)
    return code, (json.loads(out) if out.strip() else {}), err


def ids(report: dict[str, Any]) -> list[str]:
    return sorted(f["id"] for f in report.get("findings", []))


def by_id(report: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [f for f in report.get("findings", []) if f["id"] == rule_id]


def test_trusted_publishing_as_pypi_documents_it_is_clean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow(TRUSTED)
    code, report, err = publish(capsys)
    assert (code, ids(report)) == (0, []), err
    assert "publish: 1 GitHub workflows (1 jobs that publish)" in report["data_status"]


def test_p101_a_token_secret_even_with_id_token_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow(
        TRUSTED.replace(
            f"      - uses: pypa/gh-action-pypi-publish@{SHA}\n",
            f"      - uses: pypa/gh-action-pypi-publish@{SHA}\n"
            "        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n",
        )
    )
    code, report, _err = publish(capsys)
    (finding,) = by_id(report, "P101")
    assert code == 1 and finding["severity"] == "high"
    assert finding["title"] == (
        "job publish publishes with pypa/gh-action-pypi-publish using the action's `password` "
        "input although the job has id-token: write, not Trusted Publishing"
    )
    assert finding["location"]["line"] == 25


@pytest.mark.parametrize(
    ("run_line", "env"),
    [
        ("twine upload dist/*", "TWINE_PASSWORD: ${{ secrets.PYPI }}"),
        ("uv publish", "UV_PUBLISH_TOKEN: ${{ secrets.PYPI }}"),
        ("poetry publish", "POETRY_PYPI_TOKEN_PYPI: ${{ secrets.PYPI }}"),
        ("hatch publish -a ${{ secrets.PYPI }}", ""),
    ],
)
def test_p101_publishing_commands_with_credentials(
    project: Path, capsys: pytest.CaptureFixture[str], run_line: str, env: str
) -> None:
    env_block = f"        env:\n          {env}\n" if env else ""
    workflow(
        "on:\n  push:\n    tags: ['v*']\njobs:\n  publish:\n    runs-on: ubuntu-latest\n"
        f"    environment: pypi\n    steps:\n      - run: {run_line}\n{env_block}"
    )
    assert ids(publish(capsys)[1]) == ["P101"]


def test_p102_attestations_off(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workflow(
        TRUSTED.replace(
            f"      - uses: pypa/gh-action-pypi-publish@{SHA}\n",
            f"      - uses: pypa/gh-action-pypi-publish@{SHA}\n"
            "        with:\n          attestations: false\n",
        )
    )
    (finding,) = by_id(publish(capsys)[1], "P102")
    assert finding["location"]["line"] == 25


@pytest.mark.parametrize(
    ("trigger", "severity"),
    [
        ("pull_request_target", "high"),
        ("workflow_run:\n    workflows: [ci]", "high"),
        ("issue_comment", "high"),
        ("push:\n    branches: [main]", "medium"),
    ],
)
def test_p103_untrusted_or_branch_triggers(
    project: Path, capsys: pytest.CaptureFixture[str], trigger: str, severity: str
) -> None:
    workflow(TRUSTED.replace("  release:\n    types: [published]\n", f"  {trigger}\n"))
    (finding,) = by_id(publish(capsys)[1], "P103")
    assert finding["severity"] == severity
    assert finding["location"]["line"] == 2


def test_p103_quiet_for_tag_pushes_and_tag_gated_jobs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow(TRUSTED.replace("  release:\n    types: [published]\n", "  push:\n    tags: ['v*']\n"))
    assert by_id(publish(capsys)[1], "P103") == []
    workflow(
        TRUSTED.replace("  release:\n    types: [published]\n", "  push:\n").replace(
            "    environment: pypi\n",
            "    environment: pypi\n    if: startsWith(github.ref, 'refs/tags/')\n",
        )
    )
    assert by_id(publish(capsys)[1], "P103") == []


def test_p104_p105_p106_p107_in_one_job(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workflow(
        "on:\n  release:\n    types: [published]\njobs:\n  release:\n"
        "    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: pip install build twine\n"
        "      - run: python -m build\n"
        "      - uses: pypa/gh-action-pypi-publish@release/v1\n"
    )
    report = publish(capsys)[1]
    assert ids(report) == ["P104", "P105", "P106", "P106", "P107"]
    assert [f["location"]["line"] for f in by_id(report, "P106")] == [10, 13]
    assert (
        by_id(report, "P107")[0]["title"]
        == "job release installs without hashes: pip install build twine"
    )


def test_a_workflow_that_does_not_publish_is_not_judged(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow(
        "on: pull_request_target\njobs:\n  test:\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: pip install -e .\n"
    )
    assert ids(publish(capsys)[1]) == []


def test_gitlab_twine_password_versus_id_tokens(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(".gitlab-ci.yml").write_text(
        "stages: [deploy]\npublish:\n  stage: deploy\n  variables:\n"
        "    TWINE_USERNAME: __token__\n    TWINE_PASSWORD: $PYPI_TOKEN\n"
        "  script:\n    - python -m twine upload dist/*\n"
    )
    (finding,) = by_id(publish(capsys)[1], "P101")
    assert finding["location"] == {**finding["location"], "path": ".gitlab-ci.yml", "line": 2}
    assert "TWINE_PASSWORD" in finding["title"]
    Path(".gitlab-ci.yml").write_text(
        "publish:\n  id_tokens:\n    PYPI_ID_TOKEN:\n      aud: pypi\n"
        "  script:\n    - uv publish --trusted-publishing always\n"
    )
    assert ids(publish(capsys)[1]) == []


def test_a_broken_workflow_is_bad_input_naming_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow("on: push\njobs:\n  x: [unclosed\n")
    code, _report, err = publish(capsys)
    assert code == 2
    assert ".github/workflows/release.yml:" in err and "not valid YAML" in err
    assert "Traceback" not in err


def test_yaml_aliases_are_bounded(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    workflow("\n".join(lines) + "\n")
    code, _report, err = publish(capsys)
    assert code == 2 and "values (aliases?)" in err


def fake_zizmor(folder: Path, answer: list[dict[str, Any]], code: int = 13) -> str:
    """A stand-in for zizmor that prints `answer` as its JSON (the test's own program)."""
    script = folder / "zizmor"
    script.write_text(
        f"#!{__import__('sys').executable}\nimport sys\nprint({json.dumps(json.dumps(answer))})\n"
        f"sys.exit({code})\n"
    )
    script.chmod(0o755)
    return str(script)


def test_zizmor_results_become_findings_and_its_absence_is_said(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bastion.publish import zizmor

    workflow(TRUSTED)
    monkeypatch.setattr(zizmor, "executable", lambda: None)
    report = publish(capsys)[1]
    assert any("zizmor is not installed" in line for line in report["data_status"])
    answer = [
        {
            "ident": "template-injection",
            "desc": "code injection via template expansion",
            "url": "https://docs.zizmor.sh/audits/#template-injection",
            "determinations": {"confidence": "High", "severity": "High"},
            "locations": [
                {
                    "symbolic": {
                        "key": {"Local": {"verbatim_path": "x/.github/workflows/release.yml"}},
                        "kind": "Primary",
                    },
                    "concrete": {"location": {"start_point": {"row": 9, "column": 0}}},
                }
            ],
        },
        {"ident": "anonymous-definition", "determinations": {"severity": "Informational"}},
    ]
    program = fake_zizmor(project.parent, answer)
    monkeypatch.setattr(zizmor, "executable", lambda: program)
    code, report, _err = publish(capsys)
    (finding,) = report["findings"]
    assert (code, finding["id"], finding["severity"]) == (1, "zizmor/template-injection", "high")
    assert finding["location"]["path"] == ".github/workflows/release.yml"
    assert finding["location"]["line"] == 10
    code, out, _err = run(capsys, "publish", "--format", "sarif")
    assert "zizmor/template-injection" in out
    monkeypatch.setattr(zizmor, "executable", lambda: fake_zizmor(project.parent, [], code=2))
    code, report, _err = publish(capsys)
    assert code == 3 and "zizmor failed (2)" in report["incomplete"][0]


def test_the_real_zizmor_when_installed(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bastion.publish import zizmor

    real = getattr(zizmor.executable, "__wrapped__", None)
    import shutil
    import sys

    beside = Path(sys.executable).with_name("zizmor")
    program = str(beside) if beside.is_file() else shutil.which("zizmor")
    if program is None or real is not None:
        pytest.skip("zizmor is not installed")
    monkeypatch.setattr(zizmor, "executable", lambda: program)
    workflow(TRUSTED)
    code, report, err = publish(capsys)
    assert code in (0, 1), err
    assert any(line.startswith("publish: zizmor (") for line in report["data_status"])
    assert all(f["id"].startswith("zizmor/") for f in report.get("findings", []))


def test_account_advice_is_given_once_as_advice_not_findings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow(TRUSTED)
    report = publish(capsys)[1]
    assert report["findings"] == []
    assert len(report["advice"]) == 2
    assert report["advice"][0].startswith("PyPI has required two-factor authentication")
    _code, out, _err = run(capsys, "publish")
    assert out.count("Advice:") == 1
