"""One DNS lookup per host and port for the whole run, shared by every connection.

`HttpClient` opens up to 32 connections at once to the same index, and each connection asks
`getaddrinfo` on its own. Some resolvers lose answers when the same name is asked many
times at once (the conntrack race of parallel UDP queries known from Docker and Kubernetes
networks; on the machines bastion is benchmarked on, 32 simultaneous lookups of `pypi.org`
take 5.0 s, the resolver's retry timeout, and one takes under 1 ms). So the first
connection looks the name up and the others wait for its answer.

This replaces `socket.getaddrinfo` in bastion's own process (`share_lookups`, called when
the first HTTP client is made): httpx's transport offers no resolver hook, and the lookup
is what each connection makes through `socket.create_connection`. Answers are kept for the
life of the process (a bastion run lasts seconds); failures are not kept, so a waiting
caller asks again itself.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

_Lookup = Callable[..., list[Any]]

_answers: dict[tuple[Any, ...], list[Any]] = {}
_locks: dict[tuple[Any, ...], threading.Lock] = {}
_guard = threading.Lock()
_system: list[_Lookup] = []  # the system's getaddrinfo, once `share_lookups` replaced it


def shared_lookup(  # noqa: PLR0917 - the signature of socket.getaddrinfo, called positionally
    host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0
) -> list[Any]:
    """`socket.getaddrinfo`, asked once per distinct question (see the module docstring)."""
    key = (host, port, family, type, proto, flags)
    found = _answers.get(key)
    if found is not None:
        return list(found)
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        found = _answers.get(key)
        if found is None:
            lookup = _system[0] if _system else socket.getaddrinfo
            found = _answers[key] = lookup(host, port, family, type, proto, flags)
    return list(found)


def share_lookups() -> None:
    """Make every lookup of this process go through `shared_lookup` (once)."""
    with _guard:
        if not _system:
            _system.append(socket.getaddrinfo)
            socket.getaddrinfo = shared_lookup
