"""What the publish rules ask about the project, each read once, when asked."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.checks.base import CheckContext
    from bastion.publish.workflows import GitlabJob, Workflow


class PublishFacts:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.project_dir = ctx.project if ctx.project.is_dir() else ctx.project.parent

    @cached_property
    def workflows(self) -> list[Workflow]:
        """The GitHub Actions workflows of the project, parsed with their lines."""
        from bastion.publish.workflows import read_workflow
        from bastion.publish.yamlfile import load_yaml

        folder = self.project_dir / ".github" / "workflows"
        if not folder.is_dir():
            return []
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))
        return [read_workflow(self._shown(p), load_yaml(p)) for p in paths if p.is_file()]

    @cached_property
    def gitlab_jobs(self) -> list[tuple[Path, GitlabJob]]:
        from bastion.publish.workflows import read_gitlab
        from bastion.publish.yamlfile import load_yaml

        path = self.project_dir / ".gitlab-ci.yml"
        if not path.is_file():
            return []
        return [(self._shown(path), job) for job in read_gitlab(load_yaml(path))]

    def _shown(self, path: Path) -> Path:
        """The path as reports show it: relative to the working directory when inside it."""
        try:
            return path.relative_to(Path.cwd())
        except ValueError:
            return path
