"""The Dask path on a real two-process LocalCluster gives exactly the in-process results."""

from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

from conftest import SAMPLE_REPLIES  # noqa: E402
from toneguard.dask import analyze_dask_frame  # noqa: E402 - only once dask is known to be there
from toneguard.pandas import analyze_frame  # noqa: E402


def test_partitions_on_two_worker_processes_equal_in_process(analyzer):
    frame = pd.DataFrame(
        {
            "reply": [f"{SAMPLE_REPLIES[i % len(SAMPLE_REPLIES)]} Ticket {i}." for i in range(36)] + [None],
            "customer": ["My laptop is broken!" if i % 2 else None for i in range(37)],
            "agent": [f"agent{i % 4}" for i in range(37)],
        }
    )
    expected = analyze_frame(frame, text="reply", customer="customer", analyzer=analyzer)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            lazy = analyze_dask_frame(dd.from_pandas(frame, npartitions=6), text="reply", customer="customer")
            assert list(lazy.columns) == list(expected.columns)
            result = lazy.compute()
            workers_used = client.run(lambda: len(__import__("toneguard._core.analyzer")._core.analyzer._shared))
    added = [name for name in expected.columns if name.startswith("tg_")]
    pd.testing.assert_frame_equal(result[added], expected[added])
    # Dask stores the input's text columns as Arrow strings; the values are what matter there.
    pd.testing.assert_frame_equal(result[list(frame.columns)], expected[list(frame.columns)], check_dtype=False)
    assert len(workers_used) == 2 and set(workers_used.values()) <= {0, 1}  # one Analyzer per worker at most
