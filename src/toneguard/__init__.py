"""toneguard: flags dismissive, clipped and overly technical wording in help-desk replies.

>>> import toneguard
>>> report = toneguard.analyze("Your profile is corrupt. Reboot.", customer="Outlook won't open!")
>>> report.categories
"""

from .analyzer import Analyzer, analyze
from .config import Config, ConfigError
from .models import CategoryScore, Contribution, Finding, Metrics, Report, Sentiment
from .rule_loading import RulesError
from .rule_schema import Category, Severity

__version__ = "0.1.0"

__all__ = [
    "Analyzer",
    "Category",
    "CategoryScore",
    "Config",
    "ConfigError",
    "Contribution",
    "Finding",
    "Metrics",
    "Report",
    "RulesError",
    "Sentiment",
    "Severity",
    "analyze",
    "__version__",
]
