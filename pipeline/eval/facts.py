"""Policy facts: precision and recall per fact type on tests/data/policy_sentences.jsonl.

A predicted fact counts as right when its (fact_type, value_min, value_max, unit) equals a labelled fact
of the same sentence; each labelled fact can be matched once."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from . import Report, prf


def _key(fact_type, lo, hi, unit):
    r = lambda v: None if v is None else round(float(v), 4)  # noqa: E731
    return fact_type, r(lo), r(hi), unit


def score(path: Path) -> tuple[dict[str, list[int]], list[tuple]]:
    """({fact_type: [tp, fp, fn]}, misses) over the labelled sentences."""
    from ..stages.facts import extract_facts
    counts: dict[str, list[int]] = {}
    misses = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gold = Counter(_key(f["fact_type"], f["value_min"], f["value_max"], f["unit"]) for f in row["facts"])
        got = Counter(_key(m.fact_type, m.value_min, m.value_max, m.unit) for m in extract_facts(row["text"]))
        for key in gold | got:
            c = counts.setdefault(key[0], [0, 0, 0])
            hit = min(gold[key], got[key])
            c[0] += hit
            c[1] += got[key] - hit
            c[2] += gold[key] - hit
        if gold != got:
            misses.append((row["text"], sorted(gold.elements(), key=str), sorted(got.elements(), key=str)))
    return counts, misses


def evaluate(data_dir: Path, corpus: Path | None) -> Report:
    rep = _report(data_dir / "policy_sentences.jsonl", "development set: the rules were tuned on it")
    holdout = data_dir / "policy_sentences_holdout.jsonl"
    if holdout.exists():
        other = _report(holdout, "held out: written apart from the code, never used for tuning")
        rep.notes.append("")
        rep.notes += other.render().splitlines()
    return rep


def _report(path: Path, what: str) -> Report:
    counts, misses = score(path)
    rows = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    rep = Report(f"Policy facts: {rows} labelled sentences ({path.name}; {what})",
                 ["fact_type", "labelled", "predicted", "precision", "recall", "f1"])
    total = [0, 0, 0]
    for fact_type, (tp, fp, fn) in sorted(counts.items()):
        rep.rows.append([fact_type, tp + fn, tp + fp, *prf(tp, fp, fn)])
        total = [a + b for a, b in zip(total, (tp, fp, fn))]
    rep.rows.append(["overall", total[0] + total[2], total[0] + total[1], *prf(*total)])
    rep.notes += [f"miss: {t[:90]!r} labelled {g} got {p}" for t, g, p in misses[:10]]
    return rep
