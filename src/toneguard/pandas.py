"""toneguard for pandas: analysis columns added to a DataFrame of replies.

>>> import pandas as pd
>>> from toneguard.pandas import analyze_frame
>>> frame = pd.DataFrame({"reply": ["Reboot.", "Thanks, it's fixed now."], "customer": ["Help!", None]})
>>> analyze_frame(frame, text="reply", customer="customer")[["tg_score", "tg_categories"]]   # doctest: +SKIP

The same function is what :mod:`toneguard.dask` runs on each partition, and what a
Spark ``mapInPandas`` UDF can call (see the README).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ._apps.outcome import FLAT_COLUMNS, ReplyOutcome

if TYPE_CHECKING:
    from ._core.analyzer import Analyzer

PREFIX = "tg_"


def analyze_frame(
    df: pd.DataFrame,
    text: str = "reply",
    customer: str | None = None,
    analyzer: Analyzer | None = None,
    n_process: int = 1,
    prefix: str = PREFIX,
) -> pd.DataFrame:
    """A copy of ``df`` with the analysis columns (``tg_score``, ``tg_flagged``, ``tg_categories``...) added.

    A row whose text is missing or blank gets empty (NA) analysis columns.
    """
    if analyzer is None:
        from ._core.analyzer import default_analyzer

        analyzer = default_analyzer()
    missing = [name for name in (text, customer) if name is not None and name not in df.columns]
    if missing:
        raise KeyError(f"no column {', '.join(map(repr, missing))} (columns: {', '.join(map(str, df.columns))})")
    replies = [_text_or_none(value) for value in df[text]]
    customers = [_text_or_none(value) for value in df[customer]] if customer else [None] * len(df)
    wanted = [i for i, reply in enumerate(replies) if reply is not None and reply.strip()]
    rows: list[dict] = [dict.fromkeys(FLAT_COLUMNS) for _ in replies]
    reports = analyzer.analyze_many(((replies[i], customers[i]) for i in wanted), n_process)
    for i, report in zip(wanted, reports):
        rows[i] = ReplyOutcome.from_report(report).flat()
    columns = pd.DataFrame.from_records(rows, columns=list(FLAT_COLUMNS), index=df.index)
    columns = columns.astype(FLAT_COLUMNS).add_prefix(prefix)
    return pd.concat([df, columns], axis=1)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def worker_analyzer(config_json: str) -> Analyzer:
    """This process's Analyzer for these settings, built on first use (settings travel as JSON, not objects)."""
    from ._core.analyzer import shared_analyzer
    from ._core.config import Config

    return shared_analyzer(Config.model_validate_json(config_json))
