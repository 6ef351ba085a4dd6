"""The runner: workers and engines give the same rows; big JSON Lines files are sliced without loss."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from pipeline.runner import run
from pipeline.stages import STAGES
from conftest import SEED

TABLES = ("documents", "blocks", "policy_facts", "sections", "sentences", "catalog", "rejects")


def mixed_raw(folder):
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(24):
        (folder / f"seed-{i:02d}.txt").write_text(text.replace("job", f"job {i}"), encoding="utf-8")
    with open(folder / "records.jsonl", "w", encoding="utf-8") as fh:
        for i in range(30):
            fh.write(json.dumps({"id": i, "title": f"Áo thun {i}", "description":
                                 f"<p>Áo cotton số {i}.</p><ul><li>Đổi trả trong {i % 9 + 1} ngày</li></ul>"},
                                ensure_ascii=False) + "\n")
        fh.write("{not json}\n")
    return folder


def tables(out):
    result = {}
    for name in TABLES:
        df = pd.read_parquet(out / name)
        for col in df.columns[df.dtypes == object]:   # list columns (qualifier) as tuples, so rows sort
            df[col] = [tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v for v in df[col]]
        result[name] = df.sort_values(list(df.columns)).reset_index(drop=True) if len(df) else df
    return result


def assert_same(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=True)


def test_two_workers_give_the_same_rows_as_one(tmp_path):
    raw = mixed_raw(tmp_path / "raw")
    m1 = run(raw, tmp_path / "one", workers=1, progress=False)
    m2 = run(raw, tmp_path / "two", workers=2, progress=False)
    assert m1["rows"] == m2["rows"] and m1["rows"]["documents"] == 54 and m1["rows"]["rejects"] == 1
    assert_same(tables(tmp_path / "one"), tables(tmp_path / "two"))


def test_a_one_worker_run_leaves_the_callers_collector_unfrozen(tmp_path):
    # One worker runs units in the calling process, which freezes the collector for speed; a notebook calling
    # run() again and again must not keep every object of every run for good.
    import gc
    gc.unfreeze()
    run(mixed_raw(tmp_path / "raw"), tmp_path / "out", workers=1, progress=False)
    assert gc.get_freeze_count() == 0


def test_bench_refuses_an_unknown_job():
    from pipeline.cli.bench import parse_jobs
    assert parse_jobs("pipeline-2,pipeline-N", 4) == [("pipeline", 2), ("pipeline", 4)]
    with pytest.raises(SystemExit, match="unknown job 'pipeline-two'"):
        parse_jobs("floor,pipeline-two", 4)


def test_big_json_lines_files_are_sliced_without_loss(tmp_path, monkeypatch):
    import pipeline.runner.plan as runner
    monkeypatch.setattr(runner, "SPLIT_BYTES", 500)
    monkeypatch.setattr(runner, "SPLIT_LINES", 7)
    raw = mixed_raw(tmp_path / "raw")
    m = run(raw, tmp_path / "sliced", workers=1, progress=False)
    assert m["units"]["total"] >= 5
    docs = pd.read_parquet(tmp_path / "sliced" / "documents")
    lines = sorted(int(s.split("#")[1]) for s in docs.source if s.startswith("records.jsonl"))
    assert lines == list(range(1, 31))
    rejects = pd.read_parquet(tmp_path / "sliced" / "rejects")
    assert list(rejects.source) == ["records.jsonl#31"]


def test_dask_engine_on_a_local_cluster_matches_the_local_runner(tmp_path):
    pytest.importorskip("distributed")
    raw = mixed_raw(tmp_path / "raw")
    run(raw, tmp_path / "local", workers=1, progress=False)
    m = run(raw, tmp_path / "dask", workers=2, engine="dask", progress=False)
    assert m["engine"] == "dask" and m["books_balance"]
    assert_same(tables(tmp_path / "local"), tables(tmp_path / "dask"))


def test_bench_prints_its_table(tmp_path):
    import subprocess
    import sys
    from conftest import ROOT
    res = subprocess.run([sys.executable, "-m", "pipeline", "bench", "-n", "6", "--jobs", "floor,pipeline-1",
                          "--work", str(tmp_path / "bench")], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "| floor | 1 | 6 |" in res.stdout and "| pipeline | 1 | 6 |" in res.stdout
    assert "| sections |" in res.stdout


def test_workers_are_forked_before_planning(tmp_path, monkeypatch):
    """A forked worker starts with its parent's memory: forked after planning, each worker held the plan
    (every input file's entry) for its whole life. A worker sees the parent as it was when forked."""
    import pipeline.runner.local as local
    import pipeline.runner.plan as planning
    monkeypatch.setattr(planning, "GROUP_EVERY", 1)   # one unit per file: many units, run on the pool
    seen = tmp_path / "seen"
    seen.mkdir()
    planned: list[bool] = []
    real_plan, real_unit = local.plan, local._process_unit   # the worker's own copy is called (fork)

    def plan(*args, **kw):
        planned.append(True)   # in the parent; a worker forked after this has it in its copy
        return real_plan(*args, **kw)

    def process_unit(unit, *args, **kw):
        (seen / unit.key).write_text(f"{os.getpid()} {len(planned)}")
        return real_unit(unit, *args, **kw)

    monkeypatch.setattr(local, "plan", plan)
    monkeypatch.setattr(local, "_process_unit", process_unit)
    m = run(mixed_raw(tmp_path / "raw"), tmp_path / "out", workers=2, progress=False)
    got = [p.read_text().split() for p in seen.iterdir()]
    assert planned == [True] and len(got) == m["units"]["total"] > 2
    assert {n for _, n in got} == {"0"} and os.getpid() not in {int(pid) for pid, _ in got}


def test_stage_times_are_recorded_as_cpu_and_wall(tmp_path):
    """The manifest has each stage's CPU seconds (the worker thread's own) beside its wall seconds; a
    thread's CPU time cannot exceed the wall time around it."""
    m = run(mixed_raw(tmp_path / "raw"), tmp_path / "out", workers=2, progress=False)
    cpu, wall = m["stage_cpu_seconds"], m["stage_seconds"]
    assert set(cpu) == set(wall) == {"ingest", "write", *STAGES}
    assert all(0 <= cpu[k] <= wall[k] + 0.01 for k in cpu) and sum(cpu.values()) > 0


def test_process_timed_gives_what_process_gives():
    """The runner times each stage itself (process_timed); the listing must be the one stages.process gives."""
    from pipeline.readers import read_file
    from pipeline.runner.local import process_timed
    from pipeline.stages import process
    recs = list(read_file(SEED, SEED.parent))
    assert recs
    for rec in recs:
        wall, cpu = {}, {}
        assert process_timed(rec, wall, cpu) == process(rec)
        assert set(wall) == set(cpu) == set(STAGES)


def test_workers_are_forked_with_the_parents_objects_frozen():
    """A worker's collections must not visit what it inherited (writing their headers would copy the parent's
    heap page by page into every worker); the parent is thawed once the workers are forked."""
    import gc
    from pipeline.runner.local import _fork_workers, _stop_workers
    gc.unfreeze()
    pool = _fork_workers(2)
    try:
        assert gc.get_freeze_count() == 0
        assert all(pool.submit(gc.get_freeze_count).result() > 1000 for _ in range(4))
    finally:
        _stop_workers(pool, kill=False)


def test_units_go_to_the_workers_largest_first(tmp_path, monkeypatch):
    """Longest first: the big unit starts at once instead of last, and the rows do not depend on it."""
    import pipeline.runner.local as local
    import pipeline.runner.plan as planning
    from pipeline.runner.plan import Item, Unit
    units = [Unit(k, (Item(k, "", n),)) for k, n in (("a", 5), ("b", 50), ("c", 5), ("d", 20))]
    assert [u.key for u in local.by_size(units)] == ["b", "d", "a", "c"]
    monkeypatch.setattr(planning, "GROUP_EVERY", 1)   # one unit per file: units of many sizes
    raw = mixed_raw(tmp_path / "raw")
    run(raw, tmp_path / "one", workers=1, progress=False)
    run(raw, tmp_path / "two", workers=2, progress=False)
    assert_same(tables(tmp_path / "one"), tables(tmp_path / "two"))


def test_export_compact_and_write_do_not_import_the_stages():
    """`export`, `compact` and the bench's floor need no stage: importing the runner package must not pull in
    spaCy and the lexicons (about 2 s of CPU per process); the package's names still resolve."""
    import subprocess
    import sys
    from conftest import ROOT
    code = ("import sys, pipeline.runner.export, pipeline.runner.compact, pipeline.runner.write; "
            "print(sorted(m for m in ('spacy', 'pipeline.stages', 'pipeline.runner.local') if m in sys.modules)); "
            "from pipeline.runner import run, Settings, OutputLocked; print(run.__module__)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert res.stdout.split() == ["[]", "pipeline.runner.local"]
    import pipeline.runner
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        pipeline.runner.nothing


def test_the_pool_is_handed_a_few_units_per_worker_at_a_time_largest_first():
    """A pool keeps a submitted unit (its items) until it is done: the plan's units are submitted a few per
    worker ahead (`SUBMIT_AHEAD`), largest first, each unpacked only when it is submitted."""
    from concurrent.futures import Future
    import pipeline.runner.local as local
    from pipeline.runner.plan import Item, Unit, Units

    class Pool:   # finishes each unit at once; counts the units submitted and not yet handed back
        def __init__(self):
            self.submitted, self.most = [], 0

        def submit(self, fn, unit, *args):
            self.submitted.append(unit.key)
            self.most = max(self.most, len(self.submitted) - len(handed))
            f = Future()
            f.set_result({"key": unit.key})
            return f

    packed = Units()
    sizes = [(i * 7919) % 100 + 1 for i in range(60)]
    for i, n in enumerate(sizes):
        packed.append(Unit(f"u{i:02d}", (Item(f"f{i}", "", n),)))
    pool, handed = Pool(), []
    for res in local._map_local(packed, "raw", "staging", local.Settings(), 2, pool):
        handed.append(res["key"])
    assert sorted(handed) == sorted(packed.keys)
    assert pool.submitted == [u.key for u in sorted(packed, key=lambda u: -u.n_bytes)]
    assert pool.most <= 2 * local.SUBMIT_AHEAD < len(packed)
