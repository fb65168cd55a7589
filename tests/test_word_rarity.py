"""Word rarity answers exactly as wordfreq does, without loading wordfreq's list for plain words."""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys

import wordfreq

from toneguard._engines.word_rarity import RareWords

BELOW = 2.5
REPLY = "To fix it, run sudo apt install gparted and reboot."


def test_rarity_is_wordfreqs_for_listed_made_up_and_code_like_words():
    rng = random.Random(18)
    listed = rng.sample(sorted(wordfreq.get_frequency_dict("en")), 20_000)
    made_up = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 10))) for _ in range(5_000)]
    code_like = ["libfoo-dev", "python3", "x11-utils", "g++", "gparted", "ntfs-3g", "Zoom", "naïve", "a", "", "e.g"]
    rare = RareWords(BELOW)
    wrong = [word for word in listed + made_up + code_like if rare(word) != (wordfreq.zipf_frequency(word, "en") < BELOW)]
    assert wrong == []


def test_nothing_is_rarer_than_zero():
    rare = RareWords(0.0)
    assert not rare("qzxvkj") and not rare("the")


def test_a_plain_package_name_is_found_without_loading_wordfreqs_list(analyzer):
    # Analysed here first, so the term tables and the common words are in this session's disk cache.
    assert analyzer.analyze(REPLY).findings
    code = f"""
import json, sys
import toneguard
report = toneguard.analyze({REPLY!r})
print(json.dumps({{"rules": sorted({{f.rule_id for f in report.findings}}), "wordfreq": "wordfreq" in sys.modules}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rules"], result
    assert result["wordfreq"] is False
