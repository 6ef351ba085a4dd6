"""Dask with object storage (issue 16): a scheduler and a worker started as separate processes (the
`dask scheduler` / `dask worker` command lines, as in test_dask_cluster.py) run a pipeline whose --raw and
--out are s3:// URLs on moto's S3 server on 127.0.0.1 (as in test_storage.py); the published tables equal
a local run's. The worker reads its inputs from the server itself (ranged reads of a sliced JSON Lines
object included); it gets the server's address only through its environment (AWS_ENDPOINT_URL), as a
cluster's workers get their credentials.

Inputs: test_storage.make_raw (the sample listing in raw/ made into a few listings, and
tests/data/corpus_sample.jsonl, 5 real Tiki records: see tests/data/README_corpus_sample.md).
"""
from __future__ import annotations

import os

import pytest

distributed = pytest.importorskip("distributed")

from pipeline.runner import run  # noqa: E402
from test_dask_cluster import START_TIMEOUT_S, start_cluster  # noqa: E402
from test_storage import (BUCKET, assert_same_tables, local_tables, make_raw, s3, s3_tables,  # noqa: E402,F401
                          small_slices, upload)


@pytest.fixture(scope="module")
def s3_cluster(s3, tmp_path_factory):  # noqa: F811 - the s3 fixture of test_storage
    """A scheduler and a worker whose environment points s3:// at the moto server."""
    _, env = s3
    with start_cluster(tmp_path_factory.mktemp("dask-s3"), env={**os.environ, **env}) as started:
        yield started


def test_dask_cluster_runs_from_s3_to_s3_and_equals_a_local_run(s3, s3_cluster, small_slices, tmp_path):  # noqa: F811
    from pipeline.runner.store import RUNS, current_run
    fs, _ = s3
    address, _ = s3_cluster
    raw = make_raw(tmp_path / "raw")
    raw_url = upload(fs, raw, f"{BUCKET}/dask/raw")
    out_url = f"s3://{BUCKET}/dask/processed"
    local = run(raw, tmp_path / "local", workers=1, progress=False)
    m = run(raw_url, out_url, engine="dask", scheduler=address, progress=False, staging=tmp_path / "cache")
    assert m["engine"] == "dask" and m["books_balance"]
    # Had the worker not reached the server, every input would be an 'unreadable' reject.
    assert m["rows"] == local["rows"] and m["rejects_by_reason"] == local["rejects_by_reason"]
    assert m["units"]["processed"] == m["units"]["total"] == local["units"]["total"] > 3   # sliced: ranged reads
    assert current_run(out_url).run_id == m["run_id"]
    assert fs.ls(f"{BUCKET}/dask/processed", detail=False) == [f"{BUCKET}/dask/processed/{n}"
                                                                for n in ("_latest", RUNS)]   # lock released
    assert_same_tables(s3_tables(fs, out_url), local_tables(tmp_path / "local"))
    # The worker process read the inputs from the server itself (nothing else in it imports s3fs).
    with distributed.Client(address, timeout=START_TIMEOUT_S) as client:
        on_worker = client.run(lambda: "s3fs" in __import__("sys").modules)   # a lambda: sent by value
    assert list(on_worker.values()) == [True], on_worker
