"""Fit the top-level boundary scorer on the DEV split of the articles; write pipeline/lexicon/boundary_weights.json.

    .venv/bin/python scripts/train_boundaries.py --corpus ../shared/corpus [--out PATH] [--splits PATH]

Deterministic, no randomness: features from pipeline/stages/sections/boundaries.py, standardized (dev
mean and sd); L2-regularized logistic regression fitted by Newton's method (a fixed number of
iterations), the intercept not penalized (scripts/_logreg.py, shared with scripts/train_genre.py). The L2 strength, the probability threshold and the minimum gap
between two boundaries are chosen by leave-one-repository-out cross-validation inside dev (out-of-fold
probabilities for every dev article; the setting with the best within-one-paragraph F1, micro-averaged,
wins; ties go to the earlier, simpler setting). The final weights are fitted on all dev articles. The test
split is never read. The output records the features, weights, decision rule and a fingerprint of the
training data (sha1 over the dev articles' paragraphs and keys).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _logreg  # noqa: E402  (scripts/_logreg.py, beside this file)
from pipeline.eval.articles import Article, fingerprint, load, read_splits, split_of, SPLITS_FILE  # noqa: E402
from pipeline.eval.boundaries import matches  # noqa: E402
from pipeline.stages.sections.boundaries import FEATURES, WEIGHTS_FILE, choose, features  # noqa: E402

L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.15, 0.76, 0.025))
MIN_GAPS = (1, 2, 3)
ITERATIONS = 25


def design(articles: list[Article]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    Xs, ys = [], []
    for a in articles:
        X = features(a.paragraphs, a.lang)
        y = np.zeros(len(X))
        for i in a.top:
            y[i - 1] = 1.0
        Xs.append(X)
        ys.append(y)
    return Xs, ys


def fit(X: np.ndarray, y: np.ndarray, l2: float, iterations: int = ITERATIONS) -> tuple[np.ndarray, float]:
    """L2 logistic regression on standardized X by Newton's method (scripts/_logreg.py); returns (weights, bias)."""
    return _logreg.fit(X, y, l2, iterations)


_standardize = _logreg.standardize
_prob = _logreg.prob


def f1_within(articles: list[Article], probs: list[np.ndarray], threshold: float, min_gap: int,
              tol: int = 1) -> float:
    tp = fp = fn = 0
    for a, p in zip(articles, probs):
        pred = choose(p, threshold, min_gap)
        m = matches(pred, a.top, tol)
        tp, fp, fn = tp + m, fp + len(pred) - m, fn + len(a.top) - m
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train(dev: list[Article], l2_grid=L2_GRID) -> dict:
    Xs, ys = design(dev)
    repos = sorted({a.repo for a in dev})
    best = None
    cv_table = []
    for l2 in l2_grid:
        oof: list[np.ndarray | None] = [None] * len(dev)
        for r in repos:
            tr = [k for k, a in enumerate(dev) if a.repo != r]
            te = [k for k, a in enumerate(dev) if a.repo == r]
            X = np.vstack([Xs[k] for k in tr])
            y = np.concatenate([ys[k] for k in tr])
            mean, scale = _standardize(X)
            w, b = fit((X - mean) / scale, y, l2)
            for k in te:
                oof[k] = _prob(Xs[k], mean, scale, w, b) if len(Xs[k]) else np.zeros(0)
        for mg in MIN_GAPS:
            for t in THRESHOLDS:
                f = f1_within(dev, oof, t, mg)
                cv_table.append((l2, mg, t, f))
                if best is None or f > best[3] + 1e-12:
                    best = (l2, mg, t, f)
    l2, mg, t, f = best
    X = np.vstack(Xs)
    y = np.concatenate(ys)
    mean, scale = _standardize(X)
    w, b = fit((X - mean) / scale, y, l2)
    return {
        "about": "Top-level section boundary scorer for pipeline/stages/sections/boundaries.py: "
                 "p = sigmoid(bias + sum(weights * (x - mean) / scale)); boundaries = gaps with p >= threshold, "
                 "strongest first, none within min_gap paragraphs of one kept. Written by scripts/train_boundaries.py.",
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "threshold": float(t),
        "min_gap": int(mg),
        "l2": float(l2),
        "cv_within1_f1": round(float(f), 4),
        "training": {
            "split": "dev",
            "articles": len(dev),
            "gaps": int(len(y)),
            "positives": int(y.sum()),
            "repositories": repos,
            "fingerprint": fingerprint(dev),
            "selection": "leave-one-repository-out CV inside dev over l2 x min_gap x threshold, "
                         "best micro within-one-paragraph F1",
        },
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    ap.add_argument("--splits", type=Path, default=SPLITS_FILE)
    args = ap.parse_args(argv)
    arts = load(args.corpus)
    splits = read_splits(args.splits)
    dev = [a for a in arts if split_of(a, splits) == "dev"]
    if not dev:
        print("no dev articles (check --corpus and --splits)", file=sys.stderr)
        return 2
    model = train(dev)
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(dev)} dev articles, {model['training']['gaps']} gaps, {model['training']['positives']} boundaries; "
          f"l2={model['l2']} min_gap={model['min_gap']} threshold={model['threshold']} "
          f"CV within-one F1 {model['cv_within1_f1']:.3f} -> {args.out}")
    for name, wt in sorted(zip(FEATURES, model["weights"]), key=lambda x: -abs(x[1])):
        print(f"  {name:18s} {wt:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
