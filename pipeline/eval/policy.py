"""Policy facts and zones on whole real documents (tests/data/policy_labels, rules in its RULES.md).

Each labelled document (a shop's policy page, a Tiki record, a product description HTML file) is read
from the corpus as the pipeline would read it, run through every stage, and compared with its labels:
- facts: per document, the set of distinct (fact_type, min, max, unit) labelled against the set extracted
  (a fact restated on two lines counts once), precision/recall/F1 per type;
- zones: per labelled line, the zone of the block holding the line's start.
Documents are split by source (`splits.json`, key "policy"): dev is for tuning, test is only scored.
Without the corpus, a document is rebuilt from its labelled lines (one per line, as plain text).
With a perturbation (`perturb.py`), the document's text as read and its labelled lines are rewritten by the
same function before any stage runs; its fact labels are kept. With a format perturbation the labelled lines,
unchanged, are written as one file of that format (`perturb.FORMAT_PERTURBATIONS`) and read by its reader; the
lines are found in the reader's text as always.
With `zones="gold"` the facts stage is run again on each document with the LABELLED zones in place of the
predicted ones (`gold_zoned`), beside the predicted-zones F1: what is left is the grammar's loss, the gap the
zones'.
"""
from __future__ import annotations

import json
import re
import copy
import tempfile
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from pathlib import Path

from . import SPLITS, Report, prf
from .perturb import FORMAT_PERTURBATIONS, PERTURB_NAMES, perturbation, remap

LABEL_FILES = ("policies.jsonl", "listings.jsonl", "policies_2.jsonl", "listings_2.jsonl", "policies_3.jsonl", "policies_4.jsonl",
               "listings_3.jsonl", "listings_4.jsonl", "listings_5.jsonl", "policies_5.jsonl",
               "listings_6.jsonl")
ZONES = ("policy", "description", "other")
ZONE_SOURCES = ("predicted", "gold")   # which zones the facts are read from: the zones stage's, or the labelled ones


def load(data_dir: Path) -> list[dict]:
    docs = []
    for name in LABEL_FILES:
        path = data_dir / "policy_labels" / name
        if path.exists():
            docs += [{**json.loads(line), "file": name}
                     for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return docs


def split_of(data_dir: Path) -> dict[str, str]:
    return json.loads((data_dir / "splits.json").read_text(encoding="utf-8"))["policy"]


def fact_key(fact_type: str, lo, hi, unit: str) -> tuple:
    r = lambda v: None if v is None else round(float(v), 4)  # noqa: E731
    return fact_type, r(lo), r(hi), unit


def gold_facts(doc: dict) -> set[tuple]:
    return {fact_key(f["type"], f["min"], f["max"], f["unit"]) for line in doc["lines"] for f in line.get("facts", [])}


def perturbed(docs: list[dict], name: str) -> list[dict]:
    """The documents with every labelled line's text rewritten by the perturbation `name` (facts kept)."""
    transform = perturbation(name)
    if name == "none":
        return docs
    return [{**d, "lines": [{**line, "text": transform(line["text"])} for line in d["lines"]]} for d in docs]


def perturb_listing(listing, name: str):
    """A listing as read, its text, title and structure hints rewritten by the perturbation `name`."""
    transform = perturbation(name)
    if name == "none" or not hasattr(listing, "text"):
        return listing
    text = listing.text
    listing.hints = [(*remap(text, transform, [s, e]), kind, level) for s, e, kind, level in listing.hints]
    listing.text = transform(text)
    listing.title = None if listing.title is None else transform(listing.title)
    return listing


def read_listings(docs: list[dict], corpus: Path | None, perturb: str = "none") -> dict[str, object]:
    """doc name → processed Listing (or a Reject), read from the corpus as the pipeline reads files; with
    `perturb`, its text rewritten before the stages run (without the corpus, pass `perturbed` docs)."""
    from ..readers import read_file
    from ..stages import process
    out: dict[str, object] = {}
    records = {}
    if corpus is not None and (corpus / "products.jsonl").exists():
        wanted = {d["doc"].split("#", 1)[1] for d in docs if d["doc"].startswith("products.jsonl#")}
        for line in (corpus / "products.jsonl").open(encoding="utf-8"):
            rec = json.loads(line)
            if rec["id"] in wanted:
                records[rec["id"]] = rec
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, doc in enumerate(docs):
            name = doc["doc"]
            rebuilt = False
            if perturb in FORMAT_PERTURBATIONS:   # the labelled lines in another format, read by its reader
                rendering = FORMAT_PERTURBATIONS[perturb]
                path, rebuilt = root / f"{i}{rendering.suffix}", True
                path.write_text(rendering.render([line["text"] for line in doc["lines"]], name), encoding="utf-8")
            elif name.startswith("products.jsonl#") and name.split("#", 1)[1] in records:
                path = root / f"{i}.json"
                path.write_text(json.dumps(records[name.split("#", 1)[1]], ensure_ascii=False), encoding="utf-8")
            elif corpus is not None and (corpus / name).is_file() and "#" not in name:
                path = root / f"{i}{Path(name).suffix}"
                path.write_bytes((corpus / name).read_bytes())
            else:  # no corpus: the labelled lines as plain text
                path, rebuilt = root / f"{i}.txt", True
                path.write_text("\n".join(line["text"] for line in doc["lines"]), encoding="utf-8")
            rec = next(iter(read_file(path, root)))
            if not rebuilt:   # a rebuilt document is made of the (perturbed) labelled lines
                rec = perturb_listing(rec, perturb)
            out[name] = process(rec) if hasattr(rec, "text") else rec
    return out


def _squashed(text: str) -> tuple[str, list[int]]:
    """Text with every run of whitespace as one space, and each kept character's offset in `text`."""
    chars, where = [], []
    for m in re.finditer(r"\S+", text):
        if chars:
            chars.append(" ")
            where.append(m.start())
        chars.extend(m.group())
        where.extend(range(m.start(), m.end()))
    return "".join(chars), where


def line_spans(doc: dict, listing) -> list[tuple[int, int] | None]:
    """Where each labelled line stands in `listing.text`: (start, end) of its first to its last character,
    whitespace runs matched as one space, searched in order (None when the line is not found)."""
    text, where = _squashed(unicodedata.normalize("NFC", listing.text))
    found, cursor = [], 0
    for line in doc["lines"]:
        needle = " ".join(unicodedata.normalize("NFC", line["text"]).split())
        pos = text.find(needle, cursor)
        if pos < 0:
            pos = text.find(needle)
        if pos < 0 or not needle:
            found.append(None)
            continue
        cursor = pos + len(needle)
        found.append((where[pos], where[pos + len(needle) - 1] + 1))
    return found


def line_blocks(doc: dict, listing) -> list[int | None]:
    """The index of the block holding each labelled line's start (None when the line is not found)."""
    starts = [b.char_start for b in listing.blocks]
    found = []
    for span in line_spans(doc, listing):
        if span is None or not starts:
            found.append(None)
            continue
        i = bisect_right(starts, span[0]) - 1
        found.append(i if i >= 0 and span[0] < listing.blocks[i].char_end else None)
    return found


def gold_zone(zones: list[str]) -> str:
    """The labelled zone of a block from the zones of the labelled lines it holds (any part of): `policy`
    when any of them is policy (a fact is labelled on a policy line, and the facts stage reads policy
    blocks only, so a block holding one is read), else the zone of its first line.

    >>> gold_zone(["description", "policy"]), gold_zone(["other", "description"]), gold_zone(["other"])
    ('policy', 'other', 'other')
    """
    return "policy" if "policy" in zones else zones[0]


def gold_zoned(doc: dict, listing) -> tuple[object, Counter]:
    """A copy of a processed listing whose blocks take their labelled zones (`gold_zone` of the labelled
    lines overlapping each block), its facts extracted again by the facts stage; and counts of its blocks:
    "labelled" (given a labelled zone), "mixed" (holding lines of two zones), "changed" (zone differs from the
    predicted one), "unlabelled" (no labelled line overlaps it, e.g. product copy cut after 40 lines: keeps
    its predicted zone)."""
    from ..stages import STAGES
    blocks = listing.blocks
    starts = [b.char_start for b in blocks]
    zones_of: list[list[str]] = [[] for _ in blocks]
    for line, span in zip(doc["lines"], line_spans(doc, listing)):
        if span is None:
            continue
        i = max(0, bisect_right(starts, span[0]) - 1)
        for j in range(i, bisect_left(starts, span[1])):
            if blocks[j].char_start < span[1] and span[0] < blocks[j].char_end:
                zones_of[j].append(line["zone"])
    counts: Counter = Counter()
    new_blocks = []
    for b, zones in zip(blocks, zones_of):
        if not zones:
            counts["unlabelled"] += 1
            new_blocks.append(b)
            continue
        zone = gold_zone(zones)
        counts["labelled"] += 1
        counts["mixed"] += len(set(zones)) > 1
        counts["changed"] += zone != b.zone
        new_blocks.append(replace(b, zone=zone))
    out = copy.copy(listing)
    out.blocks, out.facts = new_blocks, []
    return STAGES["facts"].run(out), counts


def line_zones(doc: dict, listing) -> list[str | None]:
    """The predicted zone of each labelled line (None when the line is not found in the text)."""
    return [None if i is None else listing.blocks[i].zone for i in line_blocks(doc, listing)]


# ------------------------------------------------------------------ trivial baselines

_NUMBER = r"(\d+(?:[.,]\d+)*)"
_MONEY = re.compile(_NUMBER + r"\s*(k|đ|₫|vnd|vnđ|đồng|nghìn|ngàn|triệu|tr)\b|\$\s?" + _NUMBER, re.I)
_DURATION = re.compile(_NUMBER + r"\s*(giờ|h|tiếng|ngày|tuần|tháng|năm|hours?|days?|weeks?|months?|years?)\b", re.I)
_UNITS = {"giờ": "hour", "h": "hour", "tiếng": "hour", "hour": "hour", "ngày": "day", "day": "day",
          "tuần": "week", "week": "week", "tháng": "month", "month": "month", "năm": "year", "year": "year"}
_SCALE = {"k": 1e3, "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tr": 1e6}
# The first cue word found in a line types every amount in it (money, duration).
_CUES = [("bảo hành", None, "warranty_period"), ("warrant", None, "warranty_period"),
         ("hoàn tiền", None, "refund_time"), ("refund", None, "refund_time"),
         ("đổi trả", None, "return_window"), ("trả hàng", None, "return_window"), ("return", None, "return_window"),
         ("đổi", None, "exchange_window"), ("exchange", None, "exchange_window"),
         ("miễn phí", "free_shipping_threshold", "delivery_time"), ("free", "free_shipping_threshold", "delivery_time"),
         ("phí", "shipping_fee", None), ("fee", "shipping_fee", None),
         ("giao", "shipping_fee", "delivery_time"), ("ship", "shipping_fee", "delivery_time"),
         ("deliver", "shipping_fee", "delivery_time")]


_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?|\d{1,3}(?:[.,]\d{3})+")   # 30 / 2,5 / 30.000: what _number reads


def _number(s: str) -> float | None:
    """A number as written (30.000 = 30000, 2,5 = 2.5); None for digits no amount is written as (a phone
    number "0903.940.171").

    >>> _number("30.000"), _number("2,5"), _number("0903.940.171")
    (30000.0, 2.5, None)
    """
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", s):
        return float(s.replace(".", "").replace(",", ""))
    return float(s.replace(",", ".")) if _AMOUNT.fullmatch(s) else None


def baseline_facts(text: str) -> set[tuple]:
    """Every amount in a line with a cue word, taken at face value (min = max = the number written)."""
    found = set()
    for line in text.lower().splitlines():
        cue = next(((money, duration) for word, money, duration in _CUES if word in line), None)
        if cue is None:
            continue
        if cue[0]:
            for m in _MONEY.finditer(line):
                v = _number(m.group(3) or m.group(1))
                if v is None:
                    continue
                if m.group(3):
                    found.add(fact_key(cue[0], v, v, "USD"))
                else:
                    v *= _SCALE.get(m.group(2).lower(), 1)
                    found.add(fact_key(cue[0], v, v, "VND"))
        if cue[1]:
            for m in _DURATION.finditer(line):
                v = _number(m.group(1))
                if v is not None:
                    found.add(fact_key(cue[1], v, v, _UNITS[m.group(2).lower().rstrip("s")]))
    return found


# ------------------------------------------------------------------ scoring

def _fact_counts(pairs) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for gold, got in pairs:
        for key in gold | got:
            c = counts.setdefault(key[0], [0, 0, 0])
            c[0 if key in gold and key in got else 1 if key in got else 2] += 1
    return counts


def _fact_report(title: str, counts: dict[str, list[int]], baseline: dict[str, list[int]],
                 predicted_zones: dict[str, list[int]] | None = None) -> Report:
    """Facts per type; with `predicted_zones` (the counts of the same documents read from the predicted zones,
    when `counts` are read from the labelled ones) a column of their F1 beside."""
    extra = ["f1 predicted zones"] if predicted_zones is not None else []
    rep = Report(title, ["fact_type", "labelled", "predicted", "precision", "recall", "f1", *extra, "baseline f1"])
    total, base_total, pred_total = [0, 0, 0], [0, 0, 0], [0, 0, 0]
    add = lambda a, b: [x + y for x, y in zip(a, b)]  # noqa: E731
    for fact_type in sorted(set(counts) | set(baseline) | set(predicted_zones or {})):
        tp, fp, fn = counts.get(fact_type, [0, 0, 0])
        pred = (predicted_zones or {}).get(fact_type, [0, 0, 0])
        rep.rows.append([fact_type, tp + fn, tp + fp, *prf(tp, fp, fn), *([prf(*pred)[2]] if extra else []),
                         prf(*baseline.get(fact_type, [0, 0, 0]))[2]])
        total = add(total, (tp, fp, fn))
        base_total = add(base_total, baseline.get(fact_type, [0, 0, 0]))
        pred_total = add(pred_total, pred)
    rep.rows.append(["overall", total[0] + total[2], total[0] + total[1], *prf(*total),
                     *([prf(*pred_total)[2]] if extra else []), prf(*base_total)[2]])
    return rep


def baseline_zone(text: str) -> str:
    """A line with any policy cue word (lexicon/zones.toml, strong or weak) is policy, else description."""
    from ..text.cues import cue_counts
    return "policy" if any(cue_counts(text)) else "description"


def _zone_prf(found: list[tuple[str, str]], zone: str) -> tuple[int, int, float, float, float]:
    tp = sum(1 for g, p in found if g == zone and p == zone)
    fp = sum(1 for g, p in found if g != zone and p == zone)
    fn = sum(1 for g, p in found if g == zone and p != zone)
    return tp + fn, tp + fp, *prf(tp, fp, fn)


def _zone_report(title: str, pairs: list[tuple[str, str | None]], cue_pairs: list[tuple[str, str]] = ()) -> Report:
    """Zones per labelled line; `cue_pairs` are (gold, the cue-word baseline's zone) of the same lines."""
    rep = Report(title, ["zone", "labelled", "predicted", "precision", "recall", "f1"])
    found = [(g, p) for g, p in pairs if p is not None]
    for zone in ZONES:
        rep.rows.append([zone, *_zone_prf(found, zone)])
    acc = sum(g == p for g, p in found) / len(found) if found else 0.0
    base = sum(g == "description" for g, _ in found) / len(found) if found else 0.0
    rep.notes.append(f"accuracy {acc:.3f} over {len(found)} lines ({len(pairs) - len(found)} not found in the "
                     f"text); baseline 'every line is description' {base:.3f}")
    targets = lambda f: f"policy recall {_zone_prf(f, 'policy')[3]:.3f}, description precision {_zone_prf(f, 'description')[2]:.3f}"  # noqa: E731
    rep.notes.append(f"targets (policy recall >= 0.97, description precision >= 0.97): {targets(found)}")
    if cue_pairs:
        cue_acc = sum(g == p for g, p in cue_pairs) / len(cue_pairs)
        rep.notes.append(f"baseline 'a line with any policy cue word is policy, else description': accuracy "
                         f"{cue_acc:.3f}, {targets(list(cue_pairs))}")
    return rep


def evaluate(data_dir: Path, corpus: Path | None, split: str = "all", perturb: str = "none",
             zones: str = "predicted") -> Report:
    """Facts and zones per split; `split` "dev" scores (and reads) only the dev documents, so tuning never
    prints test, "test" only the test ones, "all" both, dev first. `perturb` rewrites every document and
    its labelled lines by one of `perturb.PERTURBATIONS` (facts labels kept). `zones` "gold" reads the facts
    from the labelled zones (`gold_zoned`), the predicted-zones F1 in a column beside (the zones table is
    the predicted zones' as always)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    if zones not in ZONE_SOURCES:
        raise ValueError(f"zones must be one of {', '.join(ZONE_SOURCES)}, not {zones!r}")
    perturbation(perturb)   # an unknown name fails before any document is read
    parts = ("dev", "test") if split == "all" else (split,)
    docs = load(data_dir)
    split_by_source = split_of(data_dir)
    docs = perturbed([d for d in docs if split_by_source[d["group"]] in parts], perturb)
    listings = read_listings(docs, corpus) if perturb == "none" else read_listings(docs, corpus, perturb)
    reports = []
    for part in parts:
        chosen = [d for d in docs if split_by_source[d["group"]] == part]
        fact_pairs, base_pairs, zone_pairs, cue_pairs, misses = [], [], [], [], []
        predicted_pairs, block_counts = [], Counter()   # with gold zones: the predicted zones' pairs, block counts
        by_file: dict[str, tuple[list, list]] = {}   # label file -> (its fact pairs, its zone pairs)
        n_lines = 0
        for doc in chosen:
            listing = listings[doc["doc"]]
            gold = gold_facts(doc)
            file_facts, file_zones = by_file.setdefault(doc["file"], ([], []))
            if not hasattr(listing, "facts"):
                fact_pairs.append((gold, set()))
                predicted_pairs.append((gold, set()))
                base_pairs.append((gold, set()))
                zone_pairs += [(line["zone"], None) for line in doc["lines"]]
                cue_pairs += [(line["zone"], baseline_zone(line["text"])) for line in doc["lines"]]
                continue
            got = {fact_key(f.fact_type, f.value_min, f.value_max, f.unit) for f in listing.facts}
            predicted_pairs.append((gold, got))
            if zones == "gold":
                zoned, counts = gold_zoned(doc, listing)
                block_counts.update(counts)
                got = {fact_key(f.fact_type, f.value_min, f.value_max, f.unit) for f in zoned.facts}
            fact_pairs.append((gold, got))
            base_pairs.append((gold, baseline_facts(listing.text)))
            line_pairs = list(zip((line["zone"] for line in doc["lines"]), line_zones(doc, listing)))
            zone_pairs += line_pairs
            file_facts.append((gold, got))
            file_zones += line_pairs
            cue_pairs += [(line["zone"], baseline_zone(line["text"])) for line in doc["lines"]]
            n_lines += sum(line["zone"] == "policy" for line in doc["lines"])
            if gold != got:
                misses.append((doc["doc"], sorted(gold - got, key=str), sorted(got - gold, key=str)))
        groups = len({d["group"] for d in chosen})
        title = f"Policy facts, {part} split: {len(chosen)} whole documents from {groups} sources, {n_lines} policy lines"
        if perturb != "none":
            title += f", perturbed: {perturb}"
        if zones == "gold":
            title += ", facts read from the LABELLED zones"
        rep = _fact_report(title + (" (tune on it)" if part == "dev" else " (only scored, never tuned on)"),
                           _fact_counts(fact_pairs), _fact_counts(base_pairs),
                           _fact_counts(predicted_pairs) if zones == "gold" else None)
        if zones == "gold":
            rep.notes.append(
                f"labelled zones: {block_counts['labelled']} blocks given the zone of their labelled lines (policy "
                f"when any line is, else the first line's; {block_counts['mixed']} held lines of two zones), "
                f"{block_counts['changed']} of them changed from the predicted zone; {block_counts['unlabelled']} "
                f"blocks with no labelled line keep the predicted zone")
        # Per label file: files labelled later were never looked at while tuning, so their test rows are the
        # freshest measure (RULES.md says when each file was labelled).
        for name, (file_facts, file_zones) in by_file.items():
            tp, fp, fn = (sum(c[i] for c in _fact_counts(file_facts).values()) for i in range(3))
            found = [(g, p) for g, p in file_zones if p is not None]
            acc = sum(g == p for g, p in found) / len(found) if found else 0.0
            p, r, f = prf(tp, fp, fn)
            rep.notes.append(f"{name}: {sum(d['file'] == name for d in chosen)} documents, facts P {p:.3f} R {r:.3f} "
                             f"F1 {f:.3f} ({tp + fn} labelled), zone accuracy {acc:.3f} over {len(found)} lines")
        if part == "dev":  # failures are shown for the dev split only
            rep.notes += [f"miss {d}: missed {m} extra {x}" for d, m, x in misses[:25]]
        reports.append(rep)
        reports.append(_zone_report(f"Zones, {part} split: labelled lines of the same documents", zone_pairs, cue_pairs))
    head = reports[0]
    for rep in reports[1:]:
        head.notes.append("")
        head.notes += rep.render().splitlines()
    return head


if __name__ == "__main__":
    import argparse

    from . import DATA_DIR
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--split", choices=SPLITS, default="all")
    ap.add_argument("--perturb", choices=PERTURB_NAMES, default="none")
    ap.add_argument("--zones", choices=ZONE_SOURCES, default="predicted")
    a = ap.parse_args()
    print(evaluate(a.data, a.corpus if a.corpus.exists() else None, a.split, a.perturb, a.zones).render())
