"""The `env` check (`bastion env`, part of `bastion check`): is the project's interpreter
isolated, and can anything outside the project change what it runs?

Runs every rule of `bastion.env.rules` on the target `bastion.env.target` chooses. Under
`bastion check` it runs only on the project's own environment (`--python`, or a `.venv` /
`venv` in the project): judging the interpreter bastion happens to run under would be about
the machine, not the project, and `bastion env` does that when asked.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bastion.checks.base import CheckContext
from bastion.checks.inputs import INPUT_OPTIONS
from bastion.findings import Finding

if TYPE_CHECKING:
    from bastion.env.facts import EnvFacts
    from bastion.ruledoc import RuleDoc

#: `--python` is the audit's and verify's option too: one flag, whichever command runs.
OPTIONS = tuple(o for o in INPUT_OPTIONS if o.key == "python")


class EnvCheck:
    """Isolation, start-up code, writable paths and shadowed modules of the interpreter."""

    name = "env"
    summary = "check that the project's interpreter is isolated and nothing outside changes it"
    options = OPTIONS

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        from bastion.env.facts import EnvFacts
        from bastion.env.rule import load_rules
        from bastion.env.target import choose

        project = ctx.project if ctx.project.is_dir() else ctx.project.parent
        named = ctx.settings.get("python")
        from bastion.inventory.installed import project_venv

        if ctx.command == "check" and not named and project_venv(project) is None:
            ctx.data_status.append(
                "env: the project has no .venv or venv: not checked (`bastion env` checks "
                "the interpreter bastion runs under)"
            )
            ctx.nothing.append(self.name)
            return []
        target = choose(project, str(named) if named else None)
        facts = EnvFacts(ctx, target, dict(os.environ))
        findings: list[Finding] = []
        for rule in load_rules().values():
            findings.extend(rule.run(facts))
        self._status(ctx, facts)
        return findings

    @staticmethod
    def _status(ctx: CheckContext, facts: EnvFacts) -> None:
        target = facts.target
        kind = "venv" if target.venv is not None else "interpreter"
        version = f"Python {target.version}" if target.version else "Python ?"
        line = f"env: {kind} {target.path} ({target.how}), {version}"
        if target.base is not None:
            line += f"; facts from {target.base} -I -S (nothing of the environment ran)"
        ctx.data_status.append(line)
        if target.problem is not None and "is gone" not in target.problem:  # E103 says that
            ctx.partial(f"env: {target.problem}: the standard library's paths were not read")
        pth = sum(len(p.code) for p in facts.pth_files)
        ctx.data_status.append(
            f"env: {len(facts.sys_path)} sys.path entries, {len(facts.site_dirs)} site "
            f"directories, {len(facts.pth_files)} .pth files ({pth} lines that run code)"
        )

    def rules(self) -> list[RuleDoc]:
        from bastion.env.rule import RULES

        return RULES.ruledocs()

    def explain(self, rule_id: str) -> str | None:
        from bastion.env.rule import RULES

        return RULES.explain(rule_id)


CHECK = EnvCheck()
