"""The verify rules, one module each (see `bastion.verify.rule`).

IDs by family: V1xx lock policy, V2xx the index's record, V3xx provenance (PEP 740), V4xx
installed files, V5xx names, V6xx package sources (pip's and uv's configuration).
"""
