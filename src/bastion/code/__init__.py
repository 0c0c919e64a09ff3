"""The static analyzer behind `bastion scan`.

One parse and one walk per file, every rule dispatched from it.
"""
