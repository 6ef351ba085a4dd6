"""A kill at any file-system step of a run leaves the old or the new output complete, and the next run gives
rows identical to a clean run (issue 17). The kills come from tests/faultinject.py, which SIGKILLs a real
`python -m pipeline run` just before its K-th unlink/rename/replace/link/exchange; FAULTS_ALL=1 tries every
K instead of a spread of them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import pipeline.runner as runner
import pipeline.runner.plan as runner_plan
from pipeline.runner.manifest import iter_inputs
from pipeline.runner.write import recover
from conftest import ROOT, SEED

FAULTS = ROOT / "tests" / "faultinject.py"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def listing(i: int, word: str = "interview") -> str:
    return SEED_TEXT.replace("interview", f"{word} {i}")


def write_raw(folder: Path, files: dict[str, str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def pipeline_run(k: int, raw: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(FAULTS), str(k), "--", "run", "--raw", str(raw), "--out", str(out),
                           "--workers", "1", "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=120)


def tables(out: Path) -> dict[str, pd.DataFrame]:
    manifest = json.loads((out / "manifest.json").read_text())
    result = {}
    for name, n_rows in manifest["rows"].items():
        df = pd.read_parquet(out / name)
        assert len(df) == n_rows, f"{name}: manifest says {n_rows} rows, the parts hold {len(df)}"
        for col in df.columns[df.dtypes == object]:   # list columns (qualifier) as tuples, so rows sort
            df[col] = [tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v for v in df[col]]
        result[name] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return result


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def n_calls(raw: Path, out: Path) -> int:
    res = pipeline_run(0, raw, out)
    assert res.returncode == 0, res.stderr
    return int(res.stderr.rsplit("calls: ", 1)[1])


def spread(n: int) -> list[int]:
    if os.environ.get("FAULTS_ALL"):
        return list(range(1, n + 1))
    return sorted({1, *range(2, n, max(1, n // 6)), *range(max(1, n - 5), n + 1)})


def kill_sweep(tmp_path: Path, before: dict[str, str] | None, killed: dict[str, str], after: dict[str, str]):
    """For each K: output of `before` (or none), a run on `killed` SIGKILLed at call K, then a clean run on
    `after`; that output must equal a clean run on `after` alone, and after the kill the output folder must
    be a complete output (the old or the new one)."""
    raw, out, start = tmp_path / "raw", tmp_path / "out", tmp_path / "start"
    monkey = pytest.MonkeyPatch()
    monkey.setattr(runner_plan, "GROUP_EVERY", 1)  # one unit per file, as in faultinject.py
    try:
        write_raw(raw, after)
        runner.run(raw, tmp_path / "reference", progress=False)
        reference = tables(tmp_path / "reference")
        if before is not None:
            write_raw(raw, before)
            runner.run(raw, start, progress=False)
        complete = [tables(start)] if before is not None else []
        write_raw(raw, killed)
        runner.run(raw, tmp_path / "new", progress=False)
        complete.append(tables(tmp_path / "new"))
        total = n_calls(raw, tmp_path / "count")
        for k in spread(total):
            for leftover in tmp_path.glob(".out*"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            shutil.rmtree(out, ignore_errors=True)
            if before is not None:
                shutil.copytree(start, out)
            write_raw(raw, killed)
            res = pipeline_run(k, raw, out)
            assert res.returncode == -9, f"K={k}: the run was not killed ({res.returncode}: {res.stderr[-300:]})"
            if (out / "manifest.json").exists():
                now = tables(out)
                assert any(_equal(now, c) for c in complete), f"K={k}: the output is neither the old nor the new"
                # ...and its inputs sidecar is the one of the same run (written before its manifest)
                pairs = [(c, sorted(files)) for c, files in zip(complete, [before, killed][-len(complete):])]
                m = json.loads((out / "manifest.json").read_text())
                names = sorted(r["path"] for r in iter_inputs(out / m["input_files"]["file"]))
                assert len(names) == m["input_files"]["files"] and \
                    any(_equal(now, c) and names == files for c, files in pairs), f"K={k}: a torn sidecar"
            write_raw(raw, after)
            runner.run(raw, out, progress=False)
            assert_same(tables(out), reference)
    finally:
        monkey.undo()
    return total


def _equal(a, b) -> bool:
    try:
        assert_same(a, b)
        return True
    except AssertionError:
        return False


def test_a_kill_at_any_step_of_a_changed_run_keeps_the_outputs_whole(tmp_path):
    a = {f"l{i}.txt": listing(i) for i in range(3)}
    b = {**a, "l1.txt": listing(1, "meeting"), "l3.txt": "Áo thun cotton mềm, giao hàng trong 2-3 ngày."}
    assert kill_sweep(tmp_path, a, b, a) > 40


def test_a_kill_inside_the_duplicate_check_never_drops_a_listing_later(tmp_path):
    x = listing(0)
    killed = {"a.txt": x, "b.txt": x, "c.txt": listing(2)}
    after = {"b.txt": x, "c.txt": listing(2)}   # the first copy is gone: b.txt's listing must be kept
    kill_sweep(tmp_path, None, killed, after)


def test_out_that_is_not_ours_is_refused_and_left_alone(tmp_path):
    data = tmp_path / "data"
    raw = write_raw(data / "raw", {"l0.txt": listing(0)})
    (data / "notes.txt").write_text("mine")
    cases = {data: "holds the raw folder", tmp_path: "holds the raw folder", raw / "out": "inside the raw folder"}
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.csv").write_text("a,b\n")
    cases[mine] = "not empty"
    (tmp_path / "a-file").write_text("x")
    cases[tmp_path / "a-file"] = "is a file"
    for out, message in cases.items():
        res = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out)],
                             cwd=ROOT, capture_output=True, text=True)
        assert res.returncode == 2 and message in res.stderr, (out, res.stderr)
        assert "Traceback" not in res.stderr
    assert (data / "notes.txt").read_text() == "mine" and (raw / "l0.txt").exists()
    assert (mine / "report.csv").exists() and (tmp_path / "a-file").read_text() == "x"
    assert not (raw / "out").exists()


def test_out_through_a_symlink_is_the_same_output(tmp_path):
    raw = write_raw(tmp_path / "raw", {"l0.txt": listing(0)})
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    runner.run(raw, tmp_path / "link" / "out", progress=False)
    m = runner.run(raw, tmp_path / "real" / "out", progress=False)
    assert m.get("up_to_date") and (tmp_path / "link").is_symlink()
    assert not list(tmp_path.glob(".link*")) and not list((tmp_path / "real").glob(".out.staging"))


def test_a_kill_while_planning_leaves_no_inputs_sidecar_after_recovery(tmp_path):
    """Planning writes the inputs sidecar beside the output (`.out.staging.inputs.parquet`, through a temporary
    name) before the staging folder takes it: a kill there left it until a next run overwrote it. Recovery
    (`write.recover`, a run's first step under the lock) deletes both names."""
    raw = write_raw(tmp_path / "raw", {f"l{i}.txt": listing(i) for i in range(3)})
    out, seen = tmp_path / "out", set()
    for k in range(1, 8):
        shutil.rmtree(out, ignore_errors=True)
        res = pipeline_run(k, raw, out)
        assert res.returncode == -9, f"K={k}: the run was not killed ({res.returncode}: {res.stderr[-300:]})"
        left = {p.name for p in tmp_path.glob("*.staging.inputs.parquet*")}
        seen |= left
        recover(out)
        assert not list(tmp_path.glob("*.staging.inputs.parquet*")), f"K={k}: {left} not cleaned"
    assert seen == {"..out.staging.inputs.parquet.tmp", ".out.staging.inputs.parquet"}


def test_a_kill_while_planning_to_object_storage_leaves_a_sidecar_the_next_build_drops(tmp_path):
    """The object-store engine plans into `<staging>/staging.inputs.parquet` (its cache): a kill while planning
    left it there, where recovery of a local output never looks. `manifest.drop_planning_sidecar`, which every
    build calls first, names exactly what the kill left; the next run completes with the same rows."""
    pytest.importorskip("fsspec")
    from pipeline.runner.manifest import drop_planning_sidecar
    raw = write_raw(tmp_path / "raw", {f"l{i}.txt": listing(i) for i in range(3)})
    url, cache, seen = f"file://{tmp_path}/store", tmp_path / "cache", set()
    for k in range(1, 8):
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(tmp_path / "store", ignore_errors=True)
        res = subprocess.run([sys.executable, str(FAULTS), str(k), "--", "run", "--raw", str(raw), "--out", url,
                              "--staging", str(cache), "--workers", "1", "--quiet"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert res.returncode == -9, f"K={k}: the run was not killed ({res.returncode}: {res.stderr[-300:]})"
        left = {p.name for p in cache.glob("*staging.inputs.parquet*")}
        seen |= left
        drop_planning_sidecar(cache / "staging")
        assert not list(cache.glob("*staging.inputs.parquet*")), f"K={k}: {left} not dropped"
    assert seen == {".staging.inputs.parquet.tmp", "staging.inputs.parquet"}
    m = runner.run(raw, url, workers=1, progress=False, staging=cache)
    assert m["rows"]["documents"] == 3 and not list(cache.glob("*staging.inputs.parquet*"))
