"""toneguard for Dask: analyse a Dask DataFrame partition by partition, on any number of machines.

>>> import dask.dataframe as dd
>>> from toneguard.dask import analyze_dask_frame
>>> replies = dd.read_csv("export-*.csv")                                     # doctest: +SKIP
>>> results = analyze_dask_frame(replies, text="reply", customer="customer")  # doctest: +SKIP
>>> results.groupby("agent").tg_flagged.mean().compute()                     # doctest: +SKIP

Each worker process builds the :class:`~toneguard.Analyzer` once, on its first
partition, and reuses it (it is thread-safe) for every later partition and thread.
Needs the ``dask`` extra: ``pip install 'toneguard[dask]'``.
"""

from __future__ import annotations

from typing import Iterable, Iterator

import dask.dataframe as dd
import pandas as pd

from ._core.config import Config
from .pandas import PREFIX, analyze_frame, worker_analyzer


def analyze_dask_frame(
    ddf: dd.DataFrame,
    text: str = "reply",
    customer: str | None = None,
    config: Config | None = None,
    prefix: str = PREFIX,
) -> dd.DataFrame:
    """A lazy Dask DataFrame: ``ddf`` with the analysis columns of :func:`toneguard.pandas.analyze_frame`."""
    config = config or Config()
    meta = analyze_frame(ddf._meta, text, customer, analyzer=_NoReplies(), prefix=prefix)
    return ddf.map_partitions(
        _analyze_partition, text, customer, config.model_dump_json(), prefix, meta=meta, align_dataframes=False
    )


def _analyze_partition(part: pd.DataFrame, text: str, customer: str | None, config_json: str, prefix: str) -> pd.DataFrame:
    return analyze_frame(part, text, customer, analyzer=worker_analyzer(config_json), prefix=prefix)


class _NoReplies:
    """Stands in for an Analyzer when only the empty result's columns and types are needed."""

    def analyze_many(self, replies: Iterable[object], n_process: int = 1) -> Iterator[None]:
        assert not list(replies), "the empty frame has no replies to analyse"
        return iter(())
