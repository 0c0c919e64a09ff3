"""The live OSV API as an `AdvisorySource` (`--source osv-api --osv-url URL`).

1. `POST {url}/v1/querybatch` with one query per package, at most `MAX_QUERIES` per request,
   following each query's `next_page_token` until none is left. The answer holds only IDs and
   `modified` times.
2. `GET {url}/v1/vulns/{id}` for every distinct ID, `net.MAX_WORKERS` at a time, through the
   disk cache keyed by ID and `modified` (a record changes only when its `modified` does, so
   a warm audit sends nothing but the querybatch requests).
3. Each record is parsed with `model.parse_record`, rated once (`VulnRecord.from_advisory`),
   compiled per package (`ranges.compile_affected`) and matched with
   `matching.match_package`: the same steps the importer and the store take, so the findings
   are the local database's for the same records (tests check it).

Packages are queried **without a version**. The query then returns every advisory of the
package, not only those affecting the pinned version, which is what the smallest safe
upgrade needs: an upgrade must not walk into another advisory's range (see `matching`). With
versioned queries the API would do the range matching itself, but the upgrade hint would be
computed from a partial list and could name an affected release. The cost is a few more
record downloads for packages with many advisories, once: records are cached.

Failures are `SourceError`s (exit 3). With `allow_partial`, a failed querybatch or record
download leaves out only the packages it concerns; `diagnostics` then says which packages
were NOT checked (the audit check reports it). A record that is not valid OSV is skipped with
a warning, as the importer does. Warnings about parts of records (a version that is not
PEP 440, skipped; a `fixed` so skipped leaves its range open) are kept in `record_warnings`
and reported once each with the audit: with this source there is no `bastion db import` to
show them, and they concern only the audited packages' advisories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bastion.advisories.records import PackageAdvisory, SourceStatus, VulnRecord
from bastion.errors import InputError, SourceError
from bastion.findings import Diagnostic

if TYPE_CHECKING:
    from bastion.advisories.model import Advisory
    from bastion.advisories.records import PackageResult
    from bastion.config import Settings
    from bastion.net import HttpClient

DEFAULT_URL = "https://api.osv.dev"
#: The OSV API refuses a querybatch of more than 1000 queries.
MAX_QUERIES = 1000
#: A server that keeps handing out page tokens after this many rounds is broken.
MAX_PAGE_ROUNDS = 100
#: Packages named one by one in a warning; the rest are counted.
NAMES_SHOWN = 5


@dataclass(slots=True)
class LiveStatus(SourceStatus):
    """`advisories: OSV API at URL (live)`: there is no import time or record count."""

    def line(self, now: Any = None) -> str:
        return f"advisories: {self.kind} at {self.location} (live)"


def open_source(settings: Settings, *, brief: bool = False) -> OsvApiSource:
    """The source for `--source osv-api` (`osv_url`, `offline`, `allow_partial` settings).

    `brief` changes nothing: the API gives whole records either way.
    """
    from bastion.net import DiskCache, HttpClient, cache_root, check_base_url

    if settings.get("offline", False):
        raise InputError("--offline cannot be used with --source osv-api (it needs the network)")
    url = api_root(check_base_url(settings.get("osv_url", DEFAULT_URL), "--osv-url"))
    client = HttpClient(
        offline=bool(settings.get("offline", False)), cache=DiskCache(cache_root() / "http")
    )
    return OsvApiSource(url, client, allow_partial=bool(settings.get("allow_partial", False)))


#: Endpoint paths users copy from other tools' settings (pip-audit's `--osv-url` takes the
#: full `/v1/query` URL): the API's root is what comes before them.
_ENDPOINTS = ("/v1/querybatch", "/v1/query", "/v1/vulns", "/v1")


def api_root(url: str) -> str:
    """The OSV API's root from its root or from an endpoint URL under it."""
    trimmed = url.rstrip("/")
    for endpoint in _ENDPOINTS:
        if trimmed.endswith(endpoint):
            return trimmed[: -len(endpoint)]
    return trimmed


class OsvApiSource:
    """See the module docstring."""

    def __init__(self, url: str, client: HttpClient, *, allow_partial: bool = False) -> None:
        self.url = url.rstrip("/")
        self.client = client
        self.allow_partial = allow_partial
        self.diagnostics: list[Diagnostic] = []
        self.record_warnings: list[str] = []

    def describe(self) -> SourceStatus:
        return LiveStatus(kind="OSV API", location=self.url)

    def close(self) -> None:
        self.client.close()

    def audit(self, packages: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PackageResult]:
        """Match `(normalized name, version)` pairs; pairs whose version is not PEP 440, and
        (with `allow_partial`) packages whose data could not be fetched, are left out."""
        from bastion.advisories.matching import InvalidInstalledVersion, match_package

        names = list(dict.fromkeys(name for name, _version in packages))
        listed = self._query(names)
        wanted = {i: m for ids in listed.values() for i, m in ids.items()}
        records, failed = self._records(wanted)
        advisories = self._per_package(listed, records, failed)
        results: dict[tuple[str, str], PackageResult] = {}
        for name, version in packages:
            if name not in advisories:
                continue
            try:
                results[name, version] = match_package(name, version, advisories[name])
            except InvalidInstalledVersion:
                continue
        self.diagnostics.extend(
            Diagnostic(f"OSV API: {warning}") for warning in dict.fromkeys(self.record_warnings)
        )
        return results

    # --- 1. which advisories each package has ------------------------------------------

    def _query(self, names: list[str]) -> dict[str, dict[str, str | None]]:
        """`{name: {vuln ID: modified}}` for every package whose queries all succeeded."""
        listed: dict[str, dict[str, str | None]] = {name: {} for name in names}
        pending: list[tuple[str, str | None]] = [(name, None) for name in names]
        failed: dict[str, str] = {}
        rounds = 0
        while pending:
            rounds += 1
            if rounds > MAX_PAGE_ROUNDS:
                raise SourceError(
                    f"POST {self.url}/v1/querybatch: still paging after {MAX_PAGE_ROUNDS} "
                    "rounds; the server looks broken"
                )
            batches = [pending[i : i + MAX_QUERIES] for i in range(0, len(pending), MAX_QUERIES)]
            pending = []
            for batch in batches:
                try:
                    answers = self._querybatch(batch)
                except SourceError as exc:
                    if not self.allow_partial:
                        raise
                    failed.update((name, str(exc)) for name, _token in batch)
                    continue
                for (name, _token), (vulns, token) in zip(batch, answers, strict=True):
                    listed[name].update(vulns)
                    if token:
                        pending.append((name, token))
        if failed:
            self._not_checked(failed)
        return {name: ids for name, ids in listed.items() if name not in failed}

    def _querybatch(
        self, batch: list[tuple[str, str | None]]
    ) -> list[tuple[dict[str, str | None], str | None]]:
        """One querybatch request: per query, `{ID: modified}` and the next page token."""
        endpoint = f"{self.url}/v1/querybatch"
        queries: list[dict[str, Any]] = []
        for name, token in batch:
            query: dict[str, Any] = {"package": {"name": name, "ecosystem": "PyPI"}}
            if token:
                query["page_token"] = token
            queries.append(query)
        answer = self.client.post_json(endpoint, {"queries": queries})
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(queries):
            got = len(results) if isinstance(results, list) else "no"
            raise SourceError(
                f"POST {endpoint}: expected {len(queries)} results, got {got}; "
                "not an OSV API answer"
            )
        parsed = []
        for result in results:
            if not isinstance(result, dict):
                raise SourceError(f"POST {endpoint}: a result is not a JSON object")
            vulns: dict[str, str | None] = {}
            for vuln in result.get("vulns") or []:
                ident = vuln.get("id") if isinstance(vuln, dict) else None
                if not isinstance(ident, str) or not ident:
                    raise SourceError(f"POST {endpoint}: a result lists a vulnerability without id")
                modified = vuln.get("modified")
                vulns[ident] = modified if isinstance(modified, str) and modified else None
            token = result.get("next_page_token")
            parsed.append((vulns, token if isinstance(token, str) and token else None))
        return parsed

    # --- 2. the records ----------------------------------------------------------------

    def _records(
        self, wanted: dict[str, str | None]
    ) -> tuple[dict[str, Advisory | None], dict[str, str]]:
        """Each ID's record (None when it is not valid OSV, or withdrawn), and why each ID
        whose download failed is missing (with `allow_partial`; else the failure is raised)."""
        from bastion.advisories.model import RecordError, parse_record
        from bastion.net import decode_json

        urls = {f"{self.url}/v1/vulns/{quote(ident, safe='')}": ident for ident in wanted}
        bodies, errors = self.client.fetch_all([(url, wanted[i]) for url, i in urls.items()])
        if errors and not self.allow_partial:
            first = min(errors)
            more = f" (and {len(errors) - 1} more records)" if len(errors) > 1 else ""
            raise SourceError(f"{errors[first]}{more}")
        records: dict[str, Advisory | None] = {}
        for url, body in bodies.items():
            ident = urls[url]
            try:
                advisory = parse_record(decode_json(body, "GET", url), self.record_warnings.append)
            except (RecordError, SourceError) as exc:
                self.diagnostics.append(Diagnostic(f"{url}: skipped: {exc}"))
                records[ident] = None
                continue
            records[ident] = None if advisory.withdrawn else advisory
        return records, {urls[url]: str(exc) for url, exc in errors.items()}

    # --- 3. per package ----------------------------------------------------------------

    def _per_package(
        self,
        listed: dict[str, dict[str, str | None]],
        records: dict[str, Advisory | None],
        failed_ids: dict[str, str],
    ) -> dict[str, list[PackageAdvisory]]:
        """Every package's advisories, compiled as the store compiles them. Packages with an
        advisory that could not be downloaded are left out and reported (`allow_partial`)."""
        from bastion.advisories.ranges import compile_affected

        rated: dict[str, VulnRecord] = {}
        result: dict[str, list[PackageAdvisory]] = {}
        unchecked: dict[str, str] = {}
        warn = self.record_warnings.append
        for name, ids in listed.items():
            missing = [i for i in ids if i in failed_ids]
            if missing:
                unchecked[name] = failed_ids[missing[0]]
                continue
            advisories = []
            for ident in sorted(ids):
                advisory = records.get(ident)
                if advisory is None:
                    continue
                entries = [e for e in advisory.pypi_affected() if e.name == name]
                if not entries:
                    continue
                record = rated.get(advisory.id)
                if record is None:
                    record = rated[advisory.id] = VulnRecord.from_advisory(advisory)
                functions = tuple(sorted({f for e in entries for f in e.affected_functions}))
                compiled = compile_affected(entries, warn, f"{advisory.id}: {name}")
                advisories.append(PackageAdvisory(name, record, compiled, functions))
            result[name] = advisories
        if unchecked:
            self._not_checked(unchecked)
        return result

    def _not_checked(self, failed: dict[str, str]) -> None:
        names = sorted(failed)
        shown = ", ".join(names[:NAMES_SHOWN])
        more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
        reason = failed[names[0]]
        self.diagnostics.append(
            Diagnostic(
                f"OSV API: {len(names)} package(s) were NOT checked for known vulnerabilities "
                f"(--allow-partial): {shown}{more}; {reason}"
            )
        )
