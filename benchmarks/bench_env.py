"""Benchmark `bastion env` on a venv of about 100 distributions.

    python benchmarks/bench_env.py [--runs 15]

Measures, in one run, whole-process wall time of `bastion env --python VENV` on
benchmarks/.work/installed (the venv `bench_verify.py` makes: 109 distributions), beside the
introspection subprocess alone (the base interpreter with `-I -S` and bastion's fixed script),
and `bastion env` on the interpreter bastion runs under. Bytecode is compiled first.
"""

from __future__ import annotations

import argparse
import subprocess  # nosec B404 - a benchmark runs the tools it measures
import sys
import tempfile
from pathlib import Path

from _support import bastion, fresh_env, summary, time_runs
from bench_verify import installed_venv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    source = Path(__file__).resolve().parents[1] / "src"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)  # nosec B603
    venv = installed_venv()
    distributions = len(list(venv.glob("lib/python*/site-packages/*.dist-info")))
    env = fresh_env(Path(tempfile.mkdtemp(prefix="bastion-bench-env-")))
    exe = bastion()
    command = [*exe, "env", "--python", str(venv)]
    time_runs(command, 2, env)  # bytecode written: not counted
    times = time_runs(command, args.runs, env)
    print(f"bastion env, venv of {distributions} distributions   {summary(times)}")
    from bastion.env.introspect import SCRIPT
    from bastion.inventory.installed import base_interpreter, pyvenv_config

    base = base_interpreter(pyvenv_config(venv / "pyvenv.cfg"))
    assert base is not None  # nosec B101 - the benchmark's own venv
    probe = [str(base), "-I", "-S", "-c", SCRIPT]
    print(f"  the introspection subprocess alone           {summary(time_runs(probe, args.runs))}")
    own = [*exe, "env", "--python", sys.executable]
    print(
        f"bastion env, this interpreter                  {summary(time_runs(own, args.runs, env))}"
    )


if __name__ == "__main__":
    main()
