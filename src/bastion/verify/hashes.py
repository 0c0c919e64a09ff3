"""`bastion verify --add-hashes FILE [--dry-run]`: hash-pin a pinned requirements file.

What `pip-compile --generate-hashes` and `hashin` do for a file that is already pinned: each
`name==version` gets one `--hash=sha256:...` per file the index publishes for that version
(wheels and sdist, every platform: the file must install everywhere it is used), replacing
the hashes it had. One concurrent pass over the index (`bastion.index`), then one atomic
write; `--dry-run` prints a unified diff and writes nothing.

The file is edited, not regenerated: comments, blank lines, order, markers, extras, other
options (`--config-settings`), option lines and includes stay as they are, and so does each
entry's style. An entry written on one line keeps its hashes on that line; otherwise the
hashes go one per continuation line, indented as the file's existing hash lines are (four
spaces when it has none), and a trailing comment moves to the last of them (nothing may
follow a comment on a continued line). Line endings are kept. Included files (`-r`) are not
changed: name each one.

Refused, with the line named and nothing written (exit 2): a requirement not pinned to one
version, a URL or VCS requirement (the index has no hashes for it; pip's hash-checking mode
refuses VCS requirements outright), an editable one, and a pinned version the index does not
have.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.errors import InputError
from bastion.inventory.model import Dependency, Inventory

if TYPE_CHECKING:
    from bastion.config import Settings

_COMMENT = re.compile(r"(^|\s+)#.*$")
_HASH_OPTION = re.compile(r"--hash[=\s]+\S+")
_INDENT = re.compile(r"^([ \t]+)--hash")


@dataclass(slots=True)
class Entry:
    """One logical line of the file: its physical lines (0-based, end exclusive)."""

    first: int
    end: int
    lines: list[str]

    @property
    def single(self) -> bool:
        return self.end - self.first == 1


@dataclass(slots=True)
class Change:
    """What `--add-hashes` did to one requirement."""

    name: str
    version: str
    added: int
    removed: int


def run_add_hashes(args: argparse.Namespace) -> int:
    """The command: read, ask the index, rewrite (or print the diff)."""
    from bastion.checks.base import check_options
    from bastion.commands.common import load_settings
    from bastion.fsutil import write_atomic

    path = Path(args.add_hashes)
    if not path.is_file():
        raise InputError("no such file", path)
    settings = load_settings(args, check_options(["verify"]))
    text, newline, bom = _read(path)
    new_text, changes, index_url = add_hashes(path, text, settings)
    if args.dry_run:
        import difflib

        diff = difflib.unified_diff(
            text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=str(path),
            tofile=f"{path} (with hashes)",
        )
        sys.stdout.writelines(diff)
    elif new_text != text:
        try:
            write_atomic(path, (bom + new_text.replace("\n", newline)).encode("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
    added = sum(c.added for c in changes)
    removed = sum(c.removed for c in changes)
    verb = "would add" if args.dry_run else "added"
    print(
        f"{path}: {verb} {added} hash{'es' if added != 1 else ''} to {len(changes)} "
        f"requirement{'s' if len(changes) != 1 else ''} from {index_url}"
        + (f"; {removed} that match no published file removed" if removed else ""),
        file=sys.stderr,
    )
    return 0


def _read(path: Path) -> tuple[str, str, str]:
    """The text (newlines as `\\n`), the file's newline and its BOM, if any."""
    from bastion.documents import read_bytes
    from bastion.inventory.reqfile_text import decode

    data = read_bytes(path)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    text = decode(data, path)
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n"), newline, bom


def add_hashes(path: Path, text: str, settings: Settings) -> tuple[str, list[Change], str]:
    """`text` (the file at `path`) with every pinned requirement's hashes from the index."""
    from bastion.index.client import open_index
    from bastion.inventory.requirements import parse_requirements_text

    inventory = parse_requirements_text(text, path, [])
    dependencies = {
        d.origin.line: d
        for d in inventory.dependencies
        if d.origin is not None and Path(d.origin.path) == path and d.origin.line is not None
    }
    entries = _entries(text.split("\n"))
    wanted: dict[int, Dependency] = {}
    for entry in entries:
        dependency = dependencies.get(entry.first + 1)
        if dependency is None:
            continue
        _refuse_unless_pinned(dependency, path, entry.first + 1)
        wanted[entry.first] = dependency
    index = open_index(settings, _index_url(settings, inventory))
    try:
        pages = index.projects(sorted({d.name for d in wanted.values()}))
    finally:
        index.close()
    style = _indent(text)
    lines = text.split("\n")
    changes: list[Change] = []
    for entry in reversed(entries):
        dependency = wanted.get(entry.first)
        if dependency is None:
            continue
        page = pages.get(dependency.name)
        files = page.files_of(dependency.version or "") if page is not None else []
        digests = sorted({f"sha256:{f.hashes['sha256']}" for f in files if "sha256" in f.hashes})
        if not digests:
            where = "is not on the index" if page is None else "has no file on the index"
            raise InputError(
                f"{dependency.name}=={dependency.version} {where} ({index.url}); no hashes "
                "to add, nothing written",
                path,
                entry.first + 1,
            )
        old = set(dependency.hashes)
        changes.append(
            Change(
                dependency.name,
                dependency.version or "",
                added=len(set(digests) - old),
                removed=len(old - set(digests)),
            )
        )
        lines[entry.first : entry.end] = _rewrite(entry, digests, style)
    changes.reverse()
    return "\n".join(lines), changes, index.url


def _refuse_unless_pinned(dependency: Dependency, path: Path, line: int) -> None:
    if dependency.editable:
        raise InputError(
            f"{dependency.name} is editable: pip's hash-checking mode refuses editable "
            "requirements; nothing written",
            path,
            line,
        )
    if dependency.url is not None:
        raise InputError(
            f"{dependency.name} comes from {dependency.url}: the index has no hashes for it "
            "(add #sha256=... for an archive; pip's hash-checking mode refuses VCS "
            "requirements); nothing written",
            path,
            line,
        )
    if dependency.version is None:
        raise InputError(
            f"{dependency.name} is not pinned ({dependency.specifier or 'any version'}): pin "
            "it to one version first (pip-compile, uv pip compile); nothing written",
            path,
            line,
        )


def _index_url(settings: Settings, inventory: Inventory) -> str | None:
    """`--index-url`, else the file's own `--index-url`, else the default (PyPI)."""
    given = settings.get("index_url")
    if given:
        return str(given)
    for option in inventory.index_options:
        if option.option == "--index-url" and option.value:
            return option.value
    return None


def _entries(lines: list[str]) -> list[Entry]:
    """The logical lines, as pip joins them (a `\\` continues a line that is no comment)."""
    found: list[Entry] = []
    start: int | None = None
    for number, raw in enumerate(lines):
        is_comment = raw.lstrip()[:1] == "#"
        if start is None:
            start = number
        if not is_comment and raw.endswith("\\"):
            continue
        found.append(Entry(start, number + 1, lines[start : number + 1]))
        start = None
    if start is not None:
        found.append(Entry(start, len(lines), lines[start:]))
    return found


def _indent(text: str) -> str:
    """How the file indents its hash continuation lines (four spaces when it has none)."""
    for line in text.split("\n"):
        match = _INDENT.match(line)
        if match:
            return match.group(1)
    return "    "


def _rewrite(entry: Entry, digests: list[str], indent: str) -> list[str]:
    """The entry's lines with `digests` as its only hashes, in the entry's style."""
    pieces: list[str] = []
    comment = ""
    for position, raw in enumerate(entry.lines):
        part = raw[:-1] if raw.endswith("\\") else raw
        match = _COMMENT.search(part)
        if match:
            comment = match.group(0).strip()
            part = part[: match.start()]
        part = _HASH_OPTION.sub("", part)
        # The first line as written (markers, spacing); other lines' options, tidied.
        part = part.rstrip() if position == 0 else " ".join(part.split())
        if part.strip():
            pieces.append(part.strip() if pieces else part.lstrip())
    body = " ".join(pieces)
    had_inline_hashes = entry.single and "--hash" in entry.lines[0]
    lead = entry.lines[0][: len(entry.lines[0]) - len(entry.lines[0].lstrip())]
    tail = f"  {comment}" if comment else ""
    if had_inline_hashes:
        return [lead + " ".join([body, *(f"--hash={d}" for d in digests)]) + tail]
    out = [f"{lead}{body} \\"]
    for position, digest in enumerate(digests):
        last = position == len(digests) - 1
        out.append(f"{indent}--hash={digest}" + (tail if last else " \\"))
    return out
