"""Mutation fuzzer: every reader of user or server input, fed inputs mutated from real files.

    python benchmarks/fuzz_readers.py [--inputs 100000] [--reader NAME ...] [--seed 1]

For each reader, seeds come from ../shared/data and tests/fixtures (skipped when absent); each
input is a seed mutated at the byte level (flips, cuts, repeats, splices, tokens that break
parsers: huge integers, lone surrogates, NUL bytes, deep nesting, bad dates, `%(x)s` ...) or,
for TOML and JSON, at the level of its values (a value of another type put in a random place,
then written back). The reader must either succeed or raise `InputError` (a clear line); for
the advisory importer, which reads server data, bad records are warnings and the import must
not fail with anything but `InputError`/`SourceError`. Everything else is a crash: the script
prints how many inputs each reader got and every crash kind with one input that caused it
(saved under benchmarks/.work/fuzz/). docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _support import ROOT, SHARED, WORK

FIXTURES = ROOT / "tests" / "fixtures"
DATA = SHARED / "data"

TOKENS: tuple[bytes, ...] = (
    b'"', b"'", b"[", b"]", b"{", b"}", b"[[", b"]]", b"=", b",", b":", b"\n", b"\\", b"\x00",
    b"= 1", b"= []", b"= {}", b'= "x"', b"= true", b"= 1979-05-27T07:32:00Z", b"= 1e400",
    b"= " + b"9" * 5000, b"9" * 5000, b"-" + b"1" * 4400, b'"\\ud800"', b'"\\udfff x"',
    b"\xed\xa0\x80", b"\xff\xfe", b"\xef\xbb\xbf", b"[" * 600, b"{" * 600, b'{"a":' * 1200,
    b"a." * 300 + b"b = 1", b"%(x)s", b"%(", b"%%", b"# -*- coding: nope -*-\n",
    b"# coding: utf-16\n", b"-r \x00x", b"-r ", b"-c ", b"-e ", b"--hash=sha256:",
    b" @ http://[::1", b" @ https://x/y-1.0-py3-none-any.whl", b" @ file:///\x00", b"==",
    b"===", b";", b"; python_version >>> '3'", b"2024-02-30 10:00:00", b"9999-99-99",
    b"0000-00-00T00:00:00Z", b"!!python/object:os.system", b"&a [*a, *a]", b"*a", b"---\n",
    b"- ", b": ", b"? ", b"id: ", b"version = ", b"name = ", b"[[package]]\n",
    b"[tool.bastion]\n", b"[tool.bandit]\n", b"[bandit]\n", b"\t", b"\r", b"\r\n", b"\x85",
    b"\u2028".decode("unicode_escape").encode("utf-8", "surrogatepass"),
)  # fmt: skip


def replacement_values(rng: random.Random) -> Any:
    choices: list[Any] = [
        0, -1, 1, 10**4400, 1.5, float("inf"), True, False, "", "x", "\ud800", "a\x00b",
        "1" * 5000, [], [1], ["x"], {}, {"a": 1}, {"name": 1}, [[[]]], "2024-02-30", "*",
        "==1.0", "git+https://x/y", "http://[::1", "%(x)s",
    ]  # fmt: skip
    return rng.choice(choices)


def mutate_bytes(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        if not buffer:
            buffer += rng.choice(TOKENS)
            continue
        at = rng.randrange(len(buffer) + 1)
        op = rng.randrange(7)
        if op == 0 and at < len(buffer):
            buffer[at] = rng.randrange(256)
        elif op == 1:
            end = min(len(buffer), at + rng.choice((1, 2, 8, 64, 512)))
            del buffer[at:end]
        elif op == 2:
            end = min(len(buffer), at + rng.choice((1, 8, 64)))
            buffer[at:at] = buffer[at:end] * rng.choice((2, 3, 50))
        elif op == 3:
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            buffer[at:at] = other[start : start + rng.choice((16, 128, 1024))]
        elif op == 4:
            del buffer[at:]
        else:
            buffer[at:at] = rng.choice(TOKENS)
    return bytes(buffer)


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def mutate_value(data: Any, rng: random.Random) -> Any:
    """Replace one node of a parsed document with a value of a (likely) other type."""
    nodes = [path for path, _ in _nodes(data) if path]
    if not nodes:
        return replacement_values(rng)
    for _ in range(rng.choice((1, 1, 2, 3))):
        path = rng.choice(nodes)
        holder = data
        try:
            for key in path[:-1]:
                holder = holder[key]
            holder[path[-1]] = replacement_values(rng)
        except (KeyError, IndexError, TypeError):
            continue
    return data


def structural(kind: str, seed: bytes, rng: random.Random) -> bytes | None:
    try:
        if kind == "json":
            data = json.loads(seed)
            return json.dumps(mutate_value(data, rng)).encode("utf-8", "surrogatepass")
        if kind == "toml":
            import tomllib

            import tomlkit

            data = tomllib.loads(seed.decode("utf-8"))
            mutated = mutate_value(data, rng)
            return tomlkit.dumps(mutated).encode("utf-8", "surrogatepass")
    except Exception:  # a value the writer cannot write: fall back to byte mutation
        return None
    return None


# -- the readers ------------------------------------------------------------------------------


def _inventory(function: str) -> Callable[[Path], object]:
    module, _, name = function.partition(":")

    def read(path: Path) -> object:
        import importlib

        return getattr(importlib.import_module(module), name)(path, [])

    return read


def _config(path: Path) -> object:
    from bastion import policy
    from bastion.checks import CHECKS
    from bastion.checks.base import check_options
    from bastion.commands.common import REPORT_OPTIONS
    from bastion.config import read_tool_table, resolve, unknown_keys

    table = read_tool_table(path)
    options = (*REPORT_OPTIONS, *check_options(CHECKS))
    resolve(argparse.Namespace(), options, table, path)
    unknown_keys(table, [o.key for o in options], path)
    return policy.parse_ignores(table.get("ignore"), path)


def _bandit_pyproject(path: Path) -> object:
    from bastion.code.bandit_config import load_bandit_config

    return load_bandit_config(path, [])


def _bandit_ini(path: Path) -> object:
    from bastion.code.bandit_config import load_bandit_config

    return load_bandit_config(None, [path.parent])


def _baseline(path: Path) -> object:
    from bastion.code.baseline import load_baseline

    return load_baseline(path)


def _python_source(path: Path) -> object:
    from bastion.code.engine import RuleTable, analyze_file
    from bastion.code.rule import load_rules

    table = _TABLES.get("security")
    if table is None:
        table = _TABLES["security"] = RuleTable(load_rules())
    return analyze_file(str(path), path.read_bytes(), table, path.name)


_TABLES: dict[str, Any] = {}


def _osv_record(path: Path) -> object:
    """One record through the importer: parse, rate, compile, write a database."""
    from bastion.advisories.importer import import_path

    return import_path(path.parent, [])


def _installed(path: Path) -> object:
    from bastion.inventory.installed import read_installed

    return read_installed(path.parents[4], [])


@dataclass(frozen=True)
class Target:
    """A reader under test: the file name inputs get, how to mutate them, where seeds are."""

    filename: str
    kind: str  # "toml" or "json": also mutated at the level of values
    seeds: tuple[str, ...]
    read: Callable[[Path], object]


INVENTORY = "bastion.inventory."
READERS: dict[str, Target] = {
    "requirements": Target(
        "requirements.txt",
        "",
        (
            "data:real-requirements/*.txt",
            "data:lockfiles/lockdemo/requirements.*",
            "fixtures:inventory/requirements/**/*.txt",
            "bench:requirements-vulnerable.txt",
        ),
        _inventory(INVENTORY + "requirements:read_requirements"),
    ),
    "pyproject": Target(
        "pyproject.toml",
        "toml",
        (
            "data:lockfiles/**/*pyproject.toml",
            "fixtures:inventory/pyproject/**/*.toml",
            "root:pyproject.toml",
        ),
        _inventory(INVENTORY + "pyproject:read_pyproject"),
    ),
    "uv.lock": Target(
        "uv.lock",
        "toml",
        (
            "data:lockfiles/lockdemo/uv.lock",
            "fixtures:inventory/locks/uv/*",
            "data:lockfiles/real-world/guarddog-uv.lock",
        ),
        _inventory(INVENTORY + "uvlock:read_uv_lock"),
    ),
    "poetry.lock": Target(
        "poetry.lock",
        "toml",
        ("fixtures:inventory/locks/poetry*/poetry.lock",),
        _inventory(INVENTORY + "poetrylock:read_poetry_lock"),
    ),
    "Pipfile.lock": Target(
        "Pipfile.lock",
        "json",
        ("data:lockfiles/lockdemo/Pipfile.lock", "fixtures:inventory/locks/pipenv/Pipfile.lock"),
        _inventory(INVENTORY + "pipfilelock:read_pipfile_lock"),
    ),
    "Pipfile": Target(
        "Pipfile",
        "toml",
        ("data:lockfiles/lockdemo/Pipfile", "fixtures:inventory/locks/pipenv/Pipfile"),
        _inventory(INVENTORY + "pipfilelock:read_pipfile"),
    ),
    "pylock.toml": Target(
        "pylock.toml",
        "toml",
        ("data:lockfiles/lockdemo/pylock.*.toml", "fixtures:inventory/locks/pylock/*.toml"),
        _inventory(INVENTORY + "pylock:read_pylock"),
    ),
    "[tool.bastion]": Target("pyproject.toml", "toml", ("root:pyproject.toml",), _config),
    "[tool.bandit]": Target("pyproject.toml", "toml", ("root:pyproject.toml",), _bandit_pyproject),
    ".bandit": Target(".bandit", "", (), _bandit_ini),
    "baseline": Target("baseline.json", "json", (), _baseline),
    "python source": Target(
        "module.py", "", ("fixtures:code/corpus/**/*.py", "root:src/bastion/net.py"), _python_source
    ),
    "OSV JSON": Target(
        "record.json",
        "json",
        ("data:osv-samples/*.json", "fixtures:advisories/records/**/*.json"),
        _osv_record,
    ),
    "OSV YAML": Target(
        "record.yaml",
        "",
        (
            "data:pypa-advisory-database/vulns/jinja2/*.yaml",
            "fixtures:advisories/records/**/*.yaml",
        ),
        _osv_record,
    ),
    "METADATA": Target(
        "venv/lib/python3.11/site-packages/demo-1.0.dist-info/METADATA",
        "",
        ("builtin:metadata",),
        _installed,
    ),
}

_BUILTIN = {
    "metadata": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nSummary: x\n\nbody\n",
    "bandit": b"[bandit]\nskips = B101,B602\nexclude = tests\nlevel = medium\n",
    "baseline": b'{"results": [{"test_id": "B602", "filename": "a.py", "code": "x"}]}',
    "config": b'[tool.bastion]\nfail-on = "medium"\n[[tool.bastion.ignore]]\nid = "X"\n'
    b'reason = "r"\nexpires = "2027-01-01"\n[tool.bastion.scan]\nexclude = ["t"]\n',
    "tool_bandit": b'[tool.bandit]\nskips = ["B101"]\nexclude_dirs = ["tests"]\n'
    b'[tool.bandit.assert_used]\nskips = ["*_test.py"]\n',
}


def seeds(globs: tuple[str, ...], name: str) -> list[bytes]:
    bases = {"data": DATA, "fixtures": FIXTURES, "root": ROOT, "bench": SHARED / "bench"}
    found: list[bytes] = []
    for spec in globs:
        where, _, pattern = spec.partition(":")
        if where == "builtin":
            found.append(_BUILTIN[pattern])
            continue
        base = bases[where]
        if base.is_dir():
            found += [p.read_bytes() for p in sorted(base.glob(pattern)) if p.is_file()]
    extra = {
        ".bandit": "bandit",
        "baseline": "baseline",
        "[tool.bastion]": "config",
        "[tool.bandit]": "tool_bandit",
    }.get(name)
    if extra:
        found.append(_BUILTIN[extra])
    return [s for s in found if len(s) < 300_000]


def fuzz(name: str, count: int, rng: random.Random, out: Path) -> tuple[int, dict[str, str]]:
    from bastion.errors import InputError, SourceError

    target_spec = READERS[name]
    filename, kind, reader = target_spec.filename, target_spec.kind, target_spec.read
    pool = seeds(target_spec.seeds, name)
    if not pool:
        print(f"{name:16} no seeds found; skipped")
        return 0, {}
    crashes: dict[str, str] = {}
    folder = Path(tempfile.mkdtemp(prefix="bastion-fuzz-"))
    target = folder / filename
    target.parent.mkdir(parents=True, exist_ok=True)
    if name == "METADATA":
        (folder / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    allowed: tuple[type[BaseException], ...] = (InputError,)
    if name.startswith("OSV"):
        allowed = (InputError, SourceError)
    started = time.perf_counter()
    for tried in range(1, count + 1):
        seed = rng.choice(pool)
        data = None
        if kind and len(seed) < 40_000 and rng.random() < 0.5:
            data = structural(kind, seed, rng)
        if data is None:
            data = mutate_bytes(seed, rng, pool)
        target.write_bytes(data)
        try:
            reader(target)
        except allowed:
            pass
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            key = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            if key not in crashes:
                saved = (
                    out / f"{name.strip('[]').replace('.', '_').replace(' ', '_')}-{len(crashes)}"
                )
                saved.write_bytes(data)
                crashes[key] = f"{str(exc)[:160]!r} (input: {saved})"
        if tried % 5000 == 0:
            rate = tried / (time.perf_counter() - started)
            print(
                f"  {name}: {tried:,} inputs, {len(crashes)} crash kinds, {rate:,.0f}/s",
                file=sys.stderr,
                flush=True,
            )
    shutil.rmtree(folder, ignore_errors=True)
    return count, crashes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs per reader")
    parser.add_argument("--reader", action="append", choices=sorted(READERS))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = WORK / "fuzz"
    out.mkdir(parents=True, exist_ok=True)
    import os

    os.environ["BASTION_CACHE_DIR"] = tempfile.mkdtemp(prefix="bastion-fuzz-cache-")
    total_crashes = 0
    for name in args.reader or list(READERS):
        rng = random.Random(f"{args.seed}:{name}")  # nosec B311 -- reproducible mutations, no secret
        started = time.perf_counter()
        tried, crashes = fuzz(name, args.inputs, rng, out)
        seconds = time.perf_counter() - started
        total_crashes += len(crashes)
        print(
            f"{name:16} {tried:>9,} inputs  {len(crashes)} exceptions that are not InputError"
            f"  ({seconds:.0f} s)",
            flush=True,
        )
        for key, sample in crashes.items():
            print(f"    {key}: {sample}", flush=True)
    print(f"total: {total_crashes} kinds of crash")


if __name__ == "__main__":
    main()
