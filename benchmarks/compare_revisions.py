"""This checkout against an earlier revision, in one run: wall time alternating, and instructions.

    python benchmarks/compare_revisions.py --base REV [--rounds 20] [--callgrind]

The earlier revision is exported into benchmarks/.work/rev-REV and installed into its own venv
there. Both audit ../shared/bench/requirements-vulnerable.txt from databases imported from the
same PyPA snapshot, and `--version` is timed too. Runs alternate (base, this, base, this ...)
so that a slow spell of the machine hits both; the medians and their ratio are printed. With
`--callgrind`, each command also runs once under `valgrind --tool=callgrind`, whose instruction
counts do not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _support import ROOT, SHARED, WORK


def install(rev: str) -> Path:
    """A venv with `rev` of this repository installed (made once, then reused)."""
    folder = WORK / f"rev-{rev}"
    exe = folder / "venv" / "bin" / "bastion"
    if exe.exists():
        return exe
    shutil.rmtree(folder, ignore_errors=True)
    source = folder / "src"
    source.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    pip = folder / "venv" / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", "-e", str(source)], check=True)
    return exe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the earlier revision (commit or tag)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--callgrind", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode as an installed program has it
    snapshot = SHARED / "data" / "pypa-advisory-database" / "vulns"
    requirements = str(SHARED / "bench" / "requirements-vulnerable.txt")
    here = Path(sys.executable).with_name("bastion")
    installs = {"base": install(args.base), "this": here}
    commands: dict[str, tuple[dict[str, str], list[list[str]]]] = {}
    for label, exe in installs.items():
        cache = WORK / f"compare-cache-{label}"
        shutil.rmtree(cache, ignore_errors=True)
        label_env = dict(env, BASTION_CACHE_DIR=str(cache))
        python = exe.with_name("python")
        subprocess.run([str(python), "-m", "compileall", "-q", str(exe.parents[2])], env=env,
                       capture_output=True, check=False)  # fmt: skip
        subprocess.run([str(exe), "db", "import", str(snapshot)], env=label_env,
                       capture_output=True, check=True)  # fmt: skip
        audit = [str(exe), "audit", "-r", requirements, "--offline"]
        commands[label] = (label_env, [[str(exe), "--version"], audit, [*audit, "-f", "json"]])
    names = ["--version", "audit (text)", "audit (json)"]
    times: dict[tuple[str, int], list[float]] = {
        (name, i): [] for name in commands for i in range(3)
    }
    for _ in range(args.rounds):
        for label, (label_env, cmds) in commands.items():
            for index, command in enumerate(cmds):
                started = time.perf_counter()
                subprocess.run(command, env=label_env, capture_output=True, check=False)
                times[(label, index)].append(time.perf_counter() - started)
    for index, name in enumerate(names):
        base = statistics.median(times[("base", index)]) * 1000
        this = statistics.median(times[("this", index)]) * 1000
        print(f"{name:14} base {base:7.1f} ms   this {this:7.1f} ms   this/base {this / base:4.2f}")
    if args.callgrind and shutil.which("valgrind"):
        for index, name in enumerate(names):
            counts = []
            for label in ("base", "this"):
                label_env, cmds = commands[label]
                done = subprocess.run(
                    ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                     *cmds[index]],
                    env=label_env, capture_output=True, text=True, check=False,
                )  # fmt: skip
                found = re.search(r"Collected : (\d+)", done.stderr)
                counts.append(int(found.group(1)) if found else 0)
            ratio = counts[1] / counts[0] if counts[0] else 0.0
            print(f"{name:14} base {counts[0] / 1e6:7.1f} M instr   this {counts[1] / 1e6:7.1f} M "
                  f"instr   this/base {ratio:4.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
