"""Quality on real text, beside a VADER-only baseline computed in the same run.

    python benchmarks/quality.py [--shared ../shared] [--json]

Reads the evaluation data in ../shared (none of it ships with toneguard) and prints:
the dev corpus per-category P/R/F1 and clean-flag rate; flag rates on real brand
replies (TWCS); Stanford Politeness top-vs-bottom quartile accuracy, 5-fold
cross-validated (the tone weights are fitted there); UCC ROC AUC of
the dismissive score; flag rates on Ubuntu IRC and GitHub incivility comments, and the
dismissive score's ROC AUC for uncivil vs civil GitHub comments.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import zlib
from collections import Counter
from pathlib import Path
from statistics import median

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import fit_tone
import toneguard
from toneguard._apps.evaluation import evaluate_file

CATEGORIES = ("dismissive", "clipped", "technical")
csv.field_size_limit(10**8)


def roc_auc(scores: list[float], labels: list[bool]) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    ranked = sorted(zip(scores, labels))
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = 0.0
    index = 0
    while index < len(ranked):
        end = index
        while end < len(ranked) and ranked[end][0] == ranked[index][0]:
            end += 1
        average_rank = (index + end + 1) / 2  # ranks are 1-based
        rank_sum += average_rank * sum(1 for _, label in ranked[index:end] if label)
        index = end
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def median_split_accuracy(scores: list[float], impolite: list[bool]) -> float:
    """Accuracy of calling 'impolite' everything above the pooled median (classes are balanced)."""
    cut = median(scores)
    right = sum(1 for score, label in zip(scores, impolite) if (score > cut) == label)
    ties = [label for score, label in zip(scores, impolite) if score == cut]
    # A tie at the median is a coin toss, credited at half.
    return (right + 0.5 * len(ties) - sum(1 for label in ties if not label)) / len(scores)


class Readers:
    def __init__(self) -> None:
        self.analyzer = toneguard.Analyzer()
        self.vader = SentimentIntensityAnalyzer()

    def dismissive(self, text: str, customer: str | None = None) -> float:
        return self.analyzer.analyze(text, customer).scores[toneguard.Category.dismissive].score

    def vader_negativity(self, text: str) -> float:
        return -self.vader.polarity_scores(text)["compound"]


def dev_corpus(readers: Readers, shared: Path) -> dict:
    result = evaluate_file(shared / "corpus/dev.jsonl", readers.analyzer)
    return {
        str(category): {
            "precision": round(figures.precision or 0.0, 3),
            "recall": round(figures.recall or 0.0, 3),
            "f1": round(figures.f1 or 0.0, 3),
            "clean_flagged": round(figures.clean_flagged_share or 0.0, 3),
        }
        for category, figures in result.categories.items()
    }


def real_dev(readers: Readers, shared: Path) -> dict:
    """The primary measure: real replies labelled by two people (corpus/real_dev.jsonl).

    Besides the whole file, the two halves split by a hash of each row's id:
    a rule fitted to sentences of one half shows up as a gap between them.
    """
    rows = [json.loads(line) for line in (shared / "corpus/real_dev.jsonl").read_text("utf-8").splitlines() if line.strip()]
    flagged = [{str(c) for c in readers.analyzer.analyze(row["reply"], row.get("customer")).categories} for row in rows]
    halves = [zlib.crc32(row["id"].encode()) % 2 for row in rows]
    result = {"rows": len(rows)}
    for name, keep in (("all", lambda half: True), ("half_a", lambda half: half == 0), ("half_b", lambda half: half == 1)):
        chosen = [(row, found) for row, found, half in zip(rows, flagged, halves) if keep(half)]
        result[name] = _label_figures(chosen)
    return result


def _label_figures(rows: list[tuple[dict, set[str]]]) -> dict:
    figures: dict = {}
    for category in CATEGORIES:
        tp = sum(1 for row, found in rows if row[category] and category in found)
        fp = sum(1 for row, found in rows if not row[category] and category in found)
        fn = sum(1 for row, found in rows if row[category] and category not in found)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[category] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}
    clean = [found for row, found in rows if not any(row[c] for c in CATEGORIES)]
    figures["clean_flagged_any"] = round(sum(bool(found) for found in clean) / len(clean), 3) if clean else 0.0
    return figures


def flag_rates(readers: Readers, texts: list[tuple[str, str | None]]) -> dict:
    counts: Counter[str] = Counter()
    vader_negative = 0
    for text, customer in texts:
        report = readers.analyzer.analyze(text, customer)
        counts.update(str(c) for c in report.categories)
        counts["any"] += bool(report.categories)
        vader_negative += readers.vader.polarity_scores(text)["compound"] <= -0.05
    share = {key: round(counts[key] / len(texts), 4) for key in ("any", *CATEGORIES)}
    share["vader_negative"] = round(vader_negative / len(texts), 4)
    share["rows"] = len(texts)
    return share


def data_rows(shared: Path, name: str) -> list[dict[str, str]]:
    """The rows of a CSV file under ``shared/data``."""
    with (shared / "data" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def twcs(readers: Readers, shared: Path) -> dict:
    rows = data_rows(shared, "twcs/agent_replies_dev.csv")
    return flag_rates(readers, [(r["reply_text"], r["customer_text"]) for r in rows])


def stanford(readers: Readers, shared: Path) -> dict:
    """Top vs bottom quartile, cross-validated: the dismissive tone weights are fitted on these requests.

    Each request's tone logit comes from a model fitted on the other four folds
    (``fit_tone.out_of_fold_logits``); its dismissive score combines that tone
    with the request's findings, as the Analyzer does. In-sample figures would
    flatter the model, so none is reported.
    """
    texts, impolite = fit_tone.quartile_requests(shared)
    analyzer = readers.analyzer
    model = analyzer.rule_set.tone_models[toneguard.Category.dismissive]
    logits = fit_tone.out_of_fold_logits(fit_tone.read_features(analyzer, texts, impolite), model.fitted.get("l2", 1.0))
    shape = analyzer.tuning.scoring.tone.shapes[toneguard.Category.dismissive]
    scores = []
    for text, logit in zip(texts, logits):
        untouched = 1.0 - shape.ceiling / (1.0 + math.exp(-(logit + shape.shift)))
        for contribution in analyzer.analyze(text).scores[toneguard.Category.dismissive].contributions:
            if contribution.kind == "finding":
                untouched *= 1.0 - contribution.weight
        scores.append(1.0 - untouched)
    labels = [bool(label) for label in impolite]
    vader = [readers.vader_negativity(text) for text in texts]
    tone = fit_tone.figures(logits, impolite)
    return {
        "pairs": len(texts),
        "cv_tone_accuracy": tone["accuracy"],
        "cv_tone_auc": tone["auc"],
        "cv_score_accuracy": round(median_split_accuracy(scores, labels), 3),
        "cv_score_auc": round(roc_auc(scores, labels), 3),
        "vader_accuracy": round(median_split_accuracy(vader, labels), 3),
        "vader_auc": round(roc_auc(vader, labels), 3),
    }


def ucc(readers: Readers, shared: Path) -> dict:
    rows = data_rows(shared, "ucc-unhealthy/val.csv")
    ours = [readers.dismissive(r["comment"]) for r in rows]
    vader = [readers.vader_negativity(r["comment"]) for r in rows]
    result = {"rows": len(rows)}
    labels = {
        "dismissive": [r["dismissive"] == "1" for r in rows],
        "condescending": [r["condescending"] == "1" for r in rows],
    }
    labels["union"] = [a or b for a, b in zip(labels["dismissive"], labels["condescending"])]
    for name, label in labels.items():
        result[f"{name}_auc"] = round(roc_auc(ours, label), 3)
        result[f"{name}_vader_auc"] = round(roc_auc(vader, label), 3)
        result[f"{name}_positives"] = sum(label)
    return result


def ubuntu(readers: Readers, shared: Path) -> dict:
    rows = data_rows(shared, "ubuntu-irc/reply_pairs_sample.csv")
    return flag_rates(readers, [(r["text"], r["reply_to_text"]) for r in rows])


def github(readers: Readers, shared: Path) -> dict:
    rows = data_rows(shared, "github-incivility/annotated_comment_level.csv")
    result = flag_rates(readers, [(r["comment_body"], None) for r in rows])
    by_label: dict[str, list[bool]] = {}
    scores, vader, uncivil = [], [], []
    for row in rows:
        report = readers.analyzer.analyze(row["comment_body"])
        by_label.setdefault(row["tbdf"], []).append("dismissive" in report.categories)
        scores.append(report.scores[toneguard.Category.dismissive].score)
        vader.append(readers.vader_negativity(row["comment_body"]))
        uncivil.append(row["tbdf"] != "None")
    result["dismissive_by_label"] = {
        label: {"rows": len(v), "dismissive": round(sum(v) / len(v), 3)} for label, v in sorted(by_label.items())
    }
    # The continuous score ranks uncivil comments (any label) above civil ones this often.
    result["uncivil_auc"] = round(roc_auc(scores, uncivil), 3)
    result["uncivil_vader_auc"] = round(roc_auc(vader, uncivil), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    readers = Readers()
    sections = {
        "real_dev": real_dev,
        "dev_corpus": dev_corpus,
        "twcs_agent_replies": twcs,
        "stanford_politeness": stanford,
        "ucc_unhealthy": ucc,
        "ubuntu_irc": ubuntu,
        "github_incivility": github,
    }
    results = {}
    for name, measure in sections.items():
        print(f"measuring {name} ...", file=sys.stderr)
        results[name] = measure(readers, args.shared)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, figures in results.items():
        print(f"\n== {name}")
        for key, value in figures.items():
            print(f"  {key:28} {value}")


if __name__ == "__main__":
    main()
