"""Benchmark `bastion scan` against bandit 1.9 and `ruff check --select S` on Django 5.1.

    python benchmarks/bench_scan.py [--runs 3] [--jobs N] [--skip-peers] [--pathological]

Downloads the Django 5.1 sdist once (`pip download --no-deps --no-binary :all:
django==5.1`, kept in benchmarks/.work/) and measures, in one run, whole-process wall time and
peak memory of:
- bastion cold: an empty cache folder for every run;
- bastion warm: the same files again, nothing changed;
- bandit 1.9 (`bandit -r`), installed into benchmarks/.work/peers, never the project venv;
- ruff `check --select S --no-cache --isolated` (the flake8-bandit rules), same venv.
Peak memory is the largest sum of resident memory over the process and its children
(sampled from /proc), as a parallel run uses several processes; GNU time's figure (the
largest single process) is shown beside it. Prints a table.

Then (or alone, with `--pathological`) it times the analysis of pathological files, each
generated here: a 100,000-element literal, a 1,000-term expression at a sink, a 1,000-deep
`elif` chain, the deepest blocks and parentheses the parser accepts, a long attribute chain,
a list filled by 10,000 appends, 5,000 functions calling each other, and a file too deep to
parse. Each must take well under a second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess  # nosec B404 - a benchmark runs the tools it measures
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from _support import WORK, bastion, fresh_env, peak_rss_kb, peer

DJANGO = "5.1"


def django_tree() -> Path:
    """The extracted Django sdist, downloaded and unpacked once."""
    target = WORK / f"django-{DJANGO}"
    if (target / f"Django-{DJANGO}" / "django").is_dir():
        return target / f"Django-{DJANGO}"
    sdists = WORK / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    archive = sdists / f"Django-{DJANGO}.tar.gz"
    if not archive.exists():
        subprocess.run(  # nosec B603 - pip, with fixed arguments
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"django=={DJANGO}",
                "-d",
                str(sdists),
            ],
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / f"Django-{DJANGO}"


def count_python(tree: Path) -> tuple[int, int]:
    files = lines = 0
    for path in tree.rglob("*.py"):
        files += 1
        with path.open("rb") as handle:
            lines += sum(1 for _ in handle)
    return files, lines


def _tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, in KiB (Linux /proc)."""
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(child) for child in children)
        except (OSError, ValueError):
            continue
    return total


def run_once(
    command: Sequence[str], env: dict[str, str], ok: Sequence[int] = (0, 1)
) -> tuple[float, int]:
    """Wall seconds and peak tree RSS (KiB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(  # nosec B603 - the benchmarked tools, argument lists
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    _, err = proc.communicate()
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}: {err[-800:]!r}")
    return elapsed, peak


def measure(
    label: str,
    command: Sequence[str],
    env: dict[str, str],
    runs: int,
    before_each: Callable[[], None] | None = None,
) -> dict[str, object]:
    times: list[float] = []
    peaks: list[int] = []
    for _ in range(runs):
        if before_each is not None:
            before_each()
        elapsed, peak = run_once(command, env)
        times.append(elapsed)
        peaks.append(peak)
    if before_each is not None:
        before_each()
    single = peak_rss_kb(command, env)
    return {
        "tool": label,
        "median": statistics.median(times),
        "min": min(times),
        "peak_tree_mb": max(peaks) / 1024,
        "peak_single_mb": (single or 0) / 1024,
        "runs": runs,
    }


def pathological_files() -> dict[str, str]:
    """Generated sources that stress the parser, the walk, `is_constant` and taint."""
    return {
        "100,000-element literal": "import subprocess\nDATA = ["
        + ", ".join(f"'x{i}'" for i in range(100_000))
        + "]\nsubprocess.run(DATA)\n",
        "1,000-term expression at a sink": "import subprocess, sys\nx = sys.argv[1]\n"
        "subprocess.run(" + " + ".join(["x"] * 999) + ", shell=True)\n",
        "1,000-deep elif chain": "import os\ndef f(x):\n    if x == 0:\n        os.system(x)\n"
        + "".join(f"    elif x == {i}:\n        os.system(x)\n" for i in range(1, 1000)),
        "97-deep nested blocks": "import os\ndef f(x):\n"
        + "".join(" " * (4 + i) + "if x:\n" for i in range(97))
        + " " * 101
        + "os.system(x)\n",
        "197-deep parentheses": "import os\nos.system(" + "(" * 197 + "x" + ")" * 197 + ")\n",
        "1,000-long attribute chain": "import os\nos.system(a" + ".b" * 999 + ")\n",
        "10,000 appends to one list": "import subprocess\ndef f(p):\n    words = []\n"
        + "".join(f"    words.append('w{i}')\n" for i in range(10_000))
        + "    words.append(p)\n    subprocess.run(' '.join(words), shell=True)\n",
        "5,000 functions calling each other": "import os\n"
        + "".join(f"def f{i}(x):\n    return f{i + 1}(x)\n" for i in range(5000))
        + "def f5000(x):\n    os.system(x)\n",
        "too deep to parse (5,000 terms)": "x = " + " + ".join(["a"] * 5000) + "\n",
    }


def measure_pathological(runs: int) -> None:
    """Time the analysis (parse, walk, every rule) of each pathological file in this process,
    and one whole `bastion scan` of all of them."""
    import gc

    from bastion.code.engine import RuleTable, analyze_file
    from bastion.code.rule import load_rules

    table = RuleTable(load_rules())
    work = Path(tempfile.mkdtemp(prefix="bastion-scan-pathological-"))
    print(f"\n{'pathological file':<36} {'size':>8} {'median s':>9} {'max s':>7} {'findings':>9}")
    for index, (label, source) in enumerate(pathological_files().items()):
        data = source.encode()
        (work / f"case{index}.py").write_bytes(data)
        times: list[float] = []
        for _ in range(runs):
            gc.disable()
            start = time.perf_counter()
            result = analyze_file(label, data, table, "case.py")
            times.append(time.perf_counter() - start)
            gc.enable()
        notes = f"  ({result.diagnostics[0].message})" if result.diagnostics else ""
        print(
            f"{label:<36} {len(data) / 1000:>6.0f}kB {statistics.median(times):>9.3f} "
            f"{max(times):>7.3f} {len(result.findings):>9}{notes}"
        )
    env = fresh_env(work / "cache")
    command = [
        *bastion(), "scan", str(work), "--no-cache", "-f", "json", "-o", str(work / "r"),
        "--allow-partial",  # one of the files is too deep to parse, on purpose
    ]  # fmt: skip
    wall = [run_once(command, env)[0] for _ in range(runs)]
    print(f"{'bastion scan of all of them':<36} {'':>8} {statistics.median(wall):>9.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="bastion --jobs (default: all)")
    parser.add_argument("--skip-peers", action="store_true", help="measure bastion only")
    parser.add_argument(
        "--pathological", action="store_true", help="only time the pathological files"
    )
    args = parser.parse_args()
    if args.pathological:
        measure_pathological(args.runs)
        return

    tree = django_tree()
    files, lines = count_python(tree)
    print(f"Django {DJANGO}: {files} Python files, {lines:,} lines ({tree})")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

    work = Path(tempfile.mkdtemp(prefix="bastion-scan-bench-"))
    cache = work / "cache"
    env = fresh_env(cache)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    # --allow-partial: Django ships one file that does not parse on purpose
    # (tests/test_runner_apps/tagged/tests_syntax_error.py); bandit skips it too.
    scan = [
        *bastion(), "scan", str(tree), "-f", "json", "-o", str(work / "bastion.json"),
        "--allow-partial", *jobs,
    ]  # fmt: skip

    def clear_cache() -> None:
        for path in cache.glob("*"):
            path.unlink()

    rows = [measure("bastion scan (cold)", scan, env, args.runs, clear_cache)]
    run_once(scan, env)  # fill the cache
    rows.append(measure("bastion scan (warm)", scan, env, args.runs))
    report = json.loads((work / "bastion.json").read_text())
    findings = {"bastion scan (cold)": len(report["findings"])}
    findings["bastion scan (warm)"] = findings["bastion scan (cold)"]

    if not args.skip_peers:
        bandit_out = work / "bandit.json"
        bandit = [peer("bandit"), "-r", str(tree), "-q", "-f", "json", "-o", str(bandit_out)]
        rows.append(measure("bandit 1.9 -r", bandit, env, args.runs))
        findings["bandit 1.9 -r"] = len(json.loads(bandit_out.read_text())["results"])
        ruff_out = work / "ruff.json"
        ruff = [
            peer("ruff"),
            "check",
            "--isolated",  # not this repository's [tool.ruff]
            "--no-respect-gitignore",  # benchmarks/.work is git-ignored here
            "--select",
            "S",
            "--no-cache",
            "--exit-zero",
            "--output-format",
            "json",
            "--output-file",
            str(ruff_out),
            str(tree),
        ]
        rows.append(measure("ruff check --select S", ruff, env, args.runs))
        findings["ruff check --select S"] = len(json.loads(ruff_out.read_text()))

    print()
    widths = (("tool", -24), ("median s", 9), ("min s", 7), ("peak MB", 8))
    header = " ".join(f"{name:<{-w}}" if w < 0 else f"{name:>{w}}" for name, w in widths)
    print(f"{header} {'1-proc MB':>10} {'findings':>9}")
    for row in rows:
        print(
            f"{row['tool']!s:<24} {row['median']:>9.2f} {row['min']:>7.2f} "
            f"{row['peak_tree_mb']:>8.0f} {row['peak_single_mb']:>10.0f} "
            f"{findings.get(str(row['tool']), 0):>9}"
        )
    bandit_row = next((r for r in rows if str(r["tool"]).startswith("bandit")), None)
    if bandit_row is not None:
        ratio = float(str(bandit_row["median"])) / float(str(rows[0]["median"]))
        print(f"\nbastion cold is {ratio:.1f}x faster than bandit (median wall time)")
    measure_pathological(args.runs)


if __name__ == "__main__":
    main()
