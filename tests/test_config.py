from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bastion.config import Option, add_options, find_config, read_tool_table, resolve
from bastion.errors import InputError

OPTIONS = (
    Option("fail-on", ("--fail-on",), "h", default="low", choices=("low", "high")),
    Option("offline", ("--offline",), "h", kind=bool, default=False),
    Option("jobs", ("--jobs",), "h", kind=int, default=2, section="scan"),
)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_options(parser, OPTIONS)
    return parser.parse_args(argv)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    return path


def test_flag_beats_config_beats_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[tool.bastion]\nfail-on = "high"\noffline = true\n[tool.bastion.scan]\njobs = 8\n',
    )
    table = read_tool_table(path)
    assert resolve(parse([]), OPTIONS, table, path) == {
        "fail_on": "high",
        "offline": True,
        "scan_jobs": 8,
    }
    assert resolve(
        parse(["--fail-on", "low", "--no-offline", "--jobs", "1"]), OPTIONS, table, path
    ) == {"fail_on": "low", "offline": False, "scan_jobs": 1}
    assert resolve(parse([]), OPTIONS, {}, None) == {
        "fail_on": "low",
        "offline": False,
        "scan_jobs": 2,
    }


def test_bad_config_value_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[project]\nname = "x"\n\n[tool.bastion]\nfail-on = "sometimes"\n')
    with pytest.raises(InputError) as error:
        resolve(parse([]), OPTIONS, read_tool_table(path), path)
    assert str(error.value) == (
        f"{path}:5: [tool.bastion] fail-on: expected one of low, high, got 'sometimes'"
    )


def test_wrong_type_in_config_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[tool.bastion]\noffline = "yes"\n')
    with pytest.raises(InputError, match="offline: expected true or false"):
        resolve(parse([]), OPTIONS, read_tool_table(path), path)


def test_broken_toml_is_one_line_with_position(tmp_path: Path) -> None:
    path = write(tmp_path, '[tool.bastion]\nfail-on = "high\n')
    with pytest.raises(InputError) as error:
        read_tool_table(path)
    assert str(error.value).startswith(f"{path}:2: not valid TOML: ")


def test_config_is_found_in_a_parent_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    assert find_config(nested) == path
