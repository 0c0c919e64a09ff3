"""Benchmark `bastion verify`: against the real PyPI, beside hashin and sha256sum.

    python benchmarks/bench_verify.py [--runs 5] [--skip-installed]

Measures, in one run, whole-process wall time of:
- `bastion verify -r warehouse-lint.txt` (../shared/data/real-requirements: 56 hash-pinned
  projects, 861 hashes) cold (an empty cache folder each run) and cached (the pages stored
  by an earlier run, younger than the TTL);
- `bastion verify --add-hashes` on a copy of that file with its hashes stripped, cold,
  beside `hashin -r COPY PIN...` (hashin 1.0, installed into benchmarks/.work/peers) on
  another copy, with the same 56 pins; the runs alternate, so both see the same network;
- `bastion verify --installed --python VENV` on benchmarks/.work/installed (a venv of
  about 100 distributions, made once), as MB/s hashed, beside `sha256sum` over the same
  files (the RECORD rows with a hash), once in one process and once on every core
  (`xargs -P NPROC`).
PyPI is on the network: figures vary from run to run, so medians and minimums are shown,
and ratios of both. Bytecode is compiled before timing (as pip install does).
Prints the figures; docs/benchmarks.md records them with this command.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess  # nosec B404 - a benchmark runs the tools it measures
import sys
import tempfile
import time
from pathlib import Path

from _support import SHARED, WORK, bastion, fresh_env, peer, summary

LOCK = SHARED / "data" / "real-requirements" / "warehouse-lint.txt"
INSTALLED = WORK / "installed"
#: What the ~100-distribution venv is made of (pip resolves the rest).
INSTALLED_PACKAGES = (
    "poetry",
    "pip-audit",
    "bandit",
    "pypi-attestations",
    "pytest",
    "hypothesis",
    "mypy",
    "black",
    "jsonschema",
    "httpx",
)


def run(
    command: list[str],
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0, 1),
    cwd: Path | None = None,
) -> float:
    start = time.perf_counter()
    proc = subprocess.run(  # nosec B603
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}: {proc.stderr[-500:]!r}")
    return elapsed


def strip_hashes(source: Path, target: Path) -> list[str]:
    """`source` without its `--hash` options (continuations kept tidy); the pins."""
    lines = []
    for line in source.read_text().splitlines():
        if line.strip().startswith("--hash="):
            continue
        lines.append(line.rstrip(" \\") if line.rstrip().endswith("\\") else line)
    target.write_text("\n".join(lines) + "\n")
    return [line.split()[0] for line in lines if "==" in line and not line.lstrip().startswith("#")]


def hashes_in(path: Path) -> set[str]:
    return set(re.findall(r"sha256:([0-9a-f]{64})", path.read_text()))


def installed_venv() -> Path:
    """benchmarks/.work/installed, made once."""
    if not (INSTALLED / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(INSTALLED)], check=True)  # nosec B603
        subprocess.run(  # nosec B603
            [str(INSTALLED / "bin" / "pip"), "install", "-q", *INSTALLED_PACKAGES], check=True
        )
    return INSTALLED


def recorded_files(venv: Path) -> list[Path]:
    """Every file that a RECORD of the venv lists with a hash (what bastion hashes)."""
    files = []
    for site in venv.glob("lib/python*/site-packages"):
        for record in site.glob("*.dist-info/RECORD"):
            with record.open(newline="", encoding="utf-8") as handle:
                for row in csv.reader(handle):
                    if len(row) >= 2 and row[1].startswith("sha256="):
                        path = (site / row[0]).resolve()
                        if path.is_file():
                            files.append(path)
    return sorted(set(files))


def bench_index(exe: list[str], runs: int, work: Path) -> None:
    print(f"== against https://pypi.org/simple/ ({LOCK.name}: 56 projects, 861 hashes)")
    verify = [*exe, "verify", "-r", str(LOCK)]
    cached_env = fresh_env(work / "cached")
    run(verify, cached_env)  # stores the pages and compiles bytecode: not counted
    cold, cached = [], []
    for index in range(runs):
        cold.append(run(verify, fresh_env(work / f"cold-{index}")))
        cached.append(run(verify, cached_env))
    print(f"verify, cold             {summary(cold)}")
    print(f"verify, cached           {summary(cached)}")

    pins = strip_hashes(LOCK, work / "plain.txt")
    plain = (work / "plain.txt").read_text()
    hashin = peer("hashin")
    ours, theirs = [], []
    for index in range(runs):
        mine = work / f"bastion-{index}.txt"
        mine.write_text(plain)
        ours.append(
            run([*exe, "verify", "--add-hashes", str(mine)], fresh_env(work / f"h-{index}"))
        )
        other = work / f"hashin-{index}.txt"
        other.write_text(plain)
        theirs.append(run([hashin, "-r", str(other), *pins], ok=(0,)))
    added, restored = hashes_in(work / "bastion-0.txt"), hashes_in(work / "hashin-0.txt")
    print(f"--add-hashes, cold       {summary(ours)}   {len(added)} hashes")
    print(f"hashin, same pins        {summary(theirs)}   {len(restored)} hashes")
    print(
        f"  bastion's hashes are a superset of the lock's: {hashes_in(LOCK) <= added}; "
        f"of hashin's: {restored <= added}"
    )
    ratio = statistics.median(theirs) / statistics.median(ours)
    best = min(theirs) / min(ours)
    print(f"--add-hashes is {ratio:.1f}x faster than hashin (medians), {best:.1f}x (minimums)")


def bench_installed(exe: list[str], runs: int, work: Path) -> None:
    venv = installed_venv()
    files = recorded_files(venv)
    size = sum(path.stat().st_size for path in files)
    distributions = len(list(venv.glob("lib/python*/site-packages/*.dist-info")))
    print(
        f"== installed files: {venv} ({distributions} distributions, {len(files):,} files, "
        f"{size / 1e6:.1f} MB)"
    )
    env = fresh_env(work / "installed-cache")
    command = [*exe, "verify", "--installed", "--python", str(venv), "--offline"]
    empty = work / "empty-project"  # no project of its own: only the venv is checked
    empty.mkdir()
    run(command, env, cwd=empty)  # warms the OS's cache of the files, as for sha256sum below
    whole = [run(command, env, cwd=empty) for _ in range(runs)]
    status = subprocess.run(  # nosec B603
        command, capture_output=True, text=True, env=env, cwd=empty
    ).stdout
    match = re.search(r"\(([\d.]+) MB hashed in ([\d.]+) s, (\d+) MB/s\)", status)
    listing = work / "files.txt"
    listing.write_text("".join(f"{path}\n" for path in files))
    single, parallel = [], []
    cores = os.cpu_count() or 1
    for _ in range(runs):
        with listing.open("rb") as names:
            start = time.perf_counter()
            subprocess.run(  # nosec B603 B607
                ["xargs", "-d", "\n", "sha256sum"],
                stdin=names,
                stdout=subprocess.DEVNULL,
                check=True,
            )
            single.append(time.perf_counter() - start)
        with listing.open("rb") as names:
            start = time.perf_counter()
            subprocess.run(  # nosec B603 B607
                ["xargs", "-d", "\n", "-P", str(cores), "-n", "200", "sha256sum"],
                stdin=names,
                stdout=subprocess.DEVNULL,
                check=True,
            )
            parallel.append(time.perf_counter() - start)
    mb = size / 1e6

    def rate(times: list[float]) -> str:
        return f"{mb / statistics.median(times):6.0f} MB/s"

    print(f"bastion verify --installed  {summary(whole)}   {rate(whole)} whole process")
    if match:
        print(
            f"  bastion's own figure: {match.group(1)} MB hashed in {match.group(2)} s, "
            f"{match.group(3)} MB/s (hashing only)"
        )
    print(f"sha256sum, one process      {summary(single)}   {rate(single)}")
    print(f"sha256sum, {cores} processes      {summary(parallel)}   {rate(parallel)}")
    share = statistics.median(parallel) / statistics.median(whole)
    print(f"bastion (whole process) hashes at {share:.0%} of sha256sum's all-core throughput")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-installed", action="store_true")
    parser.add_argument("--skip-index", action="store_true")
    args = parser.parse_args()
    exe = bastion()
    source = Path(__file__).resolve().parents[1] / "src"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)  # nosec B603
    work = Path(tempfile.mkdtemp(prefix="bastion-bench-verify-"))
    if not args.skip_index:
        bench_index(exe, args.runs, work)
    if not args.skip_installed:
        bench_installed(exe, args.runs, work)


if __name__ == "__main__":
    main()
