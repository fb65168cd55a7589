"""Rules as data: the schema every rules file is validated against, and the loader that merges them."""
