"""`bastion env`: each rule fires on a crafted venv or variable and stays quiet on the clean
twin. Venvs are made with this interpreter (`-m venv --without-pip`) in a temporary folder;
nothing needs root or the network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bastion.env.rules.python_variables import VARIABLES
from support.cli import enter_empty_project, run

SITE = f"lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (*VARIABLES, "PIP_REQUIRE_VIRTUALENV", "PYTHONNOUSERSITE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return enter_empty_project(tmp_path, monkeypatch)


def make_venv(where: Path, *options: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", *options, str(where)], check=True
    )
    return where


def env(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(capsys, "env", "--format", "json", *argv)
    return code, (json.loads(out) if out.strip() else {}), err


def ids(report: dict[str, Any]) -> list[str]:
    return sorted(f["id"] for f in report.get("findings", []))


def by_id(report: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [f for f in report.get("findings", []) if f["id"] == rule_id]


def record(site: Path, name: str, *files: str) -> None:
    """A distribution `name` 1.0 whose RECORD lists `files`."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    rows = [*files, f"{name}-1.0.dist-info/METADATA", f"{name}-1.0.dist-info/RECORD"]
    (info / "RECORD").write_text("".join(f"{row},,\n" for row in rows))


def test_a_fresh_venv_is_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_venv(project / ".venv")
    code, report, err = env(capsys)
    assert (code, ids(report)) == (0, []), err
    assert report["data_status"][0].startswith("env: venv .venv (the project's .venv), Python ")
    assert "-I -S (nothing of the environment ran)" in report["data_status"][0]


def test_e101_a_system_interpreter_and_quiet_for_a_venv(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = getattr(sys, "_base_executable", sys.executable)
    report = env(capsys, "--python", base)[1]
    (finding,) = by_id(report, "E101")
    assert "is not a virtual environment (--python)" in finding["title"]
    make_venv(project / ".venv")
    assert by_id(env(capsys)[1], "E101") == []


def test_e102_system_site_packages(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_venv(project / ".venv", "--system-site-packages")
    (finding,) = by_id(env(capsys)[1], "E102")
    assert finding["location"]["path"] == ".venv/pyvenv.cfg"
    assert finding["location"]["line"] is not None
    cfg = project / ".venv" / "pyvenv.cfg"
    cfg.write_text(cfg.read_text().replace("= true", "= false"))
    assert by_id(env(capsys)[1], "E102") == []


def test_e103_a_base_that_is_gone_or_another_version(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = make_venv(project / ".venv")
    cfg = venv / "pyvenv.cfg"
    original = cfg.read_text()
    cfg.write_text(
        "".join(
            "home = /nonexistent/python/bin\n" if line.startswith("home") else line + "\n"
            for line in original.splitlines()
        )
    )
    code, report, _err = env(capsys)
    assert any("base interpreter is gone" in f["title"] for f in by_id(report, "E103"))
    assert code == 1
    cfg.write_text(
        "".join(
            "version = 3.2.0\n" if line.startswith("version") else line + "\n"
            for line in original.splitlines()
        )
    )
    (finding,) = by_id(env(capsys)[1], "E103")
    assert "made with Python 3.2.0" in finding["title"]
    cfg.write_text(original)
    assert by_id(env(capsys)[1], "E103") == []


def test_e104_pip_may_install_into_a_system_interpreter(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sysconfig

    base = getattr(sys, "_base_executable", sys.executable)
    if (Path(sysconfig.get_paths()["stdlib"]) / "EXTERNALLY-MANAGED").is_file():
        pytest.skip("this interpreter is EXTERNALLY-MANAGED: pip refuses by itself")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    assert len(by_id(env(capsys, "--python", base)[1], "E104")) == 1
    monkeypatch.setenv("PIP_REQUIRE_VIRTUALENV", "1")
    assert by_id(env(capsys, "--python", base)[1], "E104") == []


def test_e201_pth_code_by_owner(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_venv(project / ".venv") / SITE
    (site / "paths.pth").write_text("# only a path\nextra\n")
    (site / "extra").mkdir()
    assert by_id(env(capsys)[1], "E201") == []
    (site / "zz_hook.pth").write_text("extra\nimport os; os.getpid()\n")
    (site / "owned.pth").write_text("import sys\n")
    record(site, "owner", "owned.pth")
    (site / "distutils-precedence.pth").write_text("import os; var = 1\n")
    record(site, "setuptools", "distutils-precedence.pth")
    found = {f["location"]["path"].rsplit("/", 1)[1]: f for f in by_id(env(capsys)[1], "E201")}
    assert {name: f["severity"] for name, f in found.items()} == {
        "zz_hook.pth": "high",
        "owned.pth": "medium",
        "distutils-precedence.pth": "low",
    }
    assert found["zz_hook.pth"]["location"]["line"] == 2
    assert found["zz_hook.pth"]["title"].endswith(": import os; os.getpid()")
    # A benign name owned by the wrong distribution is no longer benign.
    (site / "setuptools-1.0.dist-info" / "RECORD").unlink()
    found = {f["location"]["path"].rsplit("/", 1)[1]: f for f in by_id(env(capsys)[1], "E201")}
    assert found["distutils-precedence.pth"]["severity"] == "high"


def test_e202_sitecustomize(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_venv(project / ".venv") / SITE
    assert by_id(env(capsys)[1], "E202") == []
    (site / "sitecustomize.py").write_text("print('hi')\n")
    (finding,) = by_id(env(capsys)[1], "E202")
    assert (finding["severity"], finding["location"]["path"]) == (
        "high",
        f".venv/{SITE}/sitecustomize.py",
    )


def test_e203_and_e302_pythonpath(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_venv(project / ".venv")
    assert ids(env(capsys)[1]) == []
    monkeypatch.setenv("PYTHONPATH", f"{project}/tools:")
    report = env(capsys)[1]
    (variable,) = by_id(report, "E203")
    assert variable["title"].startswith("PYTHONPATH is set")
    (relative,) = by_id(report, "E302")
    assert "an empty entry (the working directory)" in relative["title"]
    monkeypatch.setenv("PYTHONPATH", str(project / "tools"))
    assert by_id(env(capsys)[1], "E302") == []
    monkeypatch.setenv("PYTHONSTARTUP", "/tmp/startup.py")
    assert len(by_id(env(capsys)[1], "E203")) == 2


def test_e204_user_site_only_where_site_adds_it(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    user_site = tmp_path / "home" / ".local" / SITE
    user_site.mkdir(parents=True)
    (user_site / "leaked.py").write_text("")
    make_venv(project / ".venv")
    assert by_id(env(capsys)[1], "E204") == []  # a plain venv does not add it
    cfg = project / ".venv" / "pyvenv.cfg"
    cfg.write_text(cfg.read_text().replace("= false", "= true"))
    (finding,) = by_id(env(capsys)[1], "E204")
    assert "holds 1 entries" in finding["title"]


def test_e301_writable_by_others(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_venv(project / ".venv") / SITE
    assert by_id(env(capsys)[1], "E301") == []
    site.chmod(0o777)
    try:
        found = by_id(env(capsys)[1], "E301")
    finally:
        site.chmod(0o755)
    assert [f["location"]["path"] for f in found] == [str(site)]
    assert "is writable by others (mode 777)" in found[0]["title"]


def test_e401_and_e402_shadowed_modules(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_venv(project / ".venv") / SITE
    (project / "dice.py").write_text("")
    assert ids(env(capsys)[1]) == []
    (project / "random.py").write_text("")
    (project / "requests").mkdir()
    (project / "requests" / "__init__.py").write_text("")
    record(site, "requests", "requests/__init__.py")
    report = env(capsys)[1]
    (stdlib,) = by_id(report, "E401")
    assert stdlib["title"] == "random.py shadows the standard library's random"
    (installed,) = by_id(report, "E402")
    assert installed["title"] == "requests shadows requests of the installed requests"
    # The project's own package is not a shadow of itself.
    Path("pyproject.toml").write_text('[project]\nname = "requests"\nversion = "1"\n')
    assert by_id(env(capsys)[1], "E402") == []


def test_the_canary_never_runs(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    site = make_venv(project / ".venv") / SITE
    (site / "canary.pth").write_text(f"import pathlib; pathlib.Path({str(marker)!r}).touch()\n")
    (site / "sitecustomize.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).touch()\n"
    )
    report = env(capsys)[1]
    assert {"E201", "E202"} <= set(ids(report))
    _code, out, err = run(capsys, "audit", "--python", ".venv", "--format", "json")
    warnings = [w["message"] for w in json.loads(out)["diagnostics"]]
    assert any("canary.pth:1 runs code at every interpreter start" in w for w in warnings), err
    assert any("sitecustomize.py runs at every interpreter start" in w for w in warnings)
    assert not marker.exists()


def test_check_runs_env_on_the_projects_venv_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text("x = 1\n")
    _code, out, _err = run(capsys, "check", "--format", "json")
    assert any("env: the project has no .venv or venv" in s for s in json.loads(out)["data_status"])
    site = make_venv(project / ".venv") / SITE
    (site / "sitecustomize.py").write_text("")
    _code, out, _err = run(capsys, "check", "--format", "json")
    assert "E202" in {f["id"] for f in json.loads(out)["findings"]}


def test_env_create_makes_a_venv_with_no_finding_above_low(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "env", "create", "made", "--no-upgrade", "--require-hashes")
    assert code == 0
    assert "Activate it:" in out and ". made/bin/activate" in out
    assert "refuses requirements without --hash" in out
    conf = (project / "made" / "pip.conf").read_text()
    assert "require-virtualenv = true" in conf and "require-hashes = true" in conf
    assert "include-system-site-packages = false" in (project / "made" / "pyvenv.cfg").read_text()
    report = env(capsys, "--python", "made")[1]
    assert {f["severity"] for f in report["findings"]} <= {"low"}
    code, _out, err = run(capsys, "env", "create", "made", "--no-upgrade")
    assert code == 2 and "already exists and is not empty" in err


def test_a_file_no_record_lists_may_belong_to_a_system_package(tmp_path: Path) -> None:
    from bastion.env.startup import benign_file, system_owners

    info = tmp_path / "dpkg"
    info.mkdir()
    pth = tmp_path / "dist-packages" / "distutils-precedence.pth"
    (info / "python3-setuptools.list").write_text(f"/usr\n{pth}\n")
    (info / "other:amd64.list").write_text("/usr/bin/other\n")
    stray = tmp_path / "dist-packages" / "zz.pth"
    assert system_owners([pth, stray], info) == {pth: "python3-setuptools"}
    assert benign_file(pth.name, "python3-setuptools", False)
    assert not benign_file(pth.name, "python3-evil", False)


@pytest.mark.skipif(__import__("shutil").which("uv") is None, reason="uv is not installed")
def test_env_create_with_uv(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "env", "create", "made", "--uv", "--no-upgrade")
    assert code == 0, err
    assert (project / "made" / "pip.conf").is_file()
    report = env(capsys, "--python", "made")[1]
    assert {f["severity"] for f in report["findings"]} <= {"low"}


def test_env_create_with_uv_missing_is_bad_usage(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(project))  # no uv there
    code, _out, err = run(capsys, "env", "create", "made", "--uv")
    assert code == 2 and "uv is not installed" in err
    assert not (project / "made").exists()
