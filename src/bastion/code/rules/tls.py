"""TLS protocol versions that the B502 and B503 rules report."""

from __future__ import annotations

#: `ssl` and pyOpenSSL protocol constants that allow SSLv2, SSLv3, TLS 1.0 or TLS 1.1.
BAD_TLS_PROTOCOLS = frozenset(
    {
        "PROTOCOL_SSLv2",
        "SSLv2_METHOD",
        "SSLv23_METHOD",
        "PROTOCOL_SSLv3",
        "PROTOCOL_TLSv1",
        "SSLv3_METHOD",
        "TLSv1_METHOD",
        "PROTOCOL_TLSv1_1",
        "TLSv1_1_METHOD",
    }
)
