"""P305: core metadata PyPI would reject, or that sdist and wheel disagree on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule

if TYPE_CHECKING:
    from bastion.publish.artifacts import Artifact

COMPARED = ("name", "version", "requires_dist", "requires_python")


@publish_rule(
    "P305",
    "dist-metadata",
    severity=Severity.MEDIUM,
    references=("https://packaging.python.org/en/latest/specifications/core-metadata/",),
)
def dist_metadata(facts: PublishFacts) -> Iterator[Finding]:
    """An sdist or wheel's core metadata is invalid, or the sdist and wheel disagree.

    ## What it does
    Parses and validates each file's `METADATA` / `PKG-INFO` with `packaging.metadata` (what
    `twine check` and PyPI check), and compares the sdist and wheels of one release: name,
    version, `Requires-Dist`, `Requires-Python`.

    ## Why is this bad?
    Invalid metadata is rejected at upload, half a release away. A wheel whose dependencies
    differ from its sdist's was not built from it: users of one install something else than
    users of the other.

    ## Example
    ```text
    demo-1.0.tar.gz  Requires-Dist: requests
    demo-1.0-py3-none-any.whl  Requires-Dist: requests, evil-helper
    ```

    ## Use instead
    ```sh
    python -m build   # sdist and wheel from one build, then upload both
    ```
    """
    releases: dict[tuple[str, str], list[Artifact]] = {}
    for artifact in facts.artifacts:
        shown = str(facts.shown(artifact.path))
        for problem in artifact.metadata_problems:
            yield RULE.finding(
                f"{artifact.path.name}: {problem}",
                location=Location(shown),
                fix="fix the project's metadata and rebuild",
                key=f"{artifact.path.name}:{problem}",
            )
        if artifact.name_version is not None:
            from packaging.utils import canonicalize_name

            name, version = artifact.name_version
            releases.setdefault((canonicalize_name(name), version), []).append(artifact)
    for (_name, _version), members in releases.items():
        sdists = [a for a in members if a.kind == "sdist"]
        wheels = [a for a in members if a.kind == "wheel"]
        for sdist in sdists:
            for wheel in wheels:
                for key in COMPARED:
                    left = _normal((sdist.metadata or {}).get(key))
                    right = _normal((wheel.metadata or {}).get(key))
                    if left != right:
                        yield RULE.finding(
                            f"{wheel.path.name} and {sdist.path.name} disagree on {key}: "
                            f"{right or '(none)'} / {left or '(none)'}",
                            location=Location(str(facts.shown(wheel.path))),
                            fix="build the sdist and the wheel from one checkout, in one run",
                            key=f"{wheel.path.name}:{key}",
                        )


def _normal(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(sorted(str(v).replace(" ", "") for v in value))
    return str(value).strip() if value is not None else ""


RULE = REGISTRY["P305"]
