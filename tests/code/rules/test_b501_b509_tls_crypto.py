"""B501-B509: certificate checks, TLS versions, key sizes, YAML, SSH host keys, SNMP."""

from __future__ import annotations

import pytest

from support.rules import Case, found

CASES = [
    # --- B501 request_with_no_cert_validation ---
    Case("B501", "import requests\nrequests.get(url, verify=False)\n", ((2, "HIGH", "HIGH"),)),
    Case(
        "B501",
        "from requests import post\npost(url, data=body, verify=False)\n",
        ((2, "HIGH", "HIGH"),),
    ),
    Case("B501", "import httpx\nclient = httpx.Client(verify=False)\n", ((2, "HIGH", "HIGH"),)),
    Case("B501", "import httpx as h\nh.AsyncClient(verify=False)\n", ((2, "HIGH", "HIGH"),)),
    Case(
        "B501",
        "import requests as r\nr.request('GET', url, verify=False)\n",
        ((2, "HIGH", "HIGH"),),
        "none",
    ),
    Case(
        "B501",
        """
        import requests
        session = requests.Session()
        session.get(url, verify=False)
        """,
        ((4, "HIGH", "MEDIUM"),),
        "none",
    ),
    Case(
        "B501",
        """
        import requests
        requests.put(
            url,
            verify=False,
        )
        """,
        ((3, "HIGH", "HIGH"),),
        "5 HIGH/HIGH",
    ),
    Case("B501", "import requests\nrequests.get(url)\nrequests.get(url, verify=True)\n", ()),
    Case("B501", "import requests\nrequests.get(url, verify='/etc/ca.pem')\n", ()),
    Case("B501", "cache.get(key, verify=False)\n", ()),
    Case("B501", "import requests\nrequests.Session(verify=False)\n", ()),
    # --- B502 ssl_with_bad_version ---
    Case(
        "B502",
        "import ssl\nssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv2)\n",
        ((2, "HIGH", "HIGH"),),
    ),
    Case(
        "B502",
        "import ssl\ncontext = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n",
        ((2, "HIGH", "HIGH"),),
        "none",
    ),
    Case(
        "B502",
        "from OpenSSL import SSL\nSSL.Context(SSL.SSLv3_METHOD)\n",
        ((2, "HIGH", "HIGH"),),
        "none",
    ),
    Case(
        "B502",
        "from OpenSSL import SSL\nSSL.Context(method=SSL.TLSv1_METHOD)\n",
        ((2, "HIGH", "HIGH"),),
        "2 MEDIUM/MEDIUM",
    ),
    Case(
        "B502",
        "from OpenSSL import SSL\nmake_context(method=SSL.SSLv23_METHOD)\n",
        ((2, "MEDIUM", "MEDIUM"),),
    ),
    Case(
        "B502",
        "from ssl import PROTOCOL_TLSv1_1 as legacy\nconnect(host, ssl_version=legacy)\n",
        ((2, "MEDIUM", "MEDIUM"),),
        "none",
    ),
    Case("B502", "import ssl\nssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS_CLIENT)\n", ()),
    Case("B502", "import ssl\nssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n", ()),
    Case("B502", "fetch(url, method='GET')\n", ()),
    # --- B503 ssl_with_bad_defaults ---
    Case(
        "B503",
        "import ssl\ndef connect(v=ssl.PROTOCOL_SSLv2):\n    pass\n",
        ((2, "MEDIUM", "MEDIUM"),),
    ),
    Case(
        "B503",
        "from OpenSSL import SSL\ndef connect(*, method=SSL.TLSv1_METHOD):\n    pass\n",
        ((2, "MEDIUM", "MEDIUM"),),
        "none",
    ),
    Case(
        "B503",
        "import ssl\nasync def connect(v=ssl.PROTOCOL_TLSv1):\n    pass\n",
        ((2, "MEDIUM", "MEDIUM"),),
        "none",
    ),
    Case("B503", "import ssl\ndef connect(v=ssl.PROTOCOL_TLS_CLIENT, w=None):\n    pass\n", ()),
    # --- B504 ssl_with_no_version ---
    Case("B504", "import ssl\nssl.wrap_socket(sock)\n", ((2, "LOW", "MEDIUM"),)),
    Case(
        "B504",
        "from ssl import wrap_socket\nwrap_socket(sock, server_side=True)\n",
        ((2, "LOW", "MEDIUM"),),
    ),
    Case("B504", "import ssl\nssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS_CLIENT)\n", ()),
    Case(
        "B504",
        "import ssl\nssl.wrap_socket(sock, None, None, False, ssl.CERT_NONE, ssl.PROTOCOL_TLS)\n",
        (),
        "2 LOW/MEDIUM",
    ),
    Case("B504", "import ssl\ncontext.wrap_socket(sock, server_hostname=host)\n", ()),
    # --- B505 weak_cryptographic_key ---
    Case(
        "B505",
        """
        from cryptography.hazmat.primitives.asymmetric import rsa
        rsa.generate_private_key(public_exponent=65537, key_size=1024)
        rsa.generate_private_key(65537, 512)
        """,
        ((3, "MEDIUM", "HIGH"), (4, "HIGH", "HIGH")),
    ),
    Case(
        "B505",
        "from cryptography.hazmat.primitives.asymmetric import dsa\n"
        "dsa.generate_private_key(key_size=1024)\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B505",
        "from cryptography.hazmat.primitives.asymmetric import ec\n"
        "ec.generate_private_key(curve=ec.SECT163K1)\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B505",
        "from cryptography.hazmat.primitives.asymmetric import ec\n"
        "ec.generate_private_key(ec.SECP192R1())\n",
        ((2, "MEDIUM", "HIGH"),),
        "none",
    ),
    Case(
        "B505",
        """
        from Crypto.PublicKey import RSA, DSA
        RSA.generate(1024)
        DSA.generate(bits=512)
        """,
        ((3, "MEDIUM", "HIGH"), (4, "HIGH", "HIGH")),
    ),
    Case(
        "B505",
        "from Cryptodome.PublicKey import RSA as R\nR.generate(2047)\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B505",
        """
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        rsa.generate_private_key(public_exponent=65537, key_size=bits)
        ec.generate_private_key(ec.SECP256R1())
        """,
        (),
    ),
    Case("B505", "import random\nrandom.generate(512)\nRSA.generate(4096)\n", ()),
    # --- B506 yaml_load ---
    Case("B506", "import yaml\nyaml.load(data)\n", ((2, "MEDIUM", "HIGH"),)),
    Case("B506", "import yaml\nyaml.load(data, Loader=yaml.Loader)\n", ((2, "MEDIUM", "HIGH"),)),
    Case(
        "B506",
        "from yaml import load, FullLoader\nload(stream, FullLoader)\n",
        ((2, "MEDIUM", "HIGH"),),
        "none",
    ),
    Case("B506", "import yaml\nyaml.unsafe_load(data)\n", ((2, "MEDIUM", "HIGH"),), "none"),
    Case(
        "B506",
        "import yaml\nyaml.load_all(data, Loader=yaml.UnsafeLoader)\n",
        ((2, "MEDIUM", "HIGH"),),
        "none",
    ),
    Case(
        "B506",
        "import yaml\nyaml.load('a: 1', Loader=yaml.Loader)\n",
        ((2, "LOW", "HIGH"),),
        "2 MEDIUM/HIGH",
    ),
    Case(
        "B506",
        """
        import yaml
        yaml.load(data, Loader=yaml.SafeLoader)
        yaml.load(data, yaml.CSafeLoader)
        yaml.safe_load(data)
        """,
        (),
    ),
    Case("B506", "import yaml\nyaml.load(data, Loader=yaml.BaseLoader)\n", (), "2 MEDIUM/HIGH"),
    Case("B506", "import yaml\nself.yaml.load(data)\n", (), "2 MEDIUM/HIGH"),
    Case("B506", "import json\njson.load(f)\n", ()),
    # --- B507 ssh_no_host_key_verification ---
    Case(
        "B507",
        "import paramiko\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n",
        ((2, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B507",
        "from paramiko import WarningPolicy\nclient.set_missing_host_key_policy(WarningPolicy)\n",
        ((2, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B507",
        "from paramiko.client import AutoAddPolicy as Auto\n"
        "ssh.set_missing_host_key_policy(Auto())\n",
        ((2, "HIGH", "MEDIUM"),),
        "none",
    ),
    Case(
        "B507", "import paramiko\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())\n", ()
    ),
    Case("B507", "client.set_missing_host_key_policy(AutoAddPolicy())\n", ()),
    # --- B508 snmp_insecure_version ---
    Case(
        "B508",
        "from pysnmp.hlapi import CommunityData\nCommunityData('public', mpModel=0)\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B508",
        "from pysnmp import hlapi\nhlapi.CommunityData('public', mpModel=1)\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B508",
        "from pysnmp.hlapi import CommunityData\nCommunityData('public')\n",
        ((2, "MEDIUM", "HIGH"),),
        "none",
    ),
    Case(
        "B508",
        "from pysnmp.hlapi.asyncio import CommunityData\nCommunityData('public', mpModel=1)\n",
        ((2, "MEDIUM", "HIGH"),),
        "none",
    ),
    Case("B508", "from monitoring import CommunityData\nCommunityData('public', mpModel=0)\n", ()),
    # --- B509 snmp_weak_cryptography ---
    Case(
        "B509",
        "from pysnmp.hlapi import UsmUserData\nUsmUserData('monitor')\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B509",
        "from pysnmp.hlapi import UsmUserData\nUsmUserData('monitor', 'authkey')\n",
        ((2, "MEDIUM", "HIGH"),),
    ),
    Case(
        "B509",
        "from pysnmp.hlapi import *\n"
        "from pysnmp.hlapi import UsmUserData, usmNoPrivProtocol\n"
        "UsmUserData('m', 'a', privKey='p', privProtocol=usmNoPrivProtocol)\n",
        ((3, "MEDIUM", "HIGH"),),
    ),
    Case("B509", "from pysnmp.hlapi import UsmUserData\nUsmUserData('m', 'auth', 'priv')\n", ()),
    Case(
        "B509",
        "from pysnmp.hlapi import UsmUserData\nUsmUserData('m', authKey='a', privKey='p')\n",
        (),
        "2 MEDIUM/HIGH",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{CASES.index(c)}")
def test_rule(case: Case) -> None:
    assert found(case) == case.expected
