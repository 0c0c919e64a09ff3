"""The package index: the one place that knows how to ask a PEP 503/691 index about projects.

- `model`: what an index says of a project: its files with their digests, `yanked` (and why),
  upload time, size, PEP 740 provenance URL, and the PEP 792 project status.
- `simple`: the PEP 691 JSON answer, read defensively (a malformed answer is a `SourceError`
  naming the URL and the key).
- `client`: the `PackageIndex` interface and `SimpleIndex`, which asks through
  `net.HttpClient` (timeouts, retries, verified TLS, `--offline`), many projects at a time.

`bastion verify` (hashes against what was published, provenance), outdated and yanked
reporting, `audit --fix` hash refresh and package inspection all ask through this client.
Tests serve a fake index on 127.0.0.1 (`tests/support/fake_index.py`).
"""
