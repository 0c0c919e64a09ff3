"""B601-B607 and B609: starting processes, with and without a shell."""

from __future__ import annotations

import pytest

from bastion.code.engine import analyze_source
from support.rules import RULES, Case, found

HH = ("HIGH", "HIGH")
LH = ("LOW", "HIGH")

CASES = [
    # --- B601 paramiko_calls ---
    Case("B601", "import paramiko\nclient.exec_command(cmd)\n", ((2, "MEDIUM", "MEDIUM"),)),
    Case(
        "B601",
        """
        from paramiko import SSHClient
        client = SSHClient()
        stdin, out, err = client.exec_command(f"ls {path}")
        """,
        ((4, "MEDIUM", "MEDIUM"),),
    ),
    Case(
        "B601",
        "import paramiko\nclient.exec_command('uptime')\n",
        ((2, "LOW", "MEDIUM"),),
        "2 MEDIUM/MEDIUM",
    ),
    Case("B601", "runner.exec_command(cmd)\n", ()),
    Case("B601", "import paramiko\nclient.exec(cmd)\n", ()),
    # --- B602 subprocess_popen_with_shell_equals_true ---
    Case("B602", "import subprocess\nsubprocess.Popen(cmd, shell=True)\n", ((2, *HH),)),
    Case("B602", "import subprocess as sp\nsp.run(f'ls {d}', shell=True)\n", ((2, *HH),)),
    Case(
        "B602",
        "from subprocess import check_output as co\nco('ls ' + d, shell=True)\n",
        ((2, *HH),),
    ),
    Case("B602", "import subprocess\nsubprocess.check_call(cmd, shell=1)\n", ((2, *HH),)),
    Case("B602", "import subprocess\nsubprocess.call('ls -l', shell=True)\n", ((2, *LH),)),
    Case(
        "B602",
        "import subprocess\nsubprocess.run(['ls', '-l'], shell=True)\n",
        ((2, *LH),),
        "2 HIGH/HIGH",
    ),
    Case(
        "B602",
        "import subprocess\nsubprocess.run(cmd, shell=use_shell)\n",
        ((2, "HIGH", "MEDIUM"),),
        "2 HIGH/HIGH",
    ),
    Case("B602", "import subprocess\nsubprocess.run(args=cmd, shell=True)\n", ((2, *HH),), "none"),
    Case(
        "B602",
        """
        import subprocess
        subprocess.Popen(
            cmd,
            shell=True,
        )
        """,
        ((3, *HH),),
        "5 HIGH/HIGH",
    ),
    Case(
        "B602",
        """
        import subprocess
        subprocess.run(cmd, shell=False)
        subprocess.run(cmd, shell=None)
        subprocess.run(cmd)
        """,
        (),
    ),
    Case("B602", "import subprocess\nrunner.run(cmd, shell=True)\n", ()),
    Case("B602", "def run(cmd, shell):\n    pass\nrun(cmd, shell=True)\n", ()),
    # --- B603 subprocess_without_shell_equals_true ---
    Case("B603", "import subprocess\nsubprocess.run(cmd)\n", ((2, *LH),)),
    Case("B603", "from subprocess import Popen\nPopen([tool, arg])\n", ((2, *LH),)),
    Case(
        "B603",
        "import subprocess\nsubprocess.check_output(['git', 'log', ref], shell=False)\n",
        ((2, *LH),),
    ),
    Case("B603", "import subprocess\nsubprocess.run(args=[exe])\n", ((2, *LH),)),
    Case("B603", "import subprocess\nsubprocess.run(['ls', '-l'])\n", (), "2 LOW/HIGH"),
    Case("B603", "import subprocess\nsubprocess.run(cmd, shell=True)\n", ()),
    Case("B603", "import subprocess\nrunner.run(cmd)\n", ()),
    # --- B604 any_other_function_with_shell_equals_true ---
    Case("B604", "run_command(cmd, shell=True)\n", ((1, "MEDIUM", "LOW"),)),
    Case("B604", "from invoke import run\nrun(cmd, shell='/bin/bash')\n", ((2, "MEDIUM", "LOW"),)),
    Case("B604", "helper('ls -l', shell=True)\n", ((1, "LOW", "LOW"),), "1 MEDIUM/LOW"),
    Case("B604", "import subprocess\nsubprocess.Popen(cmd, shell=True)\n", ()),
    Case("B604", "helper(cmd, shell=False)\nhelper(cmd)\n", ()),
    # --- B605 start_process_with_a_shell ---
    Case("B605", "import os\nos.system(cmd)\n", ((2, *HH),)),
    Case("B605", "import os\nos.popen('ls ' + d)\n", ((2, *HH),)),
    Case("B605", "from os import system as run\nrun(cmd)\n", ((2, *HH),)),
    Case("B605", "import subprocess\nsubprocess.getoutput(cmd)\n", ((2, *HH),)),
    Case("B605", "import os\nos.system('ls -l')\n", ((2, *LH),)),
    Case("B605", "import os\nos.system(*command)\n", ((2, *HH),)),
    Case("B605", "import os\nos.system(command=cmd)\n", ((2, *HH),), "none"),
    Case("B605", "import os\nos.system('ls ' + '-l')\n", ((2, *LH),), "2 HIGH/HIGH"),
    Case("B605", "shell.system(cmd)\nimport os\nos.path.join(cmd)\n", ()),
    # --- B606 start_process_with_no_shell ---
    Case("B606", "import os\nos.execvp(editor, [editor, path])\n", ((2, "LOW", "MEDIUM"),)),
    Case("B606", "import os\nos.spawnl(os.P_WAIT, prog, prog)\n", ((2, "LOW", "MEDIUM"),)),
    Case("B606", "from os import startfile\nstartfile(path)\n", ((2, "LOW", "MEDIUM"),)),
    Case(
        "B606",
        "import os\nos.execve('/bin/sh', ['sh', '-c', cmd], os.environ)\n",
        ((2, "LOW", "MEDIUM"),),
    ),
    Case("B606", "import os\nos.execv('/bin/ls', ['ls', '-l'])\n", (), "2 LOW/MEDIUM"),
    Case("B606", "import os\nos.execvpe('ls', ['ls'], os.environ)\n", (), "2 LOW/MEDIUM"),
    Case("B606", "import os\nprocess.execv(prog, args)\n", ()),
    # --- B607 start_process_with_partial_path ---
    Case("B607", "import subprocess\nsubprocess.run(['git', 'status'])\n", ((2, *LH),)),
    Case("B607", "import subprocess\nsubprocess.Popen('ls -l', shell=True)\n", ((2, *LH),)),
    Case("B607", "import os\nos.system('make')\n", ((2, *LH),)),
    Case("B607", "import os\nos.execlp('ls', 'ls', '-l')\n", ((2, *LH),)),
    Case("B607", "import os\nos.spawnlp(os.P_WAIT, 'ls', 'ls')\n", ((2, *LH),), "none"),
    Case("B607", "import subprocess\nsubprocess.run(args=['ls'])\n", ((2, *LH),), "none"),
    Case(
        "B607",
        """
        import os, subprocess
        subprocess.run(["/usr/bin/git", "status"])
        subprocess.run(["./build.sh"])
        os.system("C:\\\\tools\\\\x.exe")
        subprocess.run([git, "status"])
        runner.run(["git"])
        """,
        (),
    ),
    # --- B609 linux_commands_wildcard_injection ---
    Case("B609", "import os\nos.system('tar czf backup.tgz *')\n", ((2, "HIGH", "MEDIUM"),)),
    Case(
        "B609",
        "import subprocess\nsubprocess.Popen('/bin/chown root:root *', shell=True)\n",
        ((2, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B609",
        "import subprocess\nsubprocess.call(['chmod', '+w', '*'], shell=True)\n",
        ((2, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B609",
        "import os\nos.popen('cd /srv && rsync -a * host:/backup')\n",
        ((2, "HIGH", "MEDIUM"),),
    ),
    Case("B609", "import subprocess\nsubprocess.call(['tar', 'czf', 'x.tgz', '*'])\n", ()),
    Case("B609", "import os\nos.system('start *.txt')\n", (), "2 HIGH/MEDIUM"),
    Case("B609", "import os\nos.system('tar czf backup.tgz data')\n", ()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{CASES.index(c)}")
def test_rule(case: Case) -> None:
    assert found(case) == case.expected


def test_shell_functions_are_not_reported_as_other_shell_calls() -> None:
    source = "import subprocess\nsubprocess.run(cmd, shell=True)\n"
    findings = analyze_source("case.py", source, RULES)
    ids = {f.rule_id for f in findings}
    assert "B602" in ids
    assert "B603" not in ids
    assert "B604" not in ids
