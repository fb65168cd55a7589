"""What one ``toneguard check`` run found, in the shape every output format reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from ..._apps.lint.fixes import Fix
    from ..._apps.lint.run import Checked, FileResult
    from ..._core.analyzer import Analyzer
    from ..._rules.schema import Rule
    from ...models import Finding


@dataclass
class Outcome:
    """The files checked (or the one text), and what ``--fix`` did to them."""

    files: list[FileResult]
    single_text: bool = False
    """A reply given on the command line or alone on standard input: reported as one reply, as ever."""
    fixes: list[Fix] = field(default_factory=list)

    def checked(self) -> Iterator[Checked]:
        for result in self.files:
            yield from result.checked

    @property
    def errors(self) -> list[FileResult]:
        return [result for result in self.files if result.error]

    @property
    def flagged(self) -> bool:
        return any(result.flagged for result in self.files)

    def rules(self) -> list[Rule]:
        """Every rule that was enabled for some file, by id (a team's rules beside the built-in ones)."""
        seen: dict[str, Rule] = {}
        for analyzer in self.analyzers():
            for rule in analyzer.rules:
                seen.setdefault(rule.id, rule)
        return [seen[rule_id] for rule_id in sorted(seen)]

    def analyzers(self) -> list[Analyzer]:
        unique: dict[int, Analyzer] = {}
        for item in self.checked():
            unique.setdefault(id(item.analyzer), item.analyzer)
        return list(unique.values())


def specific_suggestions(finding: Finding, rule: Rule | None) -> list[str]:
    """The finding's own suggestions (its plain wording), without the general tips its rule gives every time."""
    general = set(rule.suggestions) if rule is not None else set()
    return [suggestion for suggestion in finding.suggestions if suggestion not in general]


def rule_of(item: Checked, finding: Finding) -> Rule | None:
    try:
        return item.analyzer.rule(finding.rule_id)
    except KeyError:
        return None


def end_position(item: Checked, finding: Finding) -> tuple[int, int]:
    """Line and column just past the finding (at least one character on from its start)."""
    return item.document.position(max(finding.end, finding.start + 1))
