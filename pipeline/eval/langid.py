"""Language per block: accuracy of `detect` against plain seeded langdetect on tests/data/langid_lines.jsonl,
per kind of line; agreement of the fast path with the full detector where the full detector is right;
and speed of both on the same lines."""
from __future__ import annotations

import json
import time
from pathlib import Path

from . import Report


def evaluate(data_dir: Path, corpus: Path | None) -> Report:
    from ..stages.langid import detect, detect_plain
    rows = [json.loads(line) for line in (data_dir / "langid_lines.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    t0 = time.perf_counter()
    ours = [detect(r["text"]).lang for r in rows]
    t1 = time.perf_counter()
    plain = [detect_plain(r["text"]).lang for r in rows]
    t2 = time.perf_counter()
    rep = Report(f"Language: {len(rows)} labelled lines (tests/data/langid_lines.jsonl)",
                 ["kind", "lines", "detect", "plain langdetect"])
    kinds = sorted({r["kind"] for r in rows})
    for kind in kinds + ["all"]:
        idx = [i for i, r in enumerate(rows) if kind == "all" or r["kind"] == kind]
        acc = lambda pred: sum(pred[i] == rows[i]["lang"] for i in idx) / len(idx)  # noqa: E731
        rep.rows.append([kind, len(idx), acc(ours), acc(plain)])
    right = [i for i, r in enumerate(rows) if plain[i] == r["lang"]]
    agree = sum(ours[i] == plain[i] for i in right) / max(1, len(right))
    rep.notes.append(f"agreement of detect with plain langdetect where plain is right: {agree:.3f} ({len(right)} lines)")
    rep.notes.append(f"speed: detect {len(rows) / (t1 - t0):,.0f} lines/s (cold cache), "
                     f"plain {len(rows) / (t2 - t1):,.0f} lines/s")
    misses = [(r["text"][:60], r["lang"], ours[i]) for i, r in enumerate(rows) if ours[i] != r["lang"]]
    rep.notes += [f"miss: {t!r} labelled {g} got {p}" for t, g, p in misses[:8]]
    return rep
