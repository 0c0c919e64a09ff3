"""B301-B323: calls bandit blacklists (deserializers, weak crypto, eval, XML, clear text).

Each case is a snippet, the findings of one rule on it as (line, severity, confidence), and
what bandit 1.9.4 reported for that rule on the same snippet ("same" = identical findings).
"""

from __future__ import annotations

import pytest

from support.rules import Case, found

M = ("MEDIUM", "HIGH")
H = ("HIGH", "HIGH")
L = ("LOW", "HIGH")


def lines(*numbers: int, level: tuple[str, str] = M) -> tuple[tuple[int, str, str], ...]:
    return tuple((n, *level) for n in numbers)


CASES = [
    # --- B301 pickle ---
    Case(
        "B301",
        """
        import pickle
        import pickle as pk
        from pickle import loads as unpickle
        pickle.loads(data)
        pickle.load(stream)
        pk.Unpickler(stream)
        unpickle(data)
        """,
        lines(5, 6, 7, 8),
    ),
    Case(
        "B301",
        """
        import dill, shelve, jsonpickle
        import pandas as pd
        dill.loads(data)
        shelve.open(path)
        jsonpickle.decode(text)
        pd.read_pickle(path)
        """,
        lines(4, 5, 6, 7),
    ),
    Case(
        "B301",
        'import pickle\npickle.loads(b"\\x80\\x04K\\x01.")\n',
        lines(2, level=L),
        "MEDIUM/HIGH line 2: bastion lowers severity for constant data",
    ),
    Case(
        "B301",
        "import joblib\nmodel = joblib.load(path)\n",
        lines(2),
        "none: bandit does not list joblib",
    ),
    Case(
        "B301",
        "import pickle, json\npickle.dumps(obj)\njson.loads(text)\n",
        (),
        "none",
    ),
    Case(
        "B301",
        "pickle = make_codec()\npickle.loads(data)\n",
        (),
        "MEDIUM/HIGH line 2: pickle is a local object, not the module",
    ),
    # --- B302 marshal ---
    Case("B302", "import marshal\nmarshal.loads(blob)\nmarshal.load(stream)\n", lines(2, 3)),
    Case(
        "B302",
        'import marshal\nmarshal.loads(b"\\xe9\\x01\\x00\\x00\\x00")\n',
        lines(2, level=L),
        "MEDIUM/HIGH line 2: bastion lowers severity for constant data",
    ),
    Case("B302", "import marshal\nmarshal.dumps(code)\n", (), "none"),
    # --- B303 md5 ---
    Case(
        "B303",
        """
        from Crypto.Hash import MD5
        import Cryptodome.Hash.SHA
        from cryptography.hazmat.primitives import hashes
        MD5.new(data)
        Cryptodome.Hash.SHA.new(data)
        hashes.Hash(hashes.MD5())
        hashes.SHA1()
        """,
        lines(5, 6, 7, 8),
    ),
    Case(
        "B303",
        """
        from cryptography.hazmat.primitives import hashes
        from mylib import MD5
        hashes.SHA256()
        MD5.new(data)
        """,
        (),
        "none",
    ),
    # --- B304 ciphers ---
    Case(
        "B304",
        """
        from Crypto.Cipher import DES, ARC4
        from cryptography.hazmat.primitives.ciphers import algorithms
        DES.new(key, DES.MODE_CBC, iv)
        ARC4.new(key)
        algorithms.TripleDES(key)
        algorithms.Blowfish(key)
        """,
        lines(4, 5, 6, 7, level=H),
    ),
    Case(
        "B304",
        """
        from Crypto.Cipher import AES
        from cryptography.hazmat.primitives.ciphers import algorithms
        AES.new(key, AES.MODE_GCM)
        algorithms.AES(key)
        """,
        (),
        "none",
    ),
    # --- B305 cipher_modes ---
    Case(
        "B305",
        """
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        Cipher(algorithms.AES(key), modes.ECB())
        """,
        lines(3),
    ),
    Case(
        "B305",
        "from cryptography.hazmat.primitives.ciphers import modes\nmodes.GCM(iv)\nmodes.CBC(iv)\n",
        (),
        "none",
    ),
    # --- B306 mktemp_q ---
    Case(
        "B306",
        """
        import tempfile
        from tempfile import mktemp
        tempfile.mktemp()
        mktemp(suffix=".txt")
        """,
        lines(4, 5),
    ),
    Case(
        "B306",
        "import tempfile\ntempfile.mkstemp()\ntempfile.NamedTemporaryFile()\n",
        (),
        "none",
    ),
    # --- B307 eval ---
    Case("B307", "result = eval(expression)\n", lines(1)),
    Case(
        "B307",
        'eval("1 + 2")\n',
        lines(1, level=L),
        "MEDIUM/HIGH line 1: bastion lowers severity for a constant string",
    ),
    Case(
        "B307",
        "import builtins\nbuiltins.eval(text)\n",
        lines(2),
        "none: bandit only matches the bare name",
    ),
    Case(
        "B307",
        """
        import ast
        ast.literal_eval(text)
        model.eval()
        """,
        (),
        "none",
    ),
    Case(
        "B307",
        """
        def eval(node):
            return node
        eval(tree)
        """,
        (),
        "MEDIUM/HIGH line 4: bandit does not see that eval is a local function",
    ),
    # --- B308 mark_safe ---
    Case(
        "B308",
        """
        from django.utils.safestring import mark_safe
        from django.utils import safestring
        mark_safe(html)
        safestring.mark_safe(f"<b>{name}</b>")
        """,
        lines(4, 5),
    ),
    Case(
        "B308",
        'from django.utils.safestring import mark_safe\nmark_safe("<br>")\n',
        lines(2, level=L),
        "MEDIUM/HIGH line 2: bastion lowers severity for a constant string",
    ),
    Case(
        "B308",
        "from django.utils.html import mark_safe\nmark_safe(html)\n",
        lines(2),
        "none: bandit only knows django.utils.safestring.mark_safe",
    ),
    Case(
        "B308",
        'from django.utils.html import format_html\nformat_html("<b>{}</b>", name)\n',
        (),
        "none",
    ),
    # --- B310 urllib_urlopen ---
    Case(
        "B310",
        """
        import urllib.request
        from urllib.request import urlopen, urlretrieve
        urllib.request.urlopen(url)
        urlopen(urllib.request.Request(url))
        urlretrieve(url, "out.bin")
        urllib.request.URLopener()
        urlopen("file:///etc/passwd")
        """,
        lines(4, 5, 6, 7, 8),
    ),
    Case(
        "B310",
        "from six.moves.urllib.request import urlopen\nurlopen(url)\n",
        lines(2),
    ),
    Case(
        "B310",
        'from urllib.request import urlopen\nurlopen("https://pypi.org/simple/")\n',
        (),
        "MEDIUM/HIGH line 2: a constant https URL cannot change scheme",
    ),
    Case(
        "B310",
        "import urllib.parse\nurllib.parse.urlsplit(url)\n",
        (),
        "none",
    ),
    # --- B311 random ---
    Case(
        "B311",
        """
        import random
        from random import randint
        random.random()
        random.choice(items)
        randint(1, 6)
        random.Random(42)
        """,
        lines(4, 5, 6, 7, level=("LOW", "HIGH")),
    ),
    Case(
        "B311",
        "import random, secrets\nrandom.SystemRandom()\nsecrets.choice(items)\nrandom.shuffle(x)\n",
        (),
        "none",
    ),
    # --- B312 telnetlib ---
    Case(
        "B312",
        "import telnetlib\nfrom telnetlib import Telnet\ntelnetlib.Telnet(host)\nTelnet(host)\n",
        lines(3, 4, level=H),
    ),
    Case("B312", "import paramiko\nparamiko.SSHClient()\n", (), "none"),
    # --- B313 xml_bad_cElementTree ---
    Case(
        "B313",
        """
        import xml.etree.cElementTree as ET
        ET.parse(path)
        ET.iterparse(stream)
        ET.fromstring(body)
        ET.XMLParser()
        """,
        lines(3, 4, 5, 6),
    ),
    Case(
        "B313",
        "import xml.etree.cElementTree as ET\nET.tostring(element)\nET.Element('a')\n",
        (),
        "none",
    ),
    # --- B314 xml_bad_ElementTree ---
    Case(
        "B314",
        """
        import xml.etree.ElementTree as ET
        from xml.etree.ElementTree import parse
        ET.fromstring(body)
        parse(path)
        ET.iterparse(stream)
        ET.XMLParser(encoding="utf-8")
        """,
        lines(4, 5, 6, 7),
    ),
    Case(
        "B314",
        'import xml.etree.ElementTree as ET\nET.fromstring("<config/>")\n',
        lines(2, level=L),
        "MEDIUM/HIGH line 2: bastion lowers severity for constant XML text",
    ),
    Case(
        "B314",
        "import xml.etree.ElementTree as ET\nimport defusedxml.ElementTree as DET\n"
        "ET.tostring(element)\nDET.fromstring(body)\n",
        (),
        "none",
    ),
    # --- B315 xml_bad_expatreader ---
    Case(
        "B315",
        "from xml.sax import expatreader\nexpatreader.create_parser()\n",
        lines(2),
    ),
    Case(
        "B315",
        "from defusedxml import expatreader\nexpatreader.create_parser()\n",
        (),
        "none",
    ),
    # --- B316 xml_bad_expatbuilder ---
    Case(
        "B316",
        "from xml.dom import expatbuilder\n"
        "expatbuilder.parse(path)\nexpatbuilder.parseString(body)\n",
        lines(2, 3),
    ),
    Case(
        "B316",
        "from defusedxml import expatbuilder\nexpatbuilder.parseString(body)\n",
        (),
        "none",
    ),
    # --- B317 xml_bad_sax ---
    Case(
        "B317",
        "import xml.sax\nxml.sax.parseString(body, handler)\nxml.sax.parse(path, handler)\n"
        "xml.sax.make_parser()\n",
        lines(2, 3, 4),
    ),
    Case("B317", "import xml.sax\nxml.sax.ContentHandler()\n", (), "none"),
    # --- B318 xml_bad_minidom ---
    Case(
        "B318",
        "import xml.dom.minidom\nfrom xml.dom import minidom\n"
        "xml.dom.minidom.parse(path)\nminidom.parseString(body)\n",
        lines(3, 4),
    ),
    Case(
        "B318",
        "from xml.dom import minidom\nfrom defusedxml import minidom as safe\n"
        "minidom.Document()\nsafe.parseString(body)\n",
        (),
        "none",
    ),
    # --- B319 xml_bad_pulldom ---
    Case(
        "B319",
        "from xml.dom import pulldom\npulldom.parse(stream)\npulldom.parseString(body)\n",
        lines(2, 3),
    ),
    Case(
        "B319",
        "from defusedxml import pulldom\npulldom.parse(stream)\n",
        (),
        "none",
    ),
    # --- B321 ftplib ---
    Case(
        "B321",
        "import ftplib\nfrom ftplib import FTP\nftplib.FTP(host)\nFTP(host, user, password)\n",
        lines(3, 4, level=H),
    ),
    Case("B321", "import ftplib\nftplib.FTP_TLS(host)\n", (), "none"),
    # --- B323 unverified_context ---
    Case("B323", "import ssl\nssl._create_unverified_context()\n", lines(2)),
    Case("B323", "import ssl\nssl.create_default_context()\n", (), "none"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_rule_findings(case: Case) -> None:
    assert found(case) == case.expected
