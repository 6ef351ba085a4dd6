"""Fit the description-genre model on the DEV split of the "genre" key; write pipeline/lexicon/genre_weights.json.

    .venv/bin/python scripts/train_genre.py --corpus ../shared/corpus [--out PATH] [--splits PATH]

Deterministic, no randomness: every labelled text of `pipeline.eval.genre.examples` (corpus articles →
article; listings_html/ and Tiki descriptions → product_copy) goes through the whole pipeline; the dev
ones (tests/data/splits.json "genre") with at least the lexicon's `[genre] min_words` description words
give the rows (shorter ones are product_copy by rule, whatever the model says). Their features
(`pipeline.text.genre.GENRE_FEATURES`) are standardized (dev mean and sd) and an L2-regularized
logistic regression is fitted by Newton's method (a fixed number of iterations, intercept not penalized;
scripts/_logreg.py, shared with scripts/train_boundaries.py),
the two classes weighted equally (each class's rows sum to half the weight). The L2 strength and the
probability threshold are chosen by leave-one-source-out cross-validation inside dev (out-of-fold
probabilities; the best balanced accuracy wins, ties to the earlier setting: the stronger L2, the lower
threshold). The final weights are fitted on all dev rows. The test split is never read.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _logreg  # noqa: E402  (scripts/_logreg.py, beside this file)
from pipeline.eval.genre import examples, splits  # noqa: E402
from pipeline.lexicon import load as load_lexicon  # noqa: E402
from pipeline.stages import quality  # noqa: E402
from pipeline.text import genre  # noqa: E402
from pipeline.stages.quality import genre_inputs  # noqa: E402
from pipeline.text.genre import GENRE_FEATURES, GENRE_WEIGHTS_FILE, genre_signals  # noqa: E402

L2_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.20, 0.91, 0.05))
ITERATIONS = 30


def _neutral_model(path=None) -> dict:
    """What the quality stage and the zones' article rule (`text.articles`) read while the texts go through the
    pipeline for fitting: the features do not depend on the model, and the file being rewritten (or fitted on
    other features) is never read. Under it (P = 0.5, below `[article]`'s minimum) no article is found by its genre."""
    d = len(GENRE_FEATURES)
    return {"features": list(GENRE_FEATURES), "mean": [0.0] * d, "threshold": 1.0,
            "_w": np.zeros(d), "_b": 0.0}


def dev_rows(corpus: Path, splits_dir: Path) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """(X, y, source, name) of the dev texts long enough for the model to decide."""
    quality.genre_model = genre.genre_model = _neutral_model
    split_of = splits(splits_dir)
    min_words = load_lexicon("quality")["genre"]["min_words"]
    X, y, groups, names = [], [], [], []
    for source, gold, listing in examples(corpus):
        if split_of.get(source) != "dev":
            continue
        s = genre_signals(**genre_inputs(listing))
        if s["words"] < min_words:
            continue
        X.append([s["features"][f] for f in GENRE_FEATURES])
        y.append(1.0 if gold == "article" else 0.0)
        groups.append(source)
        names.append(listing.source)
    return np.asarray(X, dtype=float), np.asarray(y), groups, names


def fit(X: np.ndarray, y: np.ndarray, sw: np.ndarray, l2: float, iterations: int = ITERATIONS):
    """Weighted L2 logistic regression on standardized X by Newton's method (scripts/_logreg.py); returns (weights, bias)."""
    return _logreg.fit(X, y, l2, iterations, sample_weight=sw)


def class_weights(y: np.ndarray) -> np.ndarray:
    """Each class sums to half of n (a balanced fit)."""
    n = len(y)
    pos = max(1.0, y.sum())
    neg = max(1.0, n - y.sum())
    return np.where(y == 1, n / (2 * pos), n / (2 * neg))


standardize = _logreg.standardize
prob = _logreg.prob


def balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean([(pred[y == c] == c).mean() for c in (0, 1) if (y == c).any()]))


def train(X: np.ndarray, y: np.ndarray, groups: list[str]) -> dict:
    g = np.asarray(groups)
    best = None
    for l2 in L2_GRID:
        oof = np.zeros(len(y))
        for src in sorted(set(groups)):
            tr, te = g != src, g == src
            mean, scale = standardize(X[tr])
            w, b = fit((X[tr] - mean) / scale, y[tr], class_weights(y[tr]), l2)
            oof[te] = prob(X[te], mean, scale, w, b)
        for t in THRESHOLDS:
            ba = balanced_accuracy(y, (oof >= t).astype(float))
            if best is None or ba > best[2] + 1e-12:
                best = (l2, t, ba)
    l2, t, ba = best
    mean, scale = standardize(X)
    w, b = fit((X - mean) / scale, y, class_weights(y), l2)
    return {"l2": l2, "threshold": float(t), "cv_balanced_accuracy": round(ba, 4),
            "weights": [round(float(v), 6) for v in w], "bias": round(b, 6),
            "mean": [round(float(v), 6) for v in mean], "scale": [round(float(v), 6) for v in scale]}


def model_file(fitted: dict, X: np.ndarray, y: np.ndarray, groups: list[str], names: list[str]) -> dict:
    digest = hashlib.sha1()
    for name, row in zip(names, X.round(6).tolist()):
        digest.update(json.dumps([name, row]).encode())
    return {
        "about": "Description genre model for pipeline/stages/quality.py: P(article) = sigmoid(bias + "
                 "sum(weights * (x - mean) / scale)); article when P >= threshold and the description has at "
                 "least [genre] min_words words (lexicon/quality.toml). Written by scripts/train_genre.py.",
        "features": list(GENRE_FEATURES),
        **{k: fitted[k] for k in ("weights", "bias", "mean", "scale", "threshold", "l2", "cv_balanced_accuracy")},
        "training": {
            "split": "dev (tests/data/splits.json \"genre\")",
            "rows": int(len(y)), "articles": int(y.sum()), "product_copy": int(len(y) - y.sum()),
            "sources": sorted(set(groups)),
            "fingerprint": digest.hexdigest(),
            "selection": "leave-one-source-out CV inside dev over l2 x threshold, best balanced accuracy; "
                         "classes weighted equally",
        },
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=GENRE_WEIGHTS_FILE)
    ap.add_argument("--splits", type=Path, default=ROOT / "tests" / "data",
                    help="the folder holding splits.json")
    args = ap.parse_args(argv)
    X, y, groups, names = dev_rows(args.corpus, args.splits)
    if not len(y) or y.min() == y.max():
        print("dev needs both classes (check --corpus and --splits)", file=sys.stderr)
        return 2
    model = model_file(train(X, y, groups), X, y, groups, names)
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    t = model["training"]
    print(f"{t['rows']} dev rows ({t['articles']} articles, {t['product_copy']} product copy), "
          f"{len(t['sources'])} sources; l2={model['l2']} threshold={model['threshold']} "
          f"CV balanced accuracy {model['cv_balanced_accuracy']:.3f} -> {args.out}")
    for name, wt in sorted(zip(GENRE_FEATURES, model["weights"]), key=lambda x: -abs(x[1])):
        print(f"  {name:20s} {wt:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
