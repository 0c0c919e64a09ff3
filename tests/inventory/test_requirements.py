"""pip requirements-file syntax, one feature per test (exact values, bad and good cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.constraints import apply_constraints
from bastion.inventory.model import Dependency, IndexOption, Inventory
from bastion.inventory.requirements import (
    parse_requirements_text,
    read_requirements,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "requirements"
H1 = "sha256:" + "a" * 64
H2 = "sha256:" + "b" * 64
REQ = Path("req.txt")


def parse(text: str) -> tuple[list[Dependency], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    inventory = parse_requirements_text(text, REQ, diagnostics)
    return inventory.dependencies, diagnostics


def one(text: str) -> Dependency:
    deps, diagnostics = parse(text)
    assert diagnostics == []
    assert len(deps) == 1
    return deps[0]


def at(line: int) -> Location:
    return Location("req.txt", line)


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(text)
    return caught.value


# --- requirements and versions ---------------------------------------------------------------


def test_plain_pin_is_normalized_and_pinned() -> None:
    assert one("Zope.Interface==5.4.0\n") == Dependency(
        name="zope-interface", version="5.4.0", origin=at(1), specifier="==5.4.0"
    )


def test_arbitrary_equality_pins() -> None:
    dep = one("foo===1.0.post1\n")
    assert (dep.version, dep.specifier) == ("1.0.post1", "===1.0.post1")


@pytest.mark.parametrize(
    ("line", "specifier"),
    [
        ("foo==1.*", "==1.*"),
        ("foo>=2,<3", ">=2,<3"),
        ("foo >= 2 , < 3", ">=2,<3"),
        ("foo (>=1, <2)", ">=1,<2"),
        ("foo~=1.4", "~=1.4"),
        ("foo", ""),
        ("foo!=1.0", "!=1.0"),
    ],
)
def test_ranges_are_unpinned_and_kept_as_written(line: str, specifier: str) -> None:
    dep = one(line)
    assert (dep.name, dep.version, dep.specifier) == ("foo", None, specifier)


def test_pin_with_compatible_bound_is_still_a_pin() -> None:
    assert one("foo==1.5,<2").version == "1.5"
    assert one("foo==1.5,<1").version is None


def test_markers_and_extras() -> None:
    dep = one('Requests[Socks,security]==2.0; python_version < "3.8"\n')
    assert dep == Dependency(
        name="requests",
        version="2.0",
        origin=at(1),
        specifier="==2.0",
        markers='python_version < "3.8"',
        extras=("security", "socks"),
    )


def test_single_quoted_marker_is_normalized() -> None:
    assert one("colorama==0.4.6 ; sys_platform == 'win32'").markers == 'sys_platform == "win32"'


# --- lines, comments, continuations, encodings ------------------------------------------------


def test_comments_and_blank_lines() -> None:
    deps, _ = parse("# header\n\nfoo==1.0  # pinned for X\n   # indented comment\nbar\n")
    assert [(d.name, d.origin) for d in deps] == [("foo", at(3)), ("bar", at(5))]


def test_hash_sign_inside_a_url_is_not_a_comment() -> None:
    dep = one("git+https://example.org/repo.git@v1#egg=thing")
    assert (dep.name, dep.url) == ("thing", "git+https://example.org/repo.git@v1#egg=thing")


def test_crlf_line_endings() -> None:
    deps, _ = parse("a==1\r\n\r\nb==2\r\n")
    assert [(d.name, d.origin) for d in deps] == [("a", at(1)), ("b", at(3))]


def test_utf8_bom_and_crlf_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"\xef\xbb\xbfalpha==1.0\r\nbeta==2.0\r\n")
    deps = read_requirements(path).dependencies
    assert [(d.name, d.version, d.origin) for d in deps] == [
        ("alpha", "1.0", Location(str(path), 1)),
        ("beta", "2.0", Location(str(path), 2)),
    ]


def test_utf16_bom(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"\xff\xfe" + "gamma==3.0\n".encode("utf-16-le"))
    assert [d.version for d in read_requirements(path).dependencies] == ["3.0"]


def test_pep263_coding_comment(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nfoo==1.0 # caf\xe9\n")
    assert [d.version for d in read_requirements(path).dependencies] == ["1.0"]


def test_continuation_keeps_the_first_line_number() -> None:
    text = f"foo==1.0 \\\n    --hash={H1} \\\n    --hash={H2}\nbar==2.0\n"
    deps, _ = parse(text)
    assert deps == [
        Dependency(name="foo", version="1.0", origin=at(1), specifier="==1.0", hashes=(H1, H2)),
        Dependency(name="bar", version="2.0", origin=at(4), specifier="==2.0"),
    ]


def test_comment_ends_a_continuation() -> None:
    deps, _ = parse(f"foo==1.0 \\\n    --hash={H1} \\\n    # via bar\nbaz==2\n")
    assert [(d.name, d.origin, d.hashes) for d in deps] == [
        ("foo", at(1), (H1,)),
        ("baz", at(4), ()),
    ]


def test_continuation_at_end_of_file() -> None:
    assert one("foo==1.0 \\").origin == at(1)


def test_continuation_inside_the_requirement() -> None:
    dep = one('foo>=1,\\\n<2 ; python_version \\\n>= "3.9"\n')
    assert (dep.specifier, dep.markers) == (">=1,<2", 'python_version >= "3.9"')


def test_environment_variables_are_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOO_VERSION", "1.2")
    monkeypatch.setenv("INDEX_HOST", "pypi.example.org")
    inventory = parse_requirements_text(
        "--index-url https://${INDEX_HOST}/simple\nfoo==${FOO_VERSION}\n", REQ
    )
    assert inventory.dependencies[0].version == "1.2"
    assert inventory.index_options == [
        IndexOption("--index-url", "https://pypi.example.org/simple", at(1))
    ]


def test_unset_variable_stays_and_fails_as_in_pip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    error = error_of("foo==${NOT_SET_ANYWHERE}\n")
    assert (error.path, error.line) == ("req.txt", 1)
    assert error.reason.startswith("invalid requirement 'foo==${NOT_SET_ANYWHERE}'")


def test_lowercase_variable_names_are_not_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("lower", "2.0")
    with pytest.raises(InputError):
        parse("foo==${lower}\n")


# --- hashes and per-requirement options ----------------------------------------------------------


def test_hashes_are_lowercased_deduplicated_and_kept_in_order() -> None:
    upper = "sha256:" + "A" * 64
    dep = one(f"foo==1.0 --hash {H2} --hash={upper} --hash={H1} --hash=sha512:{'c' * 128}")
    assert dep.hashes == (H2, H1, "sha512:" + "c" * 128)


def test_config_settings_belong_to_the_requirement() -> None:
    assert one("foo==1.0 --config-settings=key=value -C other=1").version == "1.0"


@pytest.mark.parametrize(
    ("option", "reason"),
    [
        ("--hash=md5:abcd", "--hash=md5:abcd: allowed algorithms are sha256, sha384, sha512"),
        ("--hash=sha256", "--hash=sha256: expected a hash name and a value"),
        ("--hash=sha256:abc", "--hash=sha256:abc: not a sha256 digest (64 hex digits)"),
        ("--hash=sha256:" + "g" * 64, "not a sha256 digest"),
    ],
)
def test_bad_hashes_are_errors(option: str, reason: str) -> None:
    error = error_of(f"foo==1.0 {option}\n")
    assert (error.line, reason in error.reason) == (1, True)


def test_hash_without_requirement_is_a_warning() -> None:
    deps, diagnostics = parse(f"--hash={H1}\nfoo==1\n")
    assert [d.name for d in deps] == ["foo"]
    assert diagnostics == [
        Diagnostic("--hash without a requirement is ignored (as pip does)", at(1))
    ]


def test_global_option_on_a_requirement_line_is_ignored_with_a_warning() -> None:
    inventory = parse_requirements_text("foo==1.0 -i https://x.example/simple\n", REQ, diags := [])
    assert inventory.index_options == []
    assert [d.version for d in inventory.dependencies] == ["1.0"]
    assert diags == [Diagnostic("--index-url has no effect on this line (pip ignores it)", at(1))]


# --- option lines ---------------------------------------------------------------------------


def test_index_options_are_recorded() -> None:
    text = (
        "-i https://mirror.example/simple\n"
        "--extra-index-url=https://extra.example/simple\n"
        "--no-index\n"
        "-f ./wheels\n"
        "--trusted-host mirror.example\n"
        "requests==2.31.0\n"
    )
    inventory = parse_requirements_text(text, REQ)
    assert inventory.index_options == [
        IndexOption("--index-url", "https://mirror.example/simple", at(1)),
        IndexOption("--extra-index-url", "https://extra.example/simple", at(2)),
        IndexOption("--no-index", None, at(3)),
        IndexOption("--find-links", "./wheels", at(4)),
        IndexOption("--trusted-host", "mirror.example", at(5)),
    ]
    assert [d.name for d in inventory.dependencies] == ["requests"]


def test_other_known_options_are_not_dependencies_and_not_warnings() -> None:
    text = (
        "--pre\n--prefer-binary\n--only-binary :all:\n--no-binary=lxml\n--require-hashes\n"
        "--no-require-hashes\n--use-feature=fast-deps\n--all-releases foo\n--only-final bar\n"
        "--pypi-url https://x.example/simple\n"
    )
    deps, diagnostics = parse(text)
    assert (deps, diagnostics) == ([], [])


def test_unknown_option_line_is_a_warning_and_reading_goes_on() -> None:
    deps, diagnostics = parse("--bogus value\nfoo==1.0\n")
    assert [d.name for d in deps] == ["foo"]
    assert diagnostics == [
        Diagnostic(
            "no such option: --bogus (not a pip requirements-file option); line skipped", at(1)
        )
    ]


def test_unknown_option_on_a_requirement_line_is_an_error() -> None:
    error = error_of("foo==1.0 --bogus\n")
    assert str(error) == "req.txt:1: no such option: --bogus"


def test_ambiguous_abbreviation_is_an_error() -> None:
    assert "ambiguous option: --only" in error_of("--only :all:\n").reason


def test_option_missing_its_value_is_an_error() -> None:
    assert error_of("--index-url\n").reason == "--index-url option requires 1 argument"


def test_unbalanced_quote_is_an_error() -> None:
    assert error_of('foo==1.0 --config-settings "a=b\n').reason.startswith("cannot split options")


def test_text_after_options_is_a_warning() -> None:
    deps, diagnostics = parse("-i https://x.example/simple foo==1.0\n")
    assert deps == []
    assert diagnostics == [
        Diagnostic("text after the options is ignored (as pip does): foo==1.0", at(1))
    ]


# --- malformed lines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # packaging < 26.4 parses `===` with no version (bastion refuses it); 26.4 refuses it.
        ("requests===\n", "invalid requirement 'requests===': "),
        ("foo = 1.0\n", "(= is not a valid operator; did you mean ==?)"),
        ("foo==1.0\t--hash=sha256:abc\n", "invalid requirement"),
        ("foo[bar]==1.0[baz]\n", "invalid requirement"),
        ("\x00\x01\x02\n", "invalid requirement"),
        ('foo==1 ; python_version <> "3"\n', "invalid marker"),
        ("-e foo\n", "an editable requirement is a local project path or a VCS URL"),
        ("git+https://x.example/r.git#egg=a[b]\n", "invalid #egg= fragment 'a[b]'"),
        ("https://x.example/not-a-wheel.whl\n", "invalid wheel file name"),
    ],
)
def test_malformed_lines_are_input_errors(text: str, reason: str) -> None:
    error = error_of("ok==1.0\n" + text)
    assert (error.path, error.line) == ("req.txt", 2)
    assert reason in error.reason


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"foo==1.0\nbar==2.0\n\xff\xfe\xfd garbage\n")
    with pytest.raises(InputError) as caught:
        read_requirements(path)
    assert (caught.value.path, caught.value.line) == (str(path), 3)
    assert caught.value.reason.startswith("not valid utf-8 text")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_requirements(tmp_path / "nope.txt")
    assert str(caught.value) == f"{tmp_path / 'nope.txt'}: cannot read: No such file or directory"


# --- URLs, VCS, paths, editables ------------------------------------------------------------


def test_pep508_url_with_sdist_file_name_gives_the_version() -> None:
    dep = one('pkg @ https://files.example/pkg-1.0.tar.gz ; os_name == "nt"')
    assert dep == Dependency(
        name="pkg",
        version="1.0",
        origin=at(1),
        markers='os_name == "nt"',
        url="https://files.example/pkg-1.0.tar.gz",
    )


def test_bare_wheel_url_gives_name_and_version_and_url_hash() -> None:
    url = f"https://files.example/Some_Pkg-2.1-py3-none-any.whl#sha256={'A' * 64}"
    dep = one(url)
    assert (dep.name, dep.version, dep.url, dep.hashes) == ("some-pkg", "2.1", url, (H1,))


def test_bare_sdist_url_gives_name_and_version() -> None:
    dep = one("https://files.example/p/pkg-1.0.tar.bz2")
    assert (dep.name, dep.version, dep.specifier) == ("pkg", "1.0", "")


def test_url_file_name_not_matching_the_name_gives_no_version() -> None:
    deps, diagnostics = parse("pkg @ https://files.example/other-1.0.tar.gz\n")
    assert [(d.name, d.version) for d in deps] == [("pkg", None)]
    assert diagnostics[0].message.startswith("file 'other-1.0.tar.gz' does not match")


def test_vcs_with_egg_is_unpinned() -> None:
    dep = one("git+https://github.com/org/proj.git@v1.2#egg=Proj")
    assert (dep.name, dep.version, dep.editable) == ("proj", None, False)


def test_vcs_with_pep508_name_and_extras() -> None:
    dep = one("proj[cli] @ git+https://github.com/org/proj.git@v1.2")
    assert (dep.name, dep.extras, dep.url) == (
        "proj",
        ("cli",),
        "git+https://github.com/org/proj.git@v1.2",
    )


def test_vcs_without_a_name_is_skipped_with_a_warning() -> None:
    deps, diagnostics = parse("git+https://github.com/org/proj.git\nfoo==1\n")
    assert [d.name for d in deps] == ["foo"]
    assert len(diagnostics) == 1
    assert diagnostics[0].location == at(1)
    assert (
        "VCS URL 'git+https://github.com/org/proj.git' names no project" in diagnostics[0].message
    )


def test_unnamed_archive_url_is_skipped_with_a_warning() -> None:
    deps, diagnostics = parse("https://github.com/org/proj/archive/main.zip\n")
    assert deps == []
    assert "names no project" in diagnostics[0].message


def test_editable_vcs() -> None:
    dep = one("-e git+https://github.com/org/proj.git#egg=proj")
    assert (dep.name, dep.editable, dep.url) == (
        "proj",
        True,
        "git+https://github.com/org/proj.git#egg=proj",
    )


def test_editable_pep508_form() -> None:
    dep = one('-e "proj @ git+https://github.com/org/proj.git"')
    assert (dep.name, dep.editable, dep.url) == (
        "proj",
        True,
        "git+https://github.com/org/proj.git",
    )


def test_editable_vcs_short_scheme_is_completed_as_pip_does() -> None:
    dep = one("-e git://github.com/org/proj.git#egg=proj")
    assert dep.url == "git+git://github.com/org/proj.git#egg=proj"


def test_local_projects_from_static_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "local")
    inventory = read_requirements(Path("requirements.txt"))
    assert [(d.name, d.version, d.url, d.editable, d.extras) for d in inventory.dependencies] == [
        ("local-app", "0.3.0", ".", True, ("dev",)),
        ("cfg-lib", "1.4", "./cfglib", False, ()),
        ("dyn-lib", None, "./dynlib", True, ()),
        ("wheelpkg", "2.0", "./dist/wheelpkg-2.0-py3-none-any.whl", False, ()),
    ]


def test_local_paths_are_found_from_the_file_folder_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    inventory = read_requirements(FIXTURES / "local" / "requirements.txt")
    assert [d.name for d in inventory.dependencies] == [
        "local-app",
        "cfg-lib",
        "dyn-lib",
        "wheelpkg",
    ]


def test_local_project_without_static_name_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "setup.py").write_text("raise SystemExit('never run')\n")
    monkeypatch.chdir(tmp_path)
    deps, diagnostics = parse("./legacy\n")
    assert deps == []
    assert diagnostics[0].message.startswith("local project './legacy' has no static name")


def test_missing_local_path_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    deps, diagnostics = parse("./not-here\n-e ../nor-here\n")
    assert deps == []
    assert diagnostics == [
        Diagnostic("local path './not-here' not found; skipped", at(1)),
        Diagnostic("local path '../nor-here' not found; skipped", at(2)),
    ]


# --- includes and constraints -----------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_includes_are_relative_to_the_including_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "reqs/main.txt": "-r common/base.txt\nflask==2.0\n",
            "reqs/common/base.txt": "# base\n--requirement=more.txt\nclick==8.0\n",
            "reqs/common/more.txt": "itsdangerous==2.0\n",
        },
    )
    inventory = read_requirements(tmp_path / "reqs" / "main.txt")
    base = str(tmp_path / "reqs" / "common" / "base.txt")
    assert [(d.name, d.origin) for d in inventory.dependencies] == [
        ("itsdangerous", Location(str(tmp_path / "reqs" / "common" / "more.txt"), 1)),
        ("click", Location(base, 3)),
        ("flask", Location(str(tmp_path / "reqs" / "main.txt"), 2)),
    ]
    assert inventory.sources == [
        str(tmp_path / "reqs" / "main.txt"),
        base,
        str(tmp_path / "reqs" / "common" / "more.txt"),
    ]


def test_a_file_included_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "-r b.txt\n-r c.txt\n", "b.txt": "-r c.txt\n", "c.txt": "x==1\n"})
    assert [d.name for d in read_requirements(tmp_path / "a.txt").dependencies] == ["x"]


def test_include_cycle_names_the_closing_include(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "x==1\n-r b.txt\n", "b.txt": "y==1\n\n-r ./a.txt\n"})
    with pytest.raises(InputError) as caught:
        read_requirements(tmp_path / "a.txt")
    a, b = str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    assert (caught.value.path, caught.value.line) == (b, 3)
    assert caught.value.reason == f"include cycle: {a} -> {b} -> {a}"


def test_self_include_is_a_cycle(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "-c a.txt\n"})
    with pytest.raises(InputError, match="include cycle"):
        read_requirements(tmp_path / "a.txt")


def test_missing_include_is_an_error_at_the_include_line(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "x==1\n-r missing.txt\n"})
    with pytest.raises(InputError) as caught:
        read_requirements(tmp_path / "a.txt")
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "a.txt"), 2)
    assert caught.value.reason.startswith(f"cannot read included file {tmp_path / 'missing.txt'}")


def test_remote_include_is_not_fetched() -> None:
    deps, diagnostics = parse("-r https://example.org/reqs.txt\nfoo==1\n")
    assert [d.name for d in deps] == ["foo"]
    assert diagnostics == [
        Diagnostic("-r https://example.org/reqs.txt: remote files are not fetched; not read", at(1))
    ]


def test_constraints_pin_requirements_but_are_not_dependencies(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": "-c constraints.txt\nrequests>=2\nflask\n",
            "constraints.txt": f"requests==2.31.0 --hash={H1}\nurllib3==2.0.7\nflask<3\n",
        },
    )
    inventory = read_requirements(tmp_path / "requirements.txt")
    req = str(tmp_path / "requirements.txt")
    assert inventory.dependencies == [
        Dependency(
            name="requests",
            version="2.31.0",
            origin=Location(req, 2),
            specifier=">=2",
            hashes=(H1,),
        ),
        Dependency(name="flask", version=None, origin=Location(req, 3)),
    ]
    assert [(c.name, c.version) for c in inventory.constraints] == [
        ("requests", "2.31.0"),
        ("urllib3", "2.0.7"),
        ("flask", None),
    ]


def test_constraint_after_the_requirement_applies_too(tmp_path: Path) -> None:
    write(tmp_path, {"r.txt": "six\n-c c.txt\n", "c.txt": "six==1.16.0\n"})
    assert read_requirements(tmp_path / "r.txt").dependencies[0].version == "1.16.0"


def test_read_as_constraints_file(tmp_path: Path) -> None:
    write(tmp_path, {"c.txt": "six==1.16.0\n-r r.txt\n", "r.txt": "six\n"})
    inventory = read_requirements(tmp_path / "c.txt", constraint=True)
    # `-r` inside a constraints file still reads requirements, as in pip.
    assert [(d.name, d.version) for d in inventory.dependencies] == [("six", "1.16.0")]
    assert [(c.name, c.version) for c in inventory.constraints] == [("six", "1.16.0")]


def test_editable_constraint_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"c.txt": "-e git+https://x.example/r.git#egg=r\n"})
    with pytest.raises(InputError, match="editable requirements are not allowed as constraints"):
        read_requirements(tmp_path / "c.txt", constraint=True)


def test_constraint_with_extras_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"c.txt": "requests[socks]==2.0\n"})
    with pytest.raises(InputError, match="constraints cannot have extras"):
        read_requirements(tmp_path / "c.txt", constraint=True)


def dep(name: str, version: str | None = None, **kw: object) -> Dependency:
    return Dependency(name=name, version=version, **kw)  # type: ignore[arg-type]


def test_conditional_constraint_applies_only_to_the_same_marker() -> None:
    win = 'sys_platform == "win32"'
    constraints = [dep("colorama", "0.4.6", markers=win)]
    deps = [dep("colorama", markers=win), dep("colorama")]
    diagnostics: list[Diagnostic] = []
    result = apply_constraints(deps, constraints, diagnostics)
    assert [d.version for d in result] == ["0.4.6", None]
    assert diagnostics == []


def test_conflicting_constraint_pins_change_nothing() -> None:
    diagnostics: list[Diagnostic] = []
    constraints = [dep("six", "1.0", origin=Location("c.txt", 1)), dep("six", "2.0")]
    result = apply_constraints([dep("six")], constraints, diagnostics)
    assert result == [dep("six")]
    assert diagnostics == [
        Diagnostic("constraints pin six to different versions (1.0, 2.0; c.txt:1)")
    ]


def test_constraint_contradicting_a_pin_is_a_warning() -> None:
    diagnostics: list[Diagnostic] = []
    pinned = dep("six", "1.0", origin=Location("r.txt", 4), specifier="==1.0")
    result = apply_constraints(
        [pinned], [dep("six", "2.0", origin=Location("c.txt", 1))], diagnostics
    )
    assert result == [pinned]
    assert diagnostics == [
        Diagnostic("six==1.0 contradicts the constraint six==2.0 (c.txt:1)", Location("r.txt", 4))
    ]


def test_constraint_outside_the_range_is_a_warning() -> None:
    diagnostics: list[Diagnostic] = []
    wanted = dep("six", specifier=">=2")
    assert apply_constraints([wanted], [dep("six", "1.0")], diagnostics) == [wanted]
    assert diagnostics[0].message == "six>=2 excludes the constraint six==1.0 ()"


def test_constraint_hashes_fill_a_pinned_requirement_without_hashes() -> None:
    result = apply_constraints(
        [dep("six", "1.0", specifier="==1.0")], [dep("six", "1.0", hashes=(H1,))], []
    )
    assert result[0].hashes == (H1,)


def test_inventory_extend_carries_constraints_and_index_options() -> None:
    first = parse_requirements_text("-i https://a.example/simple\nfoo==1\n", REQ)
    second = Inventory(constraints=[dep("bar", "1")])
    first.extend(second)
    assert [c.name for c in first.constraints] == ["bar"]
    assert [o.value for o in first.index_options] == ["https://a.example/simple"]
