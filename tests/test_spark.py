"""The Spark path on a real local[2] session gives exactly the in-process results, one Analyzer per Python worker."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

pd = pytest.importorskip("pandas")
pyspark = pytest.importorskip("pyspark", reason="needs the spark extra: pip install -e '.[spark]'")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs a Java runtime: apt-get install -y default-jre-headless", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

# PySpark's own notes about pandas 3 (it converts with a deprecated copy= keyword); the results are checked below.
pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

from conftest import SAMPLE_REPLIES  # noqa: E402
from toneguard import Config  # noqa: E402
from toneguard.pandas import analyze_frame  # noqa: E402
from toneguard.spark import analyze_spark_frame, tone_fields  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("toneguard-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ticket": [f"T{i:03d}" for i in range(30)],
            "reply": [f"{SAMPLE_REPLIES[i % len(SAMPLE_REPLIES)]} Ticket {i}." for i in range(28)] + [None, "   "],
            "customer": ["My laptop is broken!" if i % 2 else None for i in range(30)],
            "agent": [f"agent{i % 4}" for i in range(30)],
        }
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def test_partitions_on_spark_workers_equal_in_process(spark, analyzer):
    frame = _frame()
    expected = analyze_frame(frame, text="reply", customer="customer", analyzer=analyzer)
    sdf = spark.createDataFrame(frame).repartition(6, "ticket")
    lazy = analyze_spark_frame(sdf, text="reply", customer="customer")
    assert lazy.columns == [*frame.columns, *(field.name for field in tone_fields())]
    result = lazy.toPandas().sort_values("ticket").reset_index(drop=True)
    added = [name for name in expected.columns if name.startswith("tg_")]
    # Spark hands back numpy dtypes and None for nulls; the values, nulls included, are what must match.
    pd.testing.assert_frame_equal(_plain(result[added]), _plain(expected[added]), check_dtype=False)
    assert result["ticket"].tolist() == frame["ticket"].tolist()
    assert result["tg_score"].isna().tolist() == [False] * 28 + [True, True]
    assert result.loc[0, "tg_categories"] == ";".join(c.value for c in analyzer.analyze(frame.reply[0]).categories)


def test_each_python_worker_builds_one_analyzer(spark):
    sdf = spark.createDataFrame(_frame()).repartition(8, "ticket")
    assert analyze_spark_frame(sdf, text="reply", config=Config()).count() == 30  # runs all eight partitions

    def census(batches):
        from toneguard._core import analyzer as shared

        for _ in batches:
            yield pd.DataFrame({"pid": [os.getpid()], "analyzers": [len(shared._shared)]})

    # Idle Python workers are reused, so this job's tasks land on the processes that analysed the partitions.
    probes = spark.createDataFrame(pd.DataFrame({"n": range(8)})).repartition(8, "n")
    found = probes.mapInPandas(census, schema="pid long, analyzers long").toPandas()
    assert found["pid"].nunique() <= 2
    assert set(found["analyzers"]) == {1}  # eight partitions analysed, yet one Analyzer per process


def test_missing_column_and_clashing_prefix_fail_before_the_job(spark):
    sdf = spark.createDataFrame(_frame())
    with pytest.raises(KeyError, match="body"):
        analyze_spark_frame(sdf, text="body")
    with pytest.raises(ValueError, match="prefix"):
        analyze_spark_frame(analyze_spark_frame(sdf, text="reply"), text="reply")
