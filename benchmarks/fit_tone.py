"""Fits the dismissive tone weights on the Stanford Politeness requests and prints cross-validated figures.

    python benchmarks/fit_tone.py [--shared ../shared] [--l2 1.0] [--write]

The data is the Wikipedia half of the Stanford Politeness corpus (Danescu-Niculescu-Mizil
et al., ACL 2013) in ../shared/data; as in the paper, the top quartile of requests by
normalised score is polite and the bottom quartile impolite. Each request is read by
toneguard itself (``Analyzer.tone_features``), so the model is fitted on exactly the
features it will weigh. Markers with a hand-set ``weight`` in the rules (help-desk wording
too rare in requests to fit) enter as a fixed offset; every other dismissive marker and
the built-in features (sentiment, opinion words) get a weight from an L2-penalised
logistic regression, fitted by Newton's method (numpy only).

Prints the 5-fold cross-validated accuracy and ROC AUC (out-of-fold predictions, pooled),
never the in-sample ones. With ``--write`` it writes the weights to
src/toneguard/rules/tone-weights.yaml, where the rules loader validates them.
"""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import toneguard
from toneguard import Category

HERE = Path(__file__).resolve().parent
WEIGHTS_FILE = HERE.parent / "src" / "toneguard" / "rules" / "tone-weights.yaml"
STANFORD = Path("data") / "stanford-politeness" / "wikipedia.annotated.csv"
FOLDS = 5
SEED = 2013
csv.field_size_limit(10**8)


@dataclass(frozen=True)
class Requests:
    """The quartile requests as features: ``x`` for the fitted names, ``offset`` from hand-set markers, ``impolite``."""

    texts: list[str]
    names: list[str]
    x: np.ndarray
    offset: np.ndarray
    impolite: np.ndarray


def quartile_requests(shared: Path) -> tuple[list[str], np.ndarray]:
    """The bottom (impolite, 1) and top (polite, 0) quartile of the Wikipedia requests."""
    with (shared / STANFORD).open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: float(row["Normalized Score"]))
    quarter = len(rows) // 4
    picked = rows[:quarter] + rows[-quarter:]
    return [row["Request"] for row in picked], np.array([1] * quarter + [0] * quarter, dtype=float)


def read_features(analyzer: toneguard.Analyzer, texts: list[str], impolite: np.ndarray) -> Requests:
    """Each text's dismissive features: the model's own names as columns, hand-set markers summed into an offset."""
    rule_set = analyzer.rule_set
    names = sorted(rule_set.tone_models[Category.dismissive].weights)
    hand_set = {m.name: m.weight for m in rule_set.tone_markers if m.category == Category.dismissive and m.weight is not None}
    x = np.zeros((len(texts), len(names)))
    offset = np.zeros(len(texts))
    column = {name: index for index, name in enumerate(names)}
    for row, text in enumerate(texts):
        for name, value in analyzer.tone_features(text)[Category.dismissive].items():
            if name in column:
                x[row, column[name]] = value
            elif name in hand_set:
                offset[row] += hand_set[name] * value
    return Requests(texts, names, x, offset, impolite)


def fit(x: np.ndarray, y: np.ndarray, offset: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    """(intercept, weights) of a logistic regression with an unpenalised intercept and an L2 penalty on the weights."""
    design = np.hstack([np.ones((len(x), 1)), x])
    penalty = np.eye(design.shape[1]) * l2
    penalty[0, 0] = 0.0
    coef = np.zeros(design.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(design @ coef + offset)))
        gradient = design.T @ (p - y) + penalty @ coef
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        coef -= step
        if np.abs(step).max() < 1e-9:
            break
    return float(coef[0]), coef[1:]


def fold_indices(y: np.ndarray, folds: int = FOLDS, seed: int = SEED) -> list[np.ndarray]:
    """Stratified folds: each class shuffled and dealt round-robin."""
    rng = np.random.default_rng(seed)
    assigned = [[] for _ in range(folds)]
    for label in (0, 1):
        members = rng.permutation(np.flatnonzero(y == label))
        for position, index in enumerate(members):
            assigned[position % folds].append(index)
    return [np.array(sorted(indices)) for indices in assigned]


def out_of_fold_logits(requests: Requests, l2: float) -> np.ndarray:
    """Each request's logit from a model fitted on the other folds."""
    logits = np.zeros(len(requests.impolite))
    for test in fold_indices(requests.impolite):
        train = np.setdiff1d(np.arange(len(logits)), test)
        intercept, weights = fit(requests.x[train], requests.impolite[train], requests.offset[train], l2)
        logits[test] = intercept + requests.x[test] @ weights + requests.offset[test]
    return logits


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    positives, negatives = scores[labels == 1], scores[labels == 0]
    above = (positives[:, None] > negatives[None, :]).sum() + 0.5 * (positives[:, None] == negatives[None, :]).sum()
    return float(above / (len(positives) * len(negatives)))


def figures(logits: np.ndarray, impolite: np.ndarray) -> dict[str, float]:
    """Accuracy at the model's own boundary (logit 0), at the median (the classes are balanced), and ROC AUC."""
    median = np.median(logits)
    return {
        "accuracy": round(float(((logits > 0) == (impolite == 1)).mean()), 3),
        "median_split_accuracy": round(float(((logits > median) == (impolite == 1)).mean()), 3),
        "auc": round(roc_auc(logits, impolite), 3),
    }


def weights_yaml(intercept: float, names: list[str], weights: np.ndarray, fitted: dict) -> str:
    lines = [
        "# The dismissive tone model: weights of the politeness strategies in rules/tone.yaml and of the",
        "# built-in features (sentiment, opinion words), fitted by logistic regression on the Stanford",
        "# Politeness requests (Wikipedia), impolite bottom quartile vs polite top quartile.",
        "# Written by benchmarks/fit_tone.py --write: re-run it rather than editing by hand.",
        "tone_models:",
        "  dismissive:",
        f"    intercept: {intercept:.3f}",
        "    weights:",
        *(f"      {name}: {weight:.3f}" for name, weight in zip(names, weights)),
        "    fitted:",
        *(f"      {key}: {value}" for key, value in fitted.items()),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights (not on the intercept)")
    parser.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS_FILE.name}")
    args = parser.parse_args()
    texts, impolite = quartile_requests(args.shared)
    requests = read_features(toneguard.Analyzer(), texts, impolite)
    cross_validated = figures(out_of_fold_logits(requests, args.l2), impolite)
    intercept, weights = fit(requests.x, impolite, requests.offset, args.l2)
    print(f"{len(texts)} requests ({int(impolite.sum())} impolite), {len(requests.names)} fitted features, L2 {args.l2}")
    print(f"{FOLDS}-fold cross-validated: " + ", ".join(f"{key} {value}" for key, value in cross_validated.items()))
    print(f"\nintercept {intercept:+.3f}")
    for name, weight in sorted(zip(requests.names, weights), key=lambda item: item[1]):
        print(f"  {name:24} {weight:+.3f}")
    if args.write:
        fitted = {
            "data": '"Stanford Politeness, Wikipedia requests, bottom vs top quartile"',
            "requests": len(texts),
            "date": f"\"{time.strftime('%Y-%m-%d')}\"",
            "l2": args.l2,
            "folds": FOLDS,
            **{f"cv_{key}": value for key, value in cross_validated.items()},
        }
        WEIGHTS_FILE.write_text(weights_yaml(intercept, requests.names, weights, fitted), encoding="utf-8")
        print(f"\nwrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
