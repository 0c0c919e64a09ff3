"""B612-B615: logging config listener, Trojan Source, torch.load, Hugging Face downloads."""

from __future__ import annotations

import pytest

from bastion.code.engine import analyze_source
from support.rules import RULES, Case, found

CASES = [
    # --- B612 logging_config_insecure_listen ---
    Case("B612", "import logging.config\nlogging.config.listen(9999)\n", ((2, "MEDIUM", "HIGH"),)),
    Case("B612", "from logging import config\nconfig.listen()\n", ((2, "MEDIUM", "HIGH"),)),
    Case(
        "B612",
        "from logging.config import listen\nt = listen(9999, verify=None)\n",
        ((2, "MEDIUM", "HIGH"),),
        "none",
    ),
    Case("B612", "import logging.config\nlogging.config.listen(9999, verify=check)\n", ()),
    Case(
        "B612",
        "import logging.config\nlogging.config.listen(9999, check)\n",
        (),
        "2 MEDIUM/HIGH",
    ),
    Case("B612", "server.listen(5)\n", ()),
    # --- B613 trojansource ---
    Case(
        "B613",
        'access = "user"\nif access != "user\u202e \u2066# admin\u2069 \u2066":\n    grant()\n',
        ((2, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B613",
        "# \u2067hidden\u2069\nx = 1\ny = '\u200f'\n",
        ((1, "HIGH", "MEDIUM"), (3, "HIGH", "MEDIUM")),
        "1 HIGH/MEDIUM",
    ),
    Case("B613", "greeting = '\u0645\u0631\u062d\u0628\u0627'\nescaped = '\\u202e'\n", ()),
    # --- B614 pytorch_load ---
    Case("B614", "import torch\ntorch.load(path)\n", ((2, "MEDIUM", "HIGH"),)),
    Case("B614", "import torch\ntorch.load(f, weights_only=False)\n", ((2, "MEDIUM", "HIGH"),)),
    Case("B614", "import torch\ntorch.serialization.load(f)\n", ((2, "MEDIUM", "HIGH"),)),
    Case("B614", "from torch import load\nload(f)\n", ((2, "MEDIUM", "HIGH"),), "none"),
    Case(
        "B614",
        "import torch\ntorch.load(f, weights_only=safe)\n",
        ((2, "MEDIUM", "MEDIUM"),),
        "2 MEDIUM/HIGH",
    ),
    Case("B614", "import torch\ntorch.load(f, weights_only=True)\n", ()),
    Case("B614", "import numpy, torch\nnumpy.load(f)\nmodel.load(f)\n", ()),
    # --- B615 huggingface_unsafe_download ---
    Case(
        "B615",
        "from transformers import AutoModel\nAutoModel.from_pretrained('org/model')\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B615",
        "import transformers\n"
        "transformers.AutoTokenizer.from_pretrained('org/model', revision='main')\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B615",
        "from huggingface_hub import hf_hub_download\nhf_hub_download('org/m', 'model.bin')\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B615",
        "from datasets import load_dataset\nload_dataset('org/dataset')\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B615",
        "import huggingface_hub\n"
        "huggingface_hub.snapshot_download(repo_id='org/m', revision='v1.0')\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B615",
        """
        from transformers import AutoModel
        AutoModel.from_pretrained("org/m", revision="4f0c5c6a5c3e2b1d9a8f7e6d5c4b3a2918f7e6d5")
        AutoModel.from_pretrained("org/m", revision=pinned)
        AutoModel.from_pretrained("./checkpoints/m")
        """,
        (),
    ),
    Case(
        "B615",
        "from datasets import load_dataset\nload_dataset('csv', data_files='x.csv')\n",
        (),
        "2 MEDIUM/HIGH",
    ),
    Case(
        "B615",
        "from transformers import AutoModel\n"
        "AutoModel.from_pretrained('org/m', local_files_only=True)\n",
        (),
        "2 MEDIUM/HIGH",
    ),
    Case(
        "B615",
        "from diffusers import DiffusionPipeline\nDiffusionPipeline.from_pretrained('x')\n",
        (),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{CASES.index(c)}")
def test_rule(case: Case) -> None:
    assert found(case) == case.expected


def test_trojansource_reports_the_column_of_the_character() -> None:
    source = 'x = "ab\u202ecd"\n'
    (finding,) = analyze_source("case.py", source, {"B613": RULES["B613"]})
    assert finding.location is not None
    assert (finding.location.line, finding.location.column) == (1, 8)
    assert finding.title == "bidirectional control character U+202E in source"
