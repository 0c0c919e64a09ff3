"""Poetry's version constraints as PEP 440 specifiers, and `python =` as markers."""

from __future__ import annotations

import pytest

from bastion.inventory.poetry_constraints import poetry_python_marker, poetry_to_pep440


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^1.2", ">=1.2,<2.0"),
        ("^1", ">=1,<2"),
        ("^0", ">=0,<1"),
        ("^0.0", ">=0.0,<0.1"),
        ("^1.2.3a1", ">=1.2.3a1,<2.0.0"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.2", "~=1.2"),
        ("1.2.*", "==1.2.*"),
        ("1.2.x", "==1.2.*"),
        ("1.2.3", "==1.2.3"),
        ("=1.2.3", "==1.2.3"),
        ("==1.2.3", "==1.2.3"),
        ("!=1.5", "!=1.5"),
        (">=1.2,<2.0", ">=1.2,<2.0"),
        (">= 1.2, < 2.0", ">=1.2,<2.0"),
        (">=1.2 <2.0", ">=1.2,<2.0"),
        ("  >=1.2 ,  <2.0 ", ">=1.2,<2.0"),
        ("*", ""),
        ("", ""),
    ],
)
def test_poetry_constraints_convert_exactly(constraint: str, expected: str) -> None:
    assert poetry_to_pep440(constraint) == expected


@pytest.mark.parametrize("constraint", ["^1.0 || ^2.0", "1.0 | 2.0", "^banana", ">=1.2,,<2", ">=*"])
def test_poetry_constraints_that_pep440_cannot_express_raise(constraint: str) -> None:
    with pytest.raises(ValueError, match=r"constraint|alternatives|clause|version"):
        poetry_to_pep440(constraint)


def test_poetry_python_constraints_become_markers() -> None:
    assert poetry_python_marker("^3.8") == 'python_version >= "3.8" and python_version < "4.0"'
    assert poetry_python_marker(">=3.8.1") == 'python_full_version >= "3.8.1"'
    assert poetry_python_marker("*") is None
    assert poetry_python_marker("~2.7 || ^3.6") == (
        '(python_version >= "2.7" and python_version < "2.8") or '
        '(python_version >= "3.6" and python_version < "4.0")'
    )
