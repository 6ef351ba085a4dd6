"""Fit the zones stage's line model on the DEV split only, deterministically, and write its weights.

    .venv/bin/python scripts/fit_zone_model.py [--corpus ../shared/corpus] [--cv]

Reads the labelled dev documents (tests/data/policy_labels, split tests/data/splits.json) from the corpus
as the pipeline reads them, runs the rules (pipeline.stages.zones.zone_features) and labels each block
with the zone of the labelled lines that start in it (the majority; ties go to the first line). Fits a
multinomial logistic regression with L2 (full-batch gradient descent from zero weights: no randomness) on
the features seen in at least MIN_SOURCES dev sources (a repository, or one Tiki record: a scrape batch
holds hundreds of unrelated shops), and writes pipeline/lexicon/zones_model.json.
`--cv` prints leave-sources-out accuracy on dev (FOLDS folds by source) for rules and model instead.
The test split is never read.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.eval import DATA_DIR  # noqa: E402
from pipeline.eval.policy import line_blocks, load, read_listings, split_of  # noqa: E402
from pipeline.lexicon import LEXICON_DIR  # noqa: E402
from pipeline.stages.zones import MODEL_FILE, RULES_KEPT, zone_features  # noqa: E402

ZONES = ("policy", "description", "other")
MIN_SOURCES = 3      # a feature must occur in this many dev sources (repositories / Tiki batches) to be kept
L2 = 1.0             # L2 penalty per feature weight, summed over the blocks' mean loss times this / n
STEPS = 1500         # gradient steps
RATE = 0.5           # step size
FOLDS = 5
KEEP = 0.005         # weights smaller than this are not written


def dev_blocks(corpus: Path | None):
    """(source, features, gold zone, lines' zones, rule zone, decided) per labelled block of the dev documents;
    `decided` is False for the blocks whose rule decision the model keeps (RULES_KEPT): they are not fitted
    on, but they count in the cross-validated scores as the pipeline zones them."""
    docs = load(DATA_DIR)
    split = split_of(DATA_DIR)
    dev = [d for d in docs if split[d["group"]] == "dev"]
    listings = read_listings(dev, corpus)
    out = []
    for doc in dev:
        listing = listings[doc["doc"]]
        if not hasattr(listing, "blocks"):
            continue
        feats = zone_features(listing)
        per_block: dict[int, list[str]] = {}
        for line, i in zip(doc["lines"], line_blocks(doc, listing)):
            if i is not None:
                per_block.setdefault(i, []).append(line["zone"])
        for i, zones in sorted(per_block.items()):
            counts = Counter(zones)
            gold = max(counts, key=lambda z: (counts[z], -zones.index(z)))
            decided = listing.blocks[i].zone_reason not in RULES_KEPT
            out.append((source_of(doc), feats[i], gold, zones, listing.blocks[i].zone, decided))
    return out


def source_of(doc: dict) -> str:
    """The unit of independence: the repository, or for Tiki records (one scrape batch holds hundreds of
    unrelated shops) the record itself."""
    return doc["doc"] if doc["group"].startswith("tiki:") else doc["group"]


def fit(rows, vocab: list[str]) -> np.ndarray:
    index = {f: k for k, f in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)))
    for r, (_, feats, *_rest) in enumerate(rows):
        for f in feats:
            if f in index:
                x[r, index[f]] = 1.0
    y = np.zeros((len(rows), len(ZONES)))
    for r, row in enumerate(rows):
        y[r, ZONES.index(row[2])] = 1.0
    w = np.zeros((len(vocab), len(ZONES)))
    n = len(rows)
    for _ in range(STEPS):
        z = x @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = x.T @ (p - y) / n + L2 * w / n
        w -= RATE * grad
    return w


def vocabulary(rows) -> list[str]:
    sources: dict[str, set[str]] = {}
    for src, feats, *_ in rows:
        for f in set(feats):
            sources.setdefault(f, set()).add(src)
    return sorted(f for f, s in sources.items() if len(s) >= MIN_SOURCES)


def predict(w: np.ndarray, vocab: list[str], feats: list[str]) -> str:
    index = {f: k for k, f in enumerate(vocab)}
    score = sum((w[index[f]] for f in feats if f in index), np.zeros(len(ZONES)))
    return ZONES[int(np.argmax(score))]


def fold_of(source: str) -> int:
    return int(hashlib.sha1(source.encode()).hexdigest(), 16) % FOLDS


def _table(title: str, confusion: Counter) -> None:
    total = sum(confusion.values())
    ok = sum(v for (g, p), v in confusion.items() if g == p)
    cells = []
    for z in ZONES:
        tp = confusion[(z, z)]
        pred = sum(v for (g, p), v in confusion.items() if p == z)
        gold = sum(v for (g, p), v in confusion.items() if g == z)
        cells.append(f"{z} P {tp / max(pred, 1):.3f} R {tp / max(gold, 1):.3f}")
    print(f"  {title:28} accuracy {ok / max(total, 1):.3f} over {total} lines | " + " | ".join(cells))


def cross_validate(rows) -> None:
    """Leave-sources-out on dev: each fold's blocks are zoned by a model fitted on the other folds; the
    blocks the model does not decide keep the rules' zone. Scored per labelled line, as the eval does."""
    rules, model, model_decided, rules_decided = Counter(), Counter(), Counter(), Counter()
    for k in range(FOLDS):
        train = [r for r in rows if fold_of(r[0]) != k and r[5]]
        held = [r for r in rows if fold_of(r[0]) == k]
        vocab = vocabulary(train)
        w = fit(train, vocab)
        index = {f: j for j, f in enumerate(vocab)}
        for _, feats, _, zones, rule, decided in held:
            got = rule
            if decided:
                score = sum((w[index[f]] for f in feats if f in index), np.zeros(len(ZONES)))
                got = ZONES[int(np.argmax(score))]
            for z in zones:
                rules[(z, rule)] += 1
                model[(z, got)] += 1
                if decided:
                    model_decided[(z, got)] += 1
                    rules_decided[(z, rule)] += 1
    print(f"dev, {FOLDS} folds by source (L2 {L2}, features in >= {MIN_SOURCES} sources):")
    _table("rules, all lines", rules)
    _table("rules + model (CV), all", model)
    _table("rules, decided blocks", rules_decided)
    _table("model (CV), decided blocks", model_decided)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent.parent / "shared" / "corpus")
    ap.add_argument("--cv", action="store_true")
    a = ap.parse_args()
    path = LEXICON_DIR / MODEL_FILE
    rows = dev_blocks(a.corpus if a.corpus.exists() else None)
    if a.cv:
        cross_validate(rows)
        return
    rows = [r for r in rows if r[5]]
    vocab = vocabulary(rows)
    w = fit(rows, vocab)
    weights = {f: [round(float(v), 3) for v in w[k]] for k, f in enumerate(vocab) if np.abs(w[k]).max() >= KEEP}
    path.write_text(json.dumps({"zones": list(ZONES), "fitted_on": "dev split of tests/data/policy_labels",
                                "blocks": len(rows), "weights": weights}, ensure_ascii=False, sort_keys=True,
                               indent=0) + "\n", encoding="utf-8")
    print(f"{len(rows)} dev blocks, {len(vocab)} features kept of which {len(weights)} written to {path}")


if __name__ == "__main__":
    main()
