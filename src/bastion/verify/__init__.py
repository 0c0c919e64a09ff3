"""`bastion verify`: authenticity of what the project installs.

- `rule`: the interface of a verify rule (one module under `rules/` each, documented by the
  contract of `bastion.ruledoc`) and their registry.
- `facts`: what rules ask about (the inventory, the package index's pages, pip's and uv's
  configuration, the installed environment, the popular names), each gathered once and only
  when a rule asks.
- `sources`: pip's and uv's configuration files and variables, read as the tools read them.
- `typosquat`: which popular project a name imitates.
- `hashes`: `--add-hashes`, rewriting a requirements file with the index's digests.
- `record`: installed files against their RECORD.
- `provenance`: PEP 740 attestations, through `pypi-attestations`.

The check itself (options, which rules run when) is `bastion.checks.verify`.
"""
