"""Bad input, accounting, atomic outputs, kill and resume, concurrent runs, safety; fuzzing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.readers import read_file
from pipeline.contract.records import Listing, Reject
from pipeline.runner import BooksDoNotBalance, run
from pipeline.stages import process
from pipeline.runner.write import OutputLock
from pipeline.contract.schema import TABLES
import shutil
from conftest import ROOT, SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def make_raw(folder: Path, n: int) -> Path:
    """n different seed-like listings (every paragraph made unique)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = SEED_TEXT.replace("interview", f"interview {i}")
        (folder / f"listing {i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def test_bad_inputs_are_rejected_and_the_books_balance(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_bytes(SEED.read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (raw / "numbers.txt").write_text("123 456\n---\n789")
    (raw / "page.html").write_text("<html><body><nav>menu</nav><script>x</script></body></html>")
    (raw / "unknown.xyz").write_text("hello")
    (raw / "records.jsonl").write_text('{"title": "A", "description": "Áo thun cotton"}\n{broken\n'
                                       '{"title": "B"}\n{"title": "C", "description": "Giày chạy bộ"}\n')
    (raw / "big.txt").write_text("x" * 40000)
    (raw / "odd.txt").write_text("Zero\u200bwidth \x01control 🚚 emoji Привет 你好 " + "long " * 4000)
    from pipeline.readers import FieldMap
    from pipeline.runner import Settings
    m = run(raw, tmp_path / "out", Settings(FieldMap(), max_bytes=30000), workers=1, progress=False)
    rejects = pd.read_parquet(tmp_path / "out" / "rejects").set_index("source")
    assert dict(rejects.reason) == {
        "empty.txt": "empty", "binary.txt": "binary", "numbers.txt": "no_letters", "page.html": "no_text",
        "unknown.xyz": "unknown_type", "records.jsonl#2": "bad_json", "records.jsonl#3": "no_text",
        "big.txt": "too_large"}
    assert "line 2" in rejects.message["records.jsonl#2"]
    docs = pd.read_parquet(tmp_path / "out" / "documents")
    assert sorted(docs.source) == ["good.txt", "odd.txt", "records.jsonl#1", "records.jsonl#4"]
    assert m["records_read"] == 12 and m["books_balance"]
    assert m["rows"]["documents"] + m["rows"]["rejects"] == m["records_read"]


def test_odd_but_usable_records_and_odd_file_names_are_processed(tmp_path):
    raw = tmp_path / "raw folder ờ"
    raw.mkdir()
    (raw / "-leading dash Việt.txt").write_text("Zero\u200bwidth \x01control 🚚 Giao hàng " + "dài " * 3000)
    m = run(raw, tmp_path / "out", workers=1, progress=False)
    assert m["rows"]["documents"] == 1 and m["rows"]["rejects"] == 0


def test_duplicates_across_files_are_rejected_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (raw / name).write_bytes(SEED.read_bytes())
    m = run(raw, tmp_path / "out", workers=1, progress=False)
    assert m["rows"]["documents"] == 1 and m["rejects_by_reason"] == {"duplicate": 2}
    assert m["rows"]["blocks"] == 40 and m["books_balance"]


def test_unbalanced_books_fail_the_run_and_keep_the_old_output(tmp_path, monkeypatch):
    raw = make_raw(tmp_path / "raw", 2)
    out = tmp_path / "out"
    run(raw, out, workers=1, progress=False)
    before = (out / "manifest.json").read_text()
    import pipeline.runner.local as runner
    real = runner.process_unit

    def lossy(*args, **kw):
        res = real(*args, **kw)
        res["records_read"] += 1   # a record read and never written
        return res

    monkeypatch.setattr(runner, "process_unit", lossy)
    (raw / "new.txt").write_text("Áo thun cotton mềm mại")
    with pytest.raises(BooksDoNotBalance):
        run(raw, out, workers=1, progress=False)
    assert (out / "manifest.json").read_text() == before


def test_a_second_run_on_the_same_output_refuses(tmp_path):
    raw = make_raw(tmp_path / "raw", 1)
    out = tmp_path / "out"
    with OutputLock(out):
        res = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out)],
                             capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 3 and "another run" in res.stderr


def test_kill_9_mid_run_keeps_the_old_output_and_resume_finishes_without_duplicates(tmp_path):
    raw = make_raw(tmp_path / "raw", 120)
    out = tmp_path / "out"
    run(raw, out, workers=1, progress=False)
    old_manifest = (out / "manifest.json").read_text()
    old_docs = pd.read_parquet(out / "documents")
    for i in range(120):  # change every input so the next run has real work to do
        (raw / f"listing {i:04d}.txt").write_text(SEED_TEXT.replace("job", f"job {i}"), encoding="utf-8")
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging_done = tmp_path / ".out.staging" / "_done"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(_markers(staging_done)) >= 2:   # complete markers, not one under its temporary name
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; make the input bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # The previous output is complete and readable.
    assert (out / "manifest.json").read_text() == old_manifest
    pd.testing.assert_frame_equal(pd.read_parquet(out / "documents"), old_docs)
    # Resume: complete units are reused, the rest is done, nothing is duplicated.
    m = run(raw, out, workers=1, progress=False)
    assert m["units"]["reused"] >= 2
    docs = pd.read_parquet(out / "documents")
    assert len(docs) == 120 and docs.doc_id.is_unique
    blocks = pd.read_parquet(out / "blocks")
    assert len(blocks) == 120 * 40 and not blocks.duplicated(["doc_id", "block_id"]).any()
    assert m["books_balance"]


def test_incremental_run_reprocesses_only_changed_files_and_drops_removed_ones(tmp_path):
    raw = make_raw(tmp_path / "raw", 40)
    out = tmp_path / "out"
    first = run(raw, out, workers=1, progress=False)
    (raw / "listing 0003.txt").write_text(SEED_TEXT.replace("crucible", "melting pot"), encoding="utf-8")
    (raw / "listing 0007.txt").unlink()
    second = run(raw, out, workers=1, progress=False)
    assert second["units"]["processed"] < first["units"]["total"]
    full = run(raw, tmp_path / "full", workers=1, progress=False, full=True)
    for name in ("documents", "blocks", "policy_facts", "sections", "catalog"):
        a = pd.read_parquet(out / name).sort_values(list(pd.read_parquet(out / name).columns[:2])).reset_index(drop=True)
        b = pd.read_parquet(tmp_path / "full" / name).sort_values(list(a.columns[:2])).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
    assert "listing 0007.txt" not in set(pd.read_parquet(out / "documents").source)
    assert full["rows"] == second["rows"]


def test_raw_folder_is_not_written(tmp_path):
    raw = make_raw(tmp_path / "raw", 3)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in raw.iterdir()}
    os.chmod(raw, 0o555)
    try:
        run(raw, tmp_path / "out", workers=1, progress=False)
    finally:
        os.chmod(raw, 0o755)
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in raw.iterdir()} == before


def test_html_entities_cannot_expand_without_bound():
    from pipeline.readers import html_to_text
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><p>&b;&b;&b; &amp; ok</p>'
    text, _ = html_to_text(bomb)
    assert len(text) < 200 and "& ok" in text


# ------------------------------------------------------------------ fuzzing

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VI_PIECES = list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                 "ABCĐHKMNOTƯ0123456789 .,:;-–~/()%₫$đkK\n\t•✔#*\u0301\u200b🚚") + [
    "<p>", "</li>", " ngày", " tháng", "500K", "2-3", " đổi trả ", " miễn phí vận chuyển ", " bảo hành ", "1tr5"]
vi_text = st.lists(st.sampled_from(VI_PIECES), max_size=120).map("".join)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ".csv", ".bin"]))
def test_fuzz_ingest_never_raises(tmp_path, data, suffix):
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    for rec in read_file(path, tmp_path):
        assert isinstance(rec, (Listing, Reject))
        if isinstance(rec, Listing):
            assert rec.text and all(0 <= s <= e <= len(rec.text) for s, e, *_ in rec.hints)


@FUZZ
@given(text=st.one_of(vi_text, st.text(max_size=300)))
def test_fuzz_every_stage_keeps_offsets_valid(text):
    from pipeline.readers import make_listing as _listing
    rec = _listing("fuzz.txt", "txt", None, None, text, len(text), is_html=False)
    if isinstance(rec, Reject):
        return
    listing = process(rec)
    t = listing.text
    for b in listing.blocks:
        assert t[b.char_start:b.char_end] == b.text and b.text
        assert 0.0 <= b.lang_prob <= 1.0 and b.zone in ("policy", "description", "other")
    for f in listing.facts:
        assert t[f.char_start:f.char_end] == f.evidence
    for s in listing.sections:
        assert t[s.char_start:s.char_end] == s.text
    for s in listing.sentences:
        assert t[s.char_start:s.char_end] == s.text


# ------------------------------------------------------------------ signals, workers and the lock (issue 17)

def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


def _wait_for(predicate, what: str, limit: float = 120):
    """Poll until predicate() holds; the limit only keeps a broken build from hanging the suite."""
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def _start_busy_run(tmp_path: Path, n: int = 160, workers: int = 2):
    """A first complete output, then a changed input and a run of `workers` processes that is busy (its
    staging folder holds at least one complete unit) when this returns (process, out, old manifest text)."""
    raw = make_raw(tmp_path / "raw", n)
    out = tmp_path / "out"
    run(raw, out, workers=1, progress=False)
    for i in range(n):
        (raw / f"listing {i:04d}.txt").write_text(SEED_TEXT.replace("job", f"job {i}"), encoding="utf-8")
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out),
           "--workers", str(workers), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = tmp_path / ".out.staging" / "_done"
    _wait_for(lambda: proc.poll() is not None or (done.is_dir() and _markers(done)
                                                    and len(_children(proc.pid)) >= workers), "a busy run")
    assert proc.poll() is None, "the run finished before the test could stop it; make the input bigger"
    return proc, raw, out, (out / "manifest.json").read_text()


def _markers(done: Path) -> list[str]:
    """Complete units' markers (not a marker being written under its temporary name)."""
    return [p.name for p in done.iterdir() if not p.name.startswith(".")] if done.is_dir() else []


def _units_total(raw: Path) -> int:
    from pipeline.runner import Settings
    from pipeline.runner.plan import plan
    return len(plan(raw, Settings()).units)


@pytest.mark.timeout(300)
def test_kill_9_of_the_run_frees_the_lock_and_its_workers_die_with_it(tmp_path):
    proc, raw, out, old = _start_busy_run(tmp_path)
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # The workers never held the lock's file: a new run gets the lock at once, whatever the workers do.
    with OutputLock(out.resolve()):
        pass
    _wait_for(lambda: not any(_alive(w) for w in workers), "the orphaned workers to die")
    assert (out / "manifest.json").read_text() == old
    m = run(raw, out, workers=1, progress=False)
    assert m["books_balance"] and m["rows"]["documents"] == 160


@pytest.mark.timeout(300)
@pytest.mark.parametrize("signals", [[signal.SIGTERM], [signal.SIGINT], [signal.SIGINT, signal.SIGINT],
                                     [signal.SIGHUP]], ids=["SIGTERM", "Ctrl-C", "Ctrl-C twice", "SIGHUP"])
def test_a_stop_signal_stops_the_run_promptly_and_keeps_the_old_output(tmp_path, signals):
    proc, raw, out, old = _start_busy_run(tmp_path)
    workers = _children(proc.pid)
    for sig in signals:
        os.kill(proc.pid, sig)
    _, stderr = proc.communicate(timeout=120)   # a hang fails here
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "previous output is unchanged" in stderr
    assert not any(_alive(w) for w in workers), "the workers outlived the run"
    # Pending units were cancelled, not run to the end.
    done = len(_markers(tmp_path / ".out.staging" / "_done"))
    assert done < _units_total(raw)
    assert (out / "manifest.json").read_text() == old
    with OutputLock(out.resolve()):
        pass
    m = run(raw, out, workers=1, progress=False)
    assert m["units"]["reused"] >= 1 and m["books_balance"] and m["rows"]["documents"] == 160


def test_torn_staging_is_dropped_and_full_clears_staging(tmp_path):
    """A 0-byte marker, a torn marker, a marker whose part lost rows, a stray file and folder in staging:
    the next run drops them and gives the rows of a clean run; --full starts from an empty staging."""
    import pipeline.runner.plan as runner_plan
    from pipeline.runner.write import write_part, to_table
    raw = make_raw(tmp_path / "raw", 5)
    reference = tmp_path / "reference"
    mp = pytest.MonkeyPatch()
    mp.setattr(runner_plan, "GROUP_EVERY", 1)   # one unit per file
    try:
        from pipeline.runner import Settings
        run(raw, reference, workers=1, progress=False)
        keys = [u.key for u in runner_plan.plan(raw, Settings()).units]
        assert len(keys) == 5 and all((reference / "_done" / k).is_file() for k in keys)
        for full in (False, True):
            out = tmp_path / f"out-{full}"
            staging = tmp_path / f".out-{full}.staging"
            shutil.copytree(reference, staging)      # complete units, as an interrupted run leaves them
            (staging / "_done" / keys[0]).write_bytes(b"")                         # 0-byte marker
            (staging / "_done" / keys[1]).write_text("documents\t1\t")             # torn marker
            (staging / "_done" / keys[2]).write_text("".join(f"{n}\t0\t0\n" for n in TABLES))  # wrong sizes
            part = staging / "documents" / f"part-{keys[3]}.parquet"
            write_part(to_table("documents", []), part)                         # right size, wrong rows
            lines = (staging / "_done" / keys[3]).read_text().splitlines()
            (staging / "_done" / keys[3]).write_text("".join(
                f"{n}\t{c}\t{part.stat().st_size if n == 'documents' else size}\n"
                for n, c, size in (line.split("\t") for line in lines)))
            (staging / "stray.txt").write_text("x")
            (staging / "blocks" / "stray-folder").mkdir()
            m = run(raw, out, workers=1, progress=False, full=full)
            assert m["units"]["processed"] == (5 if full else 4) and m["books_balance"]
            assert not staging.exists()
            for name in TABLES:
                a, b = (pd.read_parquet(o / name) for o in (out, reference))
                for df in (a, b):   # list columns (qualifier) as tuples, so rows sort
                    for col in df.columns[df.dtypes == object]:
                        df[col] = [tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v for v in df[col]]
                cols = list(a.columns)
                pd.testing.assert_frame_equal(a.sort_values(cols).reset_index(drop=True),
                                              b.sort_values(cols).reset_index(drop=True), obj=name)
    finally:
        mp.undo()


def test_parts_markers_and_manifest_are_fsynced_before_the_swap_and_the_parent_after(tmp_path, monkeypatch):
    import pipeline.runner.write as write
    raw = make_raw(tmp_path / "raw", 2)
    out = tmp_path / "out"
    run(raw, out, workers=1, progress=False)                      # so the second run swaps by exchange
    (raw / "listing 0000.txt").write_text(SEED_TEXT.replace("job", "task"), encoding="utf-8")
    events: list[tuple[str, str]] = []
    real_fsync, real_exchange = os.fsync, write._exchange

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def exchange(a, b):
        events.append(("swap", str(b)))
        return real_exchange(a, b)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(write, "_exchange", exchange)
    run(raw, out, workers=1, progress=False)
    swap = events.index(("swap", str(out)))
    before = {path for _, path in events[:swap]}
    staging = str(tmp_path / ".out.staging")
    written = [p for p in before if (".parquet" in p and "inputs.parquet" not in p) or "/_done/" in p]
    assert any(p.endswith("manifest.json.tmp") for p in before), "the manifest is fsynced"
    assert any(p.endswith("inputs.parquet.tmp") for p in before), "the inputs sidecar is fsynced"
    assert {p.rsplit("/", 2)[-2] for p in written if ".parquet" in p} == set(TABLES), "parts of every table"
    assert any("/_done/" in p for p in written), "markers"
    assert {staging, *(f"{staging}/{n}" for n in TABLES)} <= before, "the staging folders' entries"
    assert ("fsync", str(tmp_path)) in events[swap:], "the parent folder after the swap"


def test_out_that_is_a_symlink_to_an_output_swaps_the_target_and_keeps_the_link(tmp_path):
    raw = make_raw(tmp_path / "raw", 1)
    run(raw, tmp_path / "real", workers=1, progress=False)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (raw / "listing 0000.txt").write_text(SEED_TEXT.replace("job", "task"), encoding="utf-8")
    with OutputLock((tmp_path / "real").resolve()):   # the lock is the target's, whichever name is used
        res = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out",
                              str(tmp_path / "link")], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 3, res.stderr
    m = run(raw, tmp_path / "link", workers=1, progress=False)
    assert m["units"]["processed"] == 1
    assert (tmp_path / "link").is_symlink() and (tmp_path / "real" / "manifest.json").is_file()
    assert "task" in pd.read_parquet(tmp_path / "link" / "documents").text[0]


def _screen(written: str) -> str:
    """What a terminal shows on the last line after `written` (\\r returns, ESC[K erases to the end)."""
    line, col = [], 0
    i = 0
    while i < len(written):
        if written.startswith("\r", i):
            col, i = 0, i + 1
        elif written.startswith("\033[K", i):
            del line[col:]
            i += 3
        else:
            line[col:col + 1] = written[i]
            col, i = col + 1, i + 1
    return "".join(line)


def test_the_progress_line_shows_planning_and_leaves_no_stale_characters():
    import io
    from pipeline.runner.progress import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True
    now = [0.0]
    tty = Tty()
    bar = Progress(stream=tty, clock=lambda: now[0])
    bar.phase("planning raw ...")
    assert _screen(tty.getvalue()) == "planning raw ..."
    bar.begin(1000, 10, 0)
    for seconds, n_bytes in ((3, 10), (40, 10), (41, 980)):   # ETA 117s, then ETA 0s: shorter line
        now[0] = seconds
        bar.update(n_bytes, 5)
    assert _screen(tty.getvalue()).endswith("ETA 0s")
    bar.close()
    assert _screen(tty.getvalue()) == ""
