"""B113 request_without_timeout, B201 flask_debug_true, B202 tarfile_unsafe_members.

Each case is a snippet, the findings of one rule on it as (line, severity, confidence), and
what bandit 1.9.4 reported for that rule on the same snippet ("same" = identical findings).
"""

from __future__ import annotations

import pytest

from support.rules import Case, found

CASES = [
    # --- B113 request_without_timeout ---
    Case(
        "B113",
        """
        import requests
        requests.get(url)
        requests.post(url, data=payload)
        response = requests.delete(
            url,
        )
        """,
        ((3, "MEDIUM", "LOW"), (4, "MEDIUM", "LOW"), (5, "MEDIUM", "LOW")),
    ),
    Case(
        "B113",
        """
        import requests as r
        from requests import head
        r.put(url, json=body)
        head(url)
        """,
        ((4, "MEDIUM", "LOW"), (5, "MEDIUM", "LOW")),
    ),
    Case(
        "B113",
        """
        import httpx, requests
        requests.get(url, timeout=None)
        httpx.get(url, timeout=None)
        httpx.Client(timeout=None)
        """,
        ((3, "MEDIUM", "LOW"), (4, "MEDIUM", "LOW"), (5, "MEDIUM", "LOW")),
    ),
    Case(
        "B113",
        'import requests\nrequests.request("GET", url)\n',
        ((2, "MEDIUM", "LOW"),),
        "none: bandit only checks the verb functions",
    ),
    Case(
        "B113",
        """
        import httpx, requests
        requests.get(url, timeout=5)
        requests.post(url, timeout=(3, 30))
        httpx.get(url)
        httpx.AsyncClient()
        session.get(url)
        """,
        (),
        "none",
    ),
    Case(
        "B113",
        "import requests\nrequests.get(url, **options)\n",
        (),
        "MEDIUM/LOW line 2: the timeout may be in **options",
    ),
    Case(
        "B113",
        "requests = make_session()\nrequests.get(url)\n",
        (),
        "MEDIUM/LOW line 2: requests is a local object, not the library",
    ),
    # --- B201 flask_debug_true ---
    Case(
        "B201",
        """
        from flask import Flask
        app = Flask(__name__)
        app.run(debug=True)
        """,
        ((4, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B201",
        """
        import flask
        app = flask.Flask(__name__)
        if __name__ == "__main__":
            app.run(
                host="127.0.0.1",
                debug=True,
            )
        """,
        ((7, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B201",
        """
        from flask import Flask
        app = Flask(__name__)
        app.run(debug=False)
        app.run(debug=settings.DEBUG)
        """,
        (),
        "none",
    ),
    Case(
        "B201",
        "app.run(debug=True)\n",
        (),
        "none: the file does not import Flask",
    ),
    Case(
        "B201",
        """
        import asyncio
        from flask import Flask
        asyncio.run(main(), debug=True)
        """,
        (),
        "HIGH/MEDIUM line 4: bandit takes asyncio.run for a Flask app",
    ),
    # --- B202 tarfile_unsafe_members ---
    Case(
        "B202",
        """
        import tarfile
        with tarfile.open(upload) as archive:
            archive.extractall(destination)
        tarfile.open(other).extractall()
        """,
        ((4, "HIGH", "HIGH"), (5, "HIGH", "HIGH")),
    ),
    Case(
        "B202",
        """
        import tarfile
        def unpack(archive):
            archive.extractall(members=safe_members(archive))
            archive.extractall(members=chosen)
            archive.extractall(filter="fully_trusted")
        """,
        ((4, "LOW", "LOW"), (5, "MEDIUM", "MEDIUM"), (6, "HIGH", "HIGH")),
    ),
    Case(
        "B202",
        """
        from tarfile import open as open_tar
        with open_tar(upload) as archive:
            archive.extractall()
        """,
        ((4, "HIGH", "HIGH"),),
        "none: bandit wants `import tarfile` itself",
    ),
    Case(
        "B202",
        """
        import tarfile
        with tarfile.open(upload) as archive:
            archive.extractall(destination, filter="data")
        """,
        (),
        "none",
    ),
    Case(
        "B202",
        """
        import tarfile
        with tarfile.open(upload) as archive:
            archive.extractall(destination, filter="tar")
            archive.extractall(destination, filter=tarfile.data_filter)
        """,
        (),
        "HIGH/HIGH lines 4 and 5: bandit only accepts filter='data'",
    ),
    Case(
        "B202",
        """
        import tarfile
        import zipfile
        zipfile.ZipFile(path).extractall(destination)
        def unzip(path):
            bundle = zipfile.ZipFile(path)
            bundle.extractall()
        """,
        (),
        "HIGH/HIGH lines 4 and 7: bandit takes every extractall for tarfile's",
    ),
    Case(
        "B202",
        "archive.extractall(destination)\nhelper.safe_extractall(x)\n",
        (),
        "none: the file does not import tarfile",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_rule_findings(case: Case) -> None:
    assert found(case) == case.expected
