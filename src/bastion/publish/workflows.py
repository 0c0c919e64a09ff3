"""The release path as CI defines it: GitHub Actions workflows and GitLab CI jobs, with the
steps that publish to PyPI and how they authenticate.

A step publishes when it uses `pypa/gh-action-pypi-publish` (or `PyO3/maturin-action` with
`command: upload`/`publish`) or runs `twine upload`, `uv publish`, `poetry publish`, `hatch
publish`, `pdm publish`, `flit publish` or `maturin upload`/`publish`. It authenticates with
a credential when the action gets a `password`, or the command a password/token option or one
of the tools' credential variables (from the step's, the job's or the workflow's `env`);
otherwise it relies on Trusted Publishing (OIDC, `id-token: write`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.publish.yamlfile import YList, YMap, line_of

PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
MATURIN_ACTION = "pyo3/maturin-action"
PUBLISH_COMMANDS = (
    ("twine upload", re.compile(r"\btwine\s+upload\b")),
    ("uv publish", re.compile(r"\buv\s+publish\b")),
    ("poetry publish", re.compile(r"\bpoetry\s+publish\b")),
    ("hatch publish", re.compile(r"\bhatch\s+publish\b")),
    ("pdm publish", re.compile(r"\bpdm\s+publish\b")),
    ("flit publish", re.compile(r"\bflit\s+publish\b")),
    ("maturin upload", re.compile(r"\bmaturin\s+(?:upload|publish)\b")),
)
BUILD_COMMANDS = re.compile(
    r"\bpython3?\s+-m\s+build\b|\bpyproject-build\b|\b(?:uv|poetry|hatch|pdm|flit|maturin)"
    r"\s+build\b|\bpip3?\s+wheel\b|\bsetup\.py\s+(?:sdist|bdist)"
)
CREDENTIAL_VARIABLES = frozenset(
    {
        "TWINE_PASSWORD",
        "UV_PUBLISH_TOKEN",
        "UV_PUBLISH_PASSWORD",
        "HATCH_INDEX_AUTH",
        "PDM_PUBLISH_PASSWORD",
        "MATURIN_PYPI_TOKEN",
        "MATURIN_PASSWORD",
        "FLIT_PASSWORD",
    }
)
CREDENTIAL_PREFIXES = ("POETRY_PYPI_TOKEN_", "POETRY_HTTP_BASIC_")
CREDENTIAL_FLAGS = re.compile(r"(?:^|\s)(?:--password|--token|--api-token|-p|-a|--auth)[\s=]\S+")
INSTALL = re.compile(r"\b(?:pip3?|python3?\s+-m\s+pip|uv\s+pip|uv\s+tool|pipx)\s+install\b")


@dataclass(slots=True)
class Step:
    index: int
    line: int
    name: str
    uses: str | None
    run: str | None
    with_: dict[str, Any]
    env: dict[str, Any]
    """The step's environment: the workflow's, the job's and its own `env`, merged."""

    def publishes(self) -> str | None:
        """The publishing tool this step runs, if it publishes."""
        uses = (self.uses or "").lower()
        if uses.startswith(PUBLISH_ACTION):
            return PUBLISH_ACTION
        if uses.startswith(MATURIN_ACTION) and str(self.with_.get("command", "")) in (
            "upload",
            "publish",
        ):
            return "PyO3/maturin-action upload"
        for tool, pattern in PUBLISH_COMMANDS:
            if self.run and pattern.search(self.run):
                return tool
        return None

    def credential(self) -> tuple[str, int] | None:
        """How the publish step passes a credential (shown without its value), and the line."""
        password = self.with_.get("password")
        if password is not None and str(password).strip():
            return "the action's `password` input", line_of(password, self.line) or self.line
        for name, value in self.env.items():
            if name in CREDENTIAL_VARIABLES or name.startswith(CREDENTIAL_PREFIXES):
                return f"the `{name}` variable", line_of(value, self.line) or self.line
        if self.run:
            for tool, pattern in PUBLISH_COMMANDS:
                for command in pattern.finditer(self.run):
                    rest = self.run[command.end() :].split("\n", 1)[0]
                    flag = CREDENTIAL_FLAGS.search(rest)
                    if flag is not None:
                        shown = flag.group(0).split()[0].split("=")[0]
                        return f"`{tool} {shown} ...`", line_of(self.run, self.line) or self.line
        return None

    def builds(self) -> bool:
        uses = (self.uses or "").lower()
        if uses.startswith(MATURIN_ACTION) and str(self.with_.get("command", "build")) in (
            "build",
            "sdist",
        ):
            return True
        if uses.startswith("hynek/build-and-inspect-python-package"):
            return True
        return bool(self.run and BUILD_COMMANDS.search(self.run))


@dataclass(slots=True)
class Job:
    id: str
    line: int
    data: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    id_token: bool = False
    environment: str | None = None

    def publishing(self) -> list[tuple[Step, str]]:
        return [(s, tool) for s in self.steps if (tool := s.publishes()) is not None]


@dataclass(slots=True)
class Workflow:
    path: Path
    triggers: dict[str, Any]
    jobs: list[Job]
    line_of_on: int | None = None


def read_workflow(path: Path, data: Any) -> Workflow:
    """A GitHub Actions workflow from its document (`yamlfile.load_yaml`)."""
    document = data if isinstance(data, dict) else {}
    triggers = _triggers(document.get("on", document.get("true")))
    on_line = getattr(document, "key_lines", {}).get("on")
    permissions = document.get("permissions")
    workflow_env = _env(document.get("env"))
    jobs = []
    raw_jobs = document.get("jobs")
    if isinstance(raw_jobs, dict):
        for job_id, job_data in raw_jobs.items():
            if not isinstance(job_data, dict):
                continue
            job_permissions = job_data.get("permissions", permissions)
            job = Job(
                id=str(job_id),
                line=getattr(raw_jobs, "key_lines", {}).get(job_id, line_of(job_data, 1) or 1),
                data=job_data,
                id_token=_grants_id_token(job_permissions),
                environment=_environment(job_data.get("environment")),
            )
            env = {**workflow_env, **_env(job_data.get("env"))}
            steps = job_data.get("steps")
            if isinstance(steps, list):
                for index, step in enumerate(steps):
                    if isinstance(step, dict):
                        job.steps.append(_step(index, step, env))
            jobs.append(job)
    return Workflow(path=path, triggers=triggers, jobs=jobs, line_of_on=on_line)


def _step(index: int, step: dict[str, Any], env: dict[str, Any]) -> Step:
    uses, run = step.get("uses"), step.get("run")
    with_ = step.get("with")
    return Step(
        index=index,
        line=line_of(step, 1) or 1,
        name=str(step.get("name") or uses or f"step {index + 1}"),
        uses=str(uses) if uses is not None else None,
        run=str(run) if run is not None else None,
        with_=dict(with_) if isinstance(with_, dict) else {},
        env={**env, **_env(step.get("env"))},
    )


def _env(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _triggers(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {value: None}
    if isinstance(value, YList | list):
        return {str(item): None for item in value}
    if isinstance(value, YMap | dict):
        return {str(k): v for k, v in value.items()}
    return {}


def _grants_id_token(permissions: Any) -> bool:
    if isinstance(permissions, str):
        return permissions.strip() == "write-all"
    return isinstance(permissions, dict) and str(permissions.get("id-token", "")) == "write"


def _environment(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    return str(value) if value is not None and str(value).strip() else None


# --- GitLab CI ---------------------------------------------------------------------------

GITLAB_KEYWORDS = frozenset(
    {
        "stages",
        "variables",
        "default",
        "include",
        "workflow",
        "image",
        "services",
        "before_script",
        "after_script",
        "cache",
        "pages",
    }
)


@dataclass(slots=True)
class GitlabJob:
    name: str
    line: int
    script: str
    variables: dict[str, Any]
    id_tokens: dict[str, Any]

    def publishes(self) -> str | None:
        for tool, pattern in PUBLISH_COMMANDS:
            if pattern.search(self.script):
                return tool
        return None


def read_gitlab(data: Any) -> list[GitlabJob]:
    document = data if isinstance(data, dict) else {}
    global_variables = _env(document.get("variables"))
    jobs = []
    for name, job in document.items():
        if name in GITLAB_KEYWORDS or name.startswith(".") or not isinstance(job, dict):
            continue
        parts: list[str] = []
        for key in ("before_script", "script", "after_script"):
            value = job.get(key)
            if isinstance(value, list):
                parts.extend(str(v) for v in value)
            elif value is not None:
                parts.append(str(value))
        id_tokens = job.get("id_tokens")
        jobs.append(
            GitlabJob(
                name=name,
                line=getattr(document, "key_lines", {}).get(name, 1),
                script="\n".join(parts),
                variables={**global_variables, **_env(job.get("variables"))},
                id_tokens=dict(id_tokens) if isinstance(id_tokens, dict) else {},
            )
        )
    return jobs
