"""Dask on a real cluster: a scheduler and a worker started as separate processes by the `dask scheduler` and
`dask worker` command lines (127.0.0.1, free ports, bounded timeouts), the worker in another working
directory, as on a cluster; relative paths, the code-fingerprint check and no gc.freeze on workers."""
from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from pipeline.runner import run  # noqa: E402
from test_runner import assert_same, mixed_raw, tables  # noqa: E402

START_TIMEOUT_S = 90     # the scheduler writing its file, the worker registering
STOP_TIMEOUT_S = 20


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)   # its own session: the process and any child it started
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT_S)


@contextmanager
def start_cluster(home: Path, env: dict | None = None):
    """Start `dask scheduler` and one single-threaded `dask worker` as separate processes (the worker in
    its own working directory, with `env` as its environment when given); yield (address, worker cwd)."""
    if shutil.which("dask", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the dask command line is not installed beside this Python")
    worker_cwd = home / "worker-cwd"
    worker_cwd.mkdir()
    sched_file = home / "scheduler.json"
    dask = str(Path(sys.executable).with_name("dask"))
    logs = [open(home / "scheduler.log", "w"), open(home / "worker.log", "w")]
    procs = []
    try:
        procs.append(subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(sched_file), "--idle-timeout", "900"],
            cwd=home, stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + START_TIMEOUT_S
        while not sched_file.exists() or not sched_file.read_text().strip().endswith("}"):
            if time.monotonic() > deadline or procs[0].poll() is not None:
                pytest.fail(f"the scheduler did not start: {(home / 'scheduler.log').read_text()[-2000:]}")
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        procs.append(subprocess.Popen(
            [dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1",
             "--no-dashboard", "--no-nanny", "--death-timeout", "60"],
            cwd=worker_cwd, stdout=logs[1], stderr=subprocess.STDOUT, start_new_session=True, env=env))
        with distributed.Client(address, timeout=START_TIMEOUT_S) as client:
            client.wait_for_workers(1, timeout=START_TIMEOUT_S)
        yield address, worker_cwd
    finally:
        for proc in reversed(procs):
            _stop(proc)
        for fh in logs:
            fh.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, the worker's working directory): one scheduler, one single-threaded worker."""
    with start_cluster(tmp_path_factory.mktemp("dask")) as started:
        yield started


def test_separate_scheduler_and_worker_give_the_local_engines_tables_from_relative_paths(cluster, tmp_path,
                                                                                         monkeypatch):
    address, worker_cwd = cluster
    raw = mixed_raw(tmp_path / "raw")
    run(raw, tmp_path / "local", workers=1, progress=False)
    monkeypatch.chdir(tmp_path)   # the client's cwd; the worker's is another folder
    assert Path.cwd() != worker_cwd
    m = run(Path("raw"), Path("cluster"), engine="dask", scheduler=address, progress=False)
    assert m["engine"] == "dask" and m["books_balance"]
    # Before paths were made absolute, the worker opened raw/ in its own cwd: every input 'unreadable'.
    assert m["rows"]["documents"] == 54 and m["rows"]["rejects"] == 1, m["rejects_by_reason"]
    assert_same(tables(tmp_path / "local"), tables(tmp_path / "cluster"))
    # A long-lived worker never froze its garbage collector (the local engine's worker processes do).
    with distributed.Client(address, timeout=START_TIMEOUT_S) as client:
        assert set(client.run(gc.get_freeze_count).values()) == {0}


def test_a_worker_with_other_code_is_refused_with_a_clear_message(cluster, tmp_path, monkeypatch):
    address, _ = cluster
    raw = mixed_raw(tmp_path / "raw")
    import pipeline.runner.dask as dask_engine
    # The client believes in other code than the worker runs (as after editing a lexicon on one side only).
    monkeypatch.setattr(dask_engine, "code_fingerprint", lambda: "0" * 40)
    with pytest.raises(dask_engine.WorkerMismatch) as err:
        run(raw, tmp_path / "out", engine="dask", scheduler=address, progress=False)
    message = str(err.value)
    assert message.startswith("error: the Dask workers cannot run this job")
    assert "fingerprint 000000000000" in message and "tcp://127.0.0.1:" in message
    assert "same listing-pipeline version" in message
    assert not (tmp_path / "out").exists()   # the previous output (here: none) is untouched


def test_a_unit_refuses_on_a_worker_whose_code_differs(tmp_path):
    """Workers that join after the up-front check: each unit checks again, before touching anything."""
    from pipeline.runner.dask import WorkerRefused, check_worker, run_unit
    from pipeline.runner.plan import Settings, code_fingerprint
    with pytest.raises(WorkerRefused, match="code fingerprint .* but the client runs 9.9.9"):
        run_unit(None, str(tmp_path), str(tmp_path), Settings(), "f" * 40, "9.9.9")
    assert check_worker(str(tmp_path), str(tmp_path), code_fingerprint(), "x") == []
    missing = check_worker(str(tmp_path / "nope"), str(tmp_path), code_fingerprint(), "x")
    assert len(missing) == 1 and "does not see the raw input" in missing[0]
    # A URL is not looked for as a local path; the store is asked instead (none answers here: no credentials,
    # no server), and the problem names the URL (reachable URLs: tests/test_dask_storage.py).
    remote = check_worker("s3://bucket/raw", str(tmp_path), code_fingerprint(), "x")
    assert not any("does not see" in p for p in remote)
    assert all(p.startswith("cannot reach the raw input s3://bucket/raw: ") for p in remote)


def test_the_dask_worker_function_does_not_freeze_the_collector(tmp_path):
    from pipeline.runner.dask import run_unit
    from pipeline.runner.plan import Settings, code_fingerprint, plan
    from pipeline import __version__
    raw = mixed_raw(tmp_path / "raw")
    staging = tmp_path / "staging"
    unit = plan(raw, Settings()).units[0]
    gc.unfreeze()
    try:
        res = run_unit(unit, str(raw), str(staging), Settings(), code_fingerprint(), __version__)
        assert res["records_read"] > 0 and gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
