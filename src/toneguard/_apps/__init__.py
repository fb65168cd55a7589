"""What is built on the Analyzer: scans of exports, evaluations on labelled files, compact outcomes for tables."""
