"""The PEP 691 JSON answer of a simple index (`application/vnd.pypi.simple.v1+json`), read
defensively.

Why by hand: `pypi-simple` 1.8, the maintained parser, pulls in pydantic 2, requests and
beautifulsoup4 and takes 330 ms to import here, more than a whole cached `bastion verify` may
take; the JSON form is small and fully specified (PEP 691, with PEP 700's `versions`, `size`
and `upload-time`, PEP 714's `core-metadata`, PEP 740's `provenance`, PEP 792's
`project-status`). Every value is read through `bastion.shape`: an answer of the wrong shape
is a `SourceError` naming the URL and the key, never a traceback. File URLs are resolved
against the page's URL, as the PEP says.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from bastion import shape
from bastion.errors import SourceError
from bastion.index.model import STATUSES, DistributionFile, ProjectFiles

#: What to ask for: JSON, and nothing else (a PEP 503 HTML page is not parsed).
ACCEPT = "application/vnd.pypi.simple.v1+json"


def parse_project(body: bytes, url: str) -> ProjectFiles:
    """The project page at `url` from its JSON body; a `SourceError` when it is not one."""
    if body.lstrip()[:1] == b"<":
        raise SourceError(
            f"GET {url}: the index answered HTML; bastion reads the PEP 691 JSON form "
            f"(Accept: {ACCEPT}), which this index does not offer"
        )
    import orjson

    try:
        # orjson is strict UTF-8 (no surrogates) and about 3x faster than json on the
        # multi-megabyte pages of projects with thousands of wheels.
        data = orjson.loads(body.removeprefix(b"\xef\xbb\xbf"))
    except (orjson.JSONDecodeError, RecursionError) as exc:
        raise SourceError(f"GET {url}: the answer is not JSON ({exc})") from None
    try:
        return _project(data, url)
    except shape.WrongShape as exc:
        raise SourceError(f"GET {url}: not a PEP 691 project page: {exc}") from None


def _project(data: Any, url: str) -> ProjectFiles:
    page = shape.table(data, "the answer")
    meta = shape.opt_table(page, "meta") or {}
    api_version = shape.opt_string(meta, "api-version", "meta") or "1.0"
    if not api_version.startswith("1."):
        raise shape.WrongShape("meta.api-version", "1.x", api_version)
    serial = meta.get("_last-serial")  # PyPI sends a string of digits; others an integer
    last_serial = int(serial) if isinstance(serial, str) and serial.isdigit() else None
    if last_serial is None and serial is not None:
        last_serial = shape.integer(serial, "meta._last-serial")
    name = shape.string(page.get("name"), "name")
    entries = shape.array(page.get("files", []), "files")
    for index, item in enumerate(entries):  # the rest of each entry is read when asked for
        if item.__class__ is not dict:
            shape.table(item, shape.at("files", index))  # says what is wrong, and where
    versions = tuple(shape.opt_strings(page, "versions") or ())
    status, reason = _status(page)
    return ProjectFiles(
        name=name,
        url=url,
        entries=entries,
        read_entry=read_file_entry,
        versions=versions,
        status=status,
        status_reason=reason,
        api_version=api_version,
        last_serial=last_serial,
    )


def read_file_entry(value: Any, index: int, page_url: str) -> DistributionFile:
    """One entry of a page's `files`; a `SourceError` naming the page and the entry."""
    try:
        return _file(value, shape.at("files", index), page_url)
    except shape.WrongShape as exc:
        raise SourceError(f"GET {page_url}: not a PEP 691 project page: {exc}") from None


def _file(value: Any, where: str, page_url: str) -> DistributionFile:
    item = shape.table(value, where)
    filename = shape.string(item.get("filename"), shape.at(where, "filename"))
    link = shape.string(item.get("url"), shape.at(where, "url"))
    hashes_table = shape.opt_table(item, "hashes", where) or {}
    hashes = {
        algorithm.lower(): shape.string(digest, shape.at(shape.at(where, "hashes"), algorithm))
        .strip()
        .lower()
        for algorithm, digest in hashes_table.items()
    }
    yanked_value = item.get("yanked", False)
    if isinstance(yanked_value, str):
        yanked: str | None = yanked_value
    elif shape.boolean(yanked_value, shape.at(where, "yanked")):
        yanked = ""
    else:
        yanked = None
    metadata = item.get("core-metadata", item.get("dist-info-metadata", False))
    provenance = shape.opt_string(item, "provenance", where)
    return DistributionFile(
        filename=filename,
        url=urljoin(page_url, link),
        hashes=hashes,
        requires_python=shape.opt_string(item, "requires-python", where),
        yanked=yanked,
        upload_time=shape.opt_string(item, "upload-time", where),
        size=shape.opt_integer(item, "size", where),
        provenance=urljoin(page_url, provenance) if provenance else None,
        provenance_known="provenance" in item,
        core_metadata=bool(metadata),
    )


def _status(page: dict[str, Any]) -> tuple[str, str | None]:
    """PEP 792's `project-status` (`{"status": ..., "reason": ...}`); `active` without one."""
    status_table = shape.opt_table(page, "project-status")
    if status_table is None:
        return "active", None
    status = shape.opt_string(status_table, "status", "project-status") or "active"
    if status not in STATUSES:
        raise shape.WrongShape("project-status.status", " or ".join(sorted(STATUSES)), status)
    return status, shape.opt_string(status_table, "reason", "project-status")
