"""What the publish rules ask about the project, each read once, when asked."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.checks.base import CheckContext
    from bastion.publish.artifacts import Artifact
    from bastion.publish.leaks import Found, History
    from bastion.publish.workflows import GitlabJob, Job, Workflow


class Pypirc:
    """A `.pypirc` file: its path, mode, and the password entries (section, line, value)."""

    def __init__(self, path: Path, mode: int, passwords: list[tuple[str, int, str]]) -> None:
        self.path = path
        self.mode = mode
        self.passwords = passwords


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
        return [read_workflow(self.shown(p), load_yaml(p)) for p in paths if p.is_file()]

    @cached_property
    def publishing_jobs(self) -> list[tuple[Workflow, Job]]:
        """(workflow, job) for each GitHub job with a step that publishes."""
        return [(w, j) for w in self.workflows for j in w.jobs if j.publishing()]

    @cached_property
    def gitlab_jobs(self) -> list[tuple[Path, GitlabJob]]:
        from bastion.publish.workflows import read_gitlab
        from bastion.publish.yamlfile import load_yaml

        path = self.project_dir / ".gitlab-ci.yml"
        if not path.is_file():
            return []
        return [(self.shown(path), job) for job in read_gitlab(load_yaml(path))]

    @cached_property
    def artifacts(self) -> list[Artifact]:
        """The sdists and wheels of `--dist DIR`, read in memory; [] without it."""
        from bastion.publish.artifacts import read_dist

        named = self.ctx.settings.get("dist")
        return read_dist(Path(str(named))) if named else []

    @cached_property
    def tree_leaks(self) -> list[Found]:
        from bastion.publish.leaks import scan_tree

        return [
            type(item)(item.secret, self.shown(item.path)) for item in scan_tree(self.project_dir)
        ]

    @cached_property
    def history(self) -> History | None:
        """The git history's credentials; None when the project is not a repository or git
        failed (`history_error` says why)."""
        from bastion.errors import SourceError
        from bastion.publish.leaks import is_repository, scan_history

        if not is_repository(self.project_dir):
            return None
        try:
            return scan_history(self.project_dir)
        except SourceError as exc:
            self.history_error = str(exc)
            return None

    history_error: str | None = None

    @cached_property
    def pypirc_files(self) -> list[Pypirc]:
        """`.pypirc` of the project and of the home directory, read as configparser does."""
        import configparser
        import os

        found = []
        candidates = [self.project_dir / ".pypirc", Path(os.path.expanduser("~")) / ".pypirc"]
        for path in dict.fromkeys(candidates):
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
                mode = path.stat().st_mode & 0o777
            except OSError:
                continue
            parser = configparser.RawConfigParser(strict=False)
            try:
                parser.read_string(text, source=str(path))
            except configparser.Error:
                continue
            lines = text.splitlines()
            passwords = []
            for section in parser.sections():
                value = parser.get(section, "password", fallback="").strip()
                if value:
                    line = next(
                        (n for n, t in enumerate(lines, 1) if t.strip().startswith("password")),
                        1,
                    )
                    passwords.append((section, line, value))
            found.append(Pypirc(self.shown(path), mode, passwords))
        return found

    def shown(self, path: Path) -> Path:
        """The path as reports show it: relative to the working directory when inside it."""
        try:
            return path.relative_to(Path.cwd())
        except ValueError:
            return path
