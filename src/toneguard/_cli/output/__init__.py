"""``toneguard check``'s output formats, one module each: ``text`` for people, ``machine`` (json, jsonl), ``sarif``
for code scanning and ``github`` for workflow annotations. Each renders the same :class:`~.results.Outcome`.
"""
