"""A fake package index on 127.0.0.1: PEP 691 JSON pages, PyPI's JSON API, and the files.

Tests describe projects with `FakeIndex.add(name, files=..., status=...)` (file contents are
ours: small byte strings whose digests the pages list), then point bastion at `index.url`.
Every request is recorded (`requests`: method, path, Accept and If-None-Match headers);
answers carry an `ETag` (the body's digest) and a request that sends it back gets a 304;
`broken` pages can be served to test malformed answers. Never the real network.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"


@dataclass
class FakeFile:
    filename: str
    content: bytes
    yanked: bool | str = False
    requires_python: str | None = None
    upload_time: str = "2024-01-02T03:04:05.000000Z"
    provenance: bytes | None = None
    digest: str | None = None  # the page's sha256 instead of the content's (a real file's)

    @property
    def sha256(self) -> str:
        return self.digest or hashlib.sha256(self.content).hexdigest()


@dataclass
class FakeProject:
    name: str
    files: list[FakeFile] = field(default_factory=list)
    status: str | None = None
    status_reason: str | None = None


@dataclass
class Seen:
    method: str
    path: str
    accept: str
    if_none_match: str = ""


class FakeIndex:
    """`with FakeIndex() as index:` ... `index.add(...)`, `index.url` (the simple root)."""

    def __init__(self) -> None:
        self.projects: dict[str, FakeProject] = {}
        self.broken: dict[str, bytes] = {}  # project name -> body served instead of its page
        self.requests: list[Seen] = []
        self.etags = True  # pages carry an ETag, and a matching If-None-Match gets a 304
        self.provenance_key = True  # False: no file has PEP 740's `provenance` key
        self.integrity_bare_404 = False  # the integrity API answers 404, no body (a proxy)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def add(
        self,
        name: str,
        files: list[FakeFile] | None = None,
        *,
        status: str | None = None,
        reason: str | None = None,
    ) -> FakeProject:
        project = FakeProject(name, files or [], status, reason)
        self.projects[name] = project
        return project

    @property
    def root(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        return f"{self.root}/simple/"

    def page(self, project: FakeProject) -> dict[str, Any]:
        files = []
        for item in project.files:
            entry: dict[str, Any] = {
                "filename": item.filename,
                "url": f"../../files/{item.filename}",
                "hashes": {"sha256": item.sha256},
                "yanked": item.yanked,
                "size": len(item.content),
                "upload-time": item.upload_time,
                "core-metadata": False,
            }
            if item.requires_python:
                entry["requires-python"] = item.requires_python
            if not self.provenance_key:
                pass  # an index or proxy that says nothing of PEP 740
            elif item.provenance is not None:
                entry["provenance"] = f"{self.root}/provenance/{item.filename}"
            else:
                entry["provenance"] = None
            files.append(entry)
        page: dict[str, Any] = {
            "meta": {"api-version": "1.4", "_last-serial": 7},
            "name": project.name,
            "files": files,
            "versions": sorted({_version(f.filename) for f in project.files}),
        }
        if project.status is not None:
            page["project-status"] = {"status": project.status}
            if project.status_reason:
                page["project-status"]["reason"] = project.status_reason
        return page

    # -- the server --------------------------------------------------------------------

    def __enter__(self) -> FakeIndex:
        index = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                tag = self.headers.get("If-None-Match", "")
                with index._lock:
                    index.requests.append(
                        Seen("GET", self.path, self.headers.get("Accept", ""), tag)
                    )
                status, body, kind = index.answer(self.path)
                etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
                if index.etags and status == 200 and tag == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                if index.etags and status == 200:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str) -> tuple[int, bytes, str]:
        parts = [p for p in path.split("?", 1)[0].split("/") if p]
        if len(parts) == 2 and parts[0] == "simple":
            if parts[1] in self.broken:
                return 200, self.broken[parts[1]], SIMPLE_JSON
            project = self.projects.get(parts[1])
            if project is None:
                return 404, b"not found", "text/plain"
            return 200, json.dumps(self.page(project)).encode(), SIMPLE_JSON
        if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
            project = self.projects.get(parts[1])
            if project is None:
                return 404, b"{}", "application/json"
            releases: dict[str, list[dict[str, Any]]] = {}
            for item in project.files:
                releases.setdefault(_version(item.filename), []).append(
                    {"filename": item.filename, "digests": {"sha256": item.sha256}}
                )
            info = {"name": project.name, "version": max(releases, default="")}
            return (
                200,
                json.dumps({"info": info, "releases": releases}).encode(),
                "application/json",
            )
        if len(parts) == 5 and parts[0] == "integrity" and parts[4] == "provenance":
            # PyPI's integrity API: a 404 explains itself in JSON (a proxy's says nothing).
            found = [i for p in self.projects.values() for i in p.files if i.filename == parts[3]]
            if found and found[0].provenance is not None and not self.integrity_bare_404:
                return 200, found[0].provenance, "application/json"
            if self.integrity_bare_404:
                return 404, b"", "text/plain"
            message = {"message": f"No provenance available for {parts[3]}"}
            return 404, json.dumps(message).encode(), "application/json"
        if len(parts) == 2 and parts[0] in ("files", "provenance"):
            for project in self.projects.values():
                for item in project.files:
                    if item.filename == parts[1]:
                        body = item.content if parts[0] == "files" else item.provenance
                        if body is not None:
                            return 200, body, "application/octet-stream"
        return 404, b"not found", "text/plain"


def _version(filename: str) -> str:
    from packaging.utils import parse_sdist_filename, parse_wheel_filename

    if filename.endswith(".whl"):
        return str(parse_wheel_filename(filename)[1])
    return str(parse_sdist_filename(filename)[1])
