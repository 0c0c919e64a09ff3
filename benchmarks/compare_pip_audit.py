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

    matched_by: dict[tuple[str, int], list[str]] = defaultdict(list)
    only_pip_audit = []
    for name, vuln_id, aliases in sorted(pip_audit_pairs):
        package = canonicalize_name(name)
        groups = bastion_ids[package]
        # The finding that carries pip-audit's own ID; only failing that, one sharing an alias.
        hits = [i for i, ids in enumerate(groups) if vuln_id in ids] or [
            i for i, ids in enumerate(groups) if ids & set(aliases)
        ]
        for i in hits:
            matched_by[package, i].append(vuln_id)
        if not hits:
            only_pip_audit.append((package, vuln_id))
    matched_findings = set(matched_by)
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
    merged = {key: ids for key, ids in matched_by.items() if len(ids) > 1}
    print(f"bastion findings that stand for several pip-audit pairs ({len(merged)}):")
    for (package, i), ids in sorted(merged.items()):
        print(
            f"  {package}: {', '.join(ids)} -> one finding with IDs "
            f"{', '.join(sorted(bastion_ids[package][i]))}"
        )
    print(f"only pip-audit ({len(only_pip_audit)}):")
    for package, vuln_id in only_pip_audit:
        print(f"  {package} {vuln_id}")
    print(f"only bastion ({len(only_bastion)}):")
    for package, vuln_id in only_bastion:
        print(f"  {package} {vuln_id}")


if __name__ == "__main__":
    main()
