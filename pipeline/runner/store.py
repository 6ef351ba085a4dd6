"""Outputs in object storage (`--out s3://bucket/processed`, `gs://`, `abfs://`, `file://`): a commit protocol
that needs neither rename nor flock.

Layout under the output URL:

    _runs/<run_id>/manifest.json           the run's books, with `parts`: its part files per table
    _runs/<run_id>/inputs.parquet          the run's records of its input files (`input_files`)
    _runs/<run_id>/<table>/part-<key>.parquet
    _runs/<run_id>/_done/<key>             unit markers (what the next run may reuse)
    _latest                                {"run_id": ..., "manifest": "_runs/<run_id>/manifest.json"}
    _lock                                  while a run writes (created with If-None-Match: *)

A run is built in a local staging folder exactly as a local run is (`local.build`), then published:
1. every part, marker and the inputs sidecar goes under `_runs/<run_id>/`: new ones uploaded, the ones reused unchanged from
   the previous run copied server-side (no download, no upload);
2. then the run's `manifest.json`;
3. then `_latest`, one small object written last: a single PUT, which object stores make visible whole.
Readers that go through `_latest` (`current`, `export`, the DuckDB and pandas snippets in docs/scale.md) see
the previous complete run until step 3 and the new one after it, never a half-written one. A run killed
before step 3 leaves `_latest` alone; its local staging folder keeps the complete units, so the next run
only re-uploads them (under a new run id). After publishing, runs other than the new one and the one it
replaced are deleted (`prune`), so a reader that read `_latest` just before a publish keeps its run for
one more publish.

The local folder (`--staging`, default a cache folder named after the URL) holds `current/` (a copy of the
last published run: what the next run reuses and checks for duplicates against) and `staging/`. When
`current/` is not the published run (another machine ran, or the cache was lost), it is downloaded first.

Concurrent writers: `_lock` is created with a conditional put (If-None-Match: *; s3fs `mode="create"`,
AWS S3 since 2024 and moto; O_EXCL for file://), so two runs cannot both hold it. A store whose driver
cannot put conditionally falls back to check-then-put, which two runs starting in the same instant can
both pass: docs/scale.md says so. A lock left by a killed run on the same host (its pid gone) is broken by
the next run; one from another host only with `--break-lock` (the error names the lock, its holder's host,
pid and start time, and says so). Before publishing, a run checks that the lock is still its own.
"""
from __future__ import annotations

import json
import os
import posixpath
import shutil
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipeline.contract.schema import TABLES
from pipeline.readers import UrlPath, is_url
from pipeline.readers.location import filesystem

from .manifest import inputs_name, read_manifest
from .progress import Progress
from .write import OutputLock, OutputLocked, swap_in

RUNS, LATEST, LOCK, MANIFEST = "_runs", "_latest", "_lock", "manifest.json"
DONE = "_done"
KEEP_RUNS = 2          # the published run and the one it replaced (a reader of it may still be reading)
PUT_BATCH = 64         # files per concurrent upload / server-side copy call


class StoreError(RuntimeError):
    """An object-store output that cannot be used (foreign content, unreadable `_latest`)."""


# ------------------------------------------------------------------ reading: which run is current

@dataclass(frozen=True)
class Run:
    run_id: str | None         # None for a local folder
    url: str                   # the run's prefix (a local folder for a plain path)
    manifest: dict
    parts: dict[str, list[str]]   # table -> URLs (or local paths) of its part files
    inputs: str | None = None     # URL (or local path) of its inputs sidecar, when the manifest names one


def _join(url: str, *parts: str) -> str:
    return "/".join([url.rstrip("/"), *parts])


def read_latest(url: str) -> dict | None:
    """The `_latest` pointer of an output URL, or None when nothing was published there yet."""
    fs, root = filesystem(url)
    try:
        data = fs.cat_file(_join(root, LATEST))
    except FileNotFoundError:
        return None
    try:
        latest = json.loads(data)
        if not isinstance(latest, dict) or not isinstance(latest.get("run_id"), str):
            raise ValueError("no run_id")
    except ValueError as exc:
        raise StoreError(f"{_join(url, LATEST)} is unreadable ({exc}); it is written by "
                         f"`python -m pipeline run --out {url}`") from None
    return latest


def current_run(url: str | Path) -> Run:
    """The current complete run of an output: for a URL the run `_latest` names (its manifest and part
    URLs), for a local folder its manifest and part paths. Raises StoreError when there is none."""
    if not is_url(url):
        folder = Path(url)
        manifest = read_manifest(folder)
        if manifest is None:
            raise StoreError(f"{folder} holds no manifest.json; is it the output of `python -m pipeline run`?")
        listed = manifest.get("parts") or {n: sorted(p.name for p in (folder / n).glob("part-*.parquet"))
                                            for n in TABLES}
        sidecar = inputs_name(manifest)
        return Run(None, str(folder), manifest, {n: [str(folder / n / p) for p in listed.get(n, [])]
                                                for n in TABLES},
                   str(folder / sidecar) if sidecar else None)
    url = str(url).rstrip("/")
    latest = read_latest(url)
    if latest is None:
        raise StoreError(f"{url} has no {LATEST}: nothing was published there (run `python -m pipeline run "
                         f"--out {url}` first)")
    fs, root = filesystem(url)
    run_url = _join(url, RUNS, latest["run_id"])
    try:
        manifest = json.loads(fs.cat_file(_join(root, RUNS, latest["run_id"], MANIFEST)))
    except FileNotFoundError:
        raise StoreError(f"{url}/{LATEST} names run {latest['run_id']}, whose manifest is gone "
                         f"(deleted by hand?); re-run `python -m pipeline run --out {url}`") from None
    listed = manifest.get("parts") or {}
    sidecar = inputs_name(manifest)
    return Run(latest["run_id"], run_url, manifest,
               {n: [_join(run_url, n, p) for p in listed.get(n, [])] for n in TABLES},
               _join(run_url, sidecar) if sidecar else None)


def current(url: str | Path) -> dict[str, list[str]]:
    """Part files of the current complete run, per table: what a reader should open.

    >>> current("s3://bucket/processed")["catalog"]          # doctest: +SKIP
    ['s3://bucket/processed/_runs/20250101T000000Z-1a2b3c4d/catalog/part-0a1b....parquet', ...]
    """
    return current_run(url).parts


# ------------------------------------------------------------------ writing: lock, sync, publish, prune

def new_run_id() -> str:
    """Sortable by time, unique across machines: 20250101T120000Z-1a2b3c4d."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


def default_staging(url: str) -> Path:
    import hashlib
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "listing-pipeline" / "stores" / hashlib.sha1(url.encode()).hexdigest()[:16]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _age(started_at) -> str:
    """'3 h 5 min ago' for an ISO time (empty when it cannot be read)."""
    try:
        seconds = (datetime.now(timezone.utc) - datetime.fromisoformat(str(started_at))).total_seconds()
    except (TypeError, ValueError):
        return ""
    minutes = max(0, int(seconds // 60))
    return f" ({minutes // 60} h {minutes % 60} min ago)" if minutes >= 60 else f" ({minutes} min ago)"


class StoreLock:
    """`<out>/_lock`, created only if absent (a conditional put), deleted when the run ends. It holds its
    owner's host, pid and start time. A lock left by a dead run on this host (its pid gone) is removed at
    once; one left by another host is removed only with `break_lock` (`--break-lock`), never when its pid
    is alive on this host. `broken` is the holder of the lock removed, if one was."""

    def __init__(self, url: str, break_lock: bool = False):
        self.url = url
        self.fs, root = filesystem(url)
        self.key = _join(root, LOCK)
        self.conditional = True
        self.break_lock = break_lock
        self.broken: dict | None = None
        self.body = json.dumps({"host": socket.gethostname(), "pid": os.getpid(),
                                "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                "token": uuid.uuid4().hex}).encode()

    def _create(self) -> None:
        """Put the lock only if absent: FileExistsError when another run holds it."""
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        if "file" in protocols:   # a local filesystem: O_EXCL is the conditional put
            os.makedirs(os.path.dirname(self.key), exist_ok=True)
            fd = os.open(self.key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.body)
            return
        try:
            self.fs.pipe_file(self.key, self.body, mode="create")
        except TypeError:   # a driver without conditional puts: check, then put (racy; docs/scale.md says so)
            self.conditional = False
            if self.fs.exists(self.key):
                raise FileExistsError(self.key) from None
            self.fs.pipe_file(self.key, self.body)

    def __enter__(self):
        for attempt in range(2):
            try:
                self._create()
                return self
            except FileExistsError:
                holder = self._holder()
                here = bool(holder) and holder.get("host") == socket.gethostname() \
                    and isinstance(holder.get("pid"), int)
                alive = here and _pid_alive(holder["pid"])
                if attempt == 0 and ((here and not alive) or (self.break_lock and not alive)):
                    # left by a killed run on this host, or declared dead by the user (--break-lock)
                    self.broken = holder or {}
                    self.fs.rm_file(self.key)
                    continue
                who = (f"pid {holder.get('pid')} on {holder.get('host')} since {holder.get('started_at')}"
                       f"{_age(holder.get('started_at'))}" if holder else "an unknown holder")
                if alive:
                    how = (f"pid {holder['pid']} is alive on this host, so --break-lock does not remove it"
                           if self.break_lock else "wait for it to finish")
                else:
                    how = (f"wait for it to finish, or, if that run is dead (killed, or its machine gone), "
                           f"re-run with --break-lock, or delete {_join(self.url, LOCK)}")
                raise OutputLocked(f"another run is writing {self.url} ({who}); {how}") from None
        raise AssertionError("unreachable")

    def check_held(self) -> None:
        """Raise OutputLocked unless the lock is still this run's (not broken by another run meanwhile):
        called before publishing, so a run whose lock was taken over does not overwrite `_latest`."""
        try:
            mine = self.fs.cat_file(self.key) == self.body
        except FileNotFoundError:
            mine = False
        if not mine:
            holder = self._holder()
            who = f"pid {holder.get('pid')} on {holder.get('host')}" if holder else "nobody"
            raise OutputLocked(f"the lock {_join(self.url, LOCK)} is no longer this run's (now held by {who}: "
                               f"removed with --break-lock?); not publishing, so readers keep the previous run; "
                               f"the complete units stay in the staging folder for the next run")

    def _holder(self) -> dict | None:
        try:
            return json.loads(self.fs.cat_file(self.key))
        except (FileNotFoundError, ValueError):
            return None

    def __exit__(self, *exc):
        try:
            if self.fs.cat_file(self.key) == self.body:
                self.fs.rm_file(self.key)
        except FileNotFoundError:
            pass


def check_store_output(raw, url: str) -> None:
    """Refuse an output prefix holding what the pipeline did not write, or overlapping the raw input."""
    from .local import OutputRefused
    fs, root = filesystem(url)
    if isinstance(raw, UrlPath):
        r, o = raw.url.rstrip("/"), url.rstrip("/")
        if o == r or o.startswith(r + "/"):
            raise OutputRefused(f"the output {url} must not be inside the raw input {raw}")
        if r.startswith(o + "/"):
            raise OutputRefused(f"the output {url} holds the raw input {raw}; choose a prefix of its own")
    if fs.exists(root) and not fs.isdir(root):
        raise OutputRefused(f"the output {url} is an object, not a prefix")
    if fs.isdir(root):
        names = {posixpath.basename(p.rstrip("/")) for p in fs.ls(root, detail=False)}
        if names - {RUNS, LATEST, LOCK}:
            raise OutputRefused(f"the output {url} is not empty and holds no {LATEST} of a previous run "
                                f"(found {', '.join(sorted(names)[:5])}); a run writes only to an empty "
                                f"or new prefix or to its own previous output")


def sync_mirror(url: str, latest: dict | None, mirror: Path) -> None:
    """Make the local `mirror` a copy of the published run (parts, markers, manifest), downloading it when
    it is not already (another machine published, or the cache is new)."""
    have = read_manifest(mirror)
    if latest is None:
        if mirror.exists():
            shutil.rmtree(mirror)
        return
    if have is not None and have.get("run_id") == latest["run_id"]:
        return
    fs, root = filesystem(url)
    tmp = mirror.with_name(mirror.name + ".download")
    shutil.rmtree(tmp, ignore_errors=True)
    prefix = _join(root, RUNS, latest["run_id"])
    manifest = json.loads(fs.cat_file(_join(prefix, MANIFEST)))
    remote, local = [], []
    for name, parts in (manifest.get("parts") or {}).items():
        (tmp / name).mkdir(parents=True, exist_ok=True)
        for p in parts:
            remote.append(_join(prefix, name, p))
            local.append(str(tmp / name / p))
    sidecar = inputs_name(manifest)
    if sidecar:
        remote.append(_join(prefix, sidecar))
        local.append(str(tmp / sidecar))
    (tmp / DONE).mkdir(parents=True, exist_ok=True)
    for p in fs.find(_join(prefix, DONE)):
        remote.append(p)
        local.append(str(tmp / DONE / posixpath.basename(p)))
    for folder in sorted({os.path.dirname(p) for p in local}):   # partition folders of a compacted run
        os.makedirs(folder, exist_ok=True)
    for i in range(0, len(remote), PUT_BATCH):
        fs.get(remote[i:i + PUT_BATCH], local[i:i + PUT_BATCH])
    for name in TABLES:
        (tmp / name).mkdir(parents=True, exist_ok=True)
    (tmp / MANIFEST).write_bytes(json.dumps(manifest).encode())
    if mirror.exists():
        shutil.rmtree(mirror)
    os.rename(tmp, mirror)


def publish(url: str, staging: Path, mirror: Path, latest: dict | None, run_id: str) -> dict:
    """Upload `staging` as run `run_id` and point `_latest` at it (last). Parts that are the previous run's
    own files (hard links of the mirror's) are copied server-side from the previous run's prefix.
    Returns {"uploaded": n, "copied": n, "bytes_uploaded": n}."""
    fs, root = filesystem(url)
    prefix = _join(root, RUNS, run_id)
    old = _join(root, RUNS, latest["run_id"]) if latest else None
    uploads: list[tuple[str, str]] = []
    copies: list[tuple[str, str]] = []
    n_bytes = 0
    for name in (*TABLES, DONE):
        folder = staging / name
        if not folder.is_dir():
            continue
        for f in sorted(folder.rglob("*")):   # recursive: a Hive-partitioned compaction has subfolders
            rel = f.relative_to(folder).as_posix()
            if any(c.startswith(".") for c in rel.split("/")) or not f.is_file():
                continue
            dst = _join(prefix, name, rel)
            was = mirror / name / rel
            if old and was.exists() and os.path.samefile(f, was):
                copies.append((_join(old, name, rel), dst))
            else:
                uploads.append((str(f), dst))
                n_bytes += f.stat().st_size
    manifest_bytes = (staging / MANIFEST).read_bytes()
    sidecar = inputs_name(json.loads(manifest_bytes))
    if sidecar:   # a new file every run, uploaded with the parts: before the manifest that names it
        uploads.append((str(staging / sidecar), _join(prefix, sidecar)))
        n_bytes += (staging / sidecar).stat().st_size
    for folder in sorted({posixpath.dirname(d) for _, d in copies + uploads}):
        fs.makedirs(folder, exist_ok=True)   # a no-op on object stores; file:// needs the folders
    for i in range(0, len(copies), PUT_BATCH):
        batch = copies[i:i + PUT_BATCH]
        fs.copy([s for s, _ in batch], [d for _, d in batch])
    for i in range(0, len(uploads), PUT_BATCH):
        batch = uploads[i:i + PUT_BATCH]
        fs.put([s for s, _ in batch], [d for _, d in batch])
    fs.pipe_file(_join(prefix, MANIFEST), manifest_bytes)
    pointer = {"run_id": run_id, "manifest": f"{RUNS}/{run_id}/{MANIFEST}",
               "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    fs.pipe_file(_join(root, LATEST), (json.dumps(pointer, indent=2) + "\n").encode())   # the commit
    return {"uploaded": len(uploads), "copied": len(copies), "bytes_uploaded": n_bytes}


def prune(url: str, keep: list[str]) -> list[str]:
    """Delete every run under `_runs/` but `keep` (the new run and the one it replaced; runs a killed
    publish left half-written go too). Returns the run ids deleted."""
    fs, root = filesystem(url)
    runs_prefix = _join(root, RUNS)
    try:
        names = sorted(posixpath.basename(p.rstrip("/")) for p in fs.ls(runs_prefix, detail=False))
    except FileNotFoundError:
        return []
    gone = [n for n in names if n not in keep]
    for n in gone:
        fs.rm(_join(runs_prefix, n), recursive=True)
    return gone


def run_to_store(raw, url: str, settings, *, workers: int = 1, full: bool = False, engine: str = "local",
                 scheduler: str | None = None, progress: bool = True, staging: Path | None = None,
                 break_lock: bool = False) -> dict:
    """`run` for an output URL: build locally, publish under `_runs/<run_id>/`, `_latest` last, prune."""
    from .local import build, stop_signals_interrupt
    started = datetime.now(timezone.utc)
    t_start = time.perf_counter()
    url = url.rstrip("/")
    check_store_output(raw, url)
    cache = Path(staging or default_staging(url)).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    mirror, stage = cache / "current", cache / "staging"
    bar = Progress(enabled=progress)
    with stop_signals_interrupt(), OutputLock(mirror), StoreLock(url, break_lock) as lock:
        latest = read_latest(url)
        bar.phase(f"reading the published run of {url} ...")
        sync_mirror(url, latest, mirror)
        run_id = new_run_id()
        manifest = build(raw, mirror, stage, settings, workers=workers, full=full, engine=engine,
                         scheduler=scheduler, bar=bar, started=started, t_start=t_start,
                         extra={"run_id": run_id, "output": url}, shown=url)
        if lock.broken is not None:
            manifest["lock_broken"] = lock.broken
        if manifest.get("up_to_date"):
            return manifest
        t_pub = time.perf_counter()
        lock.check_held()
        stats = publish(url, stage, mirror, latest, run_id)
        swap_in(stage, mirror)   # the local copy is the published run now
        deleted = prune(url, [run_id] + ([latest["run_id"]] if latest else []))
        manifest["publish"] = {**stats, "seconds": round(time.perf_counter() - t_pub, 3),
                               "runs_pruned": len(deleted), "conditional_lock": lock.conditional}
        return manifest
