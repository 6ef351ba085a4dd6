"""Listings → tables (column by column; rows as the reference) → Parquet part files (zstd, explicit schemas), and the atomic swap of the output folder.

A run writes into a staging folder beside the output folder and exchanges the two only when everything
succeeded (Linux renameat2(RENAME_EXCHANGE): one atomic step; elsewhere two renames with recovery), so a
run killed at any moment leaves the previous output complete. Each part file, marker and the manifest is
written to a temporary name, fsynced and renamed, so a file that exists is complete; the staging folder's
entries are fsynced before the swap and the parent folder after it, so a power loss cannot leave a
manifest that points at missing data.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import json
import os
import shutil
import time
from operator import attrgetter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.contract import kinds
from pipeline.contract.catalog import catalog_row
from pipeline.contract.records import Listing, Reject
from pipeline.contract.schema import SCHEMA_VERSION, TABLES

from .manifest import drop_planning_sidecar


def reject_rows(rejects: list[Reject]) -> list[dict]:
    """Rows of the rejects table (shallow: dataclasses.asdict deep-copies, which is slow here)."""
    return [{name: getattr(r, name) for name in r.__slots__} for r in rejects]


# The per-item tables (most of the rows): the Listing attribute holding the items, and a getter that
# gives an item's values in the table's column order after doc_id.
_ITEM_TABLES = {name: (t.items, attrgetter(*TABLES[name].names[1:])) for name, t in kinds.TABLES.items() if t.items}


def qualifier_list(qualifier: str | None) -> list[str]:
    """policy_facts.qualifier: the facts stage joins its labels with '; '; the table holds them as a list."""
    return [q for q in (qualifier or "").split("; ") if q]


# Columns whose table type differs from the record's attribute: table -> {column: converter}.
_CONVERT = {"policy_facts": {"qualifier": qualifier_list}}


def _converter(table: str):
    conv = _CONVERT.get(table)
    if not conv:
        return None
    names = TABLES[table].names[1:]
    at = {names.index(c): fn for c, fn in conv.items()}
    return lambda values: tuple(at[i](v) if i in at else v for i, v in enumerate(values))


_CONVERTERS = {name: _converter(name) for name in _ITEM_TABLES}


def rows_for(listings: list[Listing], rejects: list[Reject]) -> dict[str, list[dict | tuple]]:
    """Every table's rows (dicts or tuples, for `to_table`): the reference of `tables_for`."""
    rows: dict[str, list[dict | tuple]] = {name: [] for name in TABLES}
    for l in listings:
        # Keys a table's schema does not name (documents has no description_lang) are left out by to_table.
        rows["documents"].append({"doc_id": l.doc_id, "record_id": l.record_id, "source": l.source, "format": l.format, "title": l.title,
                                  "text": l.text, "n_chars": len(l.text), "n_blocks": len(l.blocks),
                                  **(l.quality.as_dict() if l.quality is not None else {})})
        for table, (attr, values) in _ITEM_TABLES.items():
            conv = _CONVERTERS[table]
            if conv is None:
                rows[table].extend((l.doc_id, *values(item)) for item in getattr(l, attr))
            else:
                rows[table].extend((l.doc_id, *conv(values(item))) for item in getattr(l, attr))
        rows["catalog"].append(catalog_row(l))
    rows["rejects"].extend(reject_rows(rejects))
    return rows


def to_table(name: str, rows: list[dict] | list[tuple]) -> pa.Table:
    """Rows are dicts by column name (a missing key is null, an extra one ignored) or tuples in column order."""
    schema = TABLES[name]
    # pyarrow converts the rows to columns in C++, far faster than collecting each column in Python.
    return pa.Table.from_arrays(pa.array(rows, pa.struct(schema)).flatten(), schema=schema)


# documents' columns read off the listing itself (the others are its quality's, or counts).
_DOCUMENT_ATTRS = ("doc_id", "record_id", "source", "format", "title", "text")
_DOCUMENT_COUNTS = {"n_chars": lambda l: len(l.text), "n_blocks": lambda l: len(l.blocks)}


def tables_for(listings: list[Listing], rejects: list[Reject]) -> dict[str, pa.Table]:
    """`to_table` of every table of `rows_for`, built column by column: a list per column, read off the records
    by C iterators, converted alone, without a dict or tuple per row (tests compare the two)."""
    columns = {"documents": _document_columns(listings),
               **{name: _item_columns(name, listings) for name in _ITEM_TABLES},
               "catalog": _dict_columns("catalog", list(map(catalog_row, listings))),
               "rejects": {name: list(map(attrgetter(name), rejects)) for name in TABLES["rejects"].names}}
    return {name: pa.Table.from_pydict(columns[name], schema=TABLES[name]) for name in TABLES}


def _document_columns(listings: list[Listing]) -> dict[str, list]:
    quality = [l.quality for l in listings]
    cols = {}
    for name in TABLES["documents"].names:
        if name in _DOCUMENT_ATTRS:
            cols[name] = list(map(attrgetter(name), listings))
        elif name in _DOCUMENT_COUNTS:
            cols[name] = list(map(_DOCUMENT_COUNTS[name], listings))
        else:
            cols[name] = [None if q is None else getattr(q, name) for q in quality]
    return cols


def _item_columns(table: str, listings: list[Listing]) -> dict[str, list]:
    attr = _ITEM_TABLES[table][0]
    per_listing = [getattr(l, attr) for l in listings]
    items = [item for its in per_listing for item in its]
    cols = {"doc_id": [l.doc_id for l, its in zip(listings, per_listing) for _ in its]}
    convert = _CONVERT.get(table, {})
    for name in TABLES[table].names[1:]:
        values = map(attrgetter(name), items)
        cols[name] = list(map(convert[name], values) if name in convert else values)
    return cols


def _dict_columns(table: str, rows: list[dict]) -> dict[str, list]:
    """Rows by column name as columns (a missing key is null, an extra one ignored, as `to_table` reads them)."""
    return {name: [r.get(name) for r in rows] for name in TABLES[table].names}


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (files created, renamed or removed in it) durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_durably(path: Path, data: bytes) -> None:
    """Write a small file atomically: a temporary name, fsync, rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# Free-text columns: every value different and long, so a dictionary never pays and min/max statistics are
# useless for filtering; writing neither costs less CPU and gives smaller files (the same rows).
FREE_TEXT_COLUMNS = frozenset({"text", "title", "description_text", "evidence", "heading", "message", "extra"})


def parquet_options(table: pa.Table) -> dict:
    """Dictionary encoding and statistics for every column but the free-text ones."""
    others = [c for c in table.column_names if c not in FREE_TEXT_COLUMNS]
    return {"compression": "zstd", "use_dictionary": others, "write_statistics": others}


def part_options(table: pa.Table) -> dict:
    """`parquet_options` for a unit's part file, with dictionaries for its string columns only: a part holds
    one unit's rows (a few hundred to a few thousand), in which offsets, counts and scores are mostly
    distinct, so their dictionary pages cost CPU and bytes for nothing (bench parts: 4.07 MB instead of 4.32
    and about a fifth less write CPU). Compacted files keep `parquet_options`."""
    options = parquet_options(table)
    options["use_dictionary"] = [c for c in options["use_dictionary"] if _is_text(table.schema.field(c).type)]
    return options


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_dictionary(kind)


def write_part(table: pa.Table, path: Path) -> None:
    """Write one part file atomically (temporary name, fsync, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    meta = dict(table.schema.metadata or {})
    meta.update({b"schema_version": SCHEMA_VERSION.encode(), b"pipeline_version": __version__.encode()})
    try:
        with open(tmp, "wb") as fh:
            pq.write_table(table.replace_schema_metadata(meta), fh, **part_options(table))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_unit(tables: dict[str, pa.Table], out: Path, key: str) -> dict[str, int]:
    """One part file per table for a unit of work (`tables_for`), then a `_done/<key>` marker that names each part
    with its row count and size: a unit is complete only while every part it names is there, whole."""
    counts, sizes = {}, {}
    for name, table in tables.items():
        part = out / name / f"part-{key}.parquet"
        write_part(table, part)
        counts[name], sizes[name] = table.num_rows, part.stat().st_size
    write_marker(out, key, counts, sizes)
    return counts


def write_marker(out: Path, key: str, counts: dict[str, int], sizes: dict[str, int]) -> None:
    marker = out / "_done" / key
    marker.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_durably(marker, "".join(f"{name}\t{counts[name]}\t{sizes[name]}\n" for name in counts).encode())


def read_marker(out: Path, key: str, deep: bool = False) -> dict[str, int] | None:
    """A complete unit's row counts per table, or None when its marker is missing, empty, torn, or names a
    part that is missing or of another size (a kill or a full disk between writes); `deep` also reads each
    part's footer and checks its row count (for the units of an interrupted run)."""
    try:
        fields = [line.split("\t") for line in (out / "_done" / key).read_text().splitlines()]
        counts = {name: int(n) for name, n, _ in fields}
        if set(counts) != set(TABLES) or len(fields) != len(counts):
            return None
        for name, n, size in fields:
            part = out / name / f"part-{key}.parquet"
            if not part.is_file() or part.stat().st_size != int(size):
                return None
            if deep and pq.ParquetFile(part).metadata.num_rows != int(n):
                return None
    except (OSError, ValueError, UnicodeDecodeError, pa.ArrowException):
        return None
    return counts


def write_manifest(staging: Path, manifest: dict) -> None:
    write_bytes_durably(staging / "manifest.json",
                        (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def part_list(folder: Path) -> dict[str, list[str]]:
    """The part files of every table of an output folder, by name (the manifest's list of its data)."""
    return {name: sorted(p.name for p in (folder / name).glob("part-*.parquet")) for name in TABLES}


def make_durable(staging: Path) -> None:
    """fsync the entries of the staging folder and its table folders before it is swapped in (the files
    themselves were fsynced when written)."""
    for name in (*TABLES, "_done"):
        if (staging / name).is_dir():
            fsync_dir(staging / name)
    fsync_dir(staging)


# ------------------------------------------------------------------ staging, lock and swap

class OutputLocked(RuntimeError):
    pass


# File descriptors of the locks this process holds. A forked child (a worker) closes its copies at once:
# flock() belongs to the open file, which a child's copy would keep locked after the parent died. (The
# descriptor is also O_CLOEXEC, so nothing exec'ed inherits it.) Closing a copy never unlocks the parent's.
_HELD_LOCKS: set[int] = set()


def _close_locks_in_child() -> None:
    for fd in _HELD_LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_locks_in_child)


class OutputLock:
    """An exclusive lock beside the output folder; the OS drops it if the process dies, and worker
    processes never hold it."""

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self.fd: int | None = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputLocked(f"another run is writing {self.path.parent / self.path.name[1:-5]}; "
                               f"wait for it to finish (lock: {self.path})") from None
        self.fd = fd
        _HELD_LOCKS.add(fd)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        return self

    def __exit__(self, *exc):
        _HELD_LOCKS.discard(self.fd)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None


def staging_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.staging"


def _trash(out: Path) -> Path:
    """A unique name beside `out` for a previous output on its way out: never the staging folder, so a
    kill while deleting it cannot leave half a table where the next run resumes from."""
    return out.parent / f".{out.name}.trash-{os.getpid()}-{time.monotonic_ns()}"


def recover(out: Path) -> None:
    """Finish an interrupted swap: put back an output moved aside by the two-rename fallback, and delete
    previous outputs left half-deleted by a kill."""
    old = out.parent / f".{out.name}.old"
    if old.exists() and not out.exists():
        os.rename(old, out)
    elif old.exists():
        os.rename(old, _trash(out))
    for trash in out.parent.glob(f".{out.name}.trash-*"):
        shutil.rmtree(trash, ignore_errors=True)
    # The inputs sidecar of a run killed while planning (or before its staging folder took the sidecar), and
    # its temporary name: the next run writes them anew (`local.build` drops them too, for every engine).
    drop_planning_sidecar(staging_dir(out))


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    rc = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def swap_in(staging: Path, out: Path) -> None:
    """Make `staging` the output folder (its entries fsynced first, the parent folder after the swap); the
    previous output is moved to a unique name, then deleted."""
    make_durable(staging)
    if out.exists() and _exchange(staging, out):
        fsync_dir(out.parent)
        trash = _trash(out)
        os.rename(staging, trash)
        shutil.rmtree(trash)
        return
    old = out.parent / f".{out.name}.old"
    if out.exists():
        os.rename(out, old)
    os.rename(staging, out)
    fsync_dir(out.parent)
    if old.exists():
        trash = _trash(out)
        os.rename(old, trash)
        shutil.rmtree(trash)
