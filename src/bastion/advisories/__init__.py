"""Advisory knowledge: OSV records, PEP 440 range evaluation, severity, alias grouping, the store.

How the parts fit:

- `model`: the OSV record as bastion reads it (JSON or YAML), nothing executed.
- `versionkey`: PEP 440 versions as sortable text, so that stored ranges compare without parsing.
- `ranges`: the OSV evaluation algorithm for PyPI `ECOSYSTEM` ranges, and its compiled form.
- `severity`: CVSS v3/v4 scores and ratings, computed once at import.
- `grouping`: records about the same vulnerability become one finding.
- `matching`: which advisories affect a pinned version, and the smallest upgrades that fix them.
- `store`: the SQLite database in the user cache dir; `importer` fills it; `source` is the seam
  through which the audit check asks for advisories (local store, or a live OSV API).
"""
