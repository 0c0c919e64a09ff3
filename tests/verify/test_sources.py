"""pip's and uv's configuration as they read it, and V601-V606 on it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bastion.findings import Location
from bastion.inventory.model import IndexOption
from bastion.verify.sources import Places, read_sources
from verify.conftest import by_id, ids, verify

HASHED = "--require-hashes\ndemo==1.0 --hash=sha256:" + "a" * 64 + "\n"


def places(tmp_path: Path, **environ: str) -> Places:
    return Places(
        environ={"XDG_CONFIG_HOME": str(tmp_path / "home/.config"), **environ},
        home=tmp_path / "home",
        etc=tmp_path / "etc",
        venvs=(tmp_path / "project/.venv",),
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def settings_of(tmp_path: Path, place: Places, options: list[IndexOption] | None = None):
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    return read_sources(project, place, options or [], [])


# --- reading --------------------------------------------------------------------------------


def test_pip_files_in_pips_order_with_sections_lists_and_lines(tmp_path: Path) -> None:
    write(tmp_path / "etc/pip.conf", "[global]\nindex-url = https://mirror.example/simple\n")
    user = write(
        tmp_path / "home/.config/pip/pip.conf",
        "# mine\n[global]\nextra-index-url =\n    https://a.example/simple\n"
        "    https://b.example/simple\n[install]\nRequire_Hashes: true\n[list]\nindex-url = x\n",
    )
    venv = write(tmp_path / "project/.venv/pip.conf", "[global]\ntrusted-host = c.example\n")
    found = settings_of(tmp_path, places(tmp_path))
    assert found.files == [str(tmp_path / "etc/pip.conf"), str(user), str(venv)]
    pip = [(s.key, s.value, s.location.line, s.section) for s in found.settings if s.tool == "pip"]
    assert pip == [
        ("index-url", "https://mirror.example/simple", 2, "global"),
        ("extra-index-url", "https://a.example/simple", 4, "global"),
        ("extra-index-url", "https://b.example/simple", 5, "global"),
        ("require-hashes", "true", 7, "install"),
        ("trusted-host", "c.example", 2, "global"),
    ]
    assert found.pip_value("require-hashes").flag is True


def test_variables_override_files_and_install_overrides_global(tmp_path: Path) -> None:
    write(
        tmp_path / "etc/pip.conf",
        "[install]\nrequire-hashes = false\n[global]\nrequire-hashes = true\n",
    )
    found = settings_of(tmp_path, places(tmp_path))
    assert found.pip_value("require-hashes").value == "false"  # [install] wins for install
    found = settings_of(tmp_path, places(tmp_path, PIP_REQUIRE_HASHES="1"))
    chosen = found.pip_value("require-hashes")
    assert (chosen.location.path, chosen.flag) == ("$PIP_REQUIRE_HASHES", True)


def test_pip_config_file_devnull_reads_no_file(tmp_path: Path) -> None:
    write(tmp_path / "etc/pip.conf", "[global]\nindex-url = http://x.example/simple\n")
    found = settings_of(tmp_path, places(tmp_path, PIP_CONFIG_FILE=os.devnull))
    assert (found.files, found.settings) == ([], [])


def test_a_named_pip_config_file_replaces_the_users(tmp_path: Path) -> None:
    write(tmp_path / "home/.config/pip/pip.conf", "[global]\nindex-url = https://user/simple\n")
    named = write(tmp_path / "ci.conf", "[global]\nindex-url = https://ci/simple\n")
    found = settings_of(tmp_path, places(tmp_path, PIP_CONFIG_FILE=str(named)))
    assert [s.value for s in found.settings] == ["https://ci/simple"]


def test_uv_configuration_from_pyproject_and_the_environment(tmp_path: Path) -> None:
    write(
        tmp_path / "project/pyproject.toml",
        '[project]\nname = "x"\n\n[tool.uv]\nindex-strategy = "unsafe-best-match"\n'
        'allow-insecure-host = ["d.example"]\n\n[[tool.uv.index]]\nname = "internal"\n'
        'url = "https://internal.example/simple"\ndefault = true\n\n[tool.uv.pip]\n'
        "require-hashes = true\n",
    )
    found = settings_of(tmp_path, places(tmp_path, UV_EXTRA_INDEX_URL="https://e.example/s"))
    uv = [(s.key, s.value, s.location.line) for s in found.settings if s.tool == "uv"]
    assert uv == [
        ("index-strategy", "unsafe-best-match", 5),
        ("trusted-host", "d.example", 6),
        ("require-hashes", "true", 14),
        ("index-url", "https://internal.example/simple", 10),
        ("extra-index-url", "https://e.example/s", None),
    ]


def test_a_uv_toml_replaces_tool_uv(tmp_path: Path) -> None:
    write(tmp_path / "project/pyproject.toml", '[tool.uv]\nindex-url = "https://a/simple"\n')
    write(tmp_path / "project/uv.toml", 'index-url = "https://b/simple"\n')
    found = settings_of(tmp_path, places(tmp_path))
    assert [s.value for s in found.settings] == ["https://b/simple"]


def test_a_requirements_files_own_options_count(tmp_path: Path) -> None:
    where = Location("requirements.txt", 1)
    found = settings_of(
        tmp_path,
        places(tmp_path),
        [IndexOption("--extra-index-url", "https://x/simple", where)],
    )
    (setting,) = found.settings
    assert (setting.tool, setting.key, setting.location) == (
        "requirements",
        "extra-index-url",
        where,
    )


# --- the rules, through the command ---------------------------------------------------------


@pytest.fixture
def user_conf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's pip.conf, where the tests' XDG_CONFIG_HOME points."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home / "pip" / "pip.conf"


def run_offline(capsys: pytest.CaptureFixture[str]) -> dict:
    return verify(capsys, "--offline")[1]


def test_v601_quiet_for_a_hashed_lock_whatever_the_configuration_leaves_unsaid(
    project: Path, capsys: pytest.CaptureFixture[str], user_conf: Path
) -> None:
    # A file whose every line has a hash puts pip in hash-checking mode by itself.
    Path("requirements.txt").write_text(HASHED.replace("--require-hashes\n", ""))
    assert ids(run_offline(capsys)) == []
    write(user_conf, "[install]\nrequire-hashes = true\n")
    assert ids(run_offline(capsys)) == []


def test_v601_a_configuration_that_turns_require_hashes_off(
    project: Path, capsys: pytest.CaptureFixture[str], user_conf: Path
) -> None:
    Path("requirements.txt").write_text(HASHED.replace("--require-hashes\n", ""))
    write(user_conf, "[global]\nrequire-hashes = no\n")
    (finding,) = by_id(run_offline(capsys), "V601")
    assert (finding["severity"], finding["location"]["line"]) == ("low", 2)
    assert finding["location"]["path"] == str(user_conf)
    assert finding["title"] == (
        "require-hashes = no turns off the refusal of requirements without a hash"
    )
    # The requirements file turns it back on: quiet.
    Path("requirements.txt").write_text(HASHED)
    assert by_id(run_offline(capsys), "V601") == []
    # No requirements file or lock: nothing of the project's is installed that way.
    Path("requirements.txt").unlink()
    Path("pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\n')
    assert by_id(run_offline(capsys), "V601") == []


def test_v601_uv_require_hashes_off(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text(HASHED)
    Path("uv.toml").write_text("[pip]\nrequire-hashes = false\n")
    assert ids(run_offline(capsys)) == []  # the file's --require-hashes wins
    Path("requirements.txt").write_text(HASHED.replace("--require-hashes\n", ""))
    (finding,) = by_id(run_offline(capsys), "V601")
    assert finding["location"]["path"].endswith("uv.toml")


def test_v602_extra_index_url_in_a_requirements_file_and_in_pip_conf(
    project: Path, capsys: pytest.CaptureFixture[str], user_conf: Path
) -> None:
    Path("requirements.txt").write_text(
        "--extra-index-url https://internal.example/simple\n" + HASHED
    )
    write(user_conf, "[global]\nextra-index-url = https://other.example/simple\n")
    found = by_id(run_offline(capsys), "V602")
    assert [(f["location"]["path"], f["location"]["line"]) for f in found] == [
        (str(user_conf), 2),
        ("requirements.txt", 1),
    ]
    Path("requirements.txt").write_text("--index-url https://internal.example/simple\n" + HASHED)
    write(user_conf, "[global]\nindex-url = https://internal.example/simple\n")
    assert by_id(run_offline(capsys), "V602") == []


def test_v603_uv_unsafe_best_match(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text(HASHED)
    Path("pyproject.toml").write_text('[tool.uv]\nindex-strategy = "unsafe-best-match"\n')
    (finding,) = by_id(run_offline(capsys), "V603")
    assert finding["location"] == {**finding["location"], "path": "pyproject.toml", "line": 2}
    Path("pyproject.toml").write_text('[tool.uv]\nindex-strategy = "first-index"\n')
    assert by_id(run_offline(capsys), "V603") == []


@pytest.mark.parametrize(
    ("line", "fires"),
    [
        ("--trusted-host pypi.internal.example", True),
        ("--trusted-host 127.0.0.1:8080", False),
        ("--trusted-host localhost", False),
    ],
)
def test_v604_trusted_host(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, fires: bool
) -> None:
    Path("requirements.txt").write_text(line + "\n" + HASHED)
    assert bool(by_id(run_offline(capsys), "V604")) is fires


@pytest.mark.parametrize(
    ("line", "fires"),
    [
        ("--index-url http://pypi.internal.example/simple", True),
        ("--find-links http://files.internal.example/", True),
        ("--index-url https://pypi.internal.example/simple", False),
        ("--index-url http://127.0.0.1:3141/simple", False),
        ("--find-links ./wheels", False),
    ],
)
def test_v605_plain_http(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, fires: bool
) -> None:
    Path("requirements.txt").write_text(line + "\n" + HASHED)
    assert bool(by_id(run_offline(capsys), "V605")) is fires


def test_v606_credentials_are_found_and_never_shown(
    project: Path, capsys: pytest.CaptureFixture[str], user_conf: Path
) -> None:
    Path("requirements.txt").write_text(
        "--index-url https://deploy:s3cr3t@pypi.internal.example/simple\n" + HASHED
    )
    write(user_conf, "[global]\nextra-index-url = https://tok3n@other.example/simple\n")
    _code, out, err = verify_text(capsys)
    assert "s3cr3t" not in out + err and "tok3n" not in out + err
    found = by_id(run_offline(capsys), "V606")
    assert [(f["location"]["path"], f["severity"]) for f in found] == [
        (str(user_conf), "medium"),
        ("requirements.txt", "high"),
    ]
    assert found[1]["title"] == (
        "index-url https://***@pypi.internal.example/simple holds credentials"
    )


def verify_text(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from support.cli import run

    return run(capsys, "verify", "--offline")
