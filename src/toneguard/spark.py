"""toneguard for Spark: analyse a Spark DataFrame with ``mapInPandas``, on any number of machines.

>>> from toneguard.spark import analyze_spark_frame
>>> replies = spark.read.parquet("tickets.parquet")                              # doctest: +SKIP
>>> results = analyze_spark_frame(replies, text="reply", customer="customer")     # doctest: +SKIP
>>> results.groupBy("agent").agg(F.avg(F.col("tg_flagged").cast("int"))).show()  # doctest: +SKIP

Each Python worker process builds the :class:`~toneguard.Analyzer` once, on its first
batch, and reuses it for every later batch and task (Spark keeps its Python workers
between tasks unless ``spark.python.worker.reuse`` is off). Settings travel to the workers
as JSON. The columns added are those of :func:`toneguard.pandas.analyze_frame`.
Needs the ``spark`` extra: ``pip install 'toneguard[spark]'`` (and a Java runtime for Spark).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Iterable, Iterator

import pandas as pd
from pyspark.sql import types as T

from ._apps.outcome import FLAT_COLUMNS
from ._core.config import Config
from .pandas import PREFIX, analyze_frame, worker_analyzer

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_SPARK_TYPES = {
    "string": T.StringType(),
    "Int64": T.LongType(),
    "Float64": T.DoubleType(),
    "boolean": T.BooleanType(),
}


def tone_fields(prefix: str = PREFIX) -> list[T.StructField]:
    """The Spark fields :func:`analyze_spark_frame` adds: ``tg_language``, ``tg_score``, ``tg_flagged``, ..."""
    return [T.StructField(prefix + name, _SPARK_TYPES[dtype], nullable=True) for name, dtype in FLAT_COLUMNS.items()]


def analyze_spark_frame(
    sdf: DataFrame,
    text: str = "reply",
    customer: str | None = None,
    config: Config | None = None,
    prefix: str = PREFIX,
) -> DataFrame:
    """A lazy Spark DataFrame: ``sdf`` with the analysis columns added, row for row.

    A row whose text is null or blank gets null analysis columns. Raises KeyError at once
    when a named column is missing (rather than when the job runs).
    """
    missing = [name for name in (text, customer) if name is not None and name not in sdf.columns]
    if missing:
        raise KeyError(f"no column {', '.join(map(repr, missing))} (columns: {', '.join(sdf.columns)})")
    clashing = [field.name for field in tone_fields(prefix) if field.name in sdf.columns]
    if clashing:
        raise ValueError(f"the frame already has {', '.join(clashing)}; pass another prefix")
    schema = T.StructType([*sdf.schema.fields, *tone_fields(prefix)])
    settings = (config or Config()).model_dump_json()
    return sdf.mapInPandas(partial(_analyze_batches, text, customer, settings, prefix), schema=schema)


def _analyze_batches(
    text: str, customer: str | None, settings: str, prefix: str, batches: Iterable[pd.DataFrame]
) -> Iterator[pd.DataFrame]:
    analyzer = worker_analyzer(settings)
    for batch in batches:
        yield analyze_frame(batch, text, customer, analyzer=analyzer, prefix=prefix)
