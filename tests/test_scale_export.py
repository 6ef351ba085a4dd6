"""`export` streamed range by range of doc_id writes the same bytes as the export held in memory."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

import pipeline.runner.export as ex
from pipeline.runner import run
from test_runner import mixed_raw


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    base = tmp_path_factory.mktemp("scale-export")
    out = base / "processed"
    run(mixed_raw(base / "raw"), out, progress=False)
    return out


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_streamed_export_writes_the_same_bytes(processed, tmp_path, monkeypatch, fmt):
    whole = tmp_path / f"whole.{fmt}"
    assert ex.export(processed, whole, fmt) == 54
    monkeypatch.setattr(ex, "EXPORT_BATCH_ROWS", 5)   # ranges of ~5 rows: spilled, several batches
    monkeypatch.setattr(ex, "PREFIX_CHARS", 2)
    with ex.Snapshot(processed) as snap:
        assert len(list(ex.batches(snap))) > 5
    streamed = tmp_path / f"streamed.{fmt}"
    assert ex.export(processed, streamed, fmt) == 54
    assert streamed.read_bytes() == whole.read_bytes()


def test_streamed_parquet_export_holds_the_same_rows(processed, tmp_path, monkeypatch):
    whole = tmp_path / "whole.parquet"
    ex.export(processed, whole, "parquet")
    monkeypatch.setattr(ex, "EXPORT_BATCH_ROWS", 5)
    streamed = tmp_path / "streamed.parquet"
    ex.export(processed, streamed, "parquet")
    a, b = pq.read_table(whole), pq.read_table(streamed)
    assert a.equals(b) and a.schema.metadata == b.schema.metadata
    assert pq.ParquetFile(streamed).metadata.num_row_groups > 1


def test_a_range_of_one_prefix_bigger_than_a_batch_stays_whole(processed, tmp_path, monkeypatch):
    whole = tmp_path / "whole.jsonl"
    ex.export(processed, whole, "jsonl")
    monkeypatch.setattr(ex, "EXPORT_BATCH_ROWS", 1)
    monkeypatch.setattr(ex, "PREFIX_CHARS", 1)   # 16 prefixes for 54 rows
    streamed = tmp_path / "streamed.jsonl"
    ex.export(processed, streamed, "jsonl")
    assert streamed.read_bytes() == whole.read_bytes()
