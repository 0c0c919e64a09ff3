"""Run a scan: find the files, reuse cached results, analyse the rest in parallel, filter.

Parallelism: files are analysed in worker processes (fork where the platform has it, so the
rules are not imported again) when there is enough work to pay for starting them; a small
project runs in this process. Work goes out largest files first in chunks, so no worker is
left with a big file at the end. Workers return JSON text (the same compact record the cache
stores), never pickled objects of ours.

Garbage collection is paused while files are analysed: a file's syntax tree is millions of
small objects that reference counting frees, and the cycle collector's repeated passes over
them would otherwise cost more than the parse itself.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.code.engine import RuleTable, analyze_file
from bastion.code.files import SourceFile, discover, matches
from bastion.code.records import FileAnalysis, from_record, to_record
from bastion.code.rule import RuleSpec
from bastion.code.settings import ScanSettings
from bastion.findings import Diagnostic, Finding, Location
from bastion.gcutil import collector_paused

#: Below this much source, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 1_500_000
PARALLEL_MIN_FILES = 40


@dataclass(slots=True)
class ScanStats:
    """Counts a report can show about the run."""

    files: int = 0
    cached: int = 0
    analysed: int = 0
    unreadable: int = 0
    unparsed: int = 0
    jobs: int = 1
    suppressed: int = 0
    baselined: int = 0
    below_threshold: int = 0
    skipped_by_path: int = 0


@dataclass(slots=True)
class ScanResult:
    """The findings to report (after suppressions, filters and baseline) and the run's notes.

    `relpaths[i]` is the project-relative path of `findings[i]`; `unbaselined` holds what
    the findings were before the baseline was applied (what `--write-baseline` writes).
    """

    findings: list[Finding] = field(default_factory=list)
    relpaths: list[str] = field(default_factory=list)
    unbaselined: list[tuple[Finding, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)


def run_scan(
    target: Path,
    settings: ScanSettings,
    root: Path,
    rules: Mapping[str, RuleSpec] | None = None,
) -> ScanResult:
    """Scan `target` (a folder or one file) with `settings`; `root` anchors relative paths."""
    from bastion.code.rule import load_rules

    if rules is None:
        rules = load_rules()
    result = ScanResult()
    named = set(settings.select or ()) | settings.skip
    for _, ids in settings.per_path_skips:
        named |= ids
    unknown = sorted(named - set(rules))
    if unknown:
        result.diagnostics.append(
            Diagnostic(
                f"unknown rule ID{'s' if len(unknown) > 1 else ''} in the scan settings: "
                f"{', '.join(unknown)}; `bastion scan --list-rules` lists the rules"
            )
        )
    folders: list[tuple[str, str]] = []
    files = discover(
        target,
        root,
        include=settings.include,
        exclude=settings.exclude,
        excluded=settings.bandit_exclude,
        unreadable=folders,
    )
    for shown, reason in folders:
        result.stats.unreadable += 1
        result.diagnostics.append(
            Diagnostic(f"cannot read folder: {reason}; not scanned", Location(shown))
        )
    result.stats.files = len(files)
    contents = [_read_source(source, result) for source in files]
    analyses = _analyses(files, contents, rules, settings, result)
    _collect(files, analyses, settings, result)
    return result


#: Larger source files are not parsed: the AST of a Python file takes about 70 times its size
#: in memory (a 50 MB file took 3.4 GB). Real modules stay far below; generated ones rarely
#: pass 1 MB.
MAX_SOURCE_BYTES = 5 * 1024 * 1024


def _read_source(source: SourceFile, result: ScanResult) -> bytes | None:
    """A file's bytes, or None (counted unreadable, with a warning) when it cannot be read
    or is larger than `MAX_SOURCE_BYTES`."""
    try:
        with source.path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        reason = f"cannot read: {exc.strerror or exc}"
    else:
        if len(data) <= MAX_SOURCE_BYTES:
            return data
        reason = f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB; not scanned"
    result.stats.unreadable += 1
    result.diagnostics.append(Diagnostic(reason, Location(source.display)))
    return None


# -- analysis, cached or not ------------------------------------------------------------------


def _analyses(
    files: Sequence[SourceFile],
    contents: Sequence[bytes | None],
    rules: Mapping[str, RuleSpec],
    settings: ScanSettings,
    result: ScanResult,
) -> list[FileAnalysis | None]:
    from bastion.code.cache import ScanCache, config_id, default_cache_dir, file_key

    cache = None
    keys: list[str] = []
    records: dict[int, Mapping[str, Any]] = {}
    if settings.cache:
        cache = ScanCache(settings.cache_dir or default_cache_dir())
        config = config_id("security", tuple(rules))
        keys = [
            file_key(config, source.relpath, data) if data is not None else ""
            for source, data in zip(files, contents, strict=True)
        ]
        found = cache.get_many(k for k in keys if k)
        for index, key in enumerate(keys):
            if key in found:
                records[index] = found[key]
    todo = [i for i, data in enumerate(contents) if data is not None and i not in records]
    result.stats.cached = len(records)
    result.stats.analysed = len(todo)
    fresh = analyse_many(
        [(files[i].display, files[i].relpath, contents[i] or b"") for i in todo],
        rules,
        settings.jobs,
        result.stats,
    )
    new_entries: list[tuple[str, str]] = []
    for index, text in zip(todo, fresh, strict=True):
        records[index] = json.loads(text)
        if cache is not None:
            new_entries.append((keys[index], text))
    if cache is not None:
        cache.put_many(new_entries)
        cache.close()
        if cache.warning:
            result.diagnostics.append(Diagnostic(cache.warning))
    analyses: list[FileAnalysis | None] = []
    for index, source in enumerate(files):
        record = records.get(index)
        analyses.append(from_record(record, source.display) if record is not None else None)
    return analyses


def analyse_many(
    items: Sequence[tuple[str, str, bytes]],
    rules: Mapping[str, RuleSpec],
    jobs: int | None,
    stats: ScanStats | None = None,
) -> list[str]:
    """Analyse `(display path, relative path, bytes)` items; JSON records in the same order."""
    if not items:
        return []
    workers = jobs or os.cpu_count() or 1
    total = sum(len(data) for _, _, data in items)
    small = total < PARALLEL_MIN_BYTES or len(items) < PARALLEL_MIN_FILES
    if workers <= 1 or (small and jobs is None):
        if stats is not None:
            stats.jobs = 1
        table = RuleTable(rules)
        with collector_paused(collect_after=True):
            return [_analyse_one(item, table) for item in items]
    if stats is not None:
        stats.jobs = workers
    return _parallel(items, rules, workers)


def _analyse_one(item: tuple[str, str, bytes], table: RuleTable) -> str:
    display, relpath, data = item
    analysis = analyze_file(display, data, table, relpath)
    return json.dumps(to_record(analysis), separators=(",", ":"))


# -- worker processes ----------------------------------------------------------------------------

_WORKER_TABLE: RuleTable | None = None


def _worker_init(rules: Mapping[str, RuleSpec] | None) -> None:
    global _WORKER_TABLE  # noqa: PLW0603  (one table per worker process)
    from bastion.code.rule import load_rules

    gc.disable()
    _WORKER_TABLE = RuleTable(rules if rules is not None else load_rules())
    gc.freeze()


def _worker_chunk(chunk: list[tuple[str, str, bytes]]) -> list[str]:
    table = _WORKER_TABLE
    if table is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("worker used before its initializer ran")
    out = [_analyse_one(item, table) for item in chunk]
    gc.collect()
    return out


def _chunks(
    order: list[int], items: Sequence[tuple[str, str, bytes]], workers: int
) -> list[list[int]]:
    """Largest files first; chunks of roughly equal size, small enough to balance the tail."""
    total = sum(len(items[i][2]) for i in order)
    target = max(total // (workers * 12), 64_000)
    chunks: list[list[int]] = []
    current: list[int] = []
    size = 0
    for index in order:
        current.append(index)
        size += len(items[index][2])
        if size >= target or len(current) >= 64:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _parallel(
    items: Sequence[tuple[str, str, bytes]], rules: Mapping[str, RuleSpec], workers: int
) -> list[str]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.context import BaseContext

    context: BaseContext
    init_rules: Mapping[str, RuleSpec] | None
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        init_rules = rules
    else:  # spawn: the worker imports the rules itself (built-in rule set only)
        context = multiprocessing.get_context()
        init_rules = None
    order = sorted(range(len(items)), key=lambda i: len(items[i][2]), reverse=True)
    chunks = _chunks(order, items, workers)
    results: list[str] = [""] * len(items)
    done = [False] * len(items)
    gc.freeze()  # forked workers need not copy-on-write the parent's objects
    try:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(chunks)),
            mp_context=context,
            initializer=_worker_init,
            initargs=(init_rules,),
        ) as pool:
            futures = [
                (chunk, pool.submit(_worker_chunk, [items[i] for i in chunk])) for chunk in chunks
            ]
            for chunk, future in futures:
                for index, text in zip(chunk, future.result(), strict=True):
                    results[index] = text
                    done[index] = True
    except (BrokenProcessPool, OSError):
        # A worker died (killed, out of memory): finish what is left in this process.
        pass
    finally:
        gc.unfreeze()
    left = [i for i, finished in enumerate(done) if not finished]
    if left:
        table = RuleTable(rules)
        with collector_paused(collect_after=True):
            for index in left:
                results[index] = _analyse_one(items[index], table)
    return results


# -- from file results to the findings to report -------------------------------------------------


def _explained(diagnostic: Diagnostic, minimum: tuple[int, int] | None) -> Diagnostic:
    """A parse failure of a project that needs a newer Python than the one running bastion
    says so, and what to do: `ast` parses only the running interpreter's grammar."""
    running = sys.version_info[:2]
    if minimum is None or running >= minimum or "does not parse" not in diagnostic.message:
        return diagnostic
    wanted = f"{minimum[0]}.{minimum[1]}"
    message = diagnostic.message.replace(
        "; file not scanned",
        f" with Python {running[0]}.{running[1]}'s grammar, and the project requires "
        f"Python >={wanted}; run bastion on Python {wanted} or newer to scan it",
    )
    return Diagnostic(message, diagnostic.location)


def _collect(
    files: Sequence[SourceFile],
    analyses: Sequence[FileAnalysis | None],
    settings: ScanSettings,
    result: ScanResult,
) -> None:
    from bastion.code.baseline import apply_baseline, load_baseline

    stats = result.stats
    kept: list[Finding] = []
    relpaths: list[str] = []
    minimum: tuple[tuple[int, int] | None] | None = None  # read on the first parse failure
    for source, analysis in zip(files, analyses, strict=True):
        if analysis is None:
            continue
        if not analysis.analysed:
            stats.unparsed += 1
            if minimum is None:
                from bastion.code.settings import python_minimum

                minimum = (python_minimum(settings.config_path),)
            result.diagnostics.extend(_explained(d, minimum[0]) for d in analysis.diagnostics)
            continue
        result.diagnostics.extend(analysis.diagnostics)
        skips = _path_skips(source.relpath, settings)
        for finding in analysis.suppressed:
            if _reportable(finding, skips, settings, None):
                stats.suppressed += 1
        for finding in analysis.findings:
            if _reportable(finding, skips, settings, stats):
                kept.append(finding)
                relpaths.append(source.relpath)
    result.unbaselined = list(zip(kept, relpaths, strict=True))
    if settings.baseline is not None:
        baseline = load_baseline(settings.baseline)
        before = list(zip(kept, relpaths, strict=True))
        kept, stats.baselined = apply_baseline(kept, relpaths, baseline)
        remaining = {id(f) for f in kept}
        relpaths = [rel for finding, rel in before if id(finding) in remaining]
    result.findings = kept
    result.relpaths = relpaths
    if stats.suppressed:
        result.diagnostics.append(
            Diagnostic(
                f"{stats.suppressed} finding{'s' if stats.suppressed != 1 else ''} suppressed "
                "by `# nosec` or `# bastion: ignore` comments"
            )
        )
    if stats.baselined:
        result.diagnostics.append(
            Diagnostic(
                f"{stats.baselined} finding{'s' if stats.baselined != 1 else ''} "
                f"already in the baseline {settings.baseline}"
            )
        )


def _path_skips(relpath: str, settings: ScanSettings) -> frozenset[str]:
    skips: set[str] = set()
    for glob, ids in settings.per_path_skips:
        if matches(relpath, (glob,)):
            skips |= ids
    return frozenset(skips)


def _reportable(
    finding: Finding, skips: frozenset[str], settings: ScanSettings, stats: ScanStats | None
) -> bool:
    if not settings.rule_enabled(finding.rule_id):
        return False
    if finding.rule_id in skips:
        if stats is not None:
            stats.skipped_by_path += 1
        return False
    if (
        finding.severity < settings.severity_threshold
        or finding.confidence < settings.confidence_threshold
    ):
        if stats is not None:
            stats.below_threshold += 1
        return False
    return True
