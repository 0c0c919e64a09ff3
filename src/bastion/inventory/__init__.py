"""Inventory: readers that turn what a project declares or has installed into `Dependency`s."""
