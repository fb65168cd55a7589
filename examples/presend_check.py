"""A pre-send check for a reply-drafting step: send, warn, or block a draft.

    python examples/presend_check.py "Calm down. Reboot." --customer "Outlook won't open!"

Exit code 0 = send, 1 = warn (ask the agent to look again), 2 = block. Call ``presend_check``
from your own code to get the same verdict with the reasons to show the agent.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from enum import IntEnum

import toneguard


class Action(IntEnum):
    SEND = 0
    WARN = 1
    BLOCK = 2


@dataclass
class Verdict:
    action: Action
    reasons: list[str] = field(default_factory=list)
    rewrite: str | None = None


def presend_check(
    reply: str,
    customer: str | None = None,
    *,
    block_at: float = 0.9,
    analyzer: toneguard.Analyzer | None = None,
) -> Verdict:
    """WARN when a category is flagged (its score reached its threshold); BLOCK when one scores ``block_at`` or more."""
    report = (analyzer or toneguard.Analyzer()).analyze(reply, customer)
    worst = max((score.score for score in report.scores.values()), default=0.0)
    action = Action.BLOCK if worst >= block_at else Action.WARN if report.flagged else Action.SEND
    reasons = [f"{f.category}: “{f.text}” – {f.message}" for f in report.findings if f.category in report.categories]
    return Verdict(action, reasons, report.rewrite if report.rewrite != reply else None)


def main() -> int:
    parser = argparse.ArgumentParser(description="Check a draft before it is sent.")
    parser.add_argument("reply")
    parser.add_argument("--customer", help="the customer's message the draft answers")
    parser.add_argument("--block-at", type=float, default=0.9, help="category score (0-1) that blocks sending")
    args = parser.parse_args()
    verdict = presend_check(args.reply, args.customer, block_at=args.block_at)
    print(verdict.action.name)
    for reason in verdict.reasons:
        print(f"  {reason}")
    if verdict.rewrite:
        print(f"  plainer: {verdict.rewrite}")
    return int(verdict.action)


if __name__ == "__main__":
    sys.exit(main())
