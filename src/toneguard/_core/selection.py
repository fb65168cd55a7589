"""Which rules run: ``select``, ``ignore``, ``disable`` and ``min_severity`` of the settings, applied to the rules.

A selector names a rule id (TG301), an id prefix (TG3, ACME), a category
(technical) or a severity (low), in any case. ``ignore`` and ``disable`` win
over ``select``; an empty ``select`` selects everything.

>>> selection = RuleSelection(Config(select=["technical"], ignore=["TG302"]))
>>> [rule.id for rule in rules if selection.enables(rule)]          # doctest: +SKIP
['TG301', 'TG303', 'TG310']
"""

from __future__ import annotations

from typing import Iterable

from .._rules.schema import Rule
from ..models import Category, Severity
from .config import Config

_SEVERITY_RANK = {Severity.low: 0, Severity.medium: 1, Severity.high: 2}


def selects(selector: str, rule: Rule) -> bool:
    """Whether ``selector`` names this rule, its id prefix, its category or its severity."""
    wanted = selector.strip()
    return wanted.lower() in (rule.category.value, rule.severity.value) or rule.id.startswith(wanted.upper())


class RuleSelection:
    def __init__(self, config: Config):
        self.select = list(config.select)
        self.ignore = [*config.disable, *config.ignore]
        self.min_severity = config.min_severity

    def enables(self, rule: Rule) -> bool:
        if self.select and not any(selects(selector, rule) for selector in self.select):
            return False
        if any(selects(selector, rule) for selector in self.ignore):
            return False
        return self.min_severity is None or _SEVERITY_RANK[rule.severity] >= _SEVERITY_RANK[self.min_severity]

    def toned(self, enabled: Iterable[Rule]) -> set[Category]:
        """The categories that keep a tone: not turned off by name, and (when selecting) with a rule selected."""
        off = {selector.strip().lower() for selector in self.ignore}
        toned = {category for category in Category if category.value not in off}
        if self.select:
            toned &= {rule.category for rule in enabled}
        return toned

    def unmatched(self, rules: Iterable[Rule]) -> list[str]:
        """The selectors that name no rule: most likely typos."""
        rules = list(rules)
        return [
            selector
            for selector in dict.fromkeys([*self.select, *self.ignore])
            if not any(selects(selector, rule) for rule in rules)
        ]
