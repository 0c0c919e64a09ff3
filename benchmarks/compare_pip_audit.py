"""Compare bastion's (package, advisory) pairs with pip-audit's on the same OSV snapshot.

    python benchmarks/compare_pip_audit.py

pip-audit queries ../shared/tools/osv-server (serving the PyPA snapshot) for
../shared/bench/requirements-vulnerable.txt; bastion audits the same file from a database
imported from the same snapshot. A pair matches when the advisory ID pip-audit reports is
one of the IDs (primary or alias) of a bastion finding for that package. Prints the counts
and every difference; docs/benchmarks.md explains each.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

from _support import SHARED, bastion, fresh_env, osv_server, peer


def main() -> None:
    snapshot = SHARED / "data" / "pypa-advisory-database" / "vulns"
    requirements = SHARED / "bench" / "requirements-vulnerable.txt"
    work = Path(tempfile.mkdtemp(prefix="bastion-compare-"))
    env = fresh_env(work / "cache")
    exe = bastion()
    subprocess.run(
        [*exe, "db", "import", str(snapshot)], check=True, env=env, stdout=subprocess.DEVNULL
    )
    ours = json.loads(
        subprocess.run(
            [*exe, "audit", "-r", str(requirements), "--format", "json", "--offline"],
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    )
    with osv_server(snapshot) as url:
        subprocess.run(
            [
                peer("pip-audit"),
                "--no-deps",
                "--disable-pip",
                "-s",
                "osv",
                "--osv-url",
                f"{url}/v1/query",
                "-r",
                str(requirements),
                "-f",
                "json",
                "-o",
                str(work / "pip-audit.json"),
            ],
            stderr=subprocess.DEVNULL,
            check=False,
        )
    theirs = json.loads((work / "pip-audit.json").read_text())

    bastion_ids: dict[str, list[set[str]]] = defaultdict(list)
    for finding in ours["findings"]:
        bastion_ids[finding["package"]["name"]].append({finding["id"], *finding["aliases"]})
    pip_audit_pairs = {
        (dep["name"].lower(), vuln["id"], tuple(vuln.get("aliases", [])))
        for dep in theirs["dependencies"]
        for vuln in dep.get("vulns", [])
    }
    from packaging.utils import canonicalize_name

    matched_findings: set[tuple[str, int]] = set()
    only_pip_audit = []
    for name, vuln_id, aliases in sorted(pip_audit_pairs):
        package = canonicalize_name(name)
        hits = [i for i, ids in enumerate(bastion_ids[package]) if ids & {vuln_id, *aliases}]
        if hits:
            matched_findings.update((package, i) for i in hits)
        else:
            only_pip_audit.append((package, vuln_id))
    only_bastion = [
        (package, sorted(ids)[0])
        for package, groups in bastion_ids.items()
        for i, ids in enumerate(groups)
        if (package, i) not in matched_findings
    ]
    print(f"pip-audit pairs: {len(pip_audit_pairs)}   bastion findings: {len(ours['findings'])}")
    print(
        f"pip-audit pairs matched by a bastion finding: "
        f"{len(pip_audit_pairs) - len(only_pip_audit)}"
    )
    print(f"only pip-audit ({len(only_pip_audit)}):")
    for package, vuln_id in only_pip_audit:
        print(f"  {package} {vuln_id}")
    print(f"only bastion ({len(only_bastion)}):")
    for package, vuln_id in only_bastion:
        print(f"  {package} {vuln_id}")


if __name__ == "__main__":
    main()
