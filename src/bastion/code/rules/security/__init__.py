"""The `security` pack: the project's own code, under bandit-compatible IDs."""
