"""Benchmark `bastion audit` and `bastion db import` against pysentry-rs, on the same data.

    python benchmarks/bench_audit.py [--runs 15]

Measures, in one run, whole-process wall time of:
- `bastion --version` (start-up);
- `bastion db import` of the whole PyPA advisory snapshot (../shared/data);
- `bastion audit` of ../shared/bench/requirements-vulnerable.txt from the warm local DB;
- pysentry-rs on the same requirements against ../shared/tools/osv-server serving the same
  snapshot, with its cache hot (the first run warms it and is not counted).
Prints the figures; docs/benchmarks.md records them with this command.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from _support import SHARED, bastion, fresh_env, osv_server, peer, summary, time_runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    snapshot = SHARED / "data" / "pypa-advisory-database" / "vulns"
    requirements = SHARED / "bench" / "requirements-vulnerable.txt"
    work = Path(tempfile.mkdtemp(prefix="bastion-bench-"))
    env = fresh_env(work / "cache")
    exe = bastion()

    print(
        f"bastion --version         {summary(time_runs([*exe, '--version'], args.runs * 2, env))}"
    )

    imports = time_runs([*exe, "db", "import", str(snapshot)], max(3, args.runs // 3), env)
    print(f"bastion db import         {summary(imports)}")

    audit = [*exe, "audit", "-r", str(requirements), "--offline"]
    time_runs(audit, 2, env)  # page cache and bytecode warm
    bastion_times = time_runs(audit, args.runs, env)
    print(f"bastion audit (warm DB)   {summary(bastion_times)}   text report (the default)")
    audit_json = [*audit, "--format", "json"]
    json_times = time_runs(audit_json, args.runs, env)
    print(f"bastion audit (warm DB)   {summary(json_times)}   --format json")
    report = json.loads(subprocess.run(audit_json, capture_output=True, text=True, env=env).stdout)
    print(
        f"  findings: {report['summary']['findings']} in "
        f"{report['summary']['stats'].get('dependencies', '?')} dependencies"
    )

    project = work / "pysentry-project"
    project.mkdir()
    shutil.copy(requirements, project / "requirements.txt")
    with osv_server(snapshot) as url:
        pysentry = [
            peer("pysentry-rs"),
            str(project),
            "--sources",
            "osv",
            "--service-url",
            f"{url}/v1",
            "--no-resolver",
            "--no-maintenance-check",
            "--format",
            "json",
            "--cache-dir",
            str(work / "pysentry-cache"),
            "-o",
            str(work / "ps.json"),
        ]
        time_runs(pysentry, 1)  # fills its cache: not counted
        pysentry_times = time_runs(pysentry, args.runs)
    print(f"pysentry-rs (hot cache)   {summary(pysentry_times)}")
    found = json.loads((work / "ps.json").read_text())["total_vulnerabilities"]
    print(f"  findings: {found}")
    for label, times in (("text", bastion_times), ("json", json_times)):
        ratio = statistics.median(pysentry_times) / statistics.median(times)
        print(f"bastion ({label}) is {ratio:.1f}x faster than pysentry-rs (medians)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
