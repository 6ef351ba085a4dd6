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


@pytest.mark.parametrize("mode", ["checked-first", "at-its-unit"])
def test_a_worker_that_cannot_reach_the_store_stops_the_run_naming_it(s3, small_slices, tmp_path, monkeypatch,  # noqa: F811
                                                                      mode):
    """A worker whose endpoint is wrong (a closed port on loopback; the client's is right): the run stops
    with one message naming the worker and the URL, not a botocore traceback nor every input rejected as
    'unreadable'; the output is not published. `checked-first`: the workers connected at the start are
    asked before any unit is sent; `at-its-unit`: a worker that skipped that check (one joining later)
    refuses at its first unit."""
    import pipeline.runner.dask as engine
    from test_storage import _free_port
    fs, env = s3
    raw_url = upload(fs, make_raw(tmp_path / "raw"), f"{BUCKET}/unreachable-{mode}/raw")
    out_url = f"s3://{BUCKET}/unreachable-{mode}/processed"
    if mode == "at-its-unit":
        monkeypatch.setattr(engine, "check_worker", lambda *a, **k: [])   # sent to the worker by value
    wrong = {**os.environ, **env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{_free_port()}",
             "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard"}
    (tmp_path / "cluster").mkdir()
    with start_cluster(tmp_path / "cluster", env=wrong) as (address, _):
        with pytest.raises(engine.StoreUnreachable) as caught:
            run(raw_url, out_url, engine="dask", scheduler=address, progress=False, staging=tmp_path / "cache")
    message = str(caught.value)
    assert message.startswith("error: ") and "Traceback" not in message
    assert raw_url in message and "tcp://127.0.0.1:" in message and "cannot reach" in message
    assert "AWS_ENDPOINT_URL" in message
    assert not fs.exists(f"{BUCKET}/unreachable-{mode}/processed/_latest")   # nothing published
