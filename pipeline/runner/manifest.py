"""The books of a run: rows per table, rejects by reason, stage errors; reading a previous manifest."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from pipeline.contract.schema import TABLES


def count_rows(folder: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in folder.glob("part-*.parquet"))


def rejects_by_reason(folder: Path) -> dict[str, int]:
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        return {}
    reasons = pads.dataset(parts, schema=TABLES["rejects"]).to_table(columns=["reason"])["reason"]
    counts = pc.value_counts(reasons)
    return dict(sorted(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist())))


def read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
