"""Bad input never crashes a reader: every wrong shape is one InputError naming file, key, line.

The cases the mutation fuzzer (benchmarks/fuzz_readers.py) found, one test each, so they stay
fixed: values of the wrong type in every lock and manifest, integers over Python's 4,300-digit
conversion limit, lone surrogates, nesting deeper than the parser recurses, dotted keys long
enough to make TOML parsing quadratic, `%(x)` in `.bandit`, NUL bytes in include paths.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.errors import InputError
from bastion.inventory.discover import reader_of

HUGE = "9" * 5000


def read(kind: str, path: Path) -> object:
    return reader_of(kind)(path, [])


UV_HEAD = 'version = 1\nrequires-python = ">=3.8"\n\n'
UV_ROOT = '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\n'


@pytest.mark.parametrize(
    ("kind", "name", "text", "where", "line"),
    [
        (
            "uv",
            "uv.lock",
            UV_HEAD + UV_ROOT + 'dependencies = [{ name = "six", extra = 3 }]\n',
            "package[0].dependencies[0].extra: expected a list, got an integer",
            5,
        ),
        (
            "uv",
            "uv.lock",
            UV_HEAD + '[[package]]\nname = "six"\nversion = "1.0"\nwheels = [{ hash = 1.5 }]\n',
            "package[0].wheels[0].hash: expected a string, got a number",
            5,
        ),
        (
            "uv",
            "uv.lock",
            UV_HEAD + '[manifest]\nmembers = "app"\n',
            "manifest.members: expected a list, got a string",
            None,
        ),
        (
            "poetry",
            "poetry.lock",
            '[[package]]\nname = "six"\nversion = "1.0"\nfiles = 3\n\n[metadata]\n'
            'lock-version = "2.0"\n',
            "package[0].files: expected a list, got an integer",
            2,
        ),
        (
            "poetry",
            "poetry.lock",
            '[[package]]\nname = "six"\nversion = "1.0"\nfiles = [{ hash = ["x"] }]\n',
            "package[0].files[0].hash: expected a string, got a list",
            2,
        ),
        (
            "poetry",
            "poetry.lock",
            '[metadata]\nlock-version = "2.0"\n[metadata.files]\nsix = 1\n',
            "metadata.files.six: expected a list, got an integer",
            1,
        ),
        (
            "pyproject",
            "pyproject.toml",
            "[tool.poetry.dependencies]\nrequests = { version = 2 }\n",
            "dependency 'requests'.version: expected a string, got an integer",
            2,
        ),
        (
            "pipfile",
            "Pipfile",
            '[packages]\nrequests = { version = "*", extras = "socks" }\n',
            "packages.requests.extras: expected a list, got a string",
            2,
        ),
    ],
)
def test_a_value_of_the_wrong_type_names_the_key_and_line(  # noqa: PLR0917
    tmp_path: Path, kind: str, name: str, text: str, where: str, line: int | None
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read(kind, path)
    assert (caught.value.path, caught.value.line, caught.value.reason) == (str(path), line, where)


def test_a_pipfile_lock_entry_of_the_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile.lock"
    data = {"_meta": {"pipfile-spec": 6}, "default": {"six": {"version": "==1.0", "hashes": 7}}}
    path.write_text(json.dumps(data, indent=4))
    with pytest.raises(InputError) as caught:
        read("pipfile-lock", path)
    assert caught.value.reason == "default.six.hashes: expected a list, got an integer"
    assert caught.value.line == 6


@pytest.mark.parametrize(
    ("kind", "name", "text"),
    [
        ("uv", "uv.lock", f"version = {HUGE}\n"),
        ("pyproject", "pyproject.toml", f"[project]\nname = 'x'\nx = {HUGE}\n"),
        ("pipfile-lock", "Pipfile.lock", f'{{"_meta": {{"pipfile-spec": {HUGE}}}}}'),
        ("pylock", "pylock.toml", f'lock-version = "1.{HUGE}"\n'),
        ("requirements", "requirements.txt", f"six=={HUGE}\nsix==1.{HUGE}\n"),
    ],
)
def test_numbers_over_the_digit_limit_are_input_errors_or_unpinned(
    tmp_path: Path, kind: str, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    try:
        read(kind, path)
    except InputError as exc:
        assert exc.path == str(path)
        assert "Traceback" not in str(exc)


@pytest.mark.parametrize(
    ("name", "kind", "text"),
    [
        ("pyproject.toml", "pyproject", "x = " + "[" * 2000 + "]" * 2000 + "\n"),
        ("Pipfile.lock", "pipfile-lock", '{"a":' * 5000 + "1" + "}" * 5000),
    ],
)
def test_nesting_deeper_than_the_parser_recurses(
    tmp_path: Path, name: str, kind: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError, match="nested too deeply"):
        read(kind, path)


def test_dotted_keys_long_enough_to_be_quadratic_are_refused_before_parsing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n' + "a." * 20_000 + "b = 1\n")
    with pytest.raises(InputError) as caught:
        read("pyproject", path)
    assert caught.value.line == 3
    assert "dotted parts" in caught.value.reason
    ordinary = tmp_path / "ok" / "pyproject.toml"
    ordinary.parent.mkdir()
    ordinary.write_text('[project]\nname = "x"\ndependencies = ["zope.interface>=5.0"]\n')
    assert read("pyproject", ordinary)


def test_a_lone_surrogate_in_a_pipfile_lock_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile.lock"
    path.write_text('{"_meta": {"pipfile-spec": 6}, "default": {"\\ud800six": {"version": "==1"}}}')
    with pytest.raises(InputError, match="lone surrogate"):
        read("pipfile-lock", path)


def test_a_nul_byte_in_an_include_path(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("six==1.0\n-r other\x00.txt\n-r file:///tmp/x%00y.txt\n")
    with pytest.raises(InputError) as caught:
        read("requirements", path)
    assert caught.value.line == 2
    assert "NUL byte" in caught.value.reason


def test_interpolation_in_dot_bandit_is_plain_text(tmp_path: Path) -> None:
    from bastion.code.bandit_config import load_bandit_config

    (tmp_path / ".bandit").write_text("[bandit]\nskips = B101,%(x)s\nexclude = 100%\n")
    config = load_bandit_config(None, [tmp_path])
    assert config.skips == ["B101", "%(x)s"]
    assert config.exclude == ["100%"]


GOOD_RECORD = json.dumps(
    {
        "id": "PYSEC-9",
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "six"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
            }
        ],
    }
)


@pytest.mark.parametrize(
    ("name", "text", "warning"),
    [
        (
            "PYSEC-1.json",
            '{"id": "PYSEC-1", "summary": "\\ud800", "modified": "2024-01-01T00:00:00Z"}',
            "lone surrogate",
        ),
        (
            "PYSEC-2.json",
            '{"id": "PYSEC-2", "modified": "2024-01-01T00:00:00Z", "x": ' + HUGE + "}",
            "digit",
        ),
        ("PYSEC-3.yaml", "id: PYSEC-3\nmodified: 2024-02-30 10:00:00\n", "day is out of range"),
        (
            "PYSEC-4.yaml",
            'id: PYSEC-4\nsummary: "\\ud800"\nmodified: "2024-01-01T00:00:00Z"\n',
            "invalid Unicode character escape",  # the YAML loader refuses it itself
        ),
    ],
)
def test_a_broken_osv_record_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, warning: str
) -> None:
    from bastion.advisories.importer import import_path
    from bastion.findings import Diagnostic

    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / name).write_text(text)
    (folder / "PYSEC-9.json").write_text(GOOD_RECORD)
    diagnostics: list[Diagnostic] = []
    result = import_path(folder, diagnostics)
    assert result.info.records == 1
    assert any(warning in str(d) for d in diagnostics), diagnostics


def test_raw_surrogate_bytes_are_not_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`json.loads` of bytes decodes with surrogatepass: UTF-8-encoded surrogates (ED A0 80)
    must be refused as not UTF-8, in a lock and in an OSV record alike."""
    from bastion.advisories.importer import import_path
    from bastion.findings import Diagnostic

    lock = tmp_path / "Pipfile.lock"
    lock.write_bytes(b'{"_meta": {"pipfile-spec": 6}, "default": {"six\xed\xa0\x80": {}}}')
    with pytest.raises(InputError, match="not UTF-8"):
        read("pipfile-lock", lock)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "PYSEC-1.json").write_bytes(
        b'{"id": "PYSEC-1", "summary": "\xed\xa0\x80", "modified": "2024-01-01T00:00:00Z"}'
    )
    (folder / "PYSEC-9.json").write_text(GOOD_RECORD)
    diagnostics: list[Diagnostic] = []
    assert import_path(folder, diagnostics).info.records == 1
    assert any("not UTF-8" in str(d) for d in diagnostics)
