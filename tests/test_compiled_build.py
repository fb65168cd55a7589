"""The compiled build's module list (pyproject.toml) names real modules, and never a public entry point.

``.ci/run`` builds it and holds it to the pure build's answers; this keeps the
list itself honest in every run of the suite: a mistyped path would silently
compile less, and a compiled public module would answer a wrong argument with
the compiled code's TypeError instead of toneguard's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the package depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
HOOK = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["mypyc"]
# What callers reach directly: their arguments are checked by toneguard's own code, in Python.
PUBLIC = ("__init__.py", "models.py", "spacy.py", "server.py", "pandas.py", "dask.py", "spark.py", "_core/analyzer.py")


def compiled_files() -> list[Path]:
    files = []
    for entry in HOOK["include"]:
        path = ROOT / entry.lstrip("/")
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def test_the_compiled_build_is_asked_for_not_given():
    assert HOOK["enable-by-default"] is False


def test_every_listed_module_exists():
    missing = [entry for entry in HOOK["include"] if not (ROOT / entry.lstrip("/")).exists()]
    assert not missing


def test_no_public_entry_point_is_compiled():
    package = ROOT / "src" / "toneguard"
    public = {package / name for name in PUBLIC}
    assert all(path.exists() for path in public)
    assert not public & set(compiled_files())
    assert not any(path.is_relative_to(package / "_cli") for path in compiled_files())
