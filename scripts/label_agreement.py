"""Agreement between the policy labels (first pass) and an independent second labelling pass.

The second pass (tests/data/policy_labels/second_pass.jsonl) relabels 30 documents chosen by `choose`:
from policies.jsonl, listings.jsonl and listings_2.jsonl, the documents with at least one policy line,
sorted by sha1 of `doc`, the first 15 whose source is in the dev split and the first 15 in the test split.
Prints, per split and overall, with the first pass as reference:
- zones per line: accuracy, Cohen's kappa, a confusion table (rows first pass, columns second pass);
- facts per document as the set of distinct (type, min, max, unit) (as pipeline.eval.policy scores them):
  P/R/F1 of the second pass's sets, overall and per type;
- the `negative` mark per line: accuracy, kappa, P/R/F1;
then every document and line where the passes differ.

A second set (FIRST_FILES_2: listings_4.jsonl, all dev, and listings_5.jsonl, all test) is chosen by the same
`choose` and relabelled in second_pass_2.jsonl; its tables follow the first set's, which print as before.

    python scripts/label_agreement.py [--data tests/data] [--second PATH] [--set first|second|both] [--no-diff]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.eval import prf  # noqa: E402
from pipeline.eval.policy import ZONES, fact_key, gold_facts, split_of  # noqa: E402

FIRST_FILES = ("policies.jsonl", "listings.jsonl", "listings_2.jsonl")
SECOND_FILE = "second_pass.jsonl"
PER_SPLIT = 15
# The second set (issue 13): the labels made fast after stop 22, listings_4 (all dev) and listings_5 (all
# test), chosen the same way, relabelled in second_pass_2.jsonl and scored into their own tables.
FIRST_FILES_2 = ("listings_4.jsonl", "listings_5.jsonl")
SECOND_FILE_2 = "second_pass_2.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def choose(data_dir: Path, files: tuple[str, ...] = FIRST_FILES) -> list[dict]:
    """The 30 first-pass documents of the second pass, dev ones first, each in sha1(doc) order."""
    split = split_of(data_dir)
    docs = [d for name in files for d in read_jsonl(data_dir / "policy_labels" / name)]
    docs = [d for d in docs if any(line["zone"] == "policy" for line in d["lines"])]
    docs.sort(key=lambda d: hashlib.sha1(d["doc"].encode("utf-8")).hexdigest())
    by_split = {part: [d for d in docs if split[d["group"]] == part] for part in ("dev", "test")}
    return by_split["dev"][:PER_SPLIT] + by_split["test"][:PER_SPLIT]


def line_facts(line: dict) -> set[tuple]:
    return {fact_key(f["type"], f["min"], f["max"], f["unit"]) for f in line.get("facts", [])}


def kappa(pairs: list[tuple], labels) -> float:
    """Cohen's kappa of (first, second) label pairs."""
    n = len(pairs)
    if not n:
        return 1.0
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[x] * second[x] for x in labels) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _fmt(v: float) -> str:
    return f"{v:.3f}"


def table(columns: list[str], rows: list[list]) -> list[str]:
    cells = [[c if isinstance(c, str) else _fmt(c) if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(columns)]
    fmt = lambda vals: "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(vals, widths)))  # noqa: E731
    return [fmt(columns), fmt(["-" * w for w in widths])] + [fmt(r) for r in cells]


def report(pairs: list[tuple[dict, dict]], title: str) -> list[str]:
    """Agreement of (first, second) document pairs."""
    zones = [(a["zone"], b["zone"]) for d1, d2 in pairs for a, b in zip(d1["lines"], d2["lines"])]
    negs = [(bool(a.get("negative")), bool(b.get("negative"))) for d1, d2 in pairs for a, b in zip(d1["lines"], d2["lines"])]
    out = [f"## {title}: {len(pairs)} documents, {len(zones)} lines", ""]
    acc = sum(a == b for a, b in zones) / len(zones) if zones else 1.0
    out.append(f"Zones: accuracy {acc:.3f}, Cohen's kappa {kappa(zones, ZONES):.3f} "
               "(rows first pass, columns second pass)")
    conf = Counter(zones)
    out += table(["first \\ second", *ZONES, "total"],
                 [[z, *(conf[z, y] for y in ZONES), sum(conf[z, y] for y in ZONES)] for z in ZONES])
    out.append("")
    counts: dict[str, list[int]] = {}
    for d1, d2 in pairs:
        first, second = gold_facts(d1), gold_facts(d2)
        for key in first | second:
            c = counts.setdefault(key[0], [0, 0, 0])
            c[0 if key in first and key in second else 1 if key in second else 2] += 1
    same = sum(gold_facts(d1) == gold_facts(d2) for d1, d2 in pairs)
    out.append(f"Facts per document (first pass as reference): {same}/{len(pairs)} documents with the same set")
    rows, total = [], [0, 0, 0]
    for fact_type in sorted(counts):
        tp, fp, fn = counts[fact_type]
        rows.append([fact_type, tp + fn, tp + fp, tp, *prf(tp, fp, fn)])
        total = [a + b for a, b in zip(total, counts[fact_type])]
    rows.append(["overall", total[0] + total[2], total[0] + total[1], total[0], *prf(*total)])
    out += table(["fact_type", "first", "second", "agreed", "precision", "recall", "f1"], rows)
    out.append("")
    tp = sum(a and b for a, b in negs)
    fp = sum(b and not a for a, b in negs)
    fn = sum(a and not b for a, b in negs)
    nacc = sum(a == b for a, b in negs) / len(negs) if negs else 1.0
    p, r, f = prf(tp, fp, fn)
    out.append(f"Negative marks: first {tp + fn}, second {tp + fp}, agreed {tp}; accuracy {nacc:.3f}, "
               f"Cohen's kappa {kappa(negs, (True, False)):.3f}, precision {p:.3f}, recall {r:.3f}, f1 {f:.3f}")
    return out


def differences(pairs: list[tuple[dict, dict]]) -> list[str]:
    """Every document whose fact set differs and every line where zone, facts or negative differ."""
    show = lambda facts: ", ".join(f"{t} {lo}/{hi} {u}" for t, lo, hi, u in sorted(facts, key=str)) or "-"  # noqa: E731
    out = []
    for d1, d2 in pairs:
        rows = []
        f1, f2 = gold_facts(d1), gold_facts(d2)
        if f1 != f2:
            rows.append(f"  facts: only first [{show(f1 - f2)}]; only second [{show(f2 - f1)}]")
        for i, (a, b) in enumerate(zip(d1["lines"], d2["lines"])):
            what = []
            if a["zone"] != b["zone"]:
                what.append(f"zone {a['zone']}->{b['zone']}")
            if line_facts(a) != line_facts(b):
                what.append(f"facts [{show(line_facts(a))}]->[{show(line_facts(b))}]")
            if bool(a.get("negative")) != bool(b.get("negative")):
                what.append(f"negative {bool(a.get('negative'))}->{bool(b.get('negative'))}")
            if what:
                text = a["text"] if len(a["text"]) <= 110 else a["text"][:107] + "..."
                rows.append(f"  {i:>3} {'; '.join(what)} | {text}")
        if rows:
            out += [f"{d1['doc']}"] + rows
    return out


def agreement(data: Path, files: tuple[str, ...], second_path: Path, title: str, diff: bool) -> int:
    """Print the tables (and the differences) of one set: its chosen first-pass documents against their second pass."""
    first = {d["doc"]: d for d in choose(data, files)}
    second = read_jsonl(second_path)
    if [d["doc"] for d in second] != list(first):
        print(f"{second_path.name}: second pass does not hold the chosen documents in order", file=sys.stderr)
        return 1
    split = split_of(data)
    pairs = [(first[d["doc"]], d) for d in second]
    print(f"# {title}\n")
    for part in ("dev", "test"):
        print("\n".join(report([p for p in pairs if split[p[0]["group"]] == part], f"{part} split")) + "\n")
    print("\n".join(report(pairs, "overall")))
    if diff:
        print("\n# Differences (first -> second)\n")
        print("\n".join(differences(pairs)))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data")
    ap.add_argument("--second", type=Path, default=None, help="the first set's second pass (default: policy_labels/second_pass.jsonl)")
    ap.add_argument("--set", choices=("first", "second", "both"), default="both",
                    help="first: policies/listings/listings_2 vs second_pass.jsonl; second: listings_4/listings_5 "
                         "vs second_pass_2.jsonl; both (default), the first set's output first, unchanged")
    ap.add_argument("--no-diff", action="store_true", help="print the tables only")
    a = ap.parse_args(argv)
    rc = 0
    if a.set in ("first", "both"):
        rc |= agreement(a.data, FIRST_FILES, a.second or a.data / "policy_labels" / SECOND_FILE,
                        "Policy labels: second-pass agreement", not a.no_diff)
    if a.set in ("second", "both"):
        if a.set == "both":
            print()
        rc |= agreement(a.data, FIRST_FILES_2, a.data / "policy_labels" / SECOND_FILE_2,
                        "Policy labels, second set (listings_4 dev, listings_5 test): second-pass agreement",
                        not a.no_diff)
    return rc


if __name__ == "__main__":
    sys.exit(main())
