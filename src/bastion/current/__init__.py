"""Staying current (part of `bastion audit`): pinned dependencies that are behind the index or
no longer maintained. Advice: these findings carry `extra["advice"]` and fail the run only
with `--fail-on-outdated` (or `fail-on-outdated = true`). Asked through the package index
client (`bastion.index`) by way of the verify check's `Facts`, which already gathers pages."""
