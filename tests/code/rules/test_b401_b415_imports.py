"""B401-B415: imports of modules bandit blacklists (B410 and B414 were removed in bandit 1.9).

Aliases, `from` imports, dynamic imports and look-alikes; one rule at a time.
"""

from __future__ import annotations

import pytest

from bastion.code.engine import analyze_source
from support.rules import RULES, Case, found

H = ("HIGH", "HIGH")
L = ("LOW", "HIGH")

CASES = [
    # --- B401 import_telnetlib ---
    Case("B401", "import telnetlib\n", ((1, *H),)),
    Case("B401", "import os, telnetlib as tn\n", ((1, *H),)),
    Case("B401", "from telnetlib import Telnet\n", ((1, *H),)),
    Case("B401", "mod = __import__('telnetlib')\n", ((1, *H),)),
    Case(
        "B401",
        """
        import importlib
        mod = importlib.import_module("telnetlib")
        """,
        ((3, *H),),
    ),
    Case("B401", "from .telnetlib import session\n", (), "1 HIGH/HIGH"),
    Case("B401", "import mytelnetlib\nNAME = 'telnetlib'\n", ()),
    # --- B402 import_ftplib ---
    Case("B402", "import ftplib\n", ((1, *H),)),
    Case("B402", "from ftplib import FTP\n", ((1, *H),)),
    Case("B402", "import ftplib as f\n", ((1, *H),)),
    Case("B402", "from ftplib import FTP_TLS\n", ((1, *L),), "1 HIGH/HIGH"),
    Case("B402", "import ftplib_helpers\n", (), "1 HIGH/HIGH"),
    Case("B402", "from paramiko import SFTPClient\n", ()),
    # --- B403 import_pickle ---
    Case("B403", "import pickle\n", ((1, *L),)),
    Case("B403", "import cPickle\n", ((1, *L),)),
    Case("B403", "import dill as d\n", ((1, *L),)),
    Case("B403", "from shelve import open as shelf\n", ((1, *L),)),
    Case("B403", "from pickle import loads\n", ((1, *L),)),
    Case("B403", "import pickletools\n", (), "1 LOW/HIGH"),
    Case("B403", "import json\nimport jsonpickle_free\n", ()),
    # --- B404 import_subprocess ---
    Case("B404", "import subprocess\n", ((1, *L),)),
    Case("B404", "import subprocess as sp\n", ((1, *L),)),
    Case("B404", "from subprocess import run, PIPE\n", ((1, *L),)),
    Case("B404", "import importlib\nimportlib.__import__('subprocess')\n", ((2, *L),)),
    Case("B404", "from asyncio import subprocess\n", ()),
    Case("B404", "import subprocess_tee\n", (), "1 LOW/HIGH"),
    # --- B405 import_xml_etree ---
    Case("B405", "import xml.etree.ElementTree as ET\n", ((1, *L),)),
    Case("B405", "from xml.etree import ElementTree\n", ((1, *L),)),
    Case("B405", "from xml.etree.ElementTree import fromstring\n", ((1, *L),)),
    Case("B405", "import xml.etree.cElementTree\n", ((1, *L),)),
    Case("B405", "import defusedxml.ElementTree as ET\n", ()),
    Case("B405", "import xml.etree\n", ()),
    # --- B406 import_xml_sax ---
    Case("B406", "import xml.sax\n", ((1, *L),)),
    Case("B406", "from xml import sax\n", ((1, *L),)),
    Case("B406", "from xml.sax import make_parser\n", ((1, *L),)),
    Case("B406", "from xml.sax.handler import ContentHandler\n", ((1, *L),)),
    Case("B406", "from xml.sax.saxutils import escape\n", (), "1 LOW/HIGH"),
    Case("B406", "import defusedxml.sax\n", ()),
    # --- B407 import_xml_expat ---
    Case("B407", "from xml.dom import expatbuilder\n", ((1, *L),)),
    Case("B407", "import xml.dom.expatbuilder\n", ((1, *L),)),
    Case("B407", "from xml.dom import minidom\n", ()),
    # --- B408 import_xml_minidom ---
    Case("B408", "from xml.dom import minidom\n", ((1, *L),)),
    Case("B408", "import xml.dom.minidom\n", ((1, *L),)),
    Case("B408", "from xml.dom.minidom import parseString as parse\n", ((1, *L),)),
    Case("B408", "from defusedxml.minidom import parseString\n", ()),
    # --- B409 import_xml_pulldom ---
    Case("B409", "from xml.dom import pulldom\n", ((1, *L),)),
    Case("B409", "import xml.dom.pulldom\n", ((1, *L),)),
    Case("B409", "from defusedxml import pulldom\n", ()),
    # --- B411 import_xmlrpclib ---
    Case("B411", "import xmlrpc.client\n", ((1, *H),)),
    Case("B411", "from xmlrpc.server import SimpleXMLRPCServer\n", ((1, *H),)),
    Case("B411", "from xmlrpc import client as rpc\n", ((1, *H),)),
    Case("B411", "from defusedxml.xmlrpc import monkey_patch\n", ()),
    # --- B412 import_httpoxy ---
    Case(
        "B412",
        """
        from wsgiref.handlers import CGIHandler
        CGIHandler().run(application)
        """,
        ((2, *H), (3, *H)),
    ),
    Case(
        "B412",
        """
        import wsgiref.handlers
        wsgiref.handlers.CGIHandler().run(application)
        """,
        ((3, *H),),
    ),
    Case("B412", "from twisted.web.twcgi import CGIScript\n", ((1, *H),)),
    Case("B412", "from twisted.web import twcgi\ntwcgi.CGIDirectory(path)\n", ((2, *H),)),
    Case("B412", "from wsgiref.handlers import SimpleHandler\n", ()),
    Case("B412", "from wsgiref.simple_server import make_server\n", ()),
    # --- B413 import_pycrypto ---
    Case("B413", "from Crypto.Cipher import AES\n", ((1, *H),)),
    Case("B413", "import Crypto.Hash.MD5\n", ((1, *H),)),
    Case("B413", "from Crypto import Random\n", ((1, *H),)),
    Case("B413", "import Crypto.PublicKey.RSA as rsa\n", ((1, *H),)),
    Case("B413", "from Cryptodome.Cipher import AES\n", ()),
    Case("B413", "from cryptography.fernet import Fernet\nimport Crypto\n", ()),
    # --- B415 import_pyghmi ---
    Case("B415", "import pyghmi\n", ((1, *H),)),
    Case("B415", "from pyghmi.ipmi import command\n", ((1, *H),)),
    Case("B415", "from pyipmi import interfaces\n", ()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{CASES.index(c)}")
def test_rule(case: Case) -> None:
    assert found(case) == case.expected


def test_one_statement_reports_each_rule_once() -> None:
    source = "import pickle, subprocess, telnetlib\n"
    rules = {rid: RULES[rid] for rid in ("B401", "B403", "B404")}
    findings = analyze_source("case.py", source, rules)
    assert sorted(f.rule_id for f in findings) == ["B401", "B403", "B404"]  # bandit: B403 only


def test_finding_names_every_blacklisted_module() -> None:
    findings = analyze_source("case.py", "import pickle, dill\n", {"B403": RULES["B403"]})
    assert [f.title for f in findings] == [
        "import of `pickle`, `dill`: unpickling untrusted data runs arbitrary code"
    ]


def test_removed_bandit_ids_are_not_registered() -> None:
    assert "B410" not in RULES
    assert "B414" not in RULES


@pytest.mark.parametrize(
    ("rule", "name"),
    [
        ("B401", "import_telnetlib"),
        ("B402", "import_ftplib"),
        ("B403", "import_pickle"),
        ("B404", "import_subprocess"),
        ("B405", "import_xml_etree"),
        ("B406", "import_xml_sax"),
        ("B407", "import_xml_expat"),
        ("B408", "import_xml_minidom"),
        ("B409", "import_xml_pulldom"),
        ("B411", "import_xmlrpclib"),
        ("B412", "import_httpoxy"),
        ("B413", "import_pycrypto"),
        ("B415", "import_pyghmi"),
    ],
)
def test_bandit_names(rule: str, name: str) -> None:
    assert RULES[rule].name == name
