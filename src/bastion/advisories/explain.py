"""`bastion explain PYSEC-...`: an advisory from the local database, for a terminal.

The audit's finding IDs are advisory IDs (PYSEC, GHSA, CVE, MAL ...), not rules: what there is
to explain about one is the advisory itself, which the local database holds. Any alias finds
the record (`explain CVE-2021-28957` shows the PYSEC record that lists it).
"""

from __future__ import annotations

import re

from bastion.advisories.records import NoAdvisoryData, VulnRecord

#: IDs that look like advisories, so that a miss can say where advisories come from.
ADVISORY_ID = re.compile(r"^(PYSEC|GHSA|CVE|MAL|OSV|GSD|BIT|RUSTSEC)-", re.IGNORECASE)


def explain_advisory(ident: str, *, require_data: bool = False) -> str | None:
    """The advisory rendered, or None when the local database has no record answering to
    `ident` (or there is no database and `ident` does not look like an advisory ID, unless
    `require_data`)."""
    from bastion.advisories.store import Store

    try:
        store = Store.open()
    except NoAdvisoryData:
        if require_data or ADVISORY_ID.match(ident.strip()):
            raise
        return None
    with store:
        found = store.find(ident)
    if found is None:
        return None
    record, packages = found
    return render_advisory(record, packages)


def render_advisory(record: VulnRecord, packages: tuple[str, ...]) -> str:
    kind = "known-malicious package" if record.malicious else "advisory"
    out = [f"{record.id}  ({kind})", record.summary or record.title or record.id, ""]
    facts = [f"Severity: {record.severity.label}"]
    if record.score is not None:
        facts.append(f"CVSS: {record.score:.1f}" + (f" ({record.vector})" if record.vector else ""))
    out.append("   ".join(facts))
    if record.aliases:
        out.append(f"Also known as: {', '.join(record.aliases)}")
    if packages:
        out.append(f"Packages: {', '.join(packages)}")
    if record.cwe:
        out.append(f"CWE: {', '.join(record.cwe)}")
    dates = [f"published {record.published[:10]}"] if record.published else []
    if record.modified:
        dates.append(f"modified {record.modified[:10]}")
    if dates:
        out.append("Dates: " + ", ".join(dates))
    if record.details:
        out.extend(["", "Details"])
        out.extend(f"  {line}" if line.strip() else "" for line in record.details.splitlines())
    if record.references:
        out.extend(["", "References", *(f"  {url}" for url in record.references)])
    out.extend(["", "`bastion audit` reports it for each pinned package version it affects."])
    return "\n".join(out).rstrip() + "\n"
