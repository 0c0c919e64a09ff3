"""Shared helpers for the benchmark scripts: timing whole processes, peers, the OSV server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WORK = ROOT / "benchmarks" / ".work"
PEERS = WORK / "peers"
PEER_PACKAGES = (
    "pip-audit",
    "pysentry-rs",
    "bandit==1.9.*",
    "ruff",
    "pyyaml",
    "packaging",
    "uv",
    "poetry",
    "poetry-plugin-export",
    "hashin",
    "detect-secrets",
    "zizmor",
)


def bastion() -> list[str]:
    """The bastion console script of the running environment."""
    script = Path(sys.executable).with_name("bastion")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bastion"]


def peer(name: str) -> str:
    """A peer tool's executable, installed once into benchmarks/.work/peers."""
    exe = PEERS / "bin" / name
    if not exe.exists():
        if not (PEERS / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", *PEER_PACKAGES], check=True)
    return str(exe)


def time_runs(
    command: Sequence[str], runs: int, env: dict[str, str] | None = None, ok: Sequence[int] = (0, 1)
) -> list[float]:
    """Wall seconds of `runs` runs of `command` (whole process, output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok:
            raise SystemExit(
                f"{' '.join(command)} exited {proc.returncode}: {proc.stderr[-500:]!r}"
            )
    return times


def summary(times: Sequence[float]) -> str:
    return (
        f"median {statistics.median(times) * 1000:7.1f} ms   "
        f"min {min(times) * 1000:7.1f} ms   (n={len(times)})"
    )


def peak_rss_kb(command: Sequence[str], env: dict[str, str] | None = None) -> int | None:
    """Peak resident memory of one run, from GNU time, or None when it is not installed."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if not Path(gnu_time).exists():
        return None
    proc = subprocess.run(
        [gnu_time, "-f", "%M", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    return int(last) if last.isdigit() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def osv_server(records: Path) -> Iterator[str]:
    """Run ../shared/tools/osv-server over `records` on loopback; yield its base URL."""
    port = free_port()
    python = PEERS / "bin" / "python"
    if not python.exists():
        peer("pip-audit")
    proc = subprocess.Popen(
        [str(python), str(SHARED / "tools" / "osv-server"), str(records), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()  # "serving N OSV records on ..." once it is ready
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def fresh_env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BASTION_CACHE_DIR"] = str(cache_dir)
    env["NO_COLOR"] = "1"
    # As installed software runs: with its bytecode cache (some shells here disable writing it,
    # which would make every run compile bastion's sources again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
