"""Evaluation on labelled files, with the small stable rule set in tests/data/toy_rules.yaml."""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from toneguard import Analyzer, Category, Config
from toneguard._apps import evaluation, row_files
from toneguard._apps.counts import FlagCounts
from toneguard._apps.evaluation import evaluate_file
from toneguard._apps.replies import Columns, parse_label
from toneguard._apps.row_files import RowFileError

TOY_RULES = Path(__file__).parent / "data" / "toy_rules.yaml"

REPLIES = {
    "r1": "Just reboot the laptop and it will work.",
    "r2": "Please flush the cache, then check the DNS settings.",
    "r3": "Check DNS on your side.",
    "r4": "Thanks for waiting, the printer is fixed now.",
    "r5": "See above.",
    "r6": "Hello Sam, I have reset your password and sent the link to your phone.",
    "r7": "Obviously the laptop needs a re-image.",
}
FLIP_TO_FP = ("r1", Category.dismissive)  # flagged, labelled clean
FLIP_TO_FN = ("r3", Category.technical)  # not flagged, labelled positive


@pytest.fixture(scope="module")
def toy_analyzer() -> Analyzer:
    return Analyzer(Config(builtin_rules=False, rules=[TOY_RULES]))


@pytest.fixture(scope="module")
def predicted(toy_analyzer) -> dict[str, set[Category]]:
    flagged = {rid: set(toy_analyzer.analyze(text).categories) for rid, text in REPLIES.items()}
    # The construction below relies on these; if the toy rules change, fix the fixture first.
    assert Category.dismissive in flagged["r1"]
    assert Category.technical not in flagged["r3"]
    assert Category.technical in flagged["r2"]
    assert flagged["r4"] == set() and flagged["r6"] == set()
    return flagged


def labelled_rows(predicted) -> list[dict]:
    """Labels equal to the toy_analyzer's own verdicts, except one false positive and one false negative."""
    rows = []
    for rid, text in REPLIES.items():
        labels = {c: c in predicted[rid] for c in Category}
        if rid == FLIP_TO_FP[0]:
            labels[FLIP_TO_FP[1]] = False
        if rid == FLIP_TO_FN[0]:
            labels[FLIP_TO_FN[1]] = True
        rows.append({"id": rid, "reply": text, **{c.value: labels[c] for c in Category}})
    return rows


def expected_counts(rows, predicted, category):
    tp = sum(1 for r in rows if r[category.value] and category in predicted[r["id"]])
    fp = sum(1 for r in rows if not r[category.value] and category in predicted[r["id"]])
    fn = sum(1 for r in rows if r[category.value] and category not in predicted[r["id"]])
    return tp, fp, fn, len(rows) - tp - fp - fn


def write_jsonl(path: Path, rows, extra_lines=()) -> Path:
    lines = [json.dumps(r) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv(path: Path, rows, columns=None, yes="yes", no="no") -> Path:
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([(yes if row[c] else no) if isinstance(row[c], bool) else row[c] for c in columns])
    return path


def test_precision_recall_follow_from_one_planted_fp_and_fn(tmp_path, toy_analyzer, predicted):
    rows = labelled_rows(predicted)
    result = evaluate_file(write_jsonl(tmp_path / "set.jsonl", rows), toy_analyzer)

    assert result.rows == result.evaluated == len(REPLIES)
    assert result.skipped == []
    dismissive, technical = result.categories[Category.dismissive], result.categories[Category.technical]
    # The planted FP is the only one in dismissive; recall there stays perfect.
    assert (dismissive.fp, dismissive.fn) == (1, 0)
    assert dismissive.precision == round(dismissive.tp / (dismissive.tp + 1), 4)
    assert dismissive.recall == 1.0
    # The planted FN is the only one in technical; precision stays perfect.
    assert (technical.fp, technical.fn) == (0, 1)
    assert technical.precision == 1.0
    assert technical.recall == round(technical.tp / (technical.tp + 1), 4)
    for category in Category:
        tp, fp, fn, tn = expected_counts(rows, predicted, category)
        got = result.categories[category]
        assert (got.tp, got.fp, got.fn, got.tn) == (tp, fp, fn, tn)
        assert got.support == tp + fn
    # Every other category matches the toy_analyzer exactly.
    clipped = result.categories[Category.clipped]
    assert clipped.fp == clipped.fn == 0


def test_f1_and_undefined_ratios():
    def counts(rows, flagged):
        return FlagCounts(rows=rows, flagged=flagged, by_category=Counter({Category.dismissive: flagged}))

    # tp=1 fn=0 among the positives, fp=1 tn=3 among the negatives.
    result = evaluation.category_result(Category.dismissive, counts(1, 1), counts(4, 1), counts(2, 0))
    assert (result.tp, result.fp, result.fn, result.tn) == (1, 1, 0, 3)
    assert (result.precision, result.recall, result.f1) == (0.5, 1.0, 0.6667)
    nothing = evaluation.category_result(Category.clipped, counts(0, 0), counts(4, 0), counts(4, 0))
    assert nothing.precision is None and nothing.recall is None and nothing.f1 is None
    assert nothing.clean_flagged_share == 0.0


def test_misses_name_the_row_kind_and_rules(tmp_path, toy_analyzer, predicted):
    result = evaluate_file(write_jsonl(tmp_path / "set.jsonl", labelled_rows(predicted)), toy_analyzer)

    assert result.misses_total == 2
    by_kind = {m.kind: m for m in result.misses}
    fp, fn = by_kind["false_positive"], by_kind["false_negative"]
    assert (fp.id, fp.category, fp.row) == ("r1", Category.dismissive, 1)
    assert fp.rules == ["TOY901"] and fp.score >= 0.5
    assert fp.text == REPLIES["r1"]
    assert (fn.id, fn.category, fn.row) == ("r3", Category.technical, 3)
    assert fn.rules == ["TOY902"]  # it fired, but below the threshold
    assert fn.score == toy_analyzer.analyze(REPLIES["r3"]).scores[Category.technical].score < 0.5


def test_clean_replies_flagged(tmp_path, toy_analyzer, predicted):
    rows = labelled_rows(predicted)
    result = evaluate_file(write_jsonl(tmp_path / "set.jsonl", rows), toy_analyzer)

    clean_ids = [r["id"] for r in rows if not any(r[c.value] for c in Category)]
    assert result.clean == len(clean_ids)
    # r1 lost its only positive label, so it is clean yet flagged dismissive.
    assert "r1" in clean_ids
    dismissive = result.categories[Category.dismissive]
    flagged_clean = [rid for rid in clean_ids if Category.dismissive in predicted[rid]]
    assert dismissive.clean_flagged == len(flagged_clean) >= 1
    assert dismissive.clean_flagged_share == round(len(flagged_clean) / len(clean_ids), 4)
    any_flagged = [rid for rid in clean_ids if predicted[rid]]
    assert result.clean_flagged_any == len(any_flagged)


def test_csv_matches_jsonl_and_absent_label_column_is_not_scored(tmp_path, toy_analyzer, predicted):
    rows = labelled_rows(predicted)
    from_jsonl = evaluate_file(write_jsonl(tmp_path / "set.jsonl", rows), toy_analyzer)
    path = write_csv(tmp_path / "set.csv", rows, columns=["id", "reply", "dismissive", "technical"])
    from_csv = evaluate_file(path, toy_analyzer)

    assert set(from_csv.categories) == {Category.dismissive, Category.technical}
    for category in from_csv.categories:
        assert from_csv.categories[category].model_dump(exclude={"clean_flagged", "clean_flagged_share"}) == (
            from_jsonl.categories[category].model_dump(exclude={"clean_flagged", "clean_flagged_share"})
        )
    # CSV records are numbered from 1; their lines count the header as line 1.
    assert {(m.row, m.line) for m in from_csv.misses} == {(1, 2), (3, 4)}


def test_json_array_streamed_in_tiny_chunks_and_gzip(tmp_path, toy_analyzer, predicted, monkeypatch):
    rows = labelled_rows(predicted)
    reference = evaluate_file(write_jsonl(tmp_path / "set.jsonl", rows), toy_analyzer)
    array = tmp_path / "set.json"
    array.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    monkeypatch.setattr(row_files, "_JSON_CHUNK", 7)  # elements straddle many chunk boundaries
    assert evaluate_file(array, toy_analyzer).categories == reference.categories
    zipped = tmp_path / "set.csv.gz"
    with gzip.open(zipped, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(["true" if v is True else "false" if v is False else v for v in row.values()])
    assert evaluate_file(zipped, toy_analyzer).categories == reference.categories


def test_malformed_rows_are_skipped_with_reasons(tmp_path, toy_analyzer):
    good = {"id": "ok", "reply": "Just reboot it.", "dismissive": True}
    lines = [
        json.dumps(good),
        json.dumps({"id": "empty", "reply": "   ", "dismissive": False}),
        "{not json",
        json.dumps({"id": "nolabel", "reply": "Fine reply here.", "dismissive": "maybe"}),
        json.dumps({"id": "notext", "dismissive": False}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "num", "reply": 42, "dismissive": False}),
        "",
        json.dumps({"id": "ok2", "reply": "Happy to help with that.", "dismissive": "no"}),
    ]
    path = tmp_path / "messy.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = evaluate_file(path, toy_analyzer)

    assert result.evaluated == 2
    reasons = {s.row: s.reason for s in result.skipped}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7]
    assert "empty text" in reasons[2]
    assert "not valid JSON" in reasons[3]
    assert "'maybe'" in reasons[4] and "dismissive" in reasons[4]
    assert "no text" in reasons[5]
    assert "list" in reasons[6]
    assert "int" in reasons[7]
    assert result.rows == result.evaluated + len(result.skipped)
    assert result.categories[Category.dismissive].tp == 1


def test_csv_row_with_wrong_field_count_is_skipped(tmp_path, toy_analyzer):
    path = tmp_path / "short.csv"
    path.write_text('reply,technical\n"Check DNS.",1\n"Only one field"\n"Hi there, all set.",0\n', encoding="utf-8")
    result = evaluate_file(path, toy_analyzer)
    assert result.evaluated == 2
    assert [(s.row, s.line, "fields" in s.reason) for s in result.skipped] == [(2, 3, True)]


def test_custom_columns_and_customer_is_passed(tmp_path, toy_analyzer):
    seen = []

    class Recording:
        def analyze(self, reply, customer=None):
            seen.append((reply, customer))
            return toy_analyzer.analyze(reply, customer)

    rows = [
        {"body": "Just reboot it.", "from_customer": "It broke!", "is_rude": "1"},
        {"body": "Happy to help.", "from_customer": "", "is_rude": "0"},
    ]
    path = tmp_path / "custom.jsonl"
    write_jsonl(path, rows)
    columns = Columns(text="body", customer="from_customer", labels={Category.dismissive: "is_rude"})
    result = evaluate_file(path, Recording(), columns)
    assert seen == [("Just reboot it.", "It broke!"), ("Happy to help.", None)]
    assert list(result.categories) == [Category.dismissive]
    assert result.categories[Category.dismissive].tp == 1
    assert all(m.id is None for m in result.misses)


def test_max_misses_caps_the_list_not_the_count(tmp_path, toy_analyzer):
    rows = [{"reply": f"Just reboot it, attempt {i}.", "dismissive": False} for i in range(5)]
    result = evaluate_file(write_jsonl(tmp_path / "fp.jsonl", rows), toy_analyzer, max_misses=2)
    assert result.misses_total == 5
    assert [m.row for m in result.misses] == [1, 2]


@pytest.mark.parametrize(
    "value, expected",
    [
        (True, True), (False, False), (1, True), (0, False), (1.0, True),
        ("true", True), (" Yes ", True), ("NO", False), ("0", False), ("1", True),
        (2, None), ("maybe", None), ("", None), (None, None), ([], None),
    ],
)
def test_parse_label(value, expected):
    assert parse_label(value) is expected


def test_whole_file_problems_raise(tmp_path, toy_analyzer):
    with pytest.raises(RowFileError, match="no such file"):
        evaluate_file(tmp_path / "missing.jsonl", toy_analyzer)
    odd = tmp_path / "data.xml"
    odd.write_text("<x/>", encoding="utf-8")
    with pytest.raises(RowFileError, match="format"):
        evaluate_file(odd, toy_analyzer)
    no_text = write_jsonl(tmp_path / "notext.jsonl", [{"body": "hi", "clipped": 1}])
    with pytest.raises(RowFileError, match="no text column 'reply'"):
        evaluate_file(no_text, toy_analyzer)
    no_labels = write_jsonl(tmp_path / "nolabels.jsonl", [{"reply": "hi", "rude": 1}])
    with pytest.raises(RowFileError, match="no label columns"):
        evaluate_file(no_labels, toy_analyzer)
    not_array = tmp_path / "obj.json"
    not_array.write_text('{"reply": "hi"}', encoding="utf-8")
    with pytest.raises(RowFileError, match="array"):
        evaluate_file(not_array, toy_analyzer)
    broken = tmp_path / "broken.json"
    broken.write_text('[{"reply": "hi", "clipped": 1}, {"reply": ', encoding="utf-8")
    evaluation = evaluate_file(broken, toy_analyzer)  # the rows before the break still count
    assert evaluation.rows == 2 and evaluation.evaluated == 1
    assert evaluation.skipped[0].row == 2 and "the rest of the file cannot be read" in evaluation.skipped[0].reason
