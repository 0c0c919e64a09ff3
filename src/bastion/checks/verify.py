"""The `verify` check (`bastion verify`, part of `bastion check`): authenticity of what the
project installs.

Runs every rule of `bastion.verify.rules` that can run: the offline ones always (lock policy,
names, package sources); those that need the package index unless `--offline` (one status
line says which were skipped). An index that cannot be asked makes the run incomplete (exit 3
unless `--allow-partial`); the offline rules' findings are reported either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bastion.checks.base import CheckContext
from bastion.checks.inputs import INDEX_URL, INPUT_OPTIONS
from bastion.config import Option
from bastion.findings import Finding

if TYPE_CHECKING:
    from bastion.ruledoc import RuleDoc
    from bastion.verify.facts import Facts

OPTIONS: tuple[Option, ...] = (
    *INPUT_OPTIONS,
    INDEX_URL,
    Option(
        "index-ttl",
        ("--index-ttl",),
        "use stored index pages younger than this many seconds without asking "
        "(default: 600; 0 always revalidates)",
        kind=int,
        metavar="SECONDS",
    ),
    Option(
        "installed",
        ("--installed",),
        "check the environment's installed files against their RECORDs (the --python "
        "environment, else the project's .venv or venv; default: under `bastion check` when "
        "the project has one)",
        kind=bool,
    ),
    Option(
        "trust-on-first-use",
        ("--trust-on-first-use",),
        "record the publisher of each attested dependency not yet recorded in "
        ".bastion/publishers.toml (PEP 740; commit the file)",
        kind=bool,
    ),
    Option(
        "publishers",
        ("--publishers",),
        "the file of recorded publishers (default: .bastion/publishers.toml); "
        "[tool.bastion.publishers] is read too",
        metavar="FILE",
        # In [tool.bastion] `publishers` is a table of publishers (verify/provenance.py).
        in_config=False,
    ),
    Option(
        "popular-list",
        ("--popular-list",),
        "the popular project names typosquats are compared with (default: the bundled "
        "15,000 most downloaded)",
        metavar="FILE",
    ),
)


class VerifyCheck:
    """Pins, hashes, the index's record of them, package sources and names."""

    name = "verify"
    summary = "check that dependencies are pinned, hash-locked and what the index published"
    options = OPTIONS

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        from bastion.errors import NoInputsError
        from bastion.verify.facts import Facts
        from bastion.verify.rule import load_rules

        facts = Facts(ctx)
        installed = self._check_installed(ctx, facts)
        try:
            inventory = ctx.inventory()
        except NoInputsError:
            if not installed:  # nothing of verify's to check: as for the audit
                raise
            inventory = facts.inventory()  # empty: only the installed files are checked
        offline = bool(ctx.settings.get("offline", False))
        findings: list[Finding] = []
        skipped: list[str] = []
        try:
            for rule in load_rules().values():
                if "installed" in rule.needs and not installed:
                    continue
                if offline and rule.needs & {"index", "provenance"}:
                    skipped.append(rule.id)
                    continue
                findings.extend(rule.run(facts))
            if ctx.settings.get("trust_on_first_use") and not offline:
                self._trust_on_first_use(ctx, facts)
        finally:
            facts.close()
        distinct = {(d.name, d.version) for d in inventory.dependencies}
        ctx.stats.setdefault("dependencies", len(distinct))
        self._status(ctx, facts, skipped, offline)
        return findings

    @staticmethod
    def _check_installed(ctx: CheckContext, facts: Facts) -> bool:
        """`--installed`, or under `bastion check` a project with a venv of its own."""
        wanted = ctx.settings.get("installed")
        if wanted is None:
            return ctx.command == "check" and facts.project_environment()
        return bool(wanted)

    @staticmethod
    def _status(ctx: CheckContext, facts: Facts, skipped: list[str], offline: bool) -> None:
        checked = len({(d.name, d.version) for d in facts.from_index()})
        if offline and skipped:
            ctx.data_status.append(
                f"verify: the package index was not asked (--offline): {', '.join(skipped)} "
                "not checked"
            )
        elif facts.index_error is not None:
            ctx.partial(
                f"verify: the package index could not be asked ({facts.index_error}); the "
                "hashes, yanked releases and project status of "
                f"{checked} dependencies were not checked"
            )
        elif checked:
            pages = facts.pages()
            asked = facts.index_requests
            ctx.data_status.append(
                f"verify: {checked} pinned dependencies checked against {facts.index_url()} "
                f"({len(pages)} projects: {asked} asked, {max(len(pages) - asked, 0)} from "
                "pages stored earlier)"
            )
        VerifyCheck._provenance_status(ctx, facts)
        report = facts.installed_report
        if report is not None:
            rate = report.bytes / report.seconds / 1e6 if report.seconds else 0.0
            ctx.data_status.append(
                f"verify: {report.files:,} installed files of {report.distributions} "
                f"distributions in {facts.environment()} checked against their RECORDs "
                f"({report.bytes / 1e6:.1f} MB hashed in {report.seconds:.2f} s, "
                f"{rate:.0f} MB/s)"
            )
        files = facts.sources().files
        if files:
            ctx.data_status.append(f"verify: package sources read from {', '.join(files)}")

    @staticmethod
    def _trust_on_first_use(ctx: CheckContext, facts: Facts) -> None:
        """Record the one publisher of each dependency whose files all verified."""
        from bastion.verify.provenance import record_publishers

        provenances = facts.provenance()
        seen: dict[str, list[dict[str, str] | None]] = {}
        for artifact in provenances.artifacts:
            if not artifact.known:
                continue
            verified = artifact.verified
            seen.setdefault(artifact.dependency.name, []).append(
                verified.publisher if verified is not None else None
            )
        publishers = facts.publishers()
        new = {
            name: found[0]
            for name, found in seen.items()
            if name not in publishers.known
            and found[0] is not None
            and all(item == found[0] for item in found)
        }
        if new:
            record_publishers(publishers, new)
            ctx.data_status.append(
                f"verify: recorded the publishers of {len(new)} projects in {publishers.path} "
                "(commit it)"
            )
        else:
            ctx.data_status.append("verify: --trust-on-first-use: no new publisher to record")

    @staticmethod
    def _provenance_status(ctx: CheckContext, facts: Facts) -> None:
        """How many locked files are attested, by whom, and what could not be fetched."""
        from bastion.verify.provenance import describe

        provenances = facts.provenance_report
        if provenances is None:
            return
        artifacts = provenances.artifacts
        if provenances.error is not None:
            ctx.partial(
                f"verify: provenance could not be fetched ({provenances.error}); PEP 740 "
                "attestations were not all checked"
            )
        if not artifacts:
            return
        expected_unknown = [
            a for a in artifacts if not a.known and provenances.publisher_of(a.dependency.name)
        ]
        if expected_unknown and provenances.error is None:
            ctx.partial(
                f"verify: the provenance of {len(expected_unknown)} locked files of projects "
                "with a recorded publisher could not be fetched: the index's pages say nothing "
                "of PEP 740 and it has no integrity API"
            )
        verified = sum(1 for a in artifacts if a.verified is not None and a.verified.publisher)
        unattested = sum(1 for a in artifacts if a.known and a.verified is None)
        unknown = sum(1 for a in artifacts if not a.known)
        recorded = provenances.publishers.sources if provenances.publishers else []
        line = (
            f"verify: provenance (PEP 740) of {len(artifacts)} locked files: {verified} "
            f"attested and verified, {unattested} without provenance"
        )
        if unknown:
            line += f", {unknown} unknown (the index's pages say nothing of provenance)"
        line += (
            f"; publishers recorded in {', '.join(recorded)}"
            if recorded
            else ("; no publishers recorded (--trust-on-first-use records them)")
        )
        ctx.data_status.append(line)
        by_publisher: dict[str, set[str]] = {}
        for artifact in artifacts:
            if artifact.verified is not None and artifact.verified.publisher:
                described = describe(artifact.verified.publisher)
                by_publisher.setdefault(described, set()).add(artifact.dependency.name)
        if by_publisher:
            shown = [
                f"{', '.join(sorted(names))} by {publisher}"
                for publisher, names in sorted(by_publisher.items())
            ]
            more = f"; and {len(shown) - 10} more publishers" if len(shown) > 10 else ""
            ctx.data_status.append(f"verify: attested: {'; '.join(shown[:10])}{more}")

    def rules(self) -> list[RuleDoc]:
        from bastion.verify.rule import RULES

        return RULES.ruledocs()

    def explain(self, rule_id: str) -> str | None:
        from bastion.verify.rule import RULES

        return RULES.explain(rule_id)


CHECK = VerifyCheck()
