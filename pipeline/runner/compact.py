"""Compaction: rewrite a finished output's many small part files (one per unit of work per table) into a few
big ones, for readers (DuckDB, pandas, polars, Spark) that pay per file and per row group.

- Each table's rows are streamed, part by part in the manifest's order, into files of about `target_bytes`
  (default 256 MB; a file is closed after the row group that takes it past the target) made of large row
  groups (up to `ROW_GROUP_BYTES` of Arrow data or `ROW_GROUP_ROWS` rows). A small output gives one file
  per table; no file is empty, except the one file that keeps an empty table's schema.
- `partition_by` (a `kinds.PARTITIONINGS` name) writes Hive-style folders, `source_root=shop_a/` or
  `ingest_date=2026-12-01/`; the folder key is never a column name, so readers that add it as a column do
  not clash with the table's own. A per-item table's row goes where its listing's does (its unit's
  documents part names each doc_id's source), so a partition joins to itself on doc_id.
- It runs under the output's lock (a `run` cannot swap the folder meanwhile), writes into
  `.<out>.compact-staging/` and swaps it in as `run` does (`write.swap_in`); the manifest is rewritten
  with the new part list (what `export` opens) and a `compacted` entry; the row counts must equal the
  manifest's or nothing is swapped.
- The next `run` on a compacted output: with nothing changed it says "up to date" and keeps it; with any
  change it re-processes every unit (a compacted output has no per-unit parts to link over) and writes
  per-unit parts again. To keep incremental runs cheap, compact into another folder (`out=`).
- On an output URL (`s3://bucket/processed`, `compact_url`): no rename there, so the compacted output is a
  new run of the `_runs/<run_id>/` + `_latest` protocol (`store`): under the store's `_lock`, the published
  run is brought into the local cache (`--staging`, the same cache `run` uses, so usually nothing is
  downloaded), compacted locally, uploaded under a new run id and published by writing `_latest` last.
  Readers going through `_latest` see the old run or the compacted one, never half of it; a failed or
  killed upload leaves `_latest` on the old run. `out=` another URL publishes the copy there instead.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
import urllib.parse
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.contract.kinds import PARTITIONINGS
from pipeline.contract.schema import SCHEMA_VERSION, TABLES

from .manifest import carry_inputs, read_manifest
from .write import OutputLock, fsync_dir, parquet_options, recover, swap_in, write_manifest

DEFAULT_TARGET_MB = 256          # files of about this size (the range: 128-512 MB)
ROW_GROUP_BYTES = 64 * 2**20     # Arrow bytes buffered into one row group (at most; less for a small target)
ROW_GROUP_ROWS = 1_000_000       # ...or this many rows
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"   # the folder of rows without a value (Hive's, pyarrow's name)
# A listing's source root: its first path component, or for a file at the top its name without "#record".
_ROOT_PATTERN = r"^(?P<root>[^/]*?)(?:/|#[^/]*$|$)"
_PER_ITEM = {name for name in TABLES if name not in ("documents", "catalog", "rejects")}


class CompactError(RuntimeError):
    """The folder cannot be compacted (not a finished output, other partitioning, rows that do not add up)."""


def compact_staging(out: Path) -> Path:
    return out.parent / f".{out.name}.compact-staging"


def _dir_value(value: str | None) -> str:
    """A partition value as a folder name: URI-escaped where a path or a reader needs it (pyarrow decodes
    it), with a leading '.' or '_' escaped too (readers skip such files as hidden)."""
    if value is None or value == "":
        return NULL_PARTITION
    escaped = urllib.parse.quote(value, safe=" -+,;@()[]{}!~'&$")
    if escaped[0] in "._":
        escaped = f"%{ord(escaped[0]):02X}{escaped[1:]}"
    return escaped


class _Writer:
    """One table's files in one folder: row groups of buffered rows, a new file past the target size."""

    def __init__(self, folder: Path, rel: str, schema: pa.Schema, target_bytes: int):
        self.folder, self.rel, self.schema, self.target = folder, rel, schema, target_bytes
        self.group_bytes = max(1, min(ROW_GROUP_BYTES, target_bytes))
        self.buf: list[pa.Table] = []
        self.buf_bytes = self.buf_rows = 0
        self.fh = self.pw = None
        self.files: list[str] = []
        self.rows = 0

    def add(self, t: pa.Table) -> None:
        if not t.num_rows:
            return
        self.buf.append(t)
        self.buf_bytes += t.nbytes
        self.buf_rows += t.num_rows
        if self.buf_bytes >= self.group_bytes or self.buf_rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self.buf:
            return
        t = pa.concat_tables(self.buf).combine_chunks()
        self.buf, self.buf_bytes, self.buf_rows = [], 0, 0
        if self.pw is None:
            self._open()
        self.pw.write_table(t, row_group_size=ROW_GROUP_ROWS)
        self.rows += t.num_rows
        if self.fh.tell() >= self.target:
            self._close_file()

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"part-{len(self.files):05d}.parquet"
        self.files.append(f"{self.rel}/{name}" if self.rel else name)
        self.fh = open(self.folder / name, "wb")
        self.pw = pq.ParquetWriter(self.fh, self.schema, **parquet_options(self.schema.empty_table()))

    def _close_file(self) -> None:
        self.pw.close()
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        self.fh = self.pw = None

    def close(self, keep_empty: bool = False) -> list[str]:
        self._flush()
        if keep_empty and not self.files:
            self._open()   # an empty table keeps one file holding its schema
        if self.pw is not None:
            self._close_file()
        return self.files


def _partition_of(rel: str, key: str) -> str | None:
    """The partition value of an already partitioned part (`key=value/part-...`), else None."""
    head, sep, _ = rel.partition("/")
    if sep and head.startswith(f"{key}="):
        value = urllib.parse.unquote(head[len(key) + 1:])
        return None if value == NULL_PARTITION else value
    return None


def _roots(sources: pa.Array) -> pa.Array:
    return pc.struct_field(pc.extract_regex(sources, _ROOT_PATTERN), [0])


def _values(processed: Path, name: str, rel: str, t: pa.Table, partition: str) -> pa.ChunkedArray | str | None:
    """Each row's partition value: an array (by row) or one value for the whole part."""
    key = PARTITIONINGS[partition].key
    if "/" in rel:   # already compacted with this partitioning: its folder says
        return _partition_of(rel, key)
    docs = processed / "documents" / rel
    if partition == "ingest_date":
        stamp = (docs if docs.is_file() else processed / name / rel).stat().st_mtime
        return datetime.fromtimestamp(stamp, timezone.utc).date().isoformat()
    if "source" in t.column_names:
        return _roots(t["source"])
    if not docs.is_file():
        raise CompactError(f"{name}/{rel}: no documents part of the same unit names its listings' sources")
    d = pq.read_table(docs, columns=["doc_id", "source"])
    roots = _roots(d["source"])
    return pc.take(roots, pc.index_in(t["doc_id"], value_set=d["doc_id"]))


def compact(processed: Path, target_bytes: int = DEFAULT_TARGET_MB * 2**20, partition_by: str | None = None,
            out: Path | None = None, progress: bool = True) -> dict:
    """Compact the output folder `processed` (into `out`, by default in place). Returns the new manifest."""
    t0 = time.perf_counter()
    processed = Path(processed).resolve()
    dest = Path(out).resolve() if out is not None else processed
    if partition_by is not None and partition_by not in PARTITIONINGS:
        raise CompactError(f"unknown partitioning {partition_by!r}; choose one of {', '.join(PARTITIONINGS)}")
    if target_bytes < 1:
        raise CompactError(f"the target file size must be positive, got {target_bytes} bytes")
    locks = [OutputLock(dest)] + ([OutputLock(processed)] if dest != processed else [])
    for lock in locks:
        lock.__enter__()
    try:
        recover(processed)
        manifest = read_manifest(processed)
        if not processed.is_dir() or manifest is None or not isinstance(manifest.get("parts"), dict):
            raise CompactError(f"{processed} is not a finished output of `python -m pipeline run` (no manifest.json "
                               f"with a part list)")
        if dest != processed:
            if dest.is_relative_to(processed) or processed.is_relative_to(dest):
                raise CompactError(f"--out {dest} must be a folder of its own, not inside or around {processed}")
            if dest.exists() and (not dest.is_dir() or (any(dest.iterdir()) and read_manifest(dest) is None)):
                raise CompactError(f"--out {dest} exists and is not an output of ours (no manifest.json); it is "
                                   f"replaced whole, so give an empty or new folder")
            recover(dest)
        before = manifest.get("compacted") or {}
        if before and before.get("partition_by") != partition_by:
            raise CompactError(f"{processed} is already compacted with --partition-by "
                               f"{before.get('partition_by') or '(none)'}; compact it with that, or re-run "
                               f"`python -m pipeline run --full` to get per-unit parts back first")
        staging = compact_staging(dest)
        if staging.exists() or staging.is_symlink():   # a compaction killed part-way: start again
            shutil.rmtree(staging) if staging.is_dir() and not staging.is_symlink() else staging.unlink()
        staging.mkdir(parents=True)
        parts, rows, n_before = {}, {}, 0
        meta = {b"schema_version": str(manifest.get("schema_version") or SCHEMA_VERSION).encode(),
                b"pipeline_version": str(manifest.get("pipeline_version") or __version__).encode()}
        for name in TABLES:
            schema = TABLES[name].with_metadata(meta)
            writers: dict[str | None, _Writer] = {}

            def writer(value):
                if value not in writers:
                    rel = "" if partition_by is None else f"{PARTITIONINGS[partition_by].key}={_dir_value(value)}"
                    writers[value] = _Writer(staging / name / rel, rel, schema, target_bytes)
                return writers[value]

            listed = manifest["parts"].get(name, [])
            n_before += len(listed)
            for rel in listed:
                t = pq.read_table(processed / name / rel)
                if partition_by is not None:   # a column of the folder key, if a reader added it, is not ours
                    t = t.select([c for c in t.column_names if c in schema.names])
                try:
                    t = t.cast(schema) if not t.schema.equals(schema) else t
                except (pa.ArrowInvalid, ValueError) as exc:
                    raise CompactError(f"{name}/{rel} does not have this version's schema ({exc}); re-run "
                                       f"`python -m pipeline run --full`") from None
                if partition_by is None:
                    writer(None).add(t)
                    continue
                values = _values(processed, name, rel, t, partition_by)
                if not isinstance(values, (pa.Array, pa.ChunkedArray)):
                    writer(values).add(t)
                    continue
                for value in pc.unique(values).to_pylist():
                    mask = pc.is_null(values) if value is None else pc.fill_null(pc.equal(values, value), False)
                    writer(value).add(t.filter(mask))
            if not writers:
                writer(None if partition_by is None else "")   # an empty table: one file with its schema
            files = []
            for value in sorted(writers, key=lambda v: (v is None, v or "")):
                files += writers[value].close(keep_empty=len(writers) == 1)
            parts[name] = sorted(files)
            rows[name] = sum(w.rows for w in writers.values())
            if progress:
                print(f"compact: {name}: {len(listed)} parts -> {len(parts[name])} files, {rows[name]} rows",
                      file=sys.stderr)
        if rows != {name: manifest.get("rows", {}).get(name) for name in TABLES}:
            raise CompactError(f"the compacted rows {rows} differ from the manifest's {manifest.get('rows')}; "
                               f"{dest} unchanged, the attempt left in {staging}")
        new = dict(manifest)
        new["parts"] = parts
        new["compacted"] = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            "target_mb": round(target_bytes / 2**20, 3), "partition_by": partition_by,
                            "files_before": n_before, "files_after": sum(len(p) for p in parts.values()),
                            "seconds": round(time.perf_counter() - t0, 3)}
        carry_inputs(processed, staging, manifest)   # the run's records of its input files go along
        write_manifest(staging, new)
        for name in TABLES:   # the partition folders' entries (swap_in fsyncs the table folders and staging)
            for sub in (staging / name).iterdir():
                if sub.is_dir():
                    fsync_dir(sub)
        swap_in(staging, dest)
        return new
    finally:
        for lock in reversed(locks):
            lock.__exit__(None, None, None)


def compact_url(url: str, target_bytes: int = DEFAULT_TARGET_MB * 2**20, partition_by: str | None = None,
                out: str | None = None, progress: bool = True, staging: Path | None = None,
                break_lock: bool = False) -> dict:
    """Compact the current run of the output URL `url` into a new run, published by `_latest` (of `out`, a
    URL, when given; else of `url`). Returns the new run's manifest (with `run_id` and `publish`)."""
    from pipeline.readers import is_url
    from .local import stop_signals_interrupt
    from .store import (StoreLock, check_store_output, default_staging, new_run_id, prune, publish, read_latest,
                        sync_mirror)
    url = str(url).rstrip("/")
    dest = str(out).rstrip("/") if out is not None else url
    if not is_url(dest):
        raise CompactError(f"--out {out}: the compacted copy of {url} is published to a URL too "
                           f"(e.g. s3://bucket/lake); a local folder is not supported")
    if dest != url and (dest.startswith(url + "/") or url.startswith(dest + "/")):
        raise CompactError(f"--out {dest} must be a prefix of its own, not inside or around {url}")
    cache = Path(staging or default_staging(url)).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    mirror, work = cache / "current", cache / "compacted"
    # The store's lock keeps runs of this URL out (they take it too); `compact` below takes the local
    # cache's flock itself, as a run does.
    with stop_signals_interrupt(), ExitStack() as locks:
        held = [locks.enter_context(StoreLock(url, break_lock))]
        if dest != url:
            held.append(locks.enter_context(StoreLock(dest, break_lock)))
        latest = read_latest(url)
        if latest is None:
            raise CompactError(f"{url} has no _latest: nothing was published there (run `python -m pipeline "
                               f"run --out {url}` first)")
        if dest != url:
            check_store_output(None, dest)
        if progress:
            print(f"compact: reading run {latest['run_id']} of {url} ...", file=sys.stderr)
        sync_mirror(url, latest, mirror)
        for leftover in (work, compact_staging(work)):   # a compaction that failed or was killed before
            if leftover.exists():
                shutil.rmtree(leftover)
        new = compact(mirror, target_bytes, partition_by, out=work, progress=progress)
        run_id = new_run_id()
        new.update(run_id=run_id, output=dest, compacted_from={"url": url, "run_id": latest["run_id"]})
        write_manifest(work, new)
        dest_latest = latest if dest == url else read_latest(dest)
        t_pub = time.perf_counter()
        for lock in held:
            lock.check_held()
        stats = publish(dest, work, mirror, dest_latest, run_id)   # `_latest` last: the commit
        if dest == url:
            swap_in(work, mirror)   # the local copy is the published run now (the next run reuses it)
        else:
            shutil.rmtree(work)
        deleted = prune(dest, [run_id] + ([dest_latest["run_id"]] if dest_latest else []))
        new["publish"] = {**stats, "seconds": round(time.perf_counter() - t_pub, 3), "runs_pruned": len(deleted)}
        broken = [lock.broken for lock in held if lock.broken is not None]
        if broken:
            new["lock_broken"] = broken[0]
        return new
