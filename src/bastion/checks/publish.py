"""The `publish` check (`bastion publish`, part of `bastion check`): can the PyPI release path
be hijacked? Runs every rule of `bastion.publish.rules` on the project's workflows, its
files and its git history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bastion.checks.base import CheckContext
from bastion.config import Option
from bastion.findings import Finding

if TYPE_CHECKING:
    from bastion.publish.facts import PublishFacts
    from bastion.ruledoc import RuleDoc

#: Said once per run, as advice, not findings: none of it can be checked from the project.
ACCOUNT_ADVICE = (
    "PyPI has required two-factor authentication for every account since 2024-01-01: use a "
    "hardware security key or a TOTP app, and keep the recovery codes out of the repository "
    "(https://pypi.org/help/#twofa)",
    "Trusted Publishing removes API tokens from the release path entirely "
    "(https://docs.pypi.org/trusted-publishers/); revoke tokens you no longer need "
    "(https://pypi.org/manage/account/token/)",
)

OPTIONS: tuple[Option, ...] = (
    Option(
        "dist",
        ("--dist",),
        "also inspect the sdists and wheels in this folder before they are uploaded",
        metavar="DIR",
    ),
)


class PublishCheck:
    """Trusted Publishing, release triggers and tokens."""

    name = "publish"
    summary = "check that the PyPI account and the release path cannot be hijacked"
    options = OPTIONS

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        from bastion.publish.facts import PublishFacts
        from bastion.publish.rule import load_rules

        facts = PublishFacts(ctx)
        findings: list[Finding] = []
        for rule in load_rules().values():
            findings.extend(rule.run(facts))
        workflows = facts.workflows
        if workflows:
            findings.extend(self._zizmor(ctx, facts))
        history = facts.history
        if facts.history_error is not None:
            ctx.partial(f"publish: the git history was not read ({facts.history_error})")
        elif history is not None:
            rate = history.bytes / history.seconds / 1e6 if history.seconds else 0.0
            ctx.data_status.append(
                f"publish: git history: {history.blobs:,} blobs read ({history.bytes / 1e6:.1f} "
                f"MB in {history.seconds:.2f} s, {rate:.0f} MB/s); {history.binary:,} binary and "
                f"{history.large:,} over 5 MB skipped"
            )
        if facts.artifacts:
            ctx.data_status.append(
                f"publish: {len(facts.artifacts)} files of --dist read in memory "
                f"({sum(len(a.members) for a in facts.artifacts):,} members)"
            )
        if workflows or facts.gitlab_jobs or history is not None:
            ctx.advice.extend(ACCOUNT_ADVICE)
        nothing = not workflows and not facts.gitlab_jobs and not facts.artifacts
        if nothing and history is None and not facts.tree_leaks:
            ctx.nothing.append(self.name)
        publishing = len(facts.publishing_jobs)
        gitlab = sum(1 for _p, j in facts.gitlab_jobs if j.publishes())
        ctx.data_status.append(
            f"publish: {len(workflows)} GitHub workflows ({publishing} jobs that publish)"
            + (f", {gitlab} GitLab jobs that publish" if facts.gitlab_jobs else "")
        )
        return findings

    @staticmethod
    def _zizmor(ctx: CheckContext, facts: PublishFacts) -> list[Finding]:
        from bastion.errors import SourceError
        from bastion.publish.zizmor import executable, run_zizmor

        program = executable()
        if program is None:
            ctx.data_status.append(
                "publish: zizmor is not installed (pip install 'bastion[workflows]'): its "
                "GitHub Actions audits (template injection, dangerous triggers, excessive "
                "permissions, cache poisoning ...) were not run"
            )
            return []
        folder = facts.project_dir / ".github" / "workflows"
        try:
            found = run_zizmor(program, folder, facts.shown(folder))
        except SourceError as exc:
            ctx.partial(f"publish: {exc}")
            return []
        ctx.data_status.append(f"publish: zizmor ({program}): {len(found)} findings")
        return found

    def rules(self) -> list[RuleDoc]:
        from bastion.publish.rule import RULES

        return RULES.ruledocs()

    def explain(self, rule_id: str) -> str | None:
        from bastion.publish.rule import RULES

        return RULES.explain(rule_id)


CHECK = PublishCheck()
