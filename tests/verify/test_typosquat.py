"""V501: names one slip away from a popular project's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.verify.popular import BUNDLED, Popular, load_popular
from bastion.verify.typosquat import imitated
from verify.conftest import by_id, verify

POPULAR = Popular(
    ranks={
        name: rank
        for rank, name in enumerate(
            ["requests", "python-dateutil", "urllib3", "colorama", "numpy", "jellyfish", "six"]
        )
    },
    source="a test list",
)


@pytest.mark.parametrize(
    ("name", "target", "how"),
    [
        ("reqeusts", "requests", "two characters swapped"),
        ("requets", "requests", "one character left out"),
        ("requestss", "requests", "one character added"),
        ("requesta", "requests", "one character changed"),
        ("jeilyfish", "jellyfish", "one character changed"),  # jeIlyfish, names are lower case
        ("nurnpy", "numpy", "look-alike 'rn' for 'm'"),
        ("co1orama", "colorama", "one character changed"),
        ("pythondateutil", "python-dateutil", "one character left out"),
        ("python-requests", "requests", "prefix 'python-' added"),
        ("requests3", "requests", "one character added"),
        ("dateutil", "python-dateutil", "prefix 'python-' left out"),
        ("urllib3-py", "urllib3", "suffix '-py' added"),
    ],
)
def test_a_slip_away_from_a_popular_name_is_found(name: str, target: str, how: str) -> None:
    found = imitated(name, POPULAR)
    assert found is not None
    assert (found.target, found.how) == (target, how)


@pytest.mark.parametrize("name", ["requests", "numpy", "flask", "sox", "sux", "django-extras"])
def test_popular_names_and_unrelated_ones_are_not(name: str) -> None:
    assert imitated(name, POPULAR) is None  # short names (six) are no target of edits


def test_no_popular_name_is_reported_against_the_bundled_list() -> None:
    popular = load_popular()
    assert len(popular.ranks) == 15_000
    assert [n for n in popular.ranks if imitated(n, popular) is not None] == []


def test_the_bundled_list_says_where_it_comes_from() -> None:
    data = json.loads(BUNDLED.read_text())
    assert "top-pypi-packages" in data["source"]
    assert data["names"][:3] == ["boto3", "packaging", "setuptools"]


def test_the_check_names_the_project_imitated(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text(
        "--require-hashes\ncolourama==0.4.6 --hash=sha256:" + "a" * 64 + "\n"
    )
    _code, report, _err = verify(capsys, "--offline")
    (finding,) = by_id(report, "V501")
    assert finding["title"] == "colourama looks like the popular colorama (one character added)"
    assert finding["confidence"] == "medium"
    assert finding["package"]["name"] == "colourama"


def test_a_popular_list_of_ones_own(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    Path("requirements.txt").write_text(
        "--require-hashes\ninternal-tols==1.0 --hash=sha256:" + "a" * 64 + "\n"
    )
    names = tmp_path / "names.txt"
    names.write_text("# our own\ninternal-tools\n")
    _code, report, _err = verify(capsys, "--offline", "--popular-list", str(names))
    assert [f["title"] for f in by_id(report, "V501")] == [
        "internal-tols looks like the popular internal-tools (one character left out)"
    ]
    top = tmp_path / "top.json"
    top.write_text(json.dumps({"rows": [{"project": "Internal_Tools", "download_count": 9}]}))
    _code, report, _err = verify(capsys, "--offline", "--popular-list", str(top))
    assert len(by_id(report, "V501")) == 1


def test_a_broken_popular_list_is_bad_input(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    Path("requirements.txt").write_text(
        "--require-hashes\ndemo==1.0 --hash=sha256:" + "a" * 64 + "\n"
    )
    broken = tmp_path / "names.json"
    broken.write_text('{"names": [1, 2]}')
    code, report, err = verify(capsys, "--offline", "--popular-list", str(broken))
    assert (code, report) == (2, {})
    assert err.startswith(f"bastion: error: {broken}: not a popular-names list (names[0]: ")
