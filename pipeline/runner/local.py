"""The local runner: plan units of work over the raw folder, process them (in parallel processes),
write one part file per unit per table into a staging folder, check the books, swap it in.

A unit is a few input files (grouped by a hash of their paths, so adding or changing one file seldom
moves the others into new units; at most 2 MiB of input, which bounds a worker's memory) or a slice of
lines of a big JSON Lines file. A unit's key hashes the code, the settings and its inputs' content, so
- a re-run re-processes only units whose inputs changed (their parts are linked over from the previous
  output), and inputs that disappeared leave the outputs with their units;
- a run killed part-way resumes from the units already complete in the staging folder;
- the result does not depend on the number of workers or the engine.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import json
import os
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.contract.records import Reject
from pipeline.contract.schema import SCHEMA_VERSION, TABLES
from pipeline.readers import UrlPath, is_url, location, read_file
from pipeline.stages import STAGES, StageError, run_stage

from .dedup import find_duplicates
from .manifest import (INLINE_INPUTS, INPUTS_FILE, count_rows, drop_planning_sidecar, inline_inputs,
                       planning_sidecar, previous_inputs, read_manifest, rejects_by_reason)
from .plan import Plan, Settings, Unit, Units, code_fingerprint, plan
from .progress import Progress
from .write import (OutputLock, part_list, read_marker, recover, reject_rows, staging_dir, swap_in, tables_for,
                    to_table, write_manifest, write_part, write_unit)


def process_unit(unit: Unit, raw: str, staging: str, settings: Settings, freeze_gc: bool = True) -> dict:
    """Ingest, process and write one unit. Runs unchanged in a worker process or on a Dask worker."""
    # Models, lexicons and caches live as long as the process: spare them the collector's full scans
    # (collecting the young generations first, so no new garbage is frozen with them: after the imports a full
    # collection found nothing in the old one, for 0.09-0.13 s of CPU). Not on long-lived Dask workers
    # (freeze_gc=False).
    if freeze_gc:
        gc.collect(1)
        gc.freeze()
    # No automatic collections while the unit runs: its records die by reference counting, and the few cycles
    # among them (HTML parse trees) wait for the end of the unit, bounded by its size (issue 16: the young
    # generations' collections cost about 0.3 ms a listing, scanning records that are all still in use).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _process_unit(unit, raw, staging, settings)
    finally:
        if freeze_gc:
            # What the unit leaves alive (cache entries, models loaded on first use) joins the frozen objects
            # now, its garbage cycles collected first: one pass over them. Re-enabled with them still young,
            # the collector instead ran a generation-0 collection over every one of them at the next
            # allocation and the next unit's full collection went over them again (issue 16: collector CPU
            # 0.48-0.57 -> 0.39-0.47 s per 1,000 bench listings in one process, same rows).
            gc.collect()
            gc.freeze()
        if was_enabled:
            gc.enable()


def process_timed(listing, wall: dict[str, float], cpu: dict[str, float]):
    """`stages.process(listing)` (every stage in order, through the same `run_stage`), adding each stage's
    wall seconds to `wall` and its CPU seconds to `cpu`. CPU is `time.thread_time()`, this thread's own:
    on a shared machine wall time also counts the time other processes had the core (tests check that the
    listing is the same as `process` gives)."""
    for name, stage in STAGES.items():
        w0, c0 = time.perf_counter(), time.thread_time()
        listing = run_stage(stage, listing)
        cpu[name] = cpu.get(name, 0.0) + time.thread_time() - c0
        wall[name] = wall.get(name, 0.0) + time.perf_counter() - w0
    return listing


def _process_unit(unit: Unit, raw: str, staging: str, settings: Settings) -> dict:
    raw_path = location(raw)   # a Path, or a UrlPath read through fsspec
    timings: dict[str, float] = {}   # wall seconds per stage, plus ingest and write
    cpu: dict[str, float] = {}       # CPU seconds (this thread's) of the same
    listings, rejects, n_read = [], [], 0
    seen: dict[str, str] = {}
    t0, c0 = time.perf_counter(), time.thread_time()
    for item in unit.items:
        try:
            for rec in read_file(raw_path / item.path, raw_path, settings.fields, settings.max_bytes,
                                 lines=item.lines, offset=item.offset):
                n_read += 1
                if isinstance(rec, Reject):
                    rejects.append(rec)
                    continue
                if rec.doc_id in seen:
                    rejects.append(Reject(rec.source, "duplicate", f"{rec.source}: same content as "
                                          f"{seen[rec.doc_id]} (doc_id {rec.doc_id}); kept the first", 0))
                    continue
                seen[rec.doc_id] = rec.source
                try:
                    listings.append(process_timed(rec, timings, cpu))
                except StageError as exc:  # counted by reason: the message names the stage and the exception class
                    rejects.append(Reject(rec.source, "stage_error", f"{rec.source}: {exc}",
                                          len(rec.text.encode("utf-8"))))
                except Exception as exc:  # a bad record must not stop the run; it is rejected with why
                    rejects.append(Reject(rec.source, "error", f"{rec.source}: {type(exc).__name__}: {exc}",
                                          len(rec.text.encode("utf-8"))))
        except OSError as exc:
            n_read += 1
            rejects.append(Reject(item.path, "unreadable", f"{item.path}: {exc.strerror or exc}", item.n_bytes))
    timings["ingest"] = time.perf_counter() - t0 - sum(timings.values())  # reading, decoding, parsing
    cpu["ingest"] = time.thread_time() - c0 - sum(cpu.values())
    t1, c1 = time.perf_counter(), time.thread_time()
    counts = write_unit(tables_for(listings, rejects), Path(staging), unit.key)
    timings["write"] = time.perf_counter() - t1
    cpu["write"] = time.thread_time() - c1
    return {"key": unit.key, "records_read": n_read, "rows": counts, "timings": timings, "cpu": cpu}


# ------------------------------------------------------------------ the run

class BooksDoNotBalance(RuntimeError):
    pass


class OutputRefused(ValueError):
    """`--out` names something a run must not replace: it is only ever given a folder of its own."""


def check_output(raw: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would delete what the pipeline did not write: a file, a
    folder holding the raw inputs, or a non-empty folder without a manifest of ours."""
    out = out.resolve()
    if not isinstance(raw, UrlPath):   # remote inputs cannot overlap a local folder
        raw = raw.resolve()
        if out == raw or out.is_relative_to(raw):
            raise OutputRefused(f"the output folder {out} must not be inside the raw folder {raw}")
        if raw.is_relative_to(out):
            raise OutputRefused(f"the output folder {out} holds the raw folder {raw}; choose a folder of its own")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"the output {out} is a file, not a folder")
    if out.is_dir() and read_manifest(out) is None and any(out.iterdir()):
        raise OutputRefused(f"the output folder {out} is not empty and holds no manifest.json of a previous "
                            f"run; a run replaces its output folder whole, so it only writes to an empty or "
                            f"new folder or to its own previous output")


def run(raw: Path | str, out: Path | str, settings: Settings = Settings(), workers: int = 1, full: bool = False,
        engine: str = "local", scheduler: str | None = None, progress: bool = True,
        staging: Path | None = None, break_lock: bool = False) -> dict:
    """Process `raw` into `out`. Returns the manifest. Either may be an fsspec URL (`s3://bucket/prefix`):
    an output URL is written by the run-prefix protocol of `store` (`staging`: the local folder it builds
    the run in, default a cache folder; `break_lock`: remove a `_lock` left by a dead run on another host);
    a plain output folder is swapped in atomically."""
    raw = location(raw)
    if is_url(out):
        from .store import run_to_store
        return run_to_store(raw, str(out), settings, workers=workers, full=full, engine=engine,
                            scheduler=scheduler, progress=progress, staging=staging, break_lock=break_lock)
    started = datetime.now(timezone.utc)
    t_start = time.perf_counter()
    out = Path(out).resolve()   # one lock and one staging folder however the path is spelled (symlinks, ..)
    check_output(raw, out)
    bar = Progress(enabled=progress)
    with stop_signals_interrupt(), OutputLock(out):
        recover(out)
        manifest = build(raw, out, staging_dir(out), settings, workers=workers, full=full, engine=engine,
                         scheduler=scheduler, bar=bar, started=started, t_start=t_start)
        if not manifest.get("up_to_date"):
            swap_in(staging_dir(out), out)
        return manifest


def build(raw: Path | UrlPath, out: Path, staging: Path, settings: Settings, *, workers: int, full: bool,
          engine: str, scheduler: str | None, bar: Progress, started: datetime, t_start: float,
          extra: dict | None = None, shown: str | None = None) -> dict:
    """Plan `raw` against the previous output folder `out` (its manifest and parts), process what changed
    into `staging` (complete units of an interrupted run kept, reusable ones linked from `out`), drop
    duplicates, check the books and write the manifest (with `extra` keys) into `staging`. Returns it, or
    the previous manifest with `up_to_date` when nothing changed. The caller holds the lock and publishes
    `staging` (`swap_in`, or an upload). `shown`: how the output is named in messages.

    The local engine's worker processes are forked before planning (`_fork_workers`): a forked worker
    starts with its parent's memory, and after planning that holds every input file's entry."""
    pool = _fork_workers(workers) if engine == "local" and workers > 1 else None
    ok = False
    try:
        manifest = _build(raw, out, staging, settings, workers=workers, full=full, engine=engine,
                          scheduler=scheduler, bar=bar, started=started, t_start=t_start, extra=extra,
                          shown=shown, pool=pool)
        ok = True
        return manifest
    finally:
        if pool is not None:
            _stop_workers(pool, kill=not ok)


def _build(raw, out, staging, settings, *, workers, full, engine, scheduler, bar, started, t_start, extra,
           shown, pool) -> dict:
    bar.phase(f"planning {raw} ...")
    previous = read_manifest(out)
    if previous and not full and inline_inputs(previous):
        raise OutputRefused(f"{shown or out} {INLINE_INPUTS}; run with --full to rewrite it")
    # The records of the input files go to a sidecar as they are planned (never a list in this process);
    # it is moved into the staging folder once that is prepared, so it is published with the run's parts.
    # What a build killed while planning left of it goes first (both engines: a local run's `.<out>.staging.`
    # and an object-store run's `<cache>/staging.inputs.parquet`).
    staging.parent.mkdir(parents=True, exist_ok=True)
    drop_planning_sidecar(staging)
    sidecar = planning_sidecar(staging)
    the_plan = plan(raw, settings, None if full else previous_inputs(out, previous), inputs_to=sidecar)
    fingerprint = hashlib.sha1(json.dumps([the_plan.units.keys,
                                           [r.source for r in the_plan.scan_rejects]]).encode()).hexdigest()
    if not full and previous and previous.get("fingerprint") == fingerprint:
        sidecar.unlink(missing_ok=True)
        bar.close()
        previous["up_to_date"] = True
        return previous
    del previous   # its part lists (a name per part) are not needed past planning
    if full or staging.is_symlink() or (staging.exists() and not staging.is_dir()):
        _remove(staging)   # --full starts from nothing; a staging path that is not our folder goes
    _prepare_staging(staging, the_plan, out if not full else None)
    os.replace(sidecar, staging / INPUTS_FILE)
    # Per unit only its sums are kept (records read, stage seconds), not its result: memory per unit, not
    # per result, at hundreds of thousands of units. The units to do stay packed (`Units`): each is unpacked
    # when it is handed to a worker.
    todo_at, records_read, timings, cpu = [], 0, {}, {}   # stage -> wall seconds / CPU seconds, summed
    for i, key in enumerate(the_plan.units.keys):
        counts = read_marker(staging, key)   # complete: from an interrupted run or the last output
        if counts is None:
            todo_at.append(i)
        else:
            records_read += counts["documents"] + counts["rejects"]
    todo = the_plan.units.subset(todo_at)
    del todo_at
    size_of = dict(zip(todo.keys, (todo.size(i) for i in range(len(todo)))))   # for the progress bar
    bar.begin(sum(size_of.values()), len(todo), len(the_plan.units) - len(todo))
    if engine == "dask":
        from .dask import map_units
        stream = map_units(list(todo), str(raw), str(staging), settings, scheduler, workers)
    else:
        stream = _map_local(todo, str(raw), str(staging), settings, workers, pool)
    try:
        for res in stream:
            records_read += res["records_read"]
            for k, v in res.get("timings", {}).items():
                timings[k] = timings.get(k, 0.0) + v
            for k, v in res.get("cpu", {}).items():
                cpu[k] = cpu.get(k, 0.0) + v
            bar.update(size_of[res["key"]], res["records_read"])
    finally:
        bar.close()
    n_dups = _drop_duplicates(staging, the_plan)
    if the_plan.scan_rejects:
        write_part(to_table("rejects", reject_rows(the_plan.scan_rejects)),
                   staging / "rejects" / "part-scan.parquet")
    rows = {name: count_rows(staging / name) for name in TABLES}
    records_read += len(the_plan.scan_rejects)
    balanced = rows["documents"] + rows["rejects"] == records_read
    timings = {k: round(v, 4) for k, v in timings.items()}
    cpu = {k: round(v, 4) for k, v in cpu.items()}
    manifest = {
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "code_fingerprint": code_fingerprint(),
        "fingerprint": fingerprint,
        "settings": json.loads(settings.fingerprint()),
        "engine": engine, "workers": workers,
        "input_files": the_plan.input_files,   # the records of the input files: INPUTS_FILE beside this manifest
        "units": {"total": len(the_plan.units), "processed": len(todo),
                  "reused": len(the_plan.units) - len(todo)},
        "records_read": records_read,
        "rows": rows,
        "rejects_by_reason": rejects_by_reason(staging / "rejects"),
        "duplicates_rejected": n_dups,
        "books_balance": balanced,
        "stage_seconds": timings,        # wall time per stage, summed over units (counts other processes' turns)
        "stage_cpu_seconds": cpu,        # CPU time per stage (each unit's thread_time), summed over units
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t_start, 3),
        "parts": part_list(staging),   # what a reader of this output may open (export reads only these)
        **(extra or {}),
    }
    write_manifest(staging, manifest)
    if not balanced:
        raise BooksDoNotBalance(f"records read {records_read} != documents {rows['documents']} + rejects "
                                f"{rows['rejects']}; outputs left in {staging}, {shown or out} unchanged")
    return manifest


PR_SET_PDEATHSIG = 1   # linux/prctl.h
SUBMIT_AHEAD = 4        # units submitted to the pool and not yet finished, per worker


# A page every stage has work in (an HTML policy list in Vietnamese, descriptions in English, Vietnamese and
# French, which only langdetect can tell):
# processed by each worker as it starts (`_warm_up`), so what a process builds on its first listings (spaCy's
# pipelines, langdetect's profiles, the phrase automaton, patterns compiled on first use) is built while the
# parent plans, not after the first unit arrives.
WARM_UP_PAGE = (
    "<html><body><h1>Áo thun cotton</h1><h2>Chính sách vận chuyển và đổi trả</h2><ul>"
    "<li>Miễn phí vận chuyển cho đơn hàng từ 500.000đ, phí ship 30K.</li>"
    "<li>Giao hàng trong 2-3 ngày. Đổi trả trong 7 ngày nếu lỗi.</li></ul>"
    "<h2>Mô tả sản phẩm</h2><p>Soft cotton T-shirt with a relaxed fit. Machine wash cold! Free shipping on "
    "orders over $50.</p><p>Áo thun chất liệu cotton mềm mại, thấm hút mồ hôi tốt. Phù hợp đi làm, đi chơi.</p>"
    "<p>Le t-shirt est en coton et il est très doux pour la peau.</p></body></html>")


def _warm_up() -> None:
    """Process `WARM_UP_PAGE` and drop the result: the stages are pure functions (their caches change no
    answer, as units already run in any order on any worker), so only the time of a worker's first unit changes.
    A failure here is left for the real units to report."""
    from pipeline.readers.records import make_listing
    from pipeline.stages import process
    try:
        process(make_listing("warm-up.html", "html", None, None, WARM_UP_PAGE, len(WARM_UP_PAGE), is_html=True))
    except Exception:  # noqa: BLE001 - a stage error on a real listing is counted with its reason there
        pass


def _worker_init(parent: int) -> None:
    """In each worker process: die with the parent (SIGKILL when it goes, however it goes), and leave
    Ctrl-C and SIGTERM to the parent, which stops the workers itself; then warm up (`_warm_up`)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        if hasattr(libc, "prctl"):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:   # the parent died before prctl took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _warm_up()


class _Stop(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stopped like Ctrl-C."""


def _raise_stop(signum, frame):
    raise _Stop(f"stopped by {signal.Signals(signum).name}")


@contextmanager
def stop_signals_interrupt():
    """SIGTERM and SIGHUP stop a run as Ctrl-C does (the previous output stays, the staging folder keeps
    the complete units for the next run). Only the main thread can install handlers; elsewhere a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    old = {n: signal.signal(getattr(signal, n), _raise_stop) for n in names}
    try:
        yield
    finally:
        for n, handler in old.items():
            signal.signal(getattr(signal, n), handler)


def _fork_workers(workers: int):
    """A pool of `workers` processes, forked now (the first task of a fork pool starts them all) while this
    process holds little beyond its imports: before the plan, whose entries a worker would otherwise
    inherit and count in its RSS for its whole life (issue 16: 447 MB workers at 100,000 input files)."""
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"),
                               initializer=_worker_init, initargs=(os.getpid(),))
    # The parent's objects are frozen while it forks (a fork pool forks every worker in its first submit), so
    # a worker's collections never visit them: the first gc.collect() of a worker otherwise wrote the header
    # of every inherited object, copying about 10,000 pages (40 MB) of the parent's heap into each worker and
    # costing 0.13 s of CPU (issue 16). The parent thaws at once; the workers keep them frozen. (A caller that
    # froze objects of its own is left as it was: unfreeze would thaw those too.)
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.collect(1)   # the young generations: the old one holds no garbage after the imports (process_unit)
        gc.freeze()
    try:
        pool.submit(os.getpid)   # forks every worker before it returns; not waited for: they warm up meanwhile
    finally:
        if freeze:
            gc.unfreeze()
    return pool


def _stop_workers(pool, kill: bool) -> None:
    """Shut the pool down; `kill`: at once (Ctrl-C, SIGTERM, a failed unit), not after the pending units.
    Further Ctrl-Cs are ignored while the workers are killed, so the clean-up cannot be interrupted half-way."""
    if not kill:
        pool.shutdown(wait=True)
        return
    import multiprocessing as mp
    previous = _ignore_sigint()
    try:
        for child in mp.active_children():
            child.kill()
        pool.shutdown(wait=False, cancel_futures=True)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _map_local(units: list[Unit], raw: str, staging: str, settings: Settings, workers: int, pool=None):
    """Results of `units`, in completion order; in this process with one worker or one unit, else on `pool`
    (forked by `_fork_workers`; started here when not given, and then stopped here)."""
    if workers <= 1 or len(units) <= 1:
        # In this process: process_unit freezes the collector for speed; thaw it after, so a library caller
        # (a notebook calling run() again and again) does not keep every object of every run for good.
        try:
            for u in units:
                yield process_unit(u, raw, staging, settings)
        finally:
            gc.unfreeze()
        return
    from concurrent.futures import FIRST_COMPLETED, as_completed, wait
    own = pool is None
    if own:
        pool = _fork_workers(workers)
    try:
        # Largest units first (`by_size`), so the run does not end with one worker on a big unit while the
        # others wait. At most SUBMIT_AHEAD units per worker are submitted and not finished: the pool keeps a
        # submitted unit (its items) until it is done, so submitting them all held the whole plan unpacked.
        # A finished unit's future is dropped once its result is yielded.
        pending = set()
        for u in by_size(units):
            pending.add(pool.submit(process_unit, u, raw, staging, settings))
            del u
            while len(pending) >= workers * SUBMIT_AHEAD:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()
        for f in as_completed(pending):
            yield f.result()
    except BaseException:
        _stop_workers(pool, kill=True)
        raise
    if own:
        _stop_workers(pool, kill=False)


def by_size(units: list[Unit] | Units) -> Iterable[Unit]:
    """Units in the order they are handed to workers: largest input first (longest-processing-time-first
    scheduling: the last units to start are the small ones), plan order among equals. Part files are per
    unit, so the order never changes the rows. Packed `Units` are sorted by their sizes alone (a sort key per
    unit) and unpacked one at a time as the result is iterated.

    >>> from pipeline.runner.plan import Item
    >>> [u.key for u in by_size([Unit("a", (Item("x", "", 10),)), Unit("b", (Item("y", "", 30),)),
    ...                          Unit("c", (Item("z", "", 10),))])]
    ['b', 'a', 'c']
    """
    if isinstance(units, Units):
        order = sorted(range(len(units)), key=lambda i: -units.size(i))
        return (units[i] for i in order)
    return sorted(units, key=lambda u: -u.n_bytes)


def _ignore_sigint():
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _prepare_staging(staging: Path, the_plan: Plan, previous_out: Path | None) -> None:
    """Keep complete units of an interrupted run, link reusable units from the previous output, drop the rest
    (units of other plans, and units whose marker or parts a kill left torn)."""
    keys = set(the_plan.units.keys)
    staging.mkdir(parents=True, exist_ok=True)
    for entry in staging.iterdir():   # validate: only the table folders and _done/ belong here
        if entry.name not in (*TABLES, "_done") or entry.is_symlink() or not entry.is_dir():
            _remove(entry)
    done = staging / "_done"
    done.mkdir(exist_ok=True)
    complete = set()
    for marker in done.iterdir():
        # deep: a resumed unit's parts must open and hold the rows its marker names
        if marker.name in keys and marker.is_file() and read_marker(staging, marker.name, deep=True) is not None:
            complete.add(marker.name)
        else:
            _remove(marker)
    for name in TABLES:
        folder = staging / name
        folder.mkdir(exist_ok=True)
        for part in folder.iterdir():
            if part.name.removeprefix("part-").removesuffix(".parquet") not in complete or not part.is_file():
                _remove(part)
    if previous_out is None or not (previous_out / "_done").is_dir():
        return
    for key in the_plan.units.keys:
        if key in complete or read_marker(previous_out, key) is None:
            continue
        for name in TABLES:
            src = previous_out / name / f"part-{key}.parquet"
            _link_or_copy(src, staging / name / src.name)
        _link_or_copy(previous_out / "_done" / key, done / key)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _drop_duplicates(staging: Path, the_plan: Plan) -> int:
    """The same listing twice (same doc_id) in different units: keep the first in input order, reject the
    others. (Within a unit, `process_unit` already did so.) Found in bounded memory (`dedup`)."""
    found = find_duplicates([(key, staging / "documents" / f"part-{key}.parquet") for key in the_plan.units.keys],
                            staging / "_dedup")
    seen = {d.doc_id: d.first for d in found}
    dups: dict[str, list[tuple[str, str]]] = {}
    for d in found:
        dups.setdefault(d.unit, []).append((d.doc_id, d.source))
    for key, pairs in dups.items():
        # Its parts are about to depend on other units: unmark it first, so a kill mid-rewrite leaves a unit
        # that is redone, never one that is trusted with rows missing.
        (staging / "_done" / key).unlink()
        ids = pa.array(sorted({d for d, _ in pairs}))
        for name in TABLES:
            part = staging / name / f"part-{key}.parquet"
            if name != "rejects":
                t = pq.read_table(part)
                write_part(t.filter(pc.invert(pc.is_in(t["doc_id"], value_set=ids))), part)
        extra = [Reject(src, "duplicate", f"{src}: same content as {seen[d]} (doc_id {d}); kept the first", 0)
                 for d, src in pairs]
        rej = staging / "rejects" / f"part-{key}.parquet"
        write_part(to_table("rejects", pq.read_table(rej).to_pylist() + reject_rows(extra)), rej)
    return sum(len(v) for v in dups.values())


