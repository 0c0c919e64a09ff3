"""`normalize_name`: PEP 503 normalization, with and without separators to replace."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.inventory.model import normalize_name


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Django", "django"),
        ("requests-oauthlib", "requests-oauthlib"),
        ("zope.interface", "zope-interface"),
        ("Foo__Bar", "foo-bar"),
        ("a--b", "a-b"),
        ("a-._b", "a-b"),
        ("ruamel.yaml.clib", "ruamel-yaml-clib"),
        ("PyYAML", "pyyaml"),
    ],
)
def test_normalize_name(name: str, normalized: str) -> None:
    assert normalize_name(name) == normalized


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9._-]{1,12}", fullmatch=True))
def test_the_shortcut_agrees_with_the_pep_503_rule(name: str) -> None:
    assert normalize_name(name) == re.sub(r"[-_.]+", "-", name).lower()
