"""toneguard: flags dismissive, clipped and overly technical wording in help-desk replies.

>>> import toneguard
>>> report = toneguard.analyze("Your profile is corrupt. Reboot.", customer="Outlook won't open!")
>>> [str(c) for c in report.categories]
['clipped', 'technical']
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Names load on first use, so `toneguard --help` and `import toneguard.rule_schema` skip spaCy.
_HOMES = {
    "Analyzer": "analyzer",
    "analyze": "analyzer",
    "Config": "config",
    "ConfigError": "config",
    "CategoryScore": "models",
    "Contribution": "models",
    "Finding": "models",
    "Metrics": "models",
    "Report": "models",
    "Sentiment": "models",
    "RulesError": "rule_loading",
    "Category": "rule_schema",
    "Severity": "rule_schema",
}

__all__ = [*sorted(_HOMES), "__version__"]

if TYPE_CHECKING:
    from .analyzer import Analyzer, analyze
    from .config import Config, ConfigError
    from .models import CategoryScore, Contribution, Finding, Metrics, Report, Sentiment
    from .rule_loading import RulesError
    from .rule_schema import Category, Severity


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toneguard' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
