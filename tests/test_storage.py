"""Object storage (issue 16): `--raw`/`--out`/`export` on fsspec URLs and the `_runs/<run_id>/` + `_latest`
commit protocol, against a real S3-compatible server (moto's standalone server, started here on
127.0.0.1 on a free port; no internet) and on file:// URLs.

The S3 tests need `moto[server]` and `s3fs` (both in the test extras, so CI runs them); they are skipped,
saying so, only when those packages are absent. Inputs: the sample listing (raw/, from shared/seed) made
into a few different listings, and tests/data/corpus_sample.jsonl (5 real Tiki records; see
tests/data/README_corpus_sample.md) as plain, sliced, .gz and .zst files.
"""
from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import DATA, ROOT, SEED
from pipeline.contract.schema import TABLES

SEED_TEXT = SEED.read_text(encoding="utf-8")
CORPUS = (DATA / "corpus_sample.jsonl").read_bytes()
BUCKET = "listings"


def make_raw(folder: Path, n_txt: int = 4) -> Path:
    """Seed-like listings (each different), the corpus sample plain (sliced when SPLIT_BYTES is small), its
    first three records gzipped and its last two zstd-compressed (duplicates of the plain ones, rejected
    as such), a file of unknown type and a hidden file (skipped)."""
    import zstandard
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_txt):
        (folder / "shop" / f"listing {i}.txt").parent.mkdir(exist_ok=True)
        (folder / "shop" / f"listing {i}.txt").write_text(SEED_TEXT.replace("interview", f"interview {i}"),
                                                          encoding="utf-8")
    lines = CORPUS.splitlines(keepends=True)
    (folder / "tiki.jsonl").write_bytes(CORPUS)
    (folder / "tiki_a.jsonl.gz").write_bytes(gzip.compress(b"".join(lines[:3]), mtime=0))
    (folder / "tiki_b.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(b"".join(lines[3:])))
    (folder / "notes.bin").write_bytes(b"\x00\x01")
    (folder / ".hidden.txt").write_text("never read")
    return folder


def tables_of(parts: dict[str, list[str]], fs=None) -> dict[str, pd.DataFrame]:
    """Each table's parts, in part-name order, as one DataFrame."""
    out = {}
    for name in TABLES:
        frames = []
        for p in sorted(parts[name], key=lambda u: u.rsplit("/", 1)[-1]):
            with (fs.open(p, "rb") if fs is not None else open(p, "rb")) as fh:
                frames.append(pq.read_table(fh).to_pandas())
        out[name] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return out


def local_tables(out: Path) -> dict[str, pd.DataFrame]:
    from pipeline.runner.store import current
    return tables_of(current(out))


def assert_same_tables(a: dict, b: dict) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


@pytest.fixture
def small_slices(monkeypatch):
    """Slice the 5-record JSON Lines file into slices of 2 records (ranged reads from the store)."""
    import pipeline.runner.plan as plan
    monkeypatch.setattr(plan, "SPLIT_BYTES", 100)
    monkeypatch.setattr(plan, "SPLIT_LINES", 2)


# ------------------------------------------------------------------ file:// (needs only fsspec)

def test_file_url_output_follows_the_run_protocol_and_equals_a_local_run(tmp_path, small_slices):
    pytest.importorskip("fsspec")
    from pipeline.runner import run
    from pipeline.runner.store import current, current_run
    raw = make_raw(tmp_path / "raw")
    local = run(raw, tmp_path / "local", workers=1, progress=False)
    url = f"file://{tmp_path}/store"
    m = run(raw, url, workers=1, progress=False, staging=tmp_path / "cache")
    assert m["rows"] == local["rows"] and m["units"]["total"] == local["units"]["total"] > 3
    latest = json.loads((tmp_path / "store" / "_latest").read_text())
    assert latest["run_id"] == m["run_id"] == current_run(url).run_id
    assert sorted(os.listdir(tmp_path / "store")) == ["_latest", "_runs"]       # the lock is gone
    assert_same_tables(tables_of({k: [u.removeprefix("file://") for u in v] for k, v in current(url).items()}),
                       local_tables(tmp_path / "local"))
    # Remote inputs (file:// listed by prefix) into a local folder: the same rows again.
    m2 = run(f"file://{raw}", tmp_path / "local2", workers=1, progress=False)
    assert m2["rows"] == local["rows"]
    assert_same_tables(local_tables(tmp_path / "local2"), local_tables(tmp_path / "local"))


def test_an_output_prefix_with_foreign_content_is_refused(tmp_path):
    pytest.importorskip("fsspec")
    from pipeline.runner import OutputRefused, run
    raw = make_raw(tmp_path / "raw", 1)
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "report.pdf").write_bytes(b"%PDF")
    with pytest.raises(OutputRefused, match="not empty and holds no _latest"):
        run(raw, f"file://{tmp_path}/store", progress=False, staging=tmp_path / "cache")
    assert os.listdir(tmp_path / "store") == ["report.pdf"]


# ------------------------------------------------------------------ a real S3-compatible server on loopback

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3():
    """moto's S3 server on 127.0.0.1 and an s3fs filesystem pointed at it (AWS_ENDPOINT_URL, dummy keys)."""
    server_mod = pytest.importorskip("moto.server", reason="needs moto[server] (pip install '.[test]')")
    s3fs = pytest.importorskip("s3fs", reason="needs s3fs (pip install '.[test]' or '.[s3]')")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem()
    if not fs.exists(BUCKET):   # moto's state is per process: another module's server made it already
        fs.mkdir(BUCKET)
    try:
        yield fs, env
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def upload(fs, folder: Path, prefix: str) -> str:
    fs.rm(prefix, recursive=True) if fs.exists(prefix) else None
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            fs.put_file(str(p), f"{prefix}/{p.relative_to(folder).as_posix()}")
    fs.invalidate_cache()
    return f"s3://{prefix}"


def s3_tables(fs, url: str) -> dict[str, pd.DataFrame]:
    from pipeline.runner.store import current
    return tables_of({k: [u.removeprefix("s3://") for u in v] for k, v in current(url).items()}, fs)


def test_s3_run_equals_a_local_run_then_runs_incrementally(tmp_path, s3, small_slices, monkeypatch):
    import pipeline.runner.plan as plan
    from pipeline.runner import run
    from pipeline.runner.store import RUNS, current_run
    fs, _ = s3
    raw = make_raw(tmp_path / "raw")
    raw_url = upload(fs, raw, f"{BUCKET}/t1/raw")
    out_url = f"s3://{BUCKET}/t1/processed"
    local = run(raw, tmp_path / "local", workers=1, progress=False)
    m = run(raw_url, out_url, workers=2, progress=False, staging=tmp_path / "cache")
    assert m["books_balance"] and m["rows"] == local["rows"]
    assert m["rejects_by_reason"] == local["rejects_by_reason"] == {"duplicate": 5, "unknown_type": 1}
    assert m["units"]["total"] == local["units"]["total"] and m["units"]["processed"] == m["units"]["total"]
    from pipeline.runner.manifest import iter_inputs
    with fs.open(current_run(out_url).inputs, "rb") as fh:            # the run's inputs sidecar, published
        assert all("etag" in i for i in iter_inputs(fh))              # planned from the store's listing
    assert_same_tables(s3_tables(fs, out_url), local_tables(tmp_path / "local"))
    assert fs.ls(f"{BUCKET}/t1/processed", detail=False) == [f"{BUCKET}/t1/processed/{n}" for n in ("_latest", RUNS)]

    # A new object: only its unit runs; the unchanged units are copied server-side, not uploaded.
    (raw / "shop" / "listing new.txt").write_text(SEED_TEXT.replace("interview", "interview new"), encoding="utf-8")
    fs.put_file(str(raw / "shop" / "listing new.txt"), f"{BUCKET}/t1/raw/shop/listing new.txt")
    local2 = run(raw, tmp_path / "local", workers=1, progress=False)
    read, hash_input = [], plan._hash_input
    monkeypatch.setattr(plan, "_hash_input", lambda entry, *a: read.append(str(entry)) or hash_input(entry, *a))
    m2 = run(raw_url, out_url, workers=1, progress=False, staging=tmp_path / "cache")
    assert read == [f"s3://{BUCKET}/t1/raw/shop/listing new.txt"]   # the others: same size, mtime and ETag
    assert m2["units"]["processed"] == local2["units"]["processed"] < m2["units"]["total"]
    assert m2["publish"]["copied"] > m2["publish"]["uploaded"] > 0
    assert m2["rows"] == local2["rows"]
    assert_same_tables(s3_tables(fs, out_url), local_tables(tmp_path / "local"))
    runs = sorted(p.rsplit("/", 1)[-1] for p in fs.ls(f"{BUCKET}/t1/processed/{RUNS}", detail=False))
    assert runs == sorted([m["run_id"], m2["run_id"]])                 # the previous run is kept
    assert current_run(out_url).run_id == m2["run_id"]

    # Nothing changed: up to date without reading any object again; a third publish prunes the first run.
    assert run(raw_url, out_url, progress=False, staging=tmp_path / "cache").get("up_to_date")
    fs.put_file(str(raw / "shop" / "listing 0.txt"), f"{BUCKET}/t1/raw/shop/listing 0 copy.txt")
    m3 = run(raw_url, out_url, workers=1, progress=False, staging=tmp_path / "other-machine")   # no local copy
    assert m3["publish"]["runs_pruned"] == 1 and m3["rejects_by_reason"]["duplicate"] == 6
    runs = sorted(p.rsplit("/", 1)[-1] for p in fs.ls(f"{BUCKET}/t1/processed/{RUNS}", detail=False))
    assert runs == sorted([m2["run_id"], m3["run_id"]])


def test_export_reads_the_current_run_from_s3_and_writes_to_s3(tmp_path, s3):
    from pipeline.runner import run
    from pipeline.runner.export import export
    fs, _ = s3
    raw = make_raw(tmp_path / "raw")
    out_url = f"s3://{BUCKET}/t2/processed"
    run(upload(fs, raw, f"{BUCKET}/t2/raw"), out_url, workers=1, progress=False, staging=tmp_path / "cache")
    run(raw, tmp_path / "local", workers=1, progress=False)
    for fmt in ("jsonl", "csv", "parquet"):
        n = export(tmp_path / "local", tmp_path / f"local.{fmt}", fmt)
        assert export(out_url, tmp_path / f"s3.{fmt}", fmt) == n == 5 + 4
        if fmt == "parquet":
            assert pq.read_table(tmp_path / "s3.parquet").equals(pq.read_table(tmp_path / "local.parquet"))
        else:
            assert (tmp_path / f"s3.{fmt}").read_bytes() == (tmp_path / f"local.{fmt}").read_bytes()
    assert export(out_url, f"s3://{BUCKET}/t2/feeds/listings.jsonl", "jsonl") == 9
    assert fs.cat_file(f"{BUCKET}/t2/feeds/listings.jsonl") == (tmp_path / "local.jsonl").read_bytes()
    # The CLI: s3:// in, a clear error for a prefix nothing was published to.
    env = {**os.environ, **s3[1]}
    ok = subprocess.run([sys.executable, "-m", "pipeline", "export", "--processed", out_url, "--out",
                         str(tmp_path / "cli.jsonl")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "cli.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    bad = subprocess.run([sys.executable, "-m", "pipeline", "export", "--processed", f"s3://{BUCKET}/nothing",
                          "--out", str(tmp_path / "x.jsonl")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "has no _latest" in bad.stderr and not (tmp_path / "x.jsonl").exists()


def test_readers_find_the_current_run_with_duckdb_and_pandas(tmp_path, s3):
    """The reader snippets of docs/scale.md, on the server: DuckDB over fsspec, pandas over the part list."""
    duckdb = pytest.importorskip("duckdb")
    from pipeline.runner import run
    from pipeline.runner.store import current
    fs, _ = s3
    raw = make_raw(tmp_path / "raw", 2)
    out_url = f"s3://{BUCKET}/t3/processed"
    run(upload(fs, raw, f"{BUCKET}/t3/raw"), out_url, workers=1, progress=False, staging=tmp_path / "cache")
    parts = current(out_url)
    con = duckdb.connect()
    con.register_filesystem(fs)
    con.execute(f"CREATE VIEW catalog AS SELECT * FROM read_parquet({parts['catalog']!r})")
    assert con.execute("SELECT count(*) FROM catalog").fetchone()[0] == 2 + 5
    docs = pd.concat([pd.read_parquet(u) for u in parts["documents"]])
    assert sorted(docs.source)[:2] == ["shop/listing 0.txt", "shop/listing 1.txt"]


def test_a_run_killed_while_uploading_leaves_readers_on_the_previous_run_and_the_next_run_succeeds(tmp_path, s3,
                                                                                                   monkeypatch):
    import pipeline.runner.plan as plan
    from pipeline.runner import run
    from pipeline.runner.export import export
    from pipeline.runner.store import RUNS, current_run
    fs, env = s3
    monkeypatch.setattr(plan, "GROUP_EVERY", 1)   # one unit per file, as in the killed run (storagefault.py)
    raw = make_raw(tmp_path / "raw", 3)
    raw_url = upload(fs, raw, f"{BUCKET}/t4/raw")
    out_url = f"s3://{BUCKET}/t4/processed"
    cache = tmp_path / "cache"
    first = run(raw_url, out_url, workers=1, progress=False, staging=cache)
    before = s3_tables(fs, out_url)
    export(out_url, tmp_path / "before.jsonl", "jsonl")
    for i in range(3):   # change every listing, so the next run has every unit to upload
        fs.pipe_file(f"{BUCKET}/t4/raw/shop/listing {i}.txt",
                     SEED_TEXT.replace("interview", f"interview changed {i}").encode())
    cmd = [sys.executable, str(ROOT / "tests" / "storagefault.py"), "3", "--", "run", "--raw", raw_url,
           "--out", out_url, "--staging", str(cache), "--workers", "1", "--quiet"]
    killed = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr[-2000:]
    fs.invalidate_cache()
    runs = [p.rsplit("/", 1)[-1] for p in fs.ls(f"{BUCKET}/t4/processed/{RUNS}", detail=False)]
    assert len(runs) == 2 and first["run_id"] in runs                 # a half-written run is there...
    half = next(r for r in runs if r != first["run_id"])
    assert not fs.exists(f"{BUCKET}/t4/processed/{RUNS}/{half}/manifest.json")
    assert current_run(out_url).run_id == first["run_id"]              # ...and readers do not see it
    assert_same_tables(s3_tables(fs, out_url), before)
    export(out_url, tmp_path / "during.jsonl", "jsonl")
    assert (tmp_path / "during.jsonl").read_bytes() == (tmp_path / "before.jsonl").read_bytes()
    assert fs.exists(f"{BUCKET}/t4/processed/_lock")                  # the killed run's lock is left...

    m = run(raw_url, out_url, workers=1, progress=False, staging=cache)   # ...and broken (its pid is gone)
    # Every unit resumed from staging but the two whose rows lost cross-unit duplicates (tiki_a, tiki_b):
    # the duplicate check unmarks those by design (local.py), so they are redone, as in a local run.
    assert (m["units"]["processed"], m["units"]["total"]) == (2, 7)
    assert m["books_balance"] and current_run(out_url).run_id == m["run_id"]
    runs = sorted(p.rsplit("/", 1)[-1] for p in fs.ls(f"{BUCKET}/t4/processed/{RUNS}", detail=False))
    assert runs == sorted([first["run_id"], m["run_id"]])              # the half-written run is pruned
    shutil.rmtree(tmp_path / "raw")
    make_raw(tmp_path / "raw", 3)
    for i in range(3):
        (tmp_path / "raw" / "shop" / f"listing {i}.txt").write_text(
            SEED_TEXT.replace("interview", f"interview changed {i}"), encoding="utf-8")
    run(tmp_path / "raw", tmp_path / "local", workers=1, progress=False)
    assert_same_tables(s3_tables(fs, out_url), local_tables(tmp_path / "local"))
    assert not fs.exists(f"{BUCKET}/t4/processed/_lock")


def test_a_second_writer_is_refused_by_the_conditional_lock(tmp_path, s3):
    from pipeline.runner import OutputLocked, run
    from pipeline.runner.store import StoreLock
    fs, _ = s3
    raw_url = upload(fs, make_raw(tmp_path / "raw", 1), f"{BUCKET}/t5/raw")
    out_url = f"s3://{BUCKET}/t5/processed"
    fs.pipe_file(f"{BUCKET}/t5/processed/_lock", json.dumps({"host": "elsewhere", "pid": 1}).encode())
    with pytest.raises(OutputLocked, match=r"pid 1 on elsewhere.*delete s3://listings/t5/processed/_lock"):
        run(raw_url, out_url, progress=False, staging=tmp_path / "cache")
    assert not fs.exists(f"{BUCKET}/t5/processed/_runs")
    fs.rm_file(f"{BUCKET}/t5/processed/_lock")
    with StoreLock(out_url) as held:
        assert held.conditional                                        # If-None-Match: * on this server
        with pytest.raises(OutputLocked, match="another run is writing"):
            with StoreLock(out_url):
                pass
    assert not fs.exists(f"{BUCKET}/t5/processed/_lock")


def test_a_stale_lock_from_another_host_is_removed_only_with_break_lock(tmp_path, s3):
    """A run that died on another machine leaves `_lock` (its pid cannot be checked from here): the error says
    whose it is and how to remove it; `--break-lock` removes it; a lock whose pid is alive here stays."""
    from pipeline.runner import OutputLocked, run
    fs, env = s3
    raw_url = upload(fs, make_raw(tmp_path / "raw", 1), f"{BUCKET}/t6/raw")
    out_url = f"s3://{BUCKET}/t6/processed"
    lock = f"{BUCKET}/t6/processed/_lock"
    dead = {"host": "worker-17.example", "pid": 4242, "started_at": "2026-01-01T00:00:00+00:00", "token": "x"}
    fs.pipe_file(lock, json.dumps(dead).encode())
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", raw_url, "--out", out_url, "--workers", "1",
           "--staging", str(tmp_path / "cache"), "--quiet"]
    refused = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    assert refused.returncode == 3, refused.stderr
    assert "pid 4242 on worker-17.example since 2026-01-01T00:00:00+00:00 (" in refused.stderr   # and its age
    assert "re-run with --break-lock" in refused.stderr and f"delete {out_url}/_lock" in refused.stderr
    fs.invalidate_cache()
    assert not fs.exists(f"{BUCKET}/t6/processed/_runs") and fs.exists(lock)

    broke = subprocess.run(cmd + ["--break-lock"], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                           text=True)
    assert broke.returncode == 0, broke.stderr
    assert f"warning: removed the lock {out_url}/_lock left by pid 4242 on worker-17.example" in broke.stderr
    fs.invalidate_cache()
    assert fs.exists(f"{BUCKET}/t6/processed/_latest") and not fs.exists(lock)

    # A lock whose pid is alive on this host is never broken, --break-lock or not.
    alive = {"host": socket.gethostname(), "pid": os.getpid(), "started_at": "2026-01-01T00:00:00+00:00"}
    fs.pipe_file(lock, json.dumps(alive).encode())
    with pytest.raises(OutputLocked, match="is alive on this host, so --break-lock does not remove it"):
        run(raw_url, out_url, progress=False, staging=tmp_path / "cache", break_lock=True, full=True)
    assert json.loads(fs.cat_file(lock)) == alive
    fs.rm_file(lock)


def test_a_run_whose_lock_was_taken_over_does_not_publish(tmp_path, s3, monkeypatch):
    """Someone ran --break-lock while this run worked: it must not overwrite `_latest` (the new holder may
    publish); readers keep the previous run and the other's lock stays."""
    import pipeline.runner.store as store
    from pipeline.runner import OutputLocked, run
    fs, _ = s3
    raw = make_raw(tmp_path / "raw", 1)
    raw_url = upload(fs, raw, f"{BUCKET}/t7/raw")
    out_url = f"s3://{BUCKET}/t7/processed"
    first = run(raw_url, out_url, progress=False, staging=tmp_path / "cache")
    other = json.dumps({"host": "elsewhere", "pid": 7, "token": "theirs"}).encode()
    sync = store.sync_mirror

    def sync_then_lose_the_lock(*args):
        sync(*args)
        fs.pipe_file(f"{BUCKET}/t7/processed/_lock", other)   # broken and taken by another run

    monkeypatch.setattr(store, "sync_mirror", sync_then_lose_the_lock)
    with pytest.raises(OutputLocked, match="no longer this run's .*held by pid 7 on elsewhere.*not publishing"):
        run(raw_url, out_url, progress=False, staging=tmp_path / "cache", full=True)
    assert store.current_run(out_url).run_id == first["run_id"]
    assert fs.cat_file(f"{BUCKET}/t7/processed/_lock") == other        # not deleted by the run that lost it
    fs.rm_file(f"{BUCKET}/t7/processed/_lock")
