"""`compact` on an object-storage output (issue 16): the compacted output is a new run of the `_runs/<run_id>/`
+ `_latest` protocol, published by writing `_latest` last, against moto's S3 server on 127.0.0.1 (the `s3`
fixture of test_storage.py). Readers going through `_latest` see the old run or the whole compacted one:
an upload that fails half-way leaves them on the old run, and the next compaction succeeds.

Inputs: the runner tests' inputs (test_runner.mixed_raw: the sample listing in raw/ made into listings, and
a JSON Lines file) in two subfolders, as test_compact.py uses them.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from pipeline.contract.schema import TABLES
from pipeline.runner import run
from pipeline.runner.export import export
from test_compact import many_parts, shops_raw  # noqa: F401 - a fixture
from test_storage import BUCKET, s3, s3_tables  # noqa: F401 - a fixture


def sorted_rows(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each table's rows sorted (compaction keeps the rows, not their order across parts); list columns as
    tuples so rows sort, as test_runner.tables does."""
    result = {}
    for name, df in tables.items():
        for col in df.columns[df.dtypes == object]:
            df[col] = [tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v for v in df[col]]
        result[name] = df.sort_values(list(df.columns)).reset_index(drop=True) if len(df) else df
    return result


def run_ids(fs, prefix: str) -> list[str]:
    fs.invalidate_cache()
    return sorted(p.rsplit("/", 1)[-1] for p in fs.ls(f"{prefix}/_runs", detail=False))


def test_compact_on_s3_publishes_a_new_run_with_the_same_rows(tmp_path, s3, many_parts):  # noqa: F811
    from pipeline.runner.compact import compact_url
    from pipeline.runner.store import current, current_run
    fs, env = s3
    url = f"s3://{BUCKET}/c1/processed"
    cache = tmp_path / "cache"
    first = run(shops_raw(tmp_path / "raw"), url, workers=1, progress=False, staging=cache)
    n_parts = len(current(url)["documents"])
    assert n_parts == first["units"]["total"] >= 10
    before = sorted_rows(s3_tables(fs, url))
    export(url, tmp_path / "before.jsonl", "jsonl")

    m = compact_url(url, partition_by="source", progress=False, staging=cache)
    assert current_run(url).run_id == m["run_id"] != first["run_id"]
    assert m["compacted_from"] == {"url": url, "run_id": first["run_id"]}
    parts = current(url)
    assert [u.rsplit("/", 2)[-2] for u in parts["documents"]] == ["source_root=shop_a", "source_root=shop_b"]
    assert m["compacted"]["files_before"] == n_parts * len(TABLES) > m["compacted"]["files_after"]
    for name, df in sorted_rows(s3_tables(fs, url)).items():   # the same rows
        pd.testing.assert_frame_equal(df, before[name], obj=name)
    export(url, tmp_path / "after.jsonl", "jsonl")
    assert (tmp_path / "after.jsonl").read_bytes() == (tmp_path / "before.jsonl").read_bytes()
    assert run_ids(fs, f"{BUCKET}/c1/processed") == sorted([first["run_id"], m["run_id"]])
    assert not fs.exists(f"{BUCKET}/c1/processed/_lock")

    # The local cache is the compacted run now: the next run with nothing changed is up to date at once.
    assert run(tmp_path / "raw", url, progress=False, staging=cache).get("up_to_date")
    # From another machine (an empty cache: the partitioned run is downloaded) through the command line.
    cli = subprocess.run([sys.executable, "-m", "pipeline", "compact", "--processed", url, "--partition-by",
                          "source", "--staging", str(tmp_path / "other"), "--quiet"],
                         cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    again = current_run(url).run_id
    assert f"published as run {again}" in cli.stdout and again != m["run_id"]
    assert run_ids(fs, f"{BUCKET}/c1/processed") == sorted([m["run_id"], again])   # the first run pruned
    for name, df in sorted_rows(s3_tables(fs, url)).items():
        pd.testing.assert_frame_equal(df, before[name], obj=name)


def test_a_compaction_whose_upload_fails_leaves_readers_on_the_previous_run(tmp_path, s3, many_parts,  # noqa: F811
                                                                            monkeypatch):
    from pipeline.runner.compact import compact_url
    from pipeline.runner.store import current_run
    fs, _ = s3
    url = f"s3://{BUCKET}/c2/processed"
    cache = tmp_path / "cache"
    first = run(shops_raw(tmp_path / "raw"), url, workers=1, progress=False, staging=cache)
    export(url, tmp_path / "before.jsonl", "jsonl")
    from pipeline.readers.location import filesystem
    store_fs = filesystem(url)[0]          # the driver instance the publish uses (fsspec caches instances)
    put = store_fs.put

    def put_then_fail(lpath, rpath, *args, **kwargs):   # some objects arrive, then the network goes
        put(lpath[:2], rpath[:2], *args, **kwargs)
        raise OSError("connection reset by peer")

    monkeypatch.setattr(store_fs, "put", put_then_fail)
    with pytest.raises(OSError, match="connection reset"):
        compact_url(url, progress=False, staging=cache)
    monkeypatch.setattr(store_fs, "put", put)
    runs = run_ids(fs, f"{BUCKET}/c2/processed")
    half = [r for r in runs if r != first["run_id"]]
    assert len(runs) == 2 and len(half) == 1                                  # a half-written run is there...
    assert fs.find(f"{BUCKET}/c2/processed/_runs/{half[0]}")                  # (some of its objects)
    assert not fs.exists(f"{BUCKET}/c2/processed/_runs/{half[0]}/manifest.json")
    assert current_run(url).run_id == first["run_id"]                         # ...readers do not see it
    export(url, tmp_path / "during.jsonl", "jsonl")
    assert (tmp_path / "during.jsonl").read_bytes() == (tmp_path / "before.jsonl").read_bytes()
    assert not fs.exists(f"{BUCKET}/c2/processed/_lock")                      # released on the error

    m = compact_url(url, progress=False, staging=cache)
    assert current_run(url).run_id == m["run_id"] and m["publish"]["runs_pruned"] == 1
    assert run_ids(fs, f"{BUCKET}/c2/processed") == sorted([first["run_id"], m["run_id"]])
    assert [len(v) for v in current_run(url).parts.values()] == [1] * len(TABLES)
    export(url, tmp_path / "after.jsonl", "jsonl")
    assert (tmp_path / "after.jsonl").read_bytes() == (tmp_path / "before.jsonl").read_bytes()


def test_compact_of_a_url_refuses_a_local_out_and_a_prefix_with_nothing_published(tmp_path, s3):  # noqa: F811
    from pipeline.runner.compact import CompactError, compact_url
    with pytest.raises(CompactError, match="has no _latest"):
        compact_url(f"s3://{BUCKET}/nothing", progress=False, staging=tmp_path / "cache")
    with pytest.raises(CompactError, match="a local folder is not supported"):
        compact_url(f"s3://{BUCKET}/nothing", out=str(tmp_path / "lake"), progress=False, staging=tmp_path / "c")
    with pytest.raises(CompactError, match="not inside or around"):
        compact_url(f"s3://{BUCKET}/a", out=f"s3://{BUCKET}/a/lake", progress=False, staging=tmp_path / "c")
