"""Fit the zones stage's line model on the DEV split only, deterministically, and write its weights.

    .venv/bin/python scripts/fit_zone_model.py [--corpus ../shared/corpus] [--cv]

Reads the labelled dev documents (tests/data/policy_labels, every file of pipeline.eval.policy.LABEL_FILES
through pipeline.eval.policy.load, split tests/data/splits.json) from the corpus
as the pipeline reads them, runs the rules (pipeline.stages.zones.zone_features) and labels each block
with the zone of the labelled lines that start in it (the majority; ties go to the first line). Fits a
multinomial logistic regression with L2 (full-batch gradient descent from zero weights: no randomness) on
the features seen in at least min_sources dev sources (a repository, or one Tiki record: a scrape batch
holds hundreds of unrelated shops), and writes pipeline/lexicon/zones_model.json.
Its hyper-parameters are in lexicon/zones.toml [model.fit]: the word limit (a block's first N distinct
words) and the L2 penalty are chosen from their grids by leave-sources-out CV on dev (best macro-F1 over
the dev lines; ties: fewer words, then the stronger L2), so a re-fit on more labels re-chooses them; the
chosen word limit is written into the model file, which the stage reads.
Per-zone offsets (added to the scores before the decision) are written with the weights, all zero: `--cv`
also prints the `other` offset of OFFSET_GRID with the best macro-F1 on the dev lines scored
leave-sources-out, but it is not shipped (-0.25 lowered the hand-labelled Tiki spans under their test's
0.95; a policy offset, +0.5 best on CV, moved English article paragraphs of the sample listing into policy).
`--cv` prints leave-sources-out scores on dev (folds by source) for the rules and the chosen model, per
document kind, structure-level decoding (a Viterbi pass with dev-fitted zone transitions, STRUCTURE_GRID:
tried in zones6 and not shipped, it trades `other` recall and policy precision for policy recall), and the
sources the chosen setting gains or loses most lines on against zones4's setting (L2 1, 40 words), instead
of writing.
Perturbed copies (zones10): `--augment unaccent,upper` (default [model.fit] augment) adds each dev document
rewritten without diacritics and in capitals (PERTURBATIONS, applied to the reader's decoded text) to the
rows fitted on, with the source of its original, so a document and its copies fall in the same CV fold;
`--cv` scores the held-out plain documents and their perturbed copies apart. `--words N --l2 X` fix the
setting instead of the grid. zones12: `--copy-weight 0.5` (or `unaccent=0.5,upper=0.25`; default [model.fit]
copy_weight, else 1) weighs each copy's rows so in the loss, and `--sectionless upper` fits those copies
without the section features (sec=...); both are written into the model file.
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
from pipeline.eval.perturb import unaccent, upper  # noqa: E402
from pipeline.eval.policy import line_blocks, load, read_listings, split_of  # noqa: E402
from pipeline.eval.policy import perturbed as perturbed_documents  # noqa: E402
from pipeline.lexicon import LEXICON_DIR  # noqa: E402
from pipeline.lexicon import load as load_lexicon  # noqa: E402
from pipeline.stages.zones import MODEL_FILE, model_decides, model_may_make_policy, zone_features  # noqa: E402

ZONES = ("policy", "description", "other")
FIT = load_lexicon("zones")["model"]["fit"]
MIN_SOURCES = int(FIT["min_sources"])  # a feature must occur in this many dev sources to be kept
L2 = 1.0             # L2 penalty per feature weight (summed loss times this / n); set from FIT["l2_grid"] by CV
STEPS = int(FIT["steps"])    # gradient steps
RATE = float(FIT["rate"])    # step size
FOLDS = int(FIT["folds"])
KEEP = 0.005         # weights smaller than this are not written
REFERENCE = (40, 1.0)  # zones4's (word limit, L2): --cv compares the chosen setting with it, source by source
OFFSET_GRID = [k / 4 for k in range(-4, 5)]   # offsets tried for the other zone (policy, description stay 0)
NO_POLICY = "no-policy"   # a row's `decided` when the model decides it but may not make it policy (zones.model_may_make_policy)
STRUCTURE_GRID = [0.25, 0.5, 1.0]   # transition weights --cv tries for structure-level decoding (not shipped)


def dev_kinds() -> dict[str, str]:
    """The kind of document (policies, listings_html, products.jsonl) of each dev source."""
    return {source_of(d): d["doc"].split("/")[0].split("#")[0] for d in load(DATA_DIR)}


# The perturbations of a document's text (zones10): the fit can add the dev documents rewritten so, and --cv
# scores the held-out documents rewritten so; the lead's sketch rewrote the labelled lines the same ways.
PERTURBATIONS = {"unaccent": unaccent, "upper": upper}   # of pipeline.eval.perturb


def dev_blocks(corpus: Path | None, perturbation: str | None = None, texts: list | None = None):
    """(source, features, gold zone, lines' zones, rule zone, decided, document) per labelled block of the dev
    documents, in reading order (with `perturbation`, of the documents rewritten so: PERTURBATIONS);
    `decided` is False for the blocks whose rule decision the model keeps (zones.model_decides): they are not fitted
    on, but they count in the cross-validated scores as the pipeline zones them. `texts`, when given, gets
    each row's labelled lines (their text), in the rows' order (for --dump)."""
    docs = load(DATA_DIR)
    split = split_of(DATA_DIR)
    dev = [d for d in docs if split[d["group"]] == "dev"]
    dev = perturbed_documents(dev, perturbation or "none")   # the labelled lines rewritten as the listing's text is
    listings = read_listings(dev, corpus, perturbation or "none")
    out = []
    for doc in dev:
        listing = listings[doc["doc"]]
        if not hasattr(listing, "blocks"):
            continue
        feats = zone_features(listing)
        per_block: dict[int, list[str]] = {}
        per_text: dict[int, list[str]] = {}
        for line, i in zip(doc["lines"], line_blocks(doc, listing)):
            if i is not None:
                per_block.setdefault(i, []).append(line["zone"])
                per_text.setdefault(i, []).append(line["text"])
        for i, zones in sorted(per_block.items()):
            counts = Counter(zones)
            gold = max(counts, key=lambda z: (counts[z], -zones.index(z)))
            # (zones36) a decided block the model may not make policy is NO_POLICY (truthy: fitted on as any other)
            decided = model_decides(listing.blocks[i]) and (model_may_make_policy(listing.blocks[i]) or NO_POLICY)
            out.append((source_of(doc), feats[i], gold, zones, listing.blocks[i].zone, decided, doc["doc"]))
            if texts is not None:
                texts.append(per_text[i])
    return out


def dump(path: Path, rows, scores, texts: list, perturbation: str) -> None:
    """--dump: one JSON line per labelled dev line with its out-of-fold zone (the model of the fold that did
    not see its source; the rules' zone where the model does not decide), to read the dev CV failures and to
    compare two settings line by line. Dev only: the test split is never read."""
    with path.open("a", encoding="utf-8") as out:
        for row, score, lines in zip(rows, scores, texts):
            got = _zone(row, score)
            why = next((f[4:] for f in row[1] if f.startswith("why=")), "")
            for gold, line in zip(row[3], lines):
                out.write(json.dumps({"perturbation": perturbation, "source": row[0], "doc": row[6], "line": line,
                                      "gold": gold, "got": got, "rule": row[4], "why": why,
                                      "scores": None if score is None else [round(float(v), 3) for v in score]},
                                     ensure_ascii=False) + "\n")


SECTION_PREFIX = "sec="   # the section features (zone_features' f"sec={zone}"), left out of sectionless copies


def copies(perturbed: dict, augment, weights: dict[str, float], sectionless=()) -> list:
    """The perturbed copies of the dev blocks the fit adds (zones10), each row carrying its weight in the
    loss (zones12: `weights` per perturbation, 1 when not given) and, for the perturbations in
    `sectionless`, its features without the section ones (SECTION_PREFIX): such a copy says nothing about
    what a section zone means, so a capitals copy, whose headings the rules do not take (zones10), does not
    teach the section weights of plain documents."""
    out = []
    for name in augment:
        weight = float(weights.get(name, 1.0))
        for row in perturbed[name]:
            feats = [f for f in row[1] if not f.startswith(SECTION_PREFIX)] if name in sectionless else row[1]
            out.append((row[0], feats, *row[2:7], weight))
    return out


def _per_perturbation(value: str) -> dict[str, float]:
    """--copy-weight: "0.5" (every perturbation) or "unaccent=0.5,upper=0.25"."""
    if "=" not in value:
        return {name: float(value) for name in PERTURBATIONS}
    return {k.strip(): float(v) for k, v in (part.split("=", 1) for part in value.split(",") if part)}


def source_of(doc: dict) -> str:
    """The unit of independence: the repository, or for Tiki records (one scrape batch holds hundreds of
    unrelated shops) the record itself."""
    return doc["doc"] if doc["group"].startswith("tiki:") else doc["group"]


def weight_of(row) -> float:
    """A row's weight in the fit's loss: its eighth field when it has one (perturbed copies, zones12), else 1."""
    return float(row[7]) if len(row) > 7 else 1.0


def fit(rows, vocab: list[str]) -> np.ndarray:
    """Multinomial logistic regression with L2 by full-batch gradient descent from zero (STEPS steps of
    RATE), on binary features stored sparsely: each row's feature indices, summed with np.add.reduceat.
    Each row's loss counts weight_of(row) times (zones12: perturbed copies may weigh less than the dev
    documents), and the loss and the penalty are divided by the rows' total weight (their number when every
    weight is 1, as before)."""
    index = {f: k for k, f in enumerate(vocab)}
    rr, cc = [], []
    for r, (_, feats, *_rest) in enumerate(rows):
        for f in dict.fromkeys(feats):
            if f in index:
                rr.append(r)
                cc.append(index[f])
    n = len(rows)
    rr, cc = np.array(rr), np.array(cc)
    y = np.zeros((n, len(ZONES)))
    for r, row in enumerate(rows):
        y[r, ZONES.index(row[2])] = 1.0
    sw = np.array([weight_of(row) for row in rows])[:, None]
    total = float(sw.sum())
    row_start = np.searchsorted(rr, np.arange(n))  # every row has the bias feature, so none is empty
    by_col = np.argsort(cc, kind="stable")
    cols = np.unique(cc)
    col_start = np.searchsorted(cc[by_col], cols)
    w = np.zeros((len(vocab), len(ZONES)))
    for _ in range(STEPS):
        z = np.add.reduceat(w[cc], row_start, axis=0)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = np.zeros_like(w)
        grad[cols] = np.add.reduceat((sw * (p - y))[rr[by_col]], col_start, axis=0)
        w -= RATE * (grad / total + L2 * w / total)
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


def limit_words(rows, limit: int):
    """The rows with each block's first `limit` word features only (zone_features lists the words in reading
    order, so these are the features of a block read with max_words = limit)."""
    out = []
    for row in rows:
        kept, seen = [], 0
        for f in row[1]:
            if f.startswith("w="):
                seen += 1
                if seen > limit:
                    continue
            kept.append(f)
        out.append((row[0], kept, *row[2:]))
    return out


def choose(rows, extra=()) -> tuple[int, float, dict]:
    """The (word limit, L2) of FIT's grids with the best CV macro-F1 over the dev lines (rounded to 3 places;
    ties: fewer words, then the stronger L2); also returns each setting's CV scores. Prints the grid.
    `extra`: perturbed copies of dev blocks fitted on with the other folds' rows (not scored here)."""
    global L2
    results, best = {}, None
    print(f"choosing the word limit and L2 by {FOLDS}-fold leave-sources-out CV on dev (macro-F1 over lines):")
    for limit in sorted(int(k) for k in FIT["word_limits"]):
        limited = limit_words(rows, limit)
        for l2 in sorted(float(v) for v in FIT["l2_grid"]):
            L2 = l2
            scores = cv_scores(limited, limit_words(extra, limit))
            results[(limit, l2)] = scores
            confusion = confusions(limited, scores, np.zeros(len(ZONES)))[1]
            f1 = macro_f1(confusion)
            _table(f"words {limit}, L2 {l2}: macro-F1 {f1:.3f}", confusion)
            key = (round(f1, 3), -limit, l2)
            if best is None or key > best[0]:
                best = (key, (limit, l2))
    limit, L2 = best[1]
    print(f"chosen: words {limit}, L2 {L2}")
    return limit, L2, results


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


def cv_scores(rows, extra=()) -> list[np.ndarray | None]:
    """Leave-sources-out on dev: each block's model scores from a model fitted on the other folds (None for
    the blocks the model does not decide: they keep the rules' zone). `extra` (perturbed copies of dev blocks,
    zones10) is fitted on with the other folds' rows: a document's copies fall in its own fold."""
    return cv_apply(cv_models(list(rows) + list(extra)), rows)


def cv_models(rows) -> list[tuple[dict, np.ndarray]]:
    """Per fold, (feature index, weights) of the model fitted on the decided rows of the other folds."""
    out = []
    for k in range(FOLDS):
        train = [r for r in rows if fold_of(r[0]) != k and r[5]]
        vocab = vocabulary(train)
        out.append(({f: j for j, f in enumerate(vocab)}, fit(train, vocab)))
    return out


def cv_apply(models, rows) -> list[np.ndarray | None]:
    """Each decided row's scores from the model of its own fold (cv_models), None for the others."""
    out: list[np.ndarray | None] = [None] * len(rows)
    for j, row in enumerate(rows):
        src, feats, decided = row[0], row[1], row[5]
        if decided:
            index, w = models[fold_of(src)]
            out[j] = sum((w[index[f]] for f in feats if f in index), np.zeros(len(ZONES)))
            if decided is NO_POLICY:   # as the stage: the model may not make this block policy
                out[j][ZONES.index("policy")] = -np.inf
    return out


def confusions(rows, scores, offsets) -> tuple[Counter, Counter, Counter, Counter]:
    """(rules, model, model on decided blocks, rules on decided blocks), per labelled line."""
    rules, model, model_decided, rules_decided = Counter(), Counter(), Counter(), Counter()
    for row, score in zip(rows, scores):
        zones, rule, decided = row[3], row[4], row[5]
        got = rule if score is None else ZONES[int(np.argmax(score + offsets))]
        for z in zones:
            rules[(z, rule)] += 1
            model[(z, got)] += 1
            if decided:
                model_decided[(z, got)] += 1
                rules_decided[(z, rule)] += 1
    return rules, model, model_decided, rules_decided


def macro_f1(confusion: Counter) -> float:
    f1s = []
    for z in ZONES:
        tp = confusion[(z, z)]
        pred = sum(v for (g, p), v in confusion.items() if p == z)
        gold = sum(v for (g, p), v in confusion.items() if g == z)
        precision, recall = tp / max(pred, 1), tp / max(gold, 1)
        f1s.append(2 * precision * recall / max(precision + recall, 1e-12))
    return sum(f1s) / len(f1s)


def calibrate(rows, scores) -> np.ndarray:
    """The offsets (0, 0, other) with `other` from OFFSET_GRID of the best CV macro-F1 (ties: the smallest,
    then the first in grid order)."""
    best = None
    for o in OFFSET_GRID:
        offsets = np.array([0.0, 0.0, o])
        key = (round(macro_f1(confusions(rows, scores, offsets)[1]), 9), -abs(o))
        if best is None or key > best[0]:
            best = (key, offsets)
    return best[1]


def cross_validate(rows, limit: int, results: dict, kinds: dict[str, str], perturbed=None, extra=()) -> None:
    """Leave-sources-out on dev for the chosen setting, scored per labelled line as the eval does (the grid
    chose it on these same scores, so they are slightly optimistic), with no offsets and with the calibrated
    ones, per document kind; then the sources it gains or loses most lines on against REFERENCE."""
    limited = limit_words(rows, limit)
    scores = results[(limit, L2)]
    offsets = calibrate(limited, scores)
    print(f"dev, {FOLDS} folds by source (words {limit}, L2 {L2}, features in >= {MIN_SOURCES} sources):")
    rules, model, model_decided, rules_decided = confusions(limited, scores, np.zeros(len(ZONES)))
    _table("rules, all lines", rules)
    _table("rules + model (CV), all", model)
    _table("rules, decided blocks", rules_decided)
    _table("model (CV), decided blocks", model_decided)
    _table(f"  + offsets {offsets.tolist()}, all", confusions(limited, scores, offsets)[1])
    for kind in sorted(set(kinds.values())):
        part = [j for j, row in enumerate(limited) if kinds[row[0]] == kind]
        _table(f"rules + model (CV), {kind}", confusions([limited[j] for j in part], [scores[j] for j in part],
                                                         np.zeros(len(ZONES)))[1])
    if perturbed:
        # zones10: the same folds' models (fitted on the plain rows and `extra`) on the held-out documents
        # rewritten (PERTURBATIONS), and per source the lines each perturbation loses against the plain text.
        models = cv_models(limited + limit_words(extra, limit))
        for name, prows in perturbed.items():
            prows = limit_words(prows, limit)
            pscores = cv_apply(models, prows)
            _table(f"rules + model (CV), {name}", confusions(prows, pscores, np.zeros(len(ZONES)))[1])
            for kind in sorted(set(kinds.values())):
                part = [j for j, row in enumerate(prows) if kinds[row[0]] == kind]
                _table(f"  {name}, {kind}", confusions([prows[j] for j in part], [pscores[j] for j in part],
                                                       np.zeros(len(ZONES)))[1])
    structure_cv(limited, scores)
    if REFERENCE in results:
        delta = Counter()
        for row, new, old in zip(limited, scores, results[REFERENCE]):
            for gold in row[3]:
                delta[row[0]] += (_zone(row, new) == gold) - (_zone(row, old) == gold)
        gained = sum(v for v in delta.values() if v > 0)
        lost = -sum(v for v in delta.values() if v < 0)
        top = ", ".join(f"{s} {v:+d}" for s, v in sorted(delta.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:5])
        print(f"against words {REFERENCE[0]}, L2 {REFERENCE[1]}: {gained} lines gained, {lost} lost, over "
              f"{sum(1 for v in delta.values() if v)} sources; largest: {top}")


def structure_cv(rows, scores) -> None:
    """Structure-level decoding under the same CV (zones6, not shipped): a Viterbi pass over each document's
    blocks, the model's log-probabilities plus STRUCTURE_GRID times the log zone-transition frequencies counted
    on the gold zones of the other folds' documents (blocks the model does not decide keep their rule zone).
    Prints each weight's CV per class and the per-source gains and losses against the plain argmax."""
    plain = [_zone(row, score) for row, score in zip(rows, scores)]
    docs: dict[str, list[int]] = {}
    for j, row in enumerate(rows):
        docs.setdefault(row[6], []).append(j)
    print("structure decoding (Viterbi over each document's blocks, dev-fitted transitions), same CV:")
    for weight in STRUCTURE_GRID:
        got = list(plain)
        for k in range(FOLDS):
            counts = np.ones((len(ZONES) + 1, len(ZONES)))   # the last row: the document's start
            for js in docs.values():
                if fold_of(rows[js[0]][0]) != k:
                    previous = len(ZONES)
                    for j in js:
                        counts[previous, ZONES.index(rows[j][2])] += 1
                        previous = ZONES.index(rows[j][2])
            log_t = weight * np.log(counts / counts.sum(axis=1, keepdims=True))
            for js in docs.values():
                if fold_of(rows[js[0]][0]) == k:
                    for j, z in zip(js, _viterbi([_emission(rows[j], scores[j]) for j in js], log_t)):
                        got[j] = ZONES[z]
        confusion = Counter((gold, z) for row, z in zip(rows, got) for gold in row[3])
        _table(f"viterbi, weight {weight}", confusion)
        delta = Counter()
        for row, old, new in zip(rows, plain, got):
            for gold in row[3]:
                delta[row[0]] += (new == gold) - (old == gold)
        top = ", ".join(f"{s} {v:+d}" for s, v in sorted(delta.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:3])
        print(f"    against the argmax: {sum(v for v in delta.values() if v > 0)} lines gained, "
              f"{-sum(v for v in delta.values() if v < 0)} lost; largest: {top}")


def _emission(row, score) -> np.ndarray:
    """Log-probabilities of a block's zones: the model's softmax, or certainty for the rule's zone."""
    if score is None:
        out = np.full(len(ZONES), -1e9)
        out[ZONES.index(row[4])] = 0.0
        return out
    z = score - score.max()
    return z - np.log(np.exp(z).sum())


def _viterbi(emissions: list[np.ndarray], log_t: np.ndarray) -> list[int]:
    """The best zone sequence under emissions plus transitions (log_t's last row: from the start)."""
    best = emissions[0] + log_t[-1]
    back = []
    for e in emissions[1:]:
        step = best[:, None] + log_t[:-1]
        back.append(step.argmax(axis=0))
        best = step.max(axis=0) + e
    path = [int(best.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return path[::-1]


def _zone(row, score) -> str:
    """The zone of a row: the rules' when the model does not decide it (score None), else the model's."""
    return row[4] if score is None else ZONES[int(np.argmax(score))]


def main() -> None:
    global L2
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent.parent / "shared" / "corpus")
    ap.add_argument("--cv", action="store_true", help="print the leave-sources-out CV on dev instead of writing")
    ap.add_argument("--augment", default=FIT.get("augment", []), type=lambda v: [x for x in v.split(",") if x],
                    help="perturbations whose copies of the dev documents the fit adds (comma-separated, of "
                         f"{', '.join(PERTURBATIONS)}; default [model.fit] augment; '' for none)")
    ap.add_argument("--copy-weight", type=_per_perturbation, default=FIT.get("copy_weight", {}),
                    help="weight in the loss of each perturbed copy's rows: a number for every perturbation or "
                         "name=weight pairs, e.g. unaccent=0.5,upper=0.25 (default [model.fit] copy_weight; "
                         "1 when not given: a copy counts as much as its original)")
    ap.add_argument("--sectionless", default=FIT.get("sectionless", []),
                    type=lambda v: [x for x in v.split(",") if x],
                    help="perturbations whose copies are fitted without the section features (sec=...), "
                         "comma-separated (default [model.fit] sectionless)")
    ap.add_argument("--words", type=int, help="this word limit only instead of [model.fit] word_limits (no grid search)")
    ap.add_argument("--l2", type=float, help="this L2 only instead of [model.fit] l2_grid (no grid search)")
    ap.add_argument("--dump", type=Path, help="with --cv: write each dev line's out-of-fold zone as JSON lines "
                                              "(plain and perturbed dev copies) to this file, to read the failures")
    a = ap.parse_args()
    unknown = sorted((set(a.augment) | set(a.copy_weight) | set(a.sectionless)) - set(PERTURBATIONS))
    if unknown:
        ap.error(f"unknown perturbation(s) {', '.join(unknown)}: choose from {', '.join(PERTURBATIONS)}")
    if a.words is not None:
        FIT["word_limits"] = [a.words]
    if a.l2 is not None:
        FIT["l2_grid"] = [a.l2]
    path = LEXICON_DIR / MODEL_FILE
    corpus = a.corpus if a.corpus.exists() else None
    texts: dict[str, list] = {name: [] for name in ("none", *PERTURBATIONS)}
    rows = dev_blocks(corpus, texts=texts["none"])
    perturbed = {name: dev_blocks(corpus, name, texts[name]) for name in PERTURBATIONS if a.cv or name in a.augment}
    extra = copies(perturbed, a.augment, a.copy_weight, a.sectionless)
    if not a.cv and len(FIT["word_limits"]) == len(FIT["l2_grid"]) == 1:   # one setting: nothing to choose
        limit, L2 = int(FIT["word_limits"][0]), float(FIT["l2_grid"][0])
    else:
        limit, _, results = choose(rows, extra)
    if a.cv:
        cross_validate(rows, limit, results, dev_kinds(), perturbed, extra)
        if a.dump:
            a.dump.write_text("", encoding="utf-8")
            limited = limit_words(rows, limit)
            dump(a.dump, limited, results[(limit, L2)], texts["none"], "none")
            models = cv_models(limited + limit_words(extra, limit))
            for name, prows in perturbed.items():
                prows = limit_words(prows, limit)
                dump(a.dump, prows, cv_apply(models, prows), texts[name], name)
        return
    offsets = np.zeros(len(ZONES))  # calibrate() is printed by --cv, not shipped (see the docstring)
    rows = [r for r in limit_words(rows, limit) + limit_words(extra, limit) if r[5]]
    vocab = vocabulary(rows)
    w = fit(rows, vocab)
    weights = {f: [round(float(v), 3) for v in w[k]] for k, f in enumerate(vocab) if np.abs(w[k]).max() >= KEEP}
    path.write_text(json.dumps({"zones": list(ZONES), "fitted_on": "dev split of tests/data/policy_labels",
                                "blocks": len(rows), "weights": weights, "max_words": limit, "l2": L2,
                                "augment": list(a.augment),
                                "copy_weight": {k: a.copy_weight.get(k, 1.0) for k in a.augment},
                                "sectionless": [k for k in a.augment if k in a.sectionless],
                                "offsets": [round(float(v), 3) for v in offsets]}, ensure_ascii=False, sort_keys=True,
                               indent=0) + "\n", encoding="utf-8")
    print(f"{len(rows)} dev blocks (copies weighted {a.copy_weight or 1}), words {limit}, L2 {L2}: {len(vocab)} features kept of which {len(weights)} written to {path}; "
          f"offsets {offsets.tolist()}")


if __name__ == "__main__":
    main()
