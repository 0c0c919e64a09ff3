"""Installed environments: site-packages found without importing, metadata read, .pth never run."""

from __future__ import annotations

import json
import os
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from bastion.errors import InputError
from bastion.findings import Diagnostic
from bastion.inventory.installed import read_installed, site_packages

posix_only = pytest.mark.skipif(os.name != "posix", reason="builds a POSIX venv layout")


def dist(site: Path, dirname: str, metadata: str, **files: str) -> Path:
    """A `.dist-info` directory with METADATA and any other `files` (name -> text)."""
    path = site / dirname
    path.mkdir(parents=True)
    (path / "METADATA").write_text(metadata)
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def fake_venv(root: Path, marker: Path) -> tuple[Path, Path]:
    env = root / "env"
    site = env / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (env / "bin").mkdir()
    (env / "bin" / "python").write_text("not an interpreter: never run for a venv layout")
    (env / "pyvenv.cfg").write_text(
        "home = /nonexistent/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n"
    )
    dist(site, "requests-2.31.0.dist-info", "Name: requests\nVersion: 2.31.0\n", REQUESTED="")
    dist(
        site,
        "certifi-2024.8.30.dist-info",
        "Metadata-Version: 2.1\nName: certifi\nVersion: 2024.8.30\n\nName: not-a-header\n",
    )
    legacy = site / "Legacy_Pkg-1.0-py3.11.egg-info"
    legacy.mkdir()
    (legacy / "PKG-INFO").write_text("Metadata-Version: 1.0\nName: Legacy_Pkg\nVersion: 1.0\n")
    (site / "oldfile-0.5-py3.11.egg-info").write_text("Name: oldfile\nVersion: 0.5\n")
    dist(site, "broken-1.0.dist-info", "Name: broken\n")
    editable = dist(site, "mypkg-0.1.dist-info", "Name: mypkg\nVersion: 0.1\n", REQUESTED="")
    (editable / "direct_url.json").write_text(
        json.dumps({"url": "file:///src/mypkg", "dir_info": {"editable": True}})
    )
    archive = dist(site, "wheelpkg-1.4.0.dist-info", "Name: wheelpkg\nVersion: 1.4.0\n")
    (archive / "direct_url.json").write_text(
        json.dumps(
            {
                "url": "https://files.example/wheelpkg-1.4.0-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": "ab" * 32}},
            }
        )
    )
    (site / "evil.pth").write_text(
        f"import pathlib; pathlib.Path({str(marker)!r}).write_text('ran')\n"
    )
    return env, site


@posix_only
def test_venv_layout_is_read_without_running_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pth-ran"
    env, site = fake_venv(tmp_path, marker)
    diagnostics: list[Diagnostic] = []
    inventory = read_installed(env, diagnostics)
    assert inventory.sources == [str(site)]
    got = [(d.name, d.version, d.direct) for d in inventory.dependencies]
    assert got == [
        ("legacy-pkg", "1.0", False),
        ("certifi", "2024.8.30", False),
        ("mypkg", "0.1", True),
        ("oldfile", "0.5", False),
        ("requests", "2.31.0", True),
        ("wheelpkg", "1.4.0", False),
    ]
    deps = {d.name: d for d in inventory.dependencies}
    assert deps["requests"].origin is not None
    assert deps["requests"].origin.path == str(site / "requests-2.31.0.dist-info")
    assert (deps["mypkg"].url, deps["mypkg"].editable) == ("file:///src/mypkg", True)
    assert deps["wheelpkg"].hashes == ("sha256:" + "ab" * 32,)
    assert [str(d) for d in diagnostics][:1] == [
        f"{site / 'broken-1.0.dist-info'}: skipped: METADATA has no Name or Version"
    ]
    # The .pth file that would have written the marker is named, read and never run.
    assert [str(d).split(": ", 1)[0] for d in diagnostics][1:] == [f"{site / 'evil.pth'}:1"]
    assert "evil.pth:1 runs code at every interpreter start" in str(diagnostics[1])
    assert not marker.exists()


@posix_only
def test_interpreter_inside_a_venv_finds_the_same_layout(tmp_path: Path) -> None:
    env, site = fake_venv(tmp_path, tmp_path / "marker")
    assert site_packages(env / "bin" / "python").own == (site,)
    assert site_packages(env).own == (site,)


def test_without_requested_files_everything_counts_as_direct(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    dist(site, "six-1.16.0.dist-info", "Name: six\nVersion: 1.16.0\n")
    inventory = read_installed(site)  # a site-packages directory itself
    assert [(d.name, d.direct) for d in inventory.dependencies] == [("six", True)]


@posix_only
def test_system_site_packages_run_the_interpreter_without_site(tmp_path: Path) -> None:
    """include-system-site-packages needs the base paths: the interpreter runs with -I -S, so
    a .pth file in the venv's site-packages must not execute."""
    env = tmp_path / "real"
    venv.create(env, system_site_packages=True, with_pip=False, symlinks=True)
    site = next((env / "lib").glob("python*/site-packages"))
    marker = tmp_path / "pth-ran"
    (site / "evil.pth").write_text(
        f"import pathlib; pathlib.Path({str(marker)!r}).write_text('ran')\n"
    )
    dist(site, "six-1.16.0.dist-info", "Name: six\nVersion: 1.16.0\n")
    paths = site_packages(env)
    base_purelib = sysconfig.get_paths(
        vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
    )["purelib"]
    assert paths.own == (site,)
    assert Path(base_purelib) in paths.base
    inventory = read_installed(env)
    assert inventory.sources[0] == str(site)
    assert ("six", "1.16.0") in [(d.name, d.version) for d in inventory.dependencies]
    assert not marker.exists()


@posix_only
def test_plain_interpreter_is_asked_for_its_paths(tmp_path: Path) -> None:
    link = tmp_path / "python"
    link.symlink_to(getattr(sys, "_base_executable", sys.executable))
    expected = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    own = site_packages(link).own
    assert Path(expected["purelib"]) in own
    assert Path(expected["platlib"]) in own


@posix_only
def test_failing_interpreter_is_an_input_error(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(InputError, match=r"the interpreter failed \(3\): boom") as caught:
        read_installed(fake)
    assert caught.value.path == str(fake)


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such interpreter or environment"):
        read_installed(tmp_path / "nope")


def test_directory_that_is_no_environment_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not an interpreter, a virtual environment"):
        read_installed(tmp_path)
