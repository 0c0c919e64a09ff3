"""bastion on real public projects, as a user runs it, next to pip-audit and bandit.

    python benchmarks/real_projects.py [--projects DIR]

DIR (default benchmarks/.work/projects) holds the projects, exported from public repositories
(see docs/benchmarks.md for the commits): warehouse (hash-pinned requirements in several
files), guarddog (poetry.lock and uv.lock), guarddog-2022 (a poetry lock-version 1.1),
pydantic (uv.lock), requests (a library whose requirements-dev.txt says `-e .[socks]`),
netbox (a large Django application requiring Python 3.12). Advisories: the PyPA snapshot in
../shared, imported by bastion and served to pip-audit by ../shared/tools/osv-server on
loopback. pip-audit reads requirements files only: locks are exported for it with the lock's
own tool (`uv export`, `poetry export`). Prints, per project, the input bastion chose, its
dependency count, the (package, advisory) pairs of each tool and how they match, the scan's
findings next to bandit's, and the times.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from _support import SHARED, WORK, bastion, fresh_env, osv_server, peer


@dataclass
class Case:
    name: str
    folder: str
    audit: list[str]  # bastion audit arguments (run in the folder)
    pip_audit: list[str] | None  # pip-audit input arguments, or None
    export: list[str] | None = None  # a command writing the export pip-audit reads
    code: str = "."  # what bastion scan and bandit read
    notes: list[str] = field(default_factory=list)


CASES = [
    Case(
        "warehouse",
        "warehouse",
        ["-r", "requirements/main.txt", "-r", "requirements/deploy.txt", "-r",
         "requirements/tests.txt"],
        ["--no-deps", "--disable-pip", "-r", "requirements/main.txt", "-r",
         "requirements/deploy.txt", "-r", "requirements/tests.txt"],
        code="warehouse",
    ),
    Case(
        "guarddog (poetry.lock)",
        "guarddog",
        ["--lock", "poetry.lock"],
        ["--no-deps", "--disable-pip", "-r", "{export}"],
        export=["poetry", "export", "--all-groups", "-o", "{export}"],
        code="guarddog",
    ),
    Case(
        "guarddog (uv.lock)",
        "guarddog",
        [],
        ["--no-deps", "--disable-pip", "-r", "{export}"],
        export=["uv", "export", "--frozen", "--no-emit-project", "--all-groups", "-o", "{export}"],
        code="guarddog",
    ),
    Case(
        "guarddog 2022 (poetry lock 1.1)",
        "guarddog-2022",
        [],
        ["--no-deps", "--disable-pip", "-r", "{export}"],
        export=["poetry", "export", "--with", "dev", "-o", "{export}"],
        code="guarddog",
    ),
    Case(
        "pydantic (uv.lock)",
        "pydantic",
        [],
        ["--no-deps", "--disable-pip", "-r", "{export}"],
        # without hashes: the lock's git source has none, and pip-audit then wants all or none
        export=["uv", "export", "--frozen", "--no-emit-workspace", "--no-hashes", "--all-groups",
                "-o", "{export}"],
        code="pydantic",
    ),
    Case(
        "requests (-e .[socks])",
        "requests",
        ["-r", "requirements-dev.txt"],
        None,  # pip-audit would resolve the ranges on PyPI: not the same question
        code="src",
    ),
    Case("netbox (Django, Python 3.12)", "netbox", [], ["--no-deps", "--disable-pip", "-r",
         "requirements.txt"], code="netbox"),
]  # fmt: skip


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str, int]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done.stdout, done.returncode


def pairs_of_bastion(report: dict[str, object]) -> dict[str, list[set[str]]]:
    found: dict[str, list[set[str]]] = {}
    for finding in report["findings"]:  # type: ignore[attr-defined]
        if finding["check"] == "audit":
            found.setdefault(finding["package"]["name"], []).append(
                {finding["id"], *finding["aliases"]}
            )
    return found


def pairs_of_pip_audit(path: Path) -> set[tuple[str, str, tuple[str, ...]]]:
    from packaging.utils import canonicalize_name

    data = json.loads(path.read_text())
    return {
        (canonicalize_name(dep["name"]), vuln["id"], tuple(vuln.get("aliases", [])))
        for dep in data["dependencies"]
        for vuln in dep.get("vulns", [])
    }


def compare(ours: dict[str, list[set[str]]], theirs: set[tuple[str, str, tuple[str, ...]]]) -> str:
    matched = 0
    only_theirs = []
    used: set[tuple[str, int]] = set()
    for name, ident, aliases in sorted(theirs):
        groups = ours.get(name, [])
        hits = [i for i, ids in enumerate(groups) if ident in ids] or [
            i for i, ids in enumerate(groups) if ids & set(aliases)
        ]
        if hits:
            matched += 1
            used.update((name, i) for i in hits)
        else:
            only_theirs.append(f"{name}:{ident}")
    only_ours = [
        f"{name}:{sorted(ids)[0]}"
        for name, groups in ours.items()
        for i, ids in enumerate(groups)
        if (name, i) not in used
    ]
    text = f"{matched}/{len(theirs)} matched"
    if only_theirs:
        text += f"; only pip-audit: {', '.join(only_theirs[:6])}"
    if only_ours:
        text += f"; only bastion: {', '.join(only_ours[:6])}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=Path, default=WORK / "projects")
    args = parser.parse_args()
    snapshot = SHARED / "data" / "pypa-advisory-database" / "vulns"
    work = Path(tempfile.mkdtemp(prefix="bastion-real-"))
    env = fresh_env(work / "cache")
    exe = bastion()
    subprocess.run([*exe, "db", "import", str(snapshot)], env=env, capture_output=True, check=True)
    tools = {"uv": peer("uv"), "poetry": peer("poetry")}
    with osv_server(snapshot) as url:
        for case in CASES:
            folder = args.projects / case.folder
            if not folder.is_dir():
                print(f"{case.name}: {folder} missing; skipped")
                continue
            seconds, out, code = run(
                [*exe, "audit", *case.audit, "--offline", "-f", "json"], folder, env
            )
            report = json.loads(out) if out.strip() else {"findings": [], "inputs": []}
            deps = report.get("summary", {}).get("stats", {}).get("dependencies", 0)
            ours = pairs_of_bastion(report)
            line = (
                f"{case.name}\n  bastion audit: inputs {', '.join(report['inputs'])}; {deps} "
                f"dependencies; {sum(map(len, ours.values()))} findings; exit {code}; "
                f"{seconds:.2f} s"
            )
            if case.pip_audit is not None:
                export = work / f"{case.folder}-export.txt"
                if case.export is not None:
                    command = [tools.get(case.export[0], case.export[0]), *case.export[1:]]
                    subprocess.run(
                        [part.replace("{export}", str(export)) for part in command],
                        cwd=folder, env=env, capture_output=True, check=False,
                    )  # fmt: skip
                theirs_file = work / f"{case.folder}-pip-audit.json"
                inputs = [part.replace("{export}", str(export)) for part in case.pip_audit]
                started = time.perf_counter()
                subprocess.run(
                    [peer("pip-audit"), *inputs, "-s", "osv", "--osv-url", f"{url}/v1/query",
                     "-f", "json", "-o", str(theirs_file)],
                    cwd=folder, env=env, capture_output=True, check=False,
                )  # fmt: skip
                their_seconds = time.perf_counter() - started
                if theirs_file.is_file():
                    theirs = pairs_of_pip_audit(theirs_file)
                    line += (
                        f"\n  pip-audit: {len(theirs)} pairs, {their_seconds:.2f} s; "
                        f"{compare(ours, theirs)}"
                    )
                else:
                    line += "\n  pip-audit: no report"
            code_dir = folder / case.code
            seconds, out, code = run(
                [*exe, "scan", case.code, "--no-cache", "-f", "json", "--allow-partial"],
                folder, env,
            )  # fmt: skip
            scan = json.loads(out)
            ours_scan = Counter(f["severity"] for f in scan["findings"])
            partial = [d["message"] for d in scan["diagnostics"] if "does not parse" in d["message"]
                       or "not scanned" in d["message"]]  # fmt: skip
            line += (
                f"\n  bastion scan: {scan['summary']['stats'].get('files', 0)} files, "
                f"{len(scan['findings'])} findings {dict(ours_scan)}, {len(partial)} not "
                f"analysed; {seconds:.2f} s"
            )
            started = time.perf_counter()
            bandit = subprocess.run(
                [peer("bandit"), "-r", str(code_dir), "-f", "json", "-q"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            their_seconds = time.perf_counter() - started
            try:
                theirs_scan = json.loads(bandit.stdout)
                counts = Counter(r["issue_severity"].lower() for r in theirs_scan["results"])
                errors = len(theirs_scan.get("errors", []))
                line += (
                    f"\n  bandit: {len(theirs_scan['results'])} findings {dict(counts)}, "
                    f"{errors} files it could not parse; {their_seconds:.2f} s "
                    f"({their_seconds / max(seconds, 0.001):.1f}x bastion's time)"
                )
            except ValueError:
                line += "\n  bandit: no report"
            print(line, flush=True)


if __name__ == "__main__":
    main()
