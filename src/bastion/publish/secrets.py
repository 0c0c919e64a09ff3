"""Credentials that must not ship or sit in a repository: what they look like, how they are
shown (redacted), and what a PyPI token may do.

Written by hand, not with detect-secrets: its PyPI plugin is one regular expression like the
one here, its scanners read files line by line (bastion reads git objects, blobs of many
megabytes, as bytes), and importing it with its plugins costs more than scanning a working
tree. The patterns are the high-confidence kinds only: PyPI and TestPyPI tokens (`pypi-` and
a base64 macaroon), AWS access key IDs, GitHub tokens, private keys.

A PyPI token is a macaroon (libmacaroons' v2 binary format, base64url) whose caveats say what
it may do; `scope()` reads them itself (a dozen lines of the documented binary format, where
the pypitoken library would add a dependency for this one reading): the caveats
are JSON, either the original `{"version": 1, "permissions": "user" | {"projects": [...]}}`
(and `{"exp": ..., "nbf": ...}`) or the tagged arrays of warehouse's caveats module: `[0,
expires, not_before]`, `[1, [project names]]`, `[2, [project ids]]`, `[3, user id]` (the
whole account), `[4, ...]` (a Trusted Publisher's, short-lived). What cannot be read is
"scope unknown", never "whole account".
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass

#: (kind, literal needles, pattern). A pattern runs only on data that holds one of its
#: needles (`bytes.__contains__` is a fast scan; a regular expression that starts with a
#: word boundary or an alternation is twenty times slower), so that a whole git history
#: reads at the speed of the pipe. Every pattern starts with one of its needles.
PATTERNS: tuple[tuple[str, tuple[bytes, ...], re.Pattern[bytes]], ...] = (
    ("PyPI token", (b"pypi-AgE",), re.compile(rb"pypi-AgE[A-Za-z0-9_-]{50,}")),
    (
        "AWS access key ID",
        (b"AKIA", b"ASIA"),
        re.compile(rb"(?<![0-9A-Za-z])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])"),
    ),
    (
        "GitHub token",
        (b"ghp_", b"gho_", b"ghs_", b"ghu_", b"ghr_", b"github_pat_"),
        re.compile(
            rb"(?<![0-9A-Za-z])(?:gh[pousr]_[A-Za-z0-9]{36}(?![0-9A-Za-z])|github_pat_[A-Za-z0-9_]{60,})"
        ),
    ),
    (
        "private key",
        (b"PRIVATE KEY-----",),
        re.compile(rb"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
    ),
)
TESTPYPI_PREFIX = "pypi-AgENdGVzdC5weXBpLm9yZw"


@dataclass(frozen=True, slots=True)
class Secret:
    kind: str
    value: str
    line: int

    @property
    def shown(self) -> str:
        return redact(self.value)


def find_secrets(data: bytes) -> list[Secret]:
    """Every credential in `data`, with the line it starts on."""
    found = []
    for kind, needles, pattern in PATTERNS:
        if not any(needle in data for needle in needles):
            continue
        for match in pattern.finditer(data):
            line = data.count(b"\n", 0, match.start()) + 1
            found.append(Secret(kind, match.group(0).decode("ascii", "replace"), line))
    return found


def redact(value: str) -> str:
    """A credential as bastion shows it: its first characters and its length, never more."""
    keep = 9 if value.startswith("pypi-") else 4
    if value.startswith("-----BEGIN"):
        return value
    return f"{value[:keep]}… ({len(value)} characters)"


@dataclass(frozen=True, slots=True)
class Scope:
    """What a PyPI token may do: `account` (every project), `projects`, `publisher` (a
    Trusted Publisher's), or `unknown`; `expired` when its expiry caveat has passed."""

    kind: str
    projects: tuple[str, ...] = ()
    expired: bool = False
    test_pypi: bool = False

    def describe(self) -> str:
        where = "TestPyPI" if self.test_pypi else "PyPI"
        if self.expired:
            return f"an expired {where} token"
        if self.kind == "account":
            return f"a {where} token for the whole account"
        if self.kind == "projects":
            return f"a {where} token for {', '.join(self.projects) or 'some projects'}"
        if self.kind == "publisher":
            return f"a short-lived {where} token of a Trusted Publisher"
        return f"a {where} token, scope unknown"


def scope(token: str, now: float | None = None) -> Scope:
    """Read a PyPI token's caveats (see the module docstring)."""
    test_pypi = token.startswith(TESTPYPI_PREFIX)
    try:
        payload = token[len("pypi-") :]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        caveats = _caveats(raw)
    except (ValueError, IndexError):
        return Scope("unknown", test_pypi=test_pypi)
    moment = time.time() if now is None else now
    kind, expired = "unknown", False
    projects: tuple[str, ...] = ()
    user = False
    for caveat in caveats:
        try:
            value = json.loads(caveat)
        except ValueError:
            continue
        if isinstance(value, dict):
            permissions = value.get("permissions")
            if permissions == "user":
                user = True
            elif isinstance(permissions, dict) and isinstance(permissions.get("projects"), list):
                kind, projects = "projects", tuple(str(p) for p in permissions["projects"])
            expires = value.get("exp")
            if isinstance(expires, int | float) and expires < moment:
                expired = True
        elif isinstance(value, list) and value and isinstance(value[0], int):
            tag = value[0]
            if tag == 0 and len(value) > 1 and isinstance(value[1], int | float):
                expired = expired or value[1] < moment
            elif tag in (1, 2) and len(value) > 1 and isinstance(value[1], list):
                kind, projects = "projects", tuple(str(p) for p in value[1])
            elif tag == 3:
                user = True
            elif tag == 4:
                kind = "publisher"
    if kind == "unknown" and user:
        kind = "account"
    return Scope(kind, projects, expired, test_pypi)


def _caveats(raw: bytes) -> list[bytes]:
    """The first-party caveat identifiers of a v2 binary macaroon."""
    if not raw or raw[0] != 2:
        raise ValueError("not a v2 macaroon")
    position = 1
    sections: list[list[tuple[int, bytes]]] = [[]]
    while position < len(raw):
        field, position = _varint(raw, position)
        if field == 0:  # end of a section
            if not sections[-1]:
                break  # an empty section ends the caveats; the signature follows
            sections.append([])
            continue
        length, position = _varint(raw, position)
        data = raw[position : position + length]
        if len(data) != length:
            raise ValueError("truncated")
        position += length
        sections[-1].append((field, data))
    identifiers = []
    for section in sections[1:]:  # the first section is the macaroon's own
        fields = dict(section)
        if 4 not in fields and 2 in fields:  # a third-party caveat has a verification id
            identifiers.append(fields[2])
    return identifiers


def _varint(raw: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = raw[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")
