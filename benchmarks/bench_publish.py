"""Benchmark `bastion publish` on the whole git history of a large public repository.

    python benchmarks/bench_publish.py [--repo PATH] [--runs 3]

The repository is pip (github.com/pypa/pip): `--repo` names a clone; by default
benchmarks/.work/pip, cloned once from the mirror the team's fetch tool keeps
(/work/.mirror/pypa+pip/repo, a bare copy of GitHub's; `git clone --no-hardlinks`, so the
clone has the branches and tags: 16,299 commits on 2026-12-04), else from GitHub.
Measures whole-process wall time of `bastion publish REPO` (every blob of the history, the
working tree, the workflows) and its own figure for the history (MB of unique blob content
per second), beside `detect-secrets scan` of the working tree (which reads no history),
installed into benchmarks/.work/peers. Bytecode is compiled first.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess  # nosec B404 - a benchmark runs the tools it measures
import sys
import tempfile
import time
from pathlib import Path

from _support import WORK, bastion, fresh_env, peer, summary, time_runs

MIRROR = Path("/work/.mirror/pypa+pip/repo")


def pip_clone() -> Path:
    target = WORK / "pip"
    if not (target / ".git").is_dir():
        source = str(MIRROR) if MIRROR.is_dir() else "https://github.com/pypa/pip"
        subprocess.run(  # nosec B603 B607 - git with fixed arguments
            ["git", "clone", "-q", "--no-hardlinks", source, str(target)], check=True
        )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = Path(__file__).resolve().parents[1] / "src"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)  # nosec B603
    repo = args.repo or pip_clone()
    commits = subprocess.run(  # nosec B603 B607
        ["git", "-C", str(repo), "rev-list", "--all", "--count"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"== {repo}: {commits} commits")
    env = fresh_env(Path(tempfile.mkdtemp(prefix="bastion-bench-publish-")))
    command = [*bastion(), "publish", str(repo)]
    times = time_runs(command, args.runs, env)
    print(f"bastion publish (history, tree, workflows)   {summary(times)}")
    out = subprocess.run(command, capture_output=True, text=True, env=env).stdout  # nosec B603
    figure = re.search(
        r"git history: ([\d,]+) blobs read \(([\d.]+) MB in ([\d.]+) s, (\d+) MB/s\)", out
    )
    if figure:
        blobs, megabytes, seconds, rate = figure.groups()
        print(f"  its history figure: {blobs} blobs, {megabytes} MB in {seconds} s, {rate} MB/s")
        whole = float(megabytes) / (min(times))
        print(f"  whole process: {whole:.0f} MB/s of unique blob content (best run)")
    detect = [peer("detect-secrets"), "scan"]  # it reads the git repository it runs in
    ds_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        found = subprocess.run(detect, capture_output=True, cwd=repo, check=True).stdout  # nosec B603
        ds_times.append(time.perf_counter() - start)
    results = json.loads(found)["results"]
    print(f"detect-secrets scan (working tree only)      {summary(ds_times)}")
    print(f"  {sum(len(v) for v in results.values())} results in {len(results)} files")


if __name__ == "__main__":
    main()
