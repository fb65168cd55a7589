"""toneguard: flags dismissive, clipped and overly technical wording in help-desk replies.

>>> import toneguard
>>> report = toneguard.analyze("Your profile is corrupt. Reboot.", customer="Outlook won't open!")
>>> [str(c) for c in report.categories]
['clipped', 'technical']
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._engines.spacy_loading import defer_spacy_cli
from ._version import VERSION

__version__ = VERSION
defer_spacy_cli()

# Names load on first use, so `toneguard --help` and `import toneguard.models` skip spaCy.
_HOMES = {
    "Analyzer": "_core.analyzer",
    "analyze": "_core.analyzer",
    "Config": "_core.config",
    "ConfigError": "_core.config",
    "Category": "models",
    "CategoryScore": "models",
    "Contribution": "models",
    "Finding": "models",
    "Metrics": "models",
    "Report": "models",
    "Sentiment": "models",
    "Severity": "models",
    "ThreadContext": "models",
    "RulesError": "_rules.loading",
}

__all__ = [*sorted(_HOMES), "__version__"]

if TYPE_CHECKING:
    from ._core.analyzer import Analyzer, analyze
    from ._core.config import Config, ConfigError
    from ._rules.loading import RulesError
    from .models import (
        Category,
        CategoryScore,
        Contribution,
        Finding,
        Metrics,
        Report,
        Sentiment,
        Severity,
        ThreadContext,
    )


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toneguard' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
