"""Zone accuracy on hand-labelled spans of real Tiki records (tests/data/zone_records.jsonl), and zone and
language statistics over the whole open corpus when it is given."""
from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from . import Report, prf

ZONES = ("policy", "description", "other")


def predicted_zone(listing, start: int, end: int) -> str | None:
    """Zone covering most characters of text[start:end]."""
    overlap = Counter()
    for b in listing.blocks:
        n = min(end, b.char_end) - max(start, b.char_start)
        if n > 0:
            overlap[b.zone] += n
    return overlap.most_common(1)[0][0] if overlap else None


def labelled_spans(path: Path):
    """(listing after the zones stage, span text, gold zone, start, end) for every labelled span."""
    from ..readers import FieldMap, listing_from_record
    from ..stages import process
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        listing = listing_from_record(rec, rec["id"], "jsonl", FieldMap())
        listing = process(listing, until="zones")
        for span in rec["spans"]:
            start = listing.text.find(span["text"])
            yield listing, span["text"], span["zone"], start, start + len(span["text"])


def evaluate(data_dir: Path, corpus: Path | None) -> Report:
    gold_pred = []
    for listing, text, gold, start, end in labelled_spans(data_dir / "zone_records.jsonl"):
        gold_pred.append((gold, predicted_zone(listing, start, end) if start >= 0 else None))
    rep = Report("Zones: labelled spans of real records (tests/data/zone_records.jsonl)",
                 ["zone", "spans", "precision", "recall", "f1"])
    for z in ZONES:
        tp = sum(g == z and p == z for g, p in gold_pred)
        fp = sum(g != z and p == z for g, p in gold_pred)
        fn = sum(g == z and p != z for g, p in gold_pred)
        rep.rows.append([z, sum(g == z for g, _ in gold_pred), *prf(tp, fp, fn)])
    acc = sum(g == p for g, p in gold_pred) / len(gold_pred)
    rep.rows.append(["accuracy", len(gold_pred), acc, "", ""])
    if corpus and (corpus / "products.jsonl").exists():
        rep.notes += corpus_stats(corpus / "products.jsonl")
    return rep


def corpus_stats(path: Path) -> list[str]:
    from ..readers import FieldMap, read_file
    from ..contract.records import Reject
    from ..stages import process
    t0 = time.perf_counter()
    zones, langs, zone_lang, rejects, docs, with_policy = Counter(), Counter(), Counter(), Counter(), 0, 0
    for rec in read_file(path, path.parent, FieldMap()):
        if isinstance(rec, Reject):
            rejects[rec.reason] += 1
            continue
        docs += 1
        listing = process(rec, until="zones")
        with_policy += any(b.zone == "policy" and "tiki" not in b.text.lower() for b in listing.blocks)
        for b in listing.blocks:
            zones[b.zone] += 1
            langs[b.lang] += 1
            zone_lang[(b.zone, b.lang)] += 1
    n = sum(zones.values())
    secs = time.perf_counter() - t0
    return [
        f"corpus {path.name}: {docs} documents, rejected {sum(rejects.values())} {dict(rejects)}, {n} blocks, {secs:.1f}s",
        "blocks per zone: " + ", ".join(f"{z} {zones[z]} ({zones[z] / n:.1%})" for z in ZONES),
        "blocks per lang: " + ", ".join(f"{l} {c} ({c / n:.1%})" for l, c in langs.most_common(6)),
        "zone x lang: " + ", ".join(f"{z}/{l} {c}" for (z, l), c in zone_lang.most_common(8)),
        f"documents with a seller policy block (besides Tiki's boilerplate): {with_policy}",
    ]
