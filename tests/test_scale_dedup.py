"""The duplicate check in bounded memory finds what a dict of every id finds, partitioned or not."""
from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline.runner.dedup as dedup
from pipeline.runner import run
from test_runner import assert_same, tables


def reference(parts):
    """The check as it was: a dict of every id, in plan order."""
    seen, out = {}, []
    for key, path in parts:
        t = pq.read_table(path, columns=["doc_id", "source"])
        for doc_id, source in zip(t["doc_id"].to_pylist(), t["source"].to_pylist()):
            if doc_id in seen:
                out.append(dedup.Duplicate(key, doc_id, source, seen[doc_id]))
            else:
                seen[doc_id] = source
    return out


def synthetic_parts(folder, n_units=40, rows=50, seed=7):
    rng = random.Random(seed)
    pool = [f"{rng.getrandbits(64):016x}" for _ in range(max(rows, n_units * rows // 2))]
    parts = []
    for u in range(n_units):
        ids = rng.sample(pool, rows)   # unique within a unit, as process_unit leaves them
        path = folder / f"part-u{u:03d}.parquet"
        pq.write_table(pa.table({"doc_id": ids, "source": [f"f{u}.jsonl#{i}" for i in range(rows)]}), path)
        parts.append((f"u{u:03d}", path))
    return parts


@pytest.mark.parametrize("partition_rows", [None, 1, 97, 10_000])
def test_partitioned_check_equals_the_dict(tmp_path, partition_rows):
    parts = synthetic_parts(tmp_path)
    expected = reference(parts)
    assert len(expected) > 100
    assert dedup.find_duplicates(parts, tmp_path / "spill", partition_rows) == expected
    assert not (tmp_path / "spill").exists()


def test_no_parts_and_no_duplicates(tmp_path):
    assert dedup.find_duplicates([], tmp_path / "spill") == []
    parts = synthetic_parts(tmp_path, n_units=1)
    assert dedup.find_duplicates(parts, tmp_path / "spill", 3) == []


def test_a_run_that_spills_gives_the_same_rows(tmp_path, monkeypatch):
    import pipeline.runner.plan as planning
    monkeypatch.setattr(planning, "GROUP_EVERY", 1)   # one unit per file, so duplicates cross units
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(6):
        (raw / f"a-{i}.txt").write_text(f"Mũ len {i % 3}\n\nĐổi trả trong {i % 3 + 2} ngày.\n", encoding="utf-8")
    one = run(raw, tmp_path / "one", progress=False)
    monkeypatch.setattr(dedup, "PARTITION_ROWS", 1)
    spilled = run(raw, tmp_path / "spilled", progress=False)
    assert one["duplicates_rejected"] == spilled["duplicates_rejected"] == 3
    assert_same(tables(tmp_path / "one"), tables(tmp_path / "spilled"))
