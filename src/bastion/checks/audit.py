"""The `audit` check (`bastion audit`, part of `bastion check`): vulnerable or malicious pins.

For each pinned dependency, one finding per distinct vulnerability (records grouped by alias,
see `advisories.grouping`), with the smallest fix for it and the smallest single upgrade that
fixes all of the package's findings (`advisories.matching`). Unpinned dependencies cannot be
audited exactly: each gets a warning. Where the advisories come from is `advisories.source`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bastion.checks.base import CheckContext
from bastion.checks.inputs import INDEX_URL, INPUT_OPTIONS
from bastion.config import Option
from bastion.errors import SourceError
from bastion.findings import Diagnostic, Finding, Location, PackageRef, Severity

# What the audit itself needs is imported when it runs: `bastion scan` and `bastion check`'s
# key validation import this module for its options only (packaging.version and the
# advisory records would cost them start-up time).
if TYPE_CHECKING:
    from bastion.advisories.records import PackageResult, Vulnerability, VulnRecord
    from bastion.inventory.model import Dependency
    from bastion.ruledoc import RuleDoc

OPTIONS: tuple[Option, ...] = (
    *INPUT_OPTIONS,
    INDEX_URL,
    Option(
        "outdated",
        ("--outdated",),
        "report pins behind the newest release and projects with no release in years "
        "(advice; needs the package index; default: yes, --no-outdated leaves them out)",
        kind=bool,
        default=True,
    ),
    Option(
        "unmaintained-years",
        ("--unmaintained-years",),
        "call a dependency unmaintained after this many years without a release (default: 3)",
        kind=int,
        metavar="N",
    ),
    Option(
        "fail-on-outdated",
        ("--fail-on-outdated",),
        "let outdated and unmaintained findings fail the run like any other",
        kind=bool,
        default=False,
    ),
    Option(
        "resolve",
        ("--resolve",),
        "pin unpinned requirements with pip's resolver (pip install --dry-run --report, "
        "wheels only: nothing is built or installed; needs the package index)",
        kind=bool,
        default=False,
    ),
    Option(
        "group",
        ("--group", "--extra"),
        "audit only the dependencies of this dependency group or extra (`main` names the "
        "run-time ones; repeatable)",
        multiple=True,
        metavar="NAME",
    ),
    Option(
        "dev",
        ("--dev",),
        "audit what only the `dev` group needs too (PEP 735, Poetry, Pipfile's develop; "
        "default: yes, --no-dev leaves it out)",
        kind=bool,
        default=True,
    ),
    Option(
        "only-dev",
        ("--only-dev",),
        "audit only what the `dev` group needs",
        kind=bool,
        default=False,
    ),
    Option(
        "direct-only",
        ("--direct-only",),
        "leave out transitive dependencies (what the project does not name itself)",
        kind=bool,
        default=False,
    ),
    Option(
        "source",
        ("--source",),
        "where advisories come from (default: local database)",
        default="db",
        choices=("db", "osv-api"),
    ),
    Option(
        "osv-url",
        ("--osv-url",),
        "base URL of the OSV API for --source osv-api",
        default="https://api.osv.dev",
        metavar="URL",
    ),
)

#: Reports that print neither an advisory's details nor its reference URLs: the audit skips
#: reading them (most of the bytes of a record) when one of these is asked for.
BRIEF_FORMATS = frozenset({"text", "markdown"})

#: Older imported data gets a warning that newer advisories may exist.
STALE_AFTER = dt.timedelta(days=7)

#: Data whose newest record is older than this is an old snapshot, however recently it was
#: imported (OSV's export changes daily; the PyPA snapshot in ../shared ends in 2024).
OLD_SNAPSHOT_AFTER = dt.timedelta(days=30)


class AuditCheck:
    """Known vulnerabilities and malicious releases of pinned dependencies."""

    name = "audit"
    summary = "find dependencies with known vulnerabilities"
    options = OPTIONS

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        from bastion.advisories.records import NoAdvisoryData
        from bastion.advisories.versionkey import key_of
        from bastion.inventory.model import normalize_name

        inventory = ctx.inventory()
        chosen = selected(inventory.dependencies, ctx)
        local: list[Dependency] = []
        released: list[Dependency] = []
        for dep in chosen:
            (local if dep.url is not None and is_local(dep) else released).append(dep)
        distinct = {(d.name, d.version) for d in released}
        ctx.stats["dependencies"] = ctx.stats.get("dependencies", 0) + len(distinct)
        for dep in dict((d.name, d) for d in local).values():
            ctx.diagnostics.append(
                Diagnostic(
                    f"{dep.name} is a local project ({dep.url}): its own code is no release "
                    "to audit; the dependencies it declares are audited instead",
                    dep.origin,
                )
            )
        inexact = 0
        for dep in released:
            if dep.version is None:
                ctx.diagnostics.append(_unpinned(dep))
                inexact += 1
        auditable = []
        declared: dict[tuple[str, str], list[Dependency]] = {}
        for dep in released:
            if dep.version is None:
                continue
            key = (normalize_name(dep.name), dep.version)
            if key in declared:  # the same version pinned again, in another file or line
                declared[key].append(dep)
                continue
            declared[key] = [dep]
            source = _foreign_source(dep) if dep.url is not None else None
            if source is not None:
                ctx.diagnostics.append(
                    Diagnostic(
                        f"{dep.name} {dep.version} comes from {source}, not the package index: "
                        f"audited as the release {dep.version}, whose code it may not be",
                        dep.origin,
                    )
                )
            if key_of(dep.version or "") is None:
                inexact += 1
                ctx.diagnostics.append(
                    Diagnostic(
                        f"{dep.name}: version {dep.version!r} is not a PEP 440 version; "
                        "it cannot be audited",
                        dep.origin,
                    )
                )
            else:
                auditable.append(dep)
        if inexact and ctx.settings.get("strict", False):
            ctx.incomplete.append(
                f"audit: {inexact} dependenc{'ies' if inexact != 1 else 'y'} could not be "
                "audited exactly (unpinned or not PEP 440; each is named in the warnings) "
                "and --strict asks for all"
            )
        ctx.audited.extend(d for d in released if d.version is None)  # named, not audited
        ctx.audited.extend(auditable)
        try:
            results = self._audit(ctx, auditable)
        except SourceError as exc:
            if not ctx.settings.get("allow_partial", False):
                raise
            what = "" if isinstance(exc, NoAdvisoryData) else "the advisory source failed: "
            ctx.warn(f"{what}{exc}; known vulnerabilities were NOT checked (--allow-partial)")
            ctx.data_status.append("advisories: unavailable (not checked)")
            return _staying_current(ctx)
        findings: list[Finding] = []
        paths = RequirementPaths(inventory.dependencies)
        for dep in auditable:
            key = (normalize_name(dep.name), dep.version or "")
            result = results.get(key)
            if result is not None and result.vulnerabilities:
                findings += _findings(declared[key], result, paths.to(dep) if paths.via else ())
        findings += _staying_current(ctx)
        return findings

    def rules(self) -> list[RuleDoc]:
        """The staying-current rules; the other IDs are advisory IDs, explained from data."""
        from bastion.current.rule import RULES

        return RULES.ruledocs()

    def explain(self, rule_id: str) -> str | None:
        from bastion.advisories.explain import explain_advisory
        from bastion.current.rule import RULES

        return RULES.explain(rule_id) or explain_advisory(rule_id)

    def _audit(
        self, ctx: CheckContext, deps: list[Dependency]
    ) -> dict[tuple[str, str], PackageResult]:
        from bastion.advisories.records import describe_age
        from bastion.advisories.source import open_source
        from bastion.inventory.model import normalize_name

        if not deps:
            ctx.data_status.append("advisories: not consulted (no pinned dependency to audit)")
            return {}
        source = open_source(ctx.settings, brief=ctx.settings.get("format") in BRIEF_FORMATS)
        try:
            status = source.describe()
            ctx.data_status.append(status.line())
            age = status.age()
            newest = _age_of(status.newest_record)
            if age is not None and age > STALE_AFTER:
                ctx.warn(
                    f"the advisory data was imported {describe_age(age)}; "
                    "run `bastion db update` for newer advisories"
                )
            elif newest is not None and newest > OLD_SNAPSHOT_AFTER:
                ctx.warn(
                    f"the newest advisory in the data was modified {describe_age(newest)} "
                    f"({(status.newest_record or '')[:10]}): advisories published since are "
                    "missing; run `bastion db update` for current ones"
                )
            results = source.audit(
                list(dict.fromkeys((normalize_name(d.name), d.version or "") for d in deps))
            )
            # A source that went on without part of its data (--allow-partial) says what.
            ctx.diagnostics.extend(getattr(source, "diagnostics", ()))
            return results
        finally:
            source.close()


DEV_GROUP = "dev"
"""The development group: PEP 735's and Poetry's `dev`, Pipfile's `[dev-packages]`."""


def selected(dependencies: list[Dependency], ctx: CheckContext) -> list[Dependency]:
    """The dependencies the group options choose (`--group`, `--no-dev`, `--only-dev`,
    `--direct-only`); what was left out is said in the data status. A dependency's groups
    are empty when the project needs it at run time (`main`)."""
    from bastion.inventory.model import normalize_name

    settings = ctx.settings
    groups = {normalize_name(g) for g in settings.get("group", None) or []}
    no_dev, only_dev = not settings.get("dev", True), settings.get("only_dev", False)
    direct_only = settings.get("direct_only", False)
    if not (groups or no_dev or only_dev or direct_only):
        return dependencies

    def keep(dep: Dependency) -> bool:
        names = set(dep.groups) or {"main"}
        if direct_only and not dep.direct:
            return False
        if groups and not names & groups:
            return False
        if only_dev and DEV_GROUP not in names:
            return False
        return not (no_dev and names == {DEV_GROUP})

    chosen = [d for d in dependencies if keep(d)]
    asked = [f"--group {g}" for g in sorted(groups)]
    asked += [flag for flag, on in (("--no-dev", no_dev), ("--only-dev", only_dev),
                                    ("--direct-only", direct_only)) if on]  # fmt: skip
    ctx.data_status.append(
        f"audit: {len(chosen)} of {len(dependencies)} dependencies chosen ({', '.join(asked)})"
    )
    return chosen


_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
#: Where PyPI serves its files: a direct URL there is the release itself.
_INDEX_FILE_HOSTS = ("https://files.pythonhosted.org/",)


def is_local(dep: Dependency) -> bool:
    """A dependency on a folder of the project (`-e .`, `./lib`, a uv path source): not a
    release, so there is nothing of its own to audit."""
    url = dep.url
    if url is None or "://" in url or url.startswith(_VCS_PREFIXES):
        return False
    return not url.lower().endswith((".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"))


def _foreign_source(dep: Dependency) -> str | None:
    """Where a pinned dependency comes from when that is not the package index (a git
    commit, a URL elsewhere, a local archive), else None."""
    url = dep.url
    if url is None or url.startswith(_INDEX_FILE_HOSTS):
        return None
    return url


def _age_of(timestamp: str | None) -> dt.timedelta | None:
    """How long ago an RFC 3339 `modified` time was; None when there is none or it is bad."""
    if not timestamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC) - moment


def _unpinned(dep: Dependency) -> Diagnostic:
    wanted = f" ({dep.specifier})" if dep.specifier else ""
    return Diagnostic(
        f"{dep.name}: not pinned{wanted}, cannot be audited exactly; use a lock file or --resolve",
        dep.origin,
    )


class RequirementPaths:
    """Who pulls a transitive dependency in, from the inputs' graph (`Dependency.via`)."""

    def __init__(self, dependencies: list[Dependency]) -> None:
        self.via: dict[str, tuple[str, ...]] = {}
        self.direct: set[str] = set()
        if not any(dep.via for dep in dependencies):
            return  # most inputs say nothing of who requires what
        for dep in dependencies:
            if dep.direct:
                self.direct.add(dep.name)
            if dep.via:
                self.via[dep.name] = tuple(dict.fromkeys((*self.via.get(dep.name, ()), *dep.via)))

    def to(self, dep: Dependency) -> tuple[str, ...]:
        """The shortest chain from a direct dependency to `dep` (not included), or ()."""
        if dep.direct or not dep.via:
            return ()
        from collections import deque

        queue: deque[tuple[str, tuple[str, ...]]] = deque((name, (name,)) for name in dep.via)
        seen = set(dep.via) | {dep.name}
        while queue:
            name, chain = queue.popleft()
            if name in self.direct:
                return tuple(reversed(chain))
            for parent in self.via.get(name, ()):
                if parent not in seen:
                    seen.add(parent)
                    queue.append((parent, (*chain, parent)))
        return ()


def _findings(
    declarations: list[Dependency], result: PackageResult, via: tuple[str, ...] = ()
) -> list[Finding]:
    """One finding per vulnerability of the package version, however many places declare it
    (`declarations`, the first first). What is the same for all of them (the package, the
    upgrade's fix text) is built once: an audit builds thousands of findings."""
    dep = declarations[0]
    others: tuple[Location, ...] = ()
    if len(declarations) > 1:
        others = tuple(dict.fromkeys(d.origin for d in declarations[1:] if d.origin is not None))
    package = PackageRef(
        dep.name, dep.version, declared_at=dep.origin, also_declared_at=others, via=via
    )
    upgrade_fix = _upgrade_text(dep, result) if result.upgrade else None
    return [
        _finding(dep, package, result, vulnerability, upgrade_fix)
        for vulnerability in result.vulnerabilities
    ]


def _finding(
    dep: Dependency,
    package: PackageRef,
    result: PackageResult,
    vulnerability: Vulnerability,
    upgrade_fix: str | None,
) -> Finding:
    group = vulnerability.group
    records = group.records
    primary = records[0]
    if len(records) == 1:
        malicious, rated = primary.malicious, primary
        # A summary (written by a person) beats a headline derived from details.
        title = primary.summary or primary.title or primary.id
        details, references, cwe = primary.details, primary.references, primary.cwe
    else:
        malicious = any(r.malicious for r in records)
        rated = max(records, key=_rating_order)
        # Any record's summary (written by a person) beats a headline derived from details.
        summary = next((r.summary for r in records if r.summary), "")
        title = summary or next((r.title for r in records if r.title), primary.id)
        details = next((r.details for r in records if r.details), "")
        urls = [u for r in records for u in r.advisory_urls]
        urls += [u for r in records for u in r.other_urls]
        references = tuple(dict.fromkeys(urls))
        cwe = tuple(sorted({c for r in records for c in r.cwe}))
    if malicious:
        title = f"Known-malicious package: {dep.name} {dep.version} ({title})"
        fix = _malicious_text(dep)
    else:
        fix = upgrade_fix or _fix_text(dep, result, vulnerability)
    extra = {"upgrade": result.upgrade} if result.upgrade else {}
    fixes = vulnerability.fix_versions
    note = (
        _fix_note(dep, result, vulnerability)
        if fixes and result.upgrade and fixes[0] != result.upgrade
        else None
    )
    if note is not None and not malicious:
        extra["fix_note"] = note
        fix = f"{fix}; {note}"
    if vulnerability.affected_functions:
        extra["affected_functions"] = ", ".join(vulnerability.affected_functions)
    return Finding(
        rule_id=primary.id,
        check="audit",
        title=title,
        severity=Severity.CRITICAL if malicious else rated.severity,
        location=dep.origin,
        package=package,
        aliases=group.aliases,
        description=details,
        fix=fix,
        fix_versions=vulnerability.fix_versions,
        references=references,
        cwe=cwe,
        cvss_vector=rated.vector,
        cvss_score=rated.score,
        # The package version and the vulnerability: what the finding is about, whatever
        # else changes (other packages, the line it is declared on).
        fingerprint=f"audit:{result.name}:{result.version}:{primary.id}",
        extra=extra,
    )


def _rating_order(record: VulnRecord) -> tuple[int, bool, float]:
    """The record whose rating a group shows: the most severe, then one with a score."""
    return (int(record.severity), record.score is not None, record.score or 0.0)


def _malicious_text(dep: Dependency) -> str:
    return (
        f"remove {dep.name} {dep.version}: it is known to be malicious; treat machines that "
        "installed it as compromised and rotate the credentials they held"
    )


def _fix_note(dep: Dependency, result: PackageResult, vulnerability: Vulnerability) -> str | None:
    """When the first version that fixes this vulnerability is itself affected by another
    advisory of the package ("fixed in 2.1.1" while the smallest clean upgrade is 2.1.2),
    say so: upgrading only to 2.1.1 would trade one finding for another."""
    if not vulnerability.fix_versions or not result.upgrade:
        return None
    first = vulnerability.fix_versions[0]
    if first == result.upgrade:
        return None  # the common case, without comparing keys
    from bastion.advisories.versionkey import key_of

    first_key, upgrade_key = key_of(first), key_of(result.upgrade)
    if first_key is None or upgrade_key is None or first_key >= upgrade_key:
        return None
    return (
        f"{first} fixes this one but is itself affected by another advisory of {dep.name}; "
        f"{result.upgrade} is the smallest version that fixes all"
    )


def _upgrade_text(dep: Dependency, result: PackageResult) -> str:
    """The fix of every (not malicious) finding of a package that has a safe upgrade."""
    name, count = dep.name, len(result.vulnerabilities)
    if count == 1:
        return f"upgrade {name} to {result.upgrade}"
    return f"upgrade {name} to {result.upgrade} (fixes all {count} findings for {name})"


def _fix_text(dep: Dependency, result: PackageResult, vulnerability: Vulnerability) -> str:
    """The fix of a finding whose package has no known safe upgrade."""
    name, count = dep.name, len(result.vulnerabilities)
    if vulnerability.fix_versions:
        return (
            f"upgrade {name} to {vulnerability.fix_versions[0]} to fix this; no known release "
            f"of {name} fixes all {count} findings"
        )
    return f"no fixed version of {name} is known; remove or replace it"


CHECK = AuditCheck()


def _staying_current(ctx: CheckContext) -> list[Finding]:
    """Outdated and unmaintained pins (`bastion.current`), unless --no-outdated or offline."""
    if not ctx.settings.get("outdated", True):
        return []
    if ctx.settings.get("offline", False):
        ctx.data_status.append("audit: outdated releases not checked (--offline)")
        return []
    from bastion.current.rule import load_rules
    from bastion.verify.facts import Facts

    facts = Facts(ctx)
    found: list[Finding] = []
    try:
        if not facts.from_index():
            return []
        for rule in load_rules().values():
            found.extend(rule.run(facts))
    finally:
        facts.close()
    if facts.index_error is not None:
        message = (
            f"audit: the package index could not be asked ({facts.index_error}); outdated "
            "releases were not checked"
        )
        if ctx.settings.get("fail_on_outdated", False):
            ctx.partial(message)  # the user made this advice able to fail the run
        else:
            ctx.warn(f"{message} (advice only: the run does not fail for it)")
        return found
    behind = sum(1 for f in found if f.rule_id == "C101")
    ctx.data_status.append(
        f"audit: {behind} of {len({(d.name, d.version) for d in facts.from_index()})} pins are "
        f"behind the newest release on {facts.index_url()} (advice; --fail-on-outdated to fail)"
    )
    return found
