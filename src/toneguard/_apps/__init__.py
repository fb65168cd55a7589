"""What is built on the Analyzer: scans of exports (rows, or help desks' threads) with their summary and
report, evaluations on labelled files, compact outcomes for tables."""
