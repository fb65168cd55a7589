"""``import spacy`` without spaCy's command-line stack, which toneguard never uses.

spaCy's ``__init__`` imports ``spacy.cli.info`` for its ``spacy.info``
function, and so the whole ``spacy.cli`` package: typer, weasel, requests,
httpx and every CLI command, a fifth of toneguard's start-up. When toneguard
is imported before spaCy, :func:`defer_spacy_cli` makes that first import of
spaCy find stand-ins for ``spacy.cli`` and ``spacy.cli.info``. A stand-in
imports the real module the moment anything asks it for a name
(``spacy.cli.download``, ``from spacy.cli import train``, ``spacy.info()``),
and then steps aside, so code that uses spaCy's CLI works as before, only
later. Nothing changes when spaCy was imported first.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

_CLI, _INFO = "spacy.cli", "spacy.cli.info"


class _DeferredModule(types.ModuleType):
    """Stands in for a spaCy CLI module until a name is asked of it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(module_name: str) -> types.ModuleType:
    """The real module, imported once both stand-ins are out of the way."""
    for name in (_INFO, _CLI):
        if isinstance(sys.modules.get(name), _DeferredModule):
            del sys.modules[name]
    return importlib.import_module(module_name)


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, spaCy's own, imported on first call."""
    return _real(_INFO).info(*args, **kwargs)


class _SpacyWithDeferredCli:
    """Runs spaCy's own loader with the CLI stand-ins in place, then gives the package its ``cli`` attribute."""

    def __init__(self, loader: Any, cli_path: str):
        self._loader = loader
        self._cli_path = cli_path

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)  # resource readers and the rest, as spaCy's own loader has them

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        cli = _DeferredModule(_CLI)
        cli.__path__ = [self._cli_path]  # its submodules (spacy.cli._util) import as usual
        info = _DeferredModule(_INFO)
        info.info = _info
        cli.info = info
        sys.modules.setdefault(_CLI, cli)
        sys.modules.setdefault(_INFO, info)
        self._loader.exec_module(module)
        if sys.modules.get(_CLI) is cli:
            module.cli = cli


class _SpacyFinder:
    """Finds spaCy once, as the other finders would, and hands its import to :class:`_SpacyWithDeferredCli`."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "spacy":
            return None
        _remove_finder()
        spec = importlib.util.find_spec("spacy")
        if spec is None or spec.loader is None or not spec.submodule_search_locations:
            return spec
        cli_path = os.path.join(list(spec.submodule_search_locations)[0], "cli")
        if not os.path.isdir(cli_path):
            return spec  # a spaCy laid out otherwise: imported as it is
        spec.loader = _SpacyWithDeferredCli(spec.loader, cli_path)
        return spec


def _remove_finder() -> None:
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _SpacyFinder)]


def defer_spacy_cli() -> None:
    """Have the coming first ``import spacy`` leave ``spacy.cli`` unloaded until used (no effect if spaCy is loaded)."""
    if "spacy" in sys.modules or any(isinstance(finder, _SpacyFinder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _SpacyFinder())

