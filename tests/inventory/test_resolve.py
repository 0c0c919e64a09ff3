"""The resolver: pip faked at its one process boundary (offline), plus one real network run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from bastion.errors import InputError, SourceError
from bastion.findings import Diagnostic, Location
from bastion.inventory import resolve as resolve_module
from bastion.inventory.model import Dependency
from bastion.inventory.resolve import requirement_line, resolve

SHA_A = "a" * 64
SHA_B = "b" * 64


def item(name: str, version: str, *, requested: bool = False, sha: str = SHA_A) -> dict[str, Any]:
    return {
        "download_info": {
            "url": f"https://files.example/{name}-{version}-py3-none-any.whl",
            "archive_info": {"hash": f"sha256={sha}", "hashes": {"sha256": sha}},
        },
        "is_direct": False,
        "is_yanked": False,
        "requested": requested,
        "metadata": {"metadata_version": "2.1", "name": name, "version": version},
    }


class FakePip:
    """Stands in for `_run`: records commands, writes a report, answers like pip would."""

    def __init__(
        self,
        report: dict[str, Any] | None = None,
        *,
        returncode: int = 0,
        stdout: str = "",
        stderr: str = "",
        index_output: str = "",
    ) -> None:
        self.report = report
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.index_output = index_output
        self.commands: list[list[str]] = []
        self.requirements = ""

    def __call__(
        self, command: Sequence[str], *, timeout: float
    ) -> subprocess.CompletedProcess[str]:
        command = list(command)
        self.commands.append(command)
        if "index" in command:
            code = 0 if self.index_output else 1
            return subprocess.CompletedProcess(command, code, self.index_output, "")
        requirements = Path(command[command.index("-r") + 1])
        self.requirements = requirements.read_text()
        stderr = self.stderr.replace("{REQS}", str(requirements))
        if self.report is not None:
            Path(command[command.index("--report") + 1]).write_text(json.dumps(self.report))
        return subprocess.CompletedProcess(command, self.returncode, self.stdout, stderr)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakePip:
    pip = FakePip({"version": "1", "install": []})
    monkeypatch.setattr(resolve_module, "_run", pip)
    monkeypatch.setattr(resolve_module, "_has_pip", lambda: True)
    return pip


def at(line: int) -> Location:
    return Location("requirements.in", line)


def test_requested_get_pins_and_transitive_are_added(fake: FakePip) -> None:
    fake.report = {
        "version": "1",
        "install": [
            item("requests", "2.31.0", requested=True),
            item("Charset_Normalizer", "3.3.2", sha=SHA_B),
            item("certifi", "2024.2.2"),
            item("flask", "3.0.0", requested=True),
        ],
    }
    deps = [
        Dependency("requests", None, at(1), specifier=">=2.31", extras=("socks",)),
        Dependency("flask", "3.0.0", at(2), specifier="==3.0.0", hashes=("sha256:" + SHA_B,)),
    ]
    diagnostics: list[Diagnostic] = []
    result = resolve(deps, diagnostics=diagnostics)
    assert result == [
        Dependency("requests", "2.31.0", at(1), specifier=">=2.31", extras=("socks",)),
        Dependency("flask", "3.0.0", at(2), specifier="==3.0.0", hashes=("sha256:" + SHA_B,)),
        Dependency("certifi", "2024.2.2", None, direct=False, hashes=("sha256:" + SHA_A,)),
        Dependency("charset-normalizer", "3.3.2", None, direct=False, hashes=("sha256:" + SHA_B,)),
    ]
    assert diagnostics == []
    assert fake.requirements == "requests[socks]>=2.31\nflask==3.0.0\n"
    (command,) = fake.commands
    assert command[:3] == [sys.executable, "-m", "pip"]
    flags = command[3:]
    assert flags[:6] == [
        "install",
        "--dry-run",
        "--ignore-installed",
        "--only-binary",
        ":all:",
        "--progress-bar",
    ]
    assert "--report" in flags and "--target" not in flags


def test_legacy_report_hash_field(fake: FakePip) -> None:
    legacy = item("six", "1.16.0")
    del legacy["download_info"]["archive_info"]["hashes"]
    fake.report = {"version": "1", "install": [item("a", "1.0", requested=True), legacy]}
    result = resolve([Dependency("a", None, at(1))], diagnostics=[])
    assert result[1] == Dependency("six", "1.16.0", None, direct=False, hashes=("sha256:" + SHA_A,))


def test_url_and_editable_dependencies_are_not_sent(fake: FakePip) -> None:
    vcs = Dependency("tool", None, at(3), url="git+https://x.example/tool.git")
    editable = Dependency("mine", "0.1", at(4), url=".", editable=True)
    fake.report = {"version": "1", "install": [item("a", "1.0", requested=True)]}
    diagnostics: list[Diagnostic] = []
    result = resolve([vcs, Dependency("a", None, at(1)), editable], diagnostics=diagnostics)
    assert result == [vcs, Dependency("a", "1.0", at(1)), editable]
    assert fake.requirements == "a\n"
    assert diagnostics == [
        Diagnostic(
            "tool comes from git+https://x.example/tool.git: its own dependencies are not "
            "resolved (that would mean building it)",
            at(3),
        ),
        Diagnostic(
            "mine comes from .: its own dependencies are not resolved (that would mean "
            "building it)",
            at(4),
        ),
    ]


def test_nothing_to_send_runs_nothing(fake: FakePip) -> None:
    only = [Dependency("tool", None, at(1), url="https://x.example/tool-1.0.tar.gz")]
    assert resolve(only, diagnostics=[]) == only
    assert fake.commands == []


def test_requested_but_not_installed_stays_unresolved(fake: FakePip) -> None:
    win = Dependency("pywin32", None, at(5), markers='sys_platform == "win32"')
    fake.report = {"version": "1", "install": []}
    diagnostics: list[Diagnostic] = []
    assert resolve([win], diagnostics=diagnostics) == [win]
    assert fake.requirements == 'pywin32 ; sys_platform == "win32"\n'
    assert diagnostics == [
        Diagnostic(
            "pywin32: not needed on the target Python/platform (markers); left unresolved", at(5)
        )
    ]


def test_target_python_version(fake: FakePip) -> None:
    resolve([Dependency("a", None)], python="3.9", diagnostics=[])
    command = fake.commands[0]
    position = command.index("--python-version")
    assert command[position + 1] == "3.9"
    assert command[position + 2] == "--target"


def test_target_interpreter(fake: FakePip) -> None:
    resolve([Dependency("a", None)], python="/opt/py39/bin/python", diagnostics=[])
    assert fake.commands[0][:5] == [sys.executable, "-m", "pip", "--python", "/opt/py39/bin/python"]


def test_throwaway_venv_when_there_is_no_pip(
    fake: FakePip, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Path] = []

    def make_venv(where: Path) -> Path:
        made.append(where)
        return where / "bin" / "python"

    monkeypatch.setattr(resolve_module, "_has_pip", lambda: False)
    monkeypatch.setattr(resolve_module, "_make_venv", make_venv)
    resolve([Dependency("a", None)], diagnostics=[])
    assert fake.commands[0][:3] == [str(made[0] / "bin" / "python"), "-m", "pip"]


def test_requirement_lines() -> None:
    assert requirement_line(Dependency("a", None, specifier=">=1,<2")) == "a>=1,<2"
    assert requirement_line(Dependency("a", "1.5", specifier=">=1")) == "a==1.5"
    assert requirement_line(Dependency("a", "x1", specifier="===x1")) == "a===x1"
    assert (
        requirement_line(Dependency("a", None, extras=("b", "c"), markers='os_name == "nt"'))
        == 'a[b,c] ; os_name == "nt"'
    )


# --- failures ---------------------------------------------------------------------------------


NO_WHEEL = (
    "ERROR: Could not find a version that satisfies the requirement pycrypto>=2 "
    "(from versions: none)\nERROR: No matching distribution found for pycrypto>=2\n"
)


def test_no_wheel_is_explained_at_the_requirement_line(fake: FakePip) -> None:
    fake.returncode, fake.stderr = 1, NO_WHEEL
    fake.index_output = "pycrypto (2.6.1)\nAvailable versions: 2.6.1, 2.6, 1.9\n"
    diagnostics: list[Diagnostic] = []
    wanted = Dependency("pycrypto", None, at(7), specifier=">=2")
    assert resolve([wanted], diagnostics=diagnostics) == [wanted]  # left unpinned
    (said,) = diagnostics
    assert said.location == at(7)
    assert said.message == (
        "not resolved: pycrypto>=2: no wheel for this Python and platform (releases with only "
        "source archives: 2.6.1, 2.6); bastion resolves with --only-binary :all: because "
        "building an sdist runs its code: pin a version that has wheels"
    )
    assert fake.commands[1][-3:] == ["index", "versions", "pycrypto"]


def test_an_sdist_only_pin_does_not_stop_the_rest(
    fake: FakePip, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pip stops at the first requirement without a wheel; bastion asks again without it."""
    answers = iter([(1, NO_WHEEL), (0, "")])

    def next_answer(command: Sequence[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
        if "install" in command:
            fake.returncode, fake.stderr = next(answers)
        return FakePip.__call__(fake, command, timeout=timeout)

    monkeypatch.setattr(resolve_module, "_run", next_answer)
    fake.index_output = "Available versions: 2.6.1\n"
    fake.report = {"version": "1", "install": [item("requests", "2.31.0", requested=True)]}
    diagnostics: list[Diagnostic] = []
    result = resolve(
        [
            Dependency("pycrypto", None, at(1), specifier=">=2"),
            Dependency("requests", None, at(2), specifier=">=2"),
        ],
        diagnostics=diagnostics,
    )
    assert [(d.name, d.version) for d in result] == [("pycrypto", None), ("requests", "2.31.0")]
    assert "requests" in fake.requirements and "pycrypto" not in fake.requirements
    assert [d.location for d in diagnostics] == [at(1)]


def test_no_matching_version(fake: FakePip) -> None:
    fake.returncode = 1
    fake.stderr = (
        "ERROR: Could not find a version that satisfies the requirement requests==0.0.1 "
        "(from versions: 2.0.0, 2.31.0)\n"
    )
    fake.index_output = "Available versions: 2.31.0, 2.0.0\n"
    with pytest.raises(InputError) as caught:
        resolve([Dependency("requests", None, at(2), specifier="==0.0.1")], diagnostics=[])
    assert str(caught.value) == (
        "requirements.in:2: requests==0.0.1: no version matches (newest: 2.0.0, 2.31.0)"
    )


def test_unknown_package(fake: FakePip) -> None:
    fake.returncode = 1
    fake.stderr = "ERROR: No matching distribution found for nosuchpkg\n"
    with pytest.raises(InputError) as caught:
        resolve([Dependency("nosuchpkg", None, at(3))], diagnostics=[])
    assert str(caught.value) == (
        "requirements.in:3: nosuchpkg: no such package on the configured index"
    )


def test_conflict_names_the_requirements(fake: FakePip) -> None:
    fake.returncode = 1
    fake.stderr = (
        "ERROR: Cannot install -r {REQS} (line 1) and urllib3>=2 because these package "
        "versions have conflicting dependencies.\nERROR: ResolutionImpossible: for help visit "
        "https://pip.pypa.io/\n"
    )
    fake.stdout = (
        "The conflict is caused by:\n    The user requested urllib3>=2\n"
        "    requests 2.25.1 depends on urllib3<1.27 and >=1.21.1\n"
    )
    deps = [
        Dependency("requests", "2.25.1", at(1), specifier="==2.25.1"),
        Dependency("urllib3", None, at(2), specifier=">=2"),
    ]
    with pytest.raises(InputError) as caught:
        resolve(deps, diagnostics=[])
    assert (caught.value.path, caught.value.line) == ("requirements.in", 1)
    assert caught.value.reason == (
        "the requirements conflict: Cannot install requests==2.25.1 (requirements.in:1) and "
        "urllib3>=2 because these package versions have conflicting dependencies; The user "
        "requested urllib3>=2; requests 2.25.1 depends on urllib3<1.27 and >=1.21.1"
    )


@pytest.mark.parametrize(
    ("stderr", "message"),
    [
        (
            "WARNING: Retrying (Retry(total=4)) after connection broken by "
            "'NewConnectionError(...)': /simple/requests/\n"
            "ERROR: Could not find a version that satisfies the requirement requests "
            "(from versions: none)\n",
            "package index unreachable while resolving: Could not find a version that "
            "satisfies the requirement requests (from versions: none)",
        ),
        ("/usr/bin/python3: No module named pip\n", "has no pip to resolve with"),
        (
            "Usage: ...\nno such option: --report\n",
            "pip is too old to resolve without installing (pip >= 22.2 needed)",
        ),
        ("ERROR: something else broke\n", "pip failed to resolve: something else broke"),
    ],
)
def test_source_failures(fake: FakePip, stderr: str, message: str) -> None:
    fake.returncode, fake.stderr = 2, stderr
    with pytest.raises(SourceError) as caught:
        resolve([Dependency("requests", None, at(1))], diagnostics=[])
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "report",
    [None, {"version": "1"}, {"version": "1", "install": [{"metadata": {"name": "x"}}]}],
)
def test_missing_or_broken_report_is_a_source_error(
    fake: FakePip, report: dict[str, Any] | None
) -> None:
    fake.report = report
    with pytest.raises(SourceError):
        resolve([Dependency("requests", None, at(1))], diagnostics=[])


def test_pip_that_cannot_start_is_a_source_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SourceError, match="cannot run pip"):
        resolve_module._run(["/nonexistent/python-for-bastion", "-m", "pip"], timeout=5)


@pytest.mark.network
def test_real_resolution_of_requests() -> None:
    diagnostics: list[Diagnostic] = []
    wanted = Dependency("requests", None, at(1), specifier=">=2.31")
    result = resolve([wanted], diagnostics=diagnostics)
    from packaging.version import Version

    first = result[0]
    assert (first.name, first.origin, first.direct, first.specifier) == (
        "requests",
        at(1),
        True,
        ">=2.31",
    )
    assert first.version is not None and Version(first.version) >= Version("2.31")
    transitive = {d.name: d for d in result[1:]}
    assert {"certifi", "charset-normalizer", "idna", "urllib3"} <= set(transitive)
    for dep in transitive.values():
        assert dep.direct is False and dep.origin is None and dep.version
        assert dep.hashes and dep.hashes[0].startswith("sha256:")
        assert len(dep.hashes[0]) == len("sha256:") + 64


def test_the_inputs_index_options_go_to_pip_and_errors_name_the_right_line(
    fake: FakePip,
) -> None:
    from bastion.inventory.model import IndexOption

    fake.report = None
    fake.returncode = 1
    fake.stderr = (
        "ERROR: Cannot install -r {REQS} (line 4) and urllib3>=2 because these package "
        "versions have conflicting dependencies.\nERROR: ResolutionImpossible\n"
    )
    options = [
        IndexOption("--index-url", "https://user:tok@private.example/simple"),
        IndexOption("--extra-index-url", "https://pypi.org/simple"),
        IndexOption("--no-index", None),
    ]
    wanted = [
        Dependency("requests", "2.25.1", at(5), specifier="==2.25.1"),
        Dependency("urllib3", None, at(6), specifier=">=2"),
    ]
    with pytest.raises(InputError) as caught:
        resolve(wanted, diagnostics=[], index_options=options)
    assert fake.requirements == (
        "--index-url https://user:tok@private.example/simple\n"
        "--extra-index-url https://pypi.org/simple\n"
        "--no-index\n"
        "requests==2.25.1\n"
        "urllib3>=2\n"
    )
    # Line 4 of the scratch file is the first requirement, after the three option lines.
    assert str(caught.value).startswith(
        "requirements.in:5: the requirements conflict: Cannot install requests==2.25.1 "
        "(requirements.in:5) and urllib3>=2"
    )
