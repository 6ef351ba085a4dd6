"""What the timing scripts share (scripts/time_zones.py, scripts/time_sections.py): the bench mix's records.

Imported after the script has put its PIPELINE_ROOT first on sys.path, so the records are read by the code timed;
the mix itself comes from the script's own checkout (`here`), whatever PIPELINE_ROOT is, so that both sides of a
before/after time the same listings.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.cli.bench import generate
from pipeline.readers import read_file


def bench_records(tmp: Path, n: int, corpus: Path, here: Path) -> list:
    """The text records of `n` bench listings generated into `tmp` (with the corpus's records when it is there)."""
    if not corpus.exists():   # say so: a mix without the corpus's records times other listings
        print(f"# no corpus at {corpus}: the bench mix without its records", file=sys.stderr)
    raw = tmp / "raw"
    generate(raw, n, corpus if corpus.exists() else None, seed_listing=here / "raw" / "000_80d7723cb6c526a9.txt")
    return [rec for path in sorted(p for p in raw.rglob("*") if p.is_file())
            for rec in read_file(path, raw) if hasattr(rec, "text")]
