"""The newest release a pinned dependency could move to, and how far behind the pin is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.index.model import ProjectFiles


@dataclass(frozen=True, slots=True)
class Behind:
    newest: str
    releases: int
    days: int | None


def behind(page: ProjectFiles, pinned: str, python: str) -> Behind | None:
    """The newest release of `page` newer than `pinned` that `python` may install (not yanked,
    its files' `Requires-Python` allowing it; pre-releases only when the pin is one), with the
    count of releases between and the days between their uploads; None when the pin is the
    newest."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        current = Version(pinned)
    except InvalidVersion:
        return None
    newer = []
    for text in page.versions:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version > current and (not version.is_prerelease or current.is_prerelease):
            newer.append((version, text))
    newer.sort(reverse=True)
    for version, text in newer[:20]:  # the newest installable one is nearly always the first
        files = page.files_of(text)
        usable = []
        for item in files:
            if item.yanked is not None:
                continue
            try:
                if item.requires_python and not SpecifierSet(item.requires_python).contains(python):
                    continue
            except InvalidSpecifier:
                pass
            usable.append(item)
        if not usable:
            continue
        releases = sum(1 for v, _t in newer if v <= version)
        return Behind(text, releases, _days(page, pinned, usable[0].upload_time))
    return None


def _days(page: ProjectFiles, pinned: str, newest_upload: str | None) -> int | None:
    import datetime as dt

    files = page.files_of(pinned)
    uploaded = min((f.upload_time for f in files if f.upload_time), default=None)
    if uploaded is None or newest_upload is None:
        return None
    try:
        start = dt.datetime.fromisoformat(uploaded.replace("Z", "+00:00"))
        end = dt.datetime.fromisoformat(newest_upload.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max((end - start).days, 0)
