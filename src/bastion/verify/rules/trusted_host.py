"""V604: TLS verification switched off for a package host."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V604", "trusted-host", severity=Severity.HIGH, cwe=295)
def trusted_host(facts: Facts) -> Iterator[Finding]:
    """A package host is exempt from TLS verification (`trusted-host`, `allow-insecure-host`).

    ## What it does
    Reports pip's `trusted-host` (configuration, `PIP_TRUSTED_HOST`, `--trusted-host` in a
    requirements file) and uv's `allow-insecure-host` / `UV_INSECURE_HOST`, except for
    loopback hosts.

    ## Why is this bad?
    The option tells the installer to accept any certificate, or plain HTTP, from that host.
    Anyone on the network path (a café's Wi-Fi, a compromised proxy) can then serve their own
    packages; only hashes in a lock would still catch it. It is usually added once to get
    past a certificate error and forgotten.

    ## Example
    ```text
    --trusted-host pypi.internal.example
    ```

    ## Use instead
    ```console
    $ export SSL_CERT_FILE=/etc/ssl/certs/internal-ca.pem   # trust the CA, not every certificate
    ```
    """
    from bastion.net import is_loopback

    for setting in facts.sources().settings:
        if setting.key != "trusted-host":
            continue
        host = setting.value.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
        if is_loopback(host.strip("[]")):
            continue
        yield RULE.finding(
            f"TLS verification is off for {setting.value}",
            location=setting.location,
            key=setting.value,
            fix="remove it and trust the host's CA instead (SSL_CERT_FILE, pip's `cert`)",
        )


RULE = REGISTRY["V604"]
