"""Scan a folder of ticket exports with Dask, then see which agents' replies are flagged most.

    pip install 'toneguard[dask]'
    python examples/dask_scan.py "exports/*.csv" --text-column reply --group-by agent

Runs on a LocalCluster here; point ``--scheduler`` at a ``dask scheduler`` address to use many machines.
Each worker builds toneguard's Analyzer once and reuses it for all its partitions.
"""

from __future__ import annotations

import argparse

import dask.dataframe as dd
from dask.distributed import Client, LocalCluster

from toneguard.dask import analyze_dask_frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", help="CSV files (a glob is fine)")
    parser.add_argument("--text-column", default="reply")
    parser.add_argument("--customer-column", default=None)
    parser.add_argument("--group-by", default=None, help="column to break the flagged share down by")
    parser.add_argument("--out", default=None, help="write every row's results as Parquet to this folder")
    parser.add_argument("--scheduler", default=None, help="address of a running scheduler (default: a LocalCluster)")
    args = parser.parse_args()

    cluster = None if args.scheduler else LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    with Client(args.scheduler or cluster):
        replies = dd.read_csv(args.files, dtype=str, blocksize="16MB")
        results = analyze_dask_frame(replies, text=args.text_column, customer=args.customer_column)
        if args.out:
            results.to_parquet(args.out)
        flagged = results.tg_flagged.astype("float").mean().compute()
        print(f"flagged share: {flagged:.1%}")
        if args.group_by:
            by_group = results.groupby(args.group_by).tg_flagged.mean().compute().sort_values(ascending=False)
            print(by_group.head(15).to_string(float_format="{:.1%}".format))
    if cluster is not None:
        cluster.close()


if __name__ == "__main__":
    main()
