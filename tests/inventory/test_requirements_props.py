"""Property tests: generated requirements files parse back to exactly what was generated."""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.errors import InputError
from bastion.findings import Location
from bastion.inventory.model import Dependency, normalize_name
from bastion.inventory.reqfile_text import Line
from bastion.inventory.requirements import (
    _requirement,
    _requirement_full,
    parse_requirements_text,
    read_requirements,
)

REQ = Path("generated.txt")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

names = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?", fullmatch=True)


@st.composite
def versions(draw: st.DrawFn, *, local: bool = True) -> str:
    release = ".".join(str(n) for n in draw(st.lists(st.integers(0, 30), min_size=1, max_size=4)))
    pre = draw(st.sampled_from(["", "a1", "b2", "rc3"]))
    post = draw(st.sampled_from(["", ".post1"]))
    dev = draw(st.sampled_from(["", ".dev0"]))
    label = draw(st.sampled_from(["", "+cpu", "+ubuntu.1"])) if local else ""
    return release + pre + post + dev + label


# (as written, canonical) pairs: packaging writes markers back in one canonical form.
MARKERS = [
    ('python_version < "3.8"', 'python_version < "3.8"'),
    ("sys_platform == 'win32'", 'sys_platform == "win32"'),
    ('os_name=="nt" and python_version>="3.9"', 'os_name == "nt" and python_version >= "3.9"'),
    ("platform_machine != 'arm64' or extra == \"dev\"", None),
]
markers = st.sampled_from(
    [(w, c if c else 'platform_machine != "arm64" or extra == "dev"') for w, c in MARKERS]
)
digests = st.binary(min_size=32, max_size=32).map(bytes.hex)
hashes = st.lists(
    st.tuples(st.sampled_from(["sha256"]), digests, st.booleans()), max_size=3
)  # (algorithm, digest, write in upper case)
comments = st.text(alphabet="abc XYZ019:,.()=-#", max_size=20)


@dataclass
class Entry:
    text: str
    lines: int
    expected: Dependency | None


@st.composite
def specifiers(draw: st.DrawFn) -> tuple[str, str, str | None]:
    """(as written, without spaces, pinned version)."""
    kind = draw(st.sampled_from(["pin", "arbitrary", "range", "wildcard", "none"]))
    if kind == "none":
        return "", "", None
    if kind == "pin":
        version = draw(versions())
        space = draw(st.sampled_from(["", " "]))
        return f"{space}=={space}{version}", f"=={version}", version
    if kind == "arbitrary":
        version = draw(versions())
        return f"==={version}", f"==={version}", version
    if kind == "wildcard":
        major = draw(st.integers(0, 9))
        return f"=={major}.*", f"=={major}.*", None
    ops = draw(st.lists(st.sampled_from([">=", "<", "!=", "<=", ">"]), min_size=1, max_size=3))
    clauses = [f"{op}{draw(versions(local=False))}" for op in ops]
    separator = draw(st.sampled_from([",", ", "]))
    return separator.join(clauses), ",".join(clauses), None


@st.composite
def entries(draw: st.DrawFn, line: int) -> Entry:
    kind = draw(st.sampled_from(["requirement", "requirement", "blank", "comment"]))
    if kind == "blank":
        return Entry("", 1, None)
    if kind == "comment":
        return Entry("#" + draw(comments), 1, None)
    name = draw(names)
    extras = draw(st.lists(names, max_size=2))
    written, spec, version = draw(specifiers())
    marker = draw(st.none() | markers)
    hash_list = draw(hashes)
    continuation = draw(st.booleans())
    comment = draw(st.none() | comments)

    text = name + (f"[{','.join(extras)}]" if extras else "") + written
    if marker is not None:
        text += f" ; {marker[0]}"
    lines = 1
    for algorithm, digest, upper in hash_list:
        written_digest = digest.upper() if upper else digest
        text += (" \\\n    " if continuation else " ") + f"--hash={algorithm}:{written_digest}"
        lines += 1 if continuation else 0
    if comment is not None:
        text += " # " + comment.rstrip("\\")
    unique_hashes: list[str] = []
    for algorithm, digest, _ in hash_list:
        if f"{algorithm}:{digest}" not in unique_hashes:
            unique_hashes.append(f"{algorithm}:{digest}")
    expected = Dependency(
        name=normalize_name(name),
        version=version,
        origin=Location(str(REQ), line),
        specifier=spec,
        hashes=tuple(unique_hashes),
        markers=marker[1] if marker else None,
        extras=tuple(sorted({normalize_name(e) for e in extras})),
    )
    return Entry(text, lines, expected)


@st.composite
def files(draw: st.DrawFn) -> tuple[str, list[Dependency]]:
    count = draw(st.integers(0, 8))
    parts: list[str] = []
    expected: list[Dependency] = []
    line = 1
    for _ in range(count):
        entry = draw(entries(line))
        parts.append(entry.text)
        if entry.expected is not None:
            expected.append(entry.expected)
        line += entry.lines
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return "".join(part + ending for part in parts), expected


@FAST
@given(files())
def test_generated_files_parse_back_exactly(case: tuple[str, list[Dependency]]) -> None:
    text, expected = case
    assert parse_requirements_text(text, REQ).dependencies == expected


@FAST
@given(names, versions(), st.sampled_from(["", " ", "\t", "  "]))
def test_fast_path_agrees_with_the_full_path(name: str, version: str, space: str) -> None:
    where = Line(Location("x.txt", 1), Path("."), [])
    text = f"{name}{space}=={space}{version}"
    fast = _requirement(text, (), where)
    full = _requirement_full(text, (), where)
    assert fast == full
    assert fast is not None and (fast.version, fast.specifier) == (version, f"=={version}")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_raises_nothing_but_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_requirements_text(text, REQ, [])


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_nothing_but_input_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "requirements.txt"
        path.write_bytes(data)
        with contextlib.suppress(InputError):
            read_requirements(path, [])


LINE_PIECES = st.sampled_from(
    [
        "foo",
        "==1.0",
        " ",
        "\\\n",
        "#",
        "-r",
        "-c",
        "-e",
        "--hash=sha256:",
        "a" * 64,
        "[x]",
        ";",
        'python_version<"3"',
        "@",
        "https://h.example/p-1.0.tar.gz",
        "git+https://h.example/r.git#egg=",
        "${HOME}",
        "'",
        "\n",
        "-i",
        "--bogus",
        "./",
        ".",
        "===",
        "(",
        ")",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE_PIECES, max_size=12).map("".join))
def test_requirement_shaped_noise_raises_nothing_but_input_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.suppress(InputError):
        parse_requirements_text(text, Path(folder) / "req.txt", [])
