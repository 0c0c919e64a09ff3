"""Documents are read within bounds: size, encoding, nesting, digit limits, key length."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion import documents
from bastion.errors import InputError


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.lock"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match="larger than"):
        documents.read_bytes(path, limit=1024)
    assert documents.read_bytes(path, limit=4096) == b"x" * 2048


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_bytes(b"a = 1\nb = '\xff'\n")
    with pytest.raises(InputError) as caught:
        documents.read_text(path)
    assert caught.value.line == 2


def test_toml_errors_name_the_line() -> None:
    with pytest.raises(InputError) as caught:
        documents.parse_toml("a = 1\nb = \n", "f.toml")
    assert caught.value.line == 2
    assert caught.value.reason.startswith("not valid TOML: ")
    assert "(at line" not in caught.value.reason


def test_json_with_a_surrogate_escape_that_is_a_pair_is_fine() -> None:
    assert documents.parse_json('{"a": "\\ud83d\\ude00"}', "f.json") == {"a": "\U0001f600"}
    with pytest.raises(InputError, match="lone surrogate"):
        documents.parse_json(b'["\\udfff"]', "f.json")


def test_long_dotted_keys_are_found_in_inline_tables_and_quoted_parts() -> None:
    for text in (
        "x = {" + "a." * 100 + "b = 1}\n",
        '"a".' * 100 + '"b" = 1\n',
    ):
        with pytest.raises(InputError, match="dotted parts"):
            documents.parse_toml(text, "f.toml")
    assert documents.parse_toml("a." * 10 + "b = 1\n", "f.toml")
