"""`compact`: a finished output's many small part files rewritten into few big ones, the same rows, readable
by DuckDB, pandas and polars, optionally Hive-partitioned; export and the next run still work."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from pipeline.runner import run
from pipeline.runner.compact import CompactError, compact
from pipeline.runner.export import export
from test_runner import TABLES, assert_same, mixed_raw, tables


def shops_raw(folder):
    """The runner tests' inputs in two subfolders (two source roots): 24 text files and a JSON Lines file."""
    flat = mixed_raw(folder.with_name(folder.name + "-flat"))
    for sub, pattern in (("shop_a", "seed-*.txt"), ("shop_b", "records.jsonl")):
        (folder / sub).mkdir(parents=True)
        for f in flat.glob(pattern):
            f.rename(folder / sub / f.name)
    return folder


@pytest.fixture
def many_parts(monkeypatch):
    """Small units, so the output has many part files (as a big run has hundreds of thousands)."""
    import pipeline.runner.plan as plan
    monkeypatch.setattr(plan, "GROUP_EVERY", 2)
    monkeypatch.setattr(plan, "GROUP_MAX", 3)
    monkeypatch.setattr(plan, "SPLIT_BYTES", 500)
    monkeypatch.setattr(plan, "SPLIT_LINES", 7)


def files(out, name):
    return sorted(p.relative_to(out / name).as_posix() for p in (out / name).rglob("*.parquet"))


def rows_of(out):
    """Every table's rows, sorted (a partition column a reader adds from the folders is not ours)."""
    result = tables(out)
    for name, df in result.items():
        keep = [c for c in df.columns if c not in ("source_root", "ingest_date")]
        result[name] = df[keep].sort_values(keep).reset_index(drop=True) if len(df) else df[keep]
    return result


def test_compaction_gives_one_file_per_table_the_same_rows_and_the_same_export(tmp_path, many_parts):
    raw = shops_raw(tmp_path / "raw")
    out = tmp_path / "processed"
    m = run(raw, out, workers=1, progress=False)
    assert m["units"]["total"] >= 10 and len(files(out, "documents")) == m["units"]["total"]
    before = rows_of(out)
    export(out, tmp_path / "before.jsonl", "jsonl")
    c = compact(out, progress=False)
    for name in TABLES:
        assert files(out, name) == ["part-00000.parquet"], name   # a small output: one file per table
        assert pq.ParquetFile(out / name / "part-00000.parquet").metadata.num_row_groups == 1
    assert c["parts"] == {name: ["part-00000.parquet"] for name in TABLES}
    assert json.loads((out / "manifest.json").read_text())["compacted"]["files_before"] == sum(map(len, m["parts"].values())) == 7 * m["units"]["total"]
    assert c["rows"] == m["rows"] and not (out / "_done").exists()
    assert_same(before, rows_of(out))
    export(out, tmp_path / "after.jsonl", "jsonl")
    assert (tmp_path / "after.jsonl").read_bytes() == (tmp_path / "before.jsonl").read_bytes()
    assert not list(tmp_path.glob(".processed.compact-staging*"))


def test_a_small_target_rolls_files_and_no_part_is_empty(tmp_path, many_parts):
    raw = shops_raw(tmp_path / "raw")
    out = tmp_path / "processed"
    run(raw, out, workers=1, progress=False)
    before = rows_of(out)
    target = 20_000
    compact(out, target_bytes=target, progress=False)
    sentences = files(out, "sentences")
    assert len(sentences) >= 3
    for rel in sentences:
        md = pq.ParquetFile(out / "sentences" / rel).metadata
        assert md.num_rows > 0
        # a file is closed after the row group that takes it past the target
        assert (out / "sentences" / rel).stat().st_size < 3 * target
    # the empty table (policy_facts here has rows; rejects has 1): every file has rows
    for name in TABLES:
        assert all(pq.ParquetFile(out / name / rel).metadata.num_rows for rel in files(out, name)), name
    assert_same(before, rows_of(out))


def test_partitioned_by_source_is_readable_by_duckdb_pandas_and_polars(tmp_path, many_parts):
    duckdb = pytest.importorskip("duckdb")
    polars = pytest.importorskip("polars")
    raw = shops_raw(tmp_path / "raw")
    src, out = tmp_path / "processed", tmp_path / "lake"
    run(raw, src, workers=1, progress=False)
    before = rows_of(src)
    c = compact(src, partition_by="source", out=out, progress=False)
    assert files(out, "documents") == ["source_root=shop_a/part-00000.parquet", "source_root=shop_b/part-00000.parquet"]
    assert files(out, "rejects") == ["source_root=shop_b/part-00000.parquet"]   # the bad JSON line
    assert c["parts"]["blocks"] == files(out, "blocks")
    assert (src / "_done").is_dir()   # compacted into another folder: the source stays incremental
    assert_same(before, rows_of(out))   # pandas (pyarrow's Hive discovery)
    for name in ("documents", "blocks", "sentences"):
        n_duck = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/{name}/**/*.parquet', "
                            f"hive_partitioning=true)").fetchall()[0][0]
        n_polars = polars.scan_parquet(f"{out}/{name}/**/*.parquet", hive_partitioning=True).select(
            polars.len()).collect().item()
        assert n_duck == n_polars == len(before[name]), name
    # every item sits in its listing's partition: the join on doc_id within a partition loses nothing
    joined = duckdb.sql(f"""
        SELECT d.source_root, count(*) FROM read_parquet('{out}/blocks/**/*.parquet', hive_partitioning=true) b
        JOIN read_parquet('{out}/documents/**/*.parquet', hive_partitioning=true) d
          ON b.doc_id = d.doc_id AND b.source_root = d.source_root GROUP BY 1 ORDER BY 1""").fetchall()
    assert sum(n for _, n in joined) == len(before["blocks"]) and [r for r, _ in joined] == ["shop_a", "shop_b"]
    shop_a = polars.read_parquet(f"{out}/documents/source_root=shop_a/*.parquet")
    assert set(shop_a["source"].str.split("/").list.first()) == {"shop_a"}
    # export opens the manifest's (partitioned) part list and gives the same bytes
    export(src, tmp_path / "src.jsonl", "jsonl")
    export(out, tmp_path / "lake.jsonl", "jsonl")
    assert (tmp_path / "lake.jsonl").read_bytes() == (tmp_path / "src.jsonl").read_bytes()


def test_partitioned_by_ingest_date_and_compacted_again(tmp_path, many_parts):
    raw = shops_raw(tmp_path / "raw")
    out = tmp_path / "processed"
    run(raw, out, workers=1, progress=False)
    before = rows_of(out)
    compact(out, partition_by="ingest_date", progress=False)
    today = datetime.now(timezone.utc).date().isoformat()
    assert {rel.split("/")[0] for rel in files(out, "documents")} == {f"ingest_date={today}"}
    compact(out, partition_by="ingest_date", target_bytes=10_000, progress=False)   # again: re-packed in place
    assert_same(before, rows_of(out))
    with pytest.raises(CompactError, match="already compacted with --partition-by ingest_date"):
        compact(out, partition_by="source", progress=False)


def test_the_next_run_is_up_to_date_or_reprocesses_every_unit(tmp_path, many_parts):
    """Decided: a compacted output has no per-unit parts, so a run with changes re-processes all units."""
    raw = shops_raw(tmp_path / "raw")
    out = tmp_path / "processed"
    m = run(raw, out, workers=1, progress=False)
    compact(out, progress=False)
    again = run(raw, out, workers=1, progress=False)
    assert again.get("up_to_date") and files(out, "documents") == ["part-00000.parquet"]
    (raw / "shop_a" / "new.txt").write_text("Áo mới. Đổi trả trong 7 ngày.", encoding="utf-8")
    m2 = run(raw, out, workers=1, progress=False)
    assert m2["units"]["processed"] == m2["units"]["total"] > m["units"]["total"] - 1
    assert m2["rows"]["documents"] == m["rows"]["documents"] + 1
    assert_same(rows_of(out), rows_of_full(raw, tmp_path / "full"))
    assert "compacted" not in m2


def rows_of_full(raw, out):
    run(raw, out, workers=1, full=True, progress=False)
    return rows_of(out)


def test_a_failed_compaction_leaves_the_output_and_the_cli_explains(tmp_path, monkeypatch):
    raw = mixed_raw(tmp_path / "raw")
    out = tmp_path / "processed"
    run(raw, out, workers=1, progress=False)
    before = {name: files(out, name) for name in TABLES}
    import pipeline.runner.compact as compaction

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(compaction, "swap_in", boom)
    with pytest.raises(OSError):
        compact(out, progress=False)
    assert {name: files(out, name) for name in TABLES} == before
    monkeypatch.undo()
    cli = [sys.executable, "-m", "pipeline", "compact"]
    res = subprocess.run(cli + ["--processed", str(out), "--target-mb", "128"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"compacted {out}/: ") and "documents 54" in res.stdout
    assert not (tmp_path / ".processed.compact-staging").exists()   # the failed attempt's is gone
    res = subprocess.run(cli + ["--processed", str(tmp_path / "nothing")], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 2 and "is not a finished output" in res.stderr
    res = subprocess.run(cli + ["--help"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "--partition-by {source,ingest_date}" in res.stdout and "re-processes every unit" in res.stdout


def test_compaction_waits_for_no_one_while_a_run_holds_the_output(tmp_path):
    from pipeline.runner.write import OutputLock, OutputLocked
    raw = mixed_raw(tmp_path / "raw")
    out = tmp_path / "processed"
    run(raw, out, workers=1, progress=False)
    with OutputLock(out.resolve()):
        with pytest.raises(OutputLocked):
            compact(out, progress=False)
