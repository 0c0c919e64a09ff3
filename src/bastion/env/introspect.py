"""The fixed script bastion runs in an interpreter to learn its facts.

It is run as `INTERPRETER -I -S -c SCRIPT`, and only with an interpreter outside the
inspected project and venv (for a venv: the base interpreter its `pyvenv.cfg` names): `-S`
keeps `site` from running, so no `.pth` file and no `sitecustomize` executes; `-I` keeps
environment variables, the working directory and the user site out. The script imports only
the standard library (`site` for its path functions, which run nothing) and prints one JSON
object. What a venv adds to it (its site-packages, `.pth` entries) is read from files.
"""

from __future__ import annotations

SCRIPT = """\
import json, site, sys, sysconfig
paths = sysconfig.get_paths()
print(json.dumps({
    "version": list(sys.version_info[:3]),
    "implementation": sys.implementation.name,
    "executable": sys.executable,
    "prefix": sys.prefix,
    "base_prefix": sys.base_prefix,
    "path": [p for p in sys.path if p],
    "stdlib": paths.get("stdlib"),
    "platstdlib": paths.get("platstdlib"),
    "site": site.getsitepackages(),
    "user_site": site.getusersitepackages(),
    "stdlib_modules": sorted(getattr(sys, "stdlib_module_names", ())),
}))
"""
