"""PyPI-shaped tokens for tests: real macaroon structure, made-up keys."""

from __future__ import annotations

import base64
import json
from typing import Any


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(kind: int, data: bytes) -> bytes:
    return _varint(kind) + _varint(len(data)) + data


def token(*caveats: Any, location: str = "pypi.org") -> str:
    """A PyPI-shaped token: a v2 binary macaroon with these JSON caveats."""
    raw = b"\x02" + _field(1, location.encode()) + _field(2, b"an-identifier-0123456789") + b"\0"
    for caveat in caveats:
        raw += _field(2, json.dumps(caveat).encode()) + b"\0"
    raw += b"\0" + _field(6, b"s" * 32)
    return "pypi-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


ACCOUNT = token({"version": 1, "permissions": "user"})
PROJECT = token([1, ["demo"]])
