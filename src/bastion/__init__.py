"""bastion: supply-chain security for Python projects."""

__version__ = "0.1.0"
