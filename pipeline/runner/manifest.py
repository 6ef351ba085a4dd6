"""The books of a run: rows per table, rejects by reason, stage errors; reading a previous manifest."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.readers.location import walk_order as walk_key   # the order a folder or a prefix is planned in

from .inputs import PathIndex


def count_rows(folder: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in folder.glob("part-*.parquet"))


def rejects_by_reason(folder: Path) -> dict[str, int]:
    """Rows per reason over the rejects parts, counted a part at a time (a dataset over every part held
    native memory per part to the end: about 20 KB each, 3,125 parts at 100,000 small input files)."""
    totals: dict[str, int] = {}
    for p in sorted(folder.glob("part-*.parquet")):
        pf = pq.ParquetFile(p)
        if pf.metadata.num_rows == 0:
            continue
        counts = pc.value_counts(pf.read(columns=["reason"], use_threads=False)["reason"])
        for reason, n in zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()):
            totals[reason] = totals.get(reason, 0) + n
    return dict(sorted(totals.items()))


def read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


# ------------------------------------------------------------------ the inputs sidecar (issue 16)
#
# What a run records of each input file (path, sha1, size, mtime, inode, ETag, slices) is not inline in
# manifest.json but in `inputs.parquet` beside it, written in plan order (a local folder's and a prefix's
# walk order) in row groups of `INPUTS_BATCH` rows, and read back a batch at a time: the client's memory
# for it is a batch, not one dict per input file (about 2.3 KB each; a folder of 50 million small listings
# holds tens of millions of files). The manifest's `input_files` says how many there are and whether the
# rows are in walk order (then planning looks files up by a merge; otherwise through a `PathIndex` over an
# Arrow table). A manifest of the version before (its `inputs` a list inline) is no longer read: a run or an
# export refuses it and asks for `run --full` (`inline_inputs`).

INPUTS_FILE = "inputs.parquet"
INPUTS_BATCH = 8192       # rows per row group written
READ_BATCH = 1024         # rows per batch read back (as dicts: about 1 KB each while they live)
INPUTS_SCHEMA = pa.schema([
    pa.field("path", pa.string(), nullable=False),      # the file's name in the outputs (source_name)
    pa.field("sha1", pa.string(), nullable=False),      # of the whole file
    pa.field("bytes", pa.int64(), nullable=False),
    pa.field("mtime_ns", pa.int64()),                   # the stat fingerprint: absent for a racily new file
    pa.field("inode", pa.uint64()),
    pa.field("etag", pa.string()),                      # an object store's
    pa.field("slice_records", pa.int32()),              # a streamed big file: records per slice...
    pa.field("slices", pa.list_(pa.struct([pa.field("offset", pa.int64()), pa.field("sha1", pa.string())]))),
])
_OPTIONAL = ("mtime_ns", "inode", "etag", "slice_records")


def _record(row: dict) -> dict:
    """A sidecar row as the manifest's inline record was: absent keys for nulls, slices as [offset, sha1]."""
    rec = {k: v for k, v in row.items() if v is not None and k != "slices"}
    if row.get("slices") is not None:
        rec["slices"] = [[s["offset"], s["sha1"]] for s in row["slices"]]
    return rec


def _tmp_name(path: Path) -> Path:
    """Where `InputsWriter` writes `path` until it is complete."""
    return path.with_name(f".{path.name}.tmp")


def planning_sidecar(staging: Path) -> Path:
    """The inputs sidecar a build plans into, beside its staging folder (`<staging>.inputs.parquet`), until the
    staging folder is prepared and takes it in: the local engine's `.<out>.staging`, the object-store
    engine's `<cache>/staging`."""
    staging = Path(staging)
    return staging.parent / f"{staging.name}.{INPUTS_FILE}"


def drop_planning_sidecar(staging: Path) -> None:
    """Delete what a build killed while planning left of its sidecar (the file and its temporary name): every
    build starts with this, whatever the engine, and a local run's recovery does it too."""
    sidecar = planning_sidecar(staging)
    for leftover in (sidecar, _tmp_name(sidecar)):
        leftover.unlink(missing_ok=True)


class InputsWriter:
    """Writes the sidecar a batch at a time (to a temporary name; `close` fsyncs it and renames it to
    `path`). `files`: rows written; `walk_ordered`: whether they came in walk order."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.tmp = _tmp_name(self.path)
        self.files, self.walk_ordered = 0, True
        self._last: str | None = None
        self._rows: list[dict] = []
        self._fh = open(self.tmp, "wb")
        self._writer = pq.ParquetWriter(self._fh, INPUTS_SCHEMA, compression="zstd")

    def add(self, rec: dict) -> None:
        path = rec["path"]
        if self._last is not None and self.walk_ordered:
            folder, _, name = path.rpartition("/")
            last_folder, _, last_name = self._last.rpartition("/")
            # two files of one folder: by name; else by the walk's key (the cheap test first: most are)
            if (name <= last_name) if folder == last_folder else (walk_key(path) <= walk_key(self._last)):
                self.walk_ordered = False
        self._last = path
        self._rows.append(rec)
        self.files += 1
        if len(self._rows) >= INPUTS_BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        cols = {f.name: [r.get(f.name) for r in self._rows] for f in INPUTS_SCHEMA}
        cols["slices"] = [None if s is None else [{"offset": o, "sha1": h} for o, h in s] for s in cols["slices"]]
        self._writer.write_table(pa.table(cols, schema=INPUTS_SCHEMA), row_group_size=INPUTS_BATCH)
        self._rows = []

    def close(self) -> dict:
        """Finish the file; returns the manifest's `input_files` entry (the file is INPUTS_FILE in a run's
        output, whatever it was planned as)."""
        self._flush()
        self._writer.close()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.tmp, self.path)
        return {"file": INPUTS_FILE, "files": self.files, "walk_ordered": self.walk_ordered}

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self._fh.close()
            self.tmp.unlink(missing_ok=True)


def iter_inputs(source) -> Iterator[dict]:
    """The records of a sidecar (a path, or an open binary file), a batch at a time."""
    pf = pq.ParquetFile(source)
    for batch in pf.iter_batches(batch_size=READ_BATCH, use_threads=False):
        for row in batch.to_pylist():
            yield _record(row)


class PreviousInputs:
    """The previous run's records of its input files, looked up by name (`get`). When the sidecar is in
    walk order and the names are asked for in walk order too (a folder or a prefix planned again), it is a
    merge: one pass over the sidecar, a batch in memory. Otherwise (a glob, names out of order) the sidecar
    is read into one Arrow table and looked up through a `PathIndex` (columnar: about a tenth of the dicts').
    A record that is not found only costs hashing the file again."""

    def __init__(self, path: Path, walk_ordered: bool = True):
        self._path = path
        self._merge = walk_ordered
        self._rows = iter_inputs(path) if walk_ordered else None
        self._head: dict | None = None   # the next record of the merge
        self._last: str | None = None    # the last name asked for
        self._table: pa.Table | None = None
        self._index: PathIndex | None = None

    def get(self, name: str) -> dict | None:
        if self._merge:
            if self._head is None:
                self._head = next(self._rows, None)
            if self._head is not None and self._head["path"] == name:   # the common case: the next one
                rec, self._head, self._last = self._head, None, name
                return rec
            key = walk_key(name)
            if self._last is not None and key < walk_key(self._last):
                self._merge = False   # asked out of order: look up through a table from now on
            else:
                self._last = name
                while self._head is not None and walk_key(self._head["path"]) < key:
                    self._head = next(self._rows, None)
                if self._head is not None and self._head["path"] == name:
                    rec, self._head = self._head, None
                    return rec
                return None
        return self._lookup(name)

    def _lookup(self, name: str) -> dict | None:
        if self._table is None:
            # one chunk (see PathIndex); ParquetFile.read does not import pyarrow.dataset (pq.read_table does)
            self._table = pq.ParquetFile(self._path).read(use_threads=False).combine_chunks()
            self._index = PathIndex(self._table["path"])
        i = self._index.row(name)
        return None if i is None else _record(self._table.slice(i, 1).to_pylist()[0])


def inputs_name(manifest: dict) -> str | None:
    """The inputs sidecar a manifest names, a file beside it (None when it names none)."""
    entry = manifest.get("input_files")
    name = entry.get("file") if isinstance(entry, dict) else None
    return name if isinstance(name, str) and "/" not in name and not name.startswith(".") else None


INLINE_INPUTS = ("was written by a version of the pipeline before the inputs sidecar (its manifest.json lists "
                 "the inputs inline)")   # what a run and an export say of such an output (`inline_inputs`)


def inline_inputs(manifest: dict) -> bool:
    """Whether `manifest` is of the version before the inputs sidecar (its inputs a list inline, no
    `input_files`). Not read any more: the code of that version differs, so a run re-processes every unit of
    its output anyway; a run refuses it unless `--full`, an export asks for that run."""
    return isinstance(manifest.get("inputs"), list) and "input_files" not in manifest


def previous_inputs(folder: Path, manifest: dict | None) -> PreviousInputs | None:
    """What planning needs of the previous run's inputs (`plan(previous_inputs=...)`): a `PreviousInputs`
    over the sidecar the manifest names, or None."""
    name = inputs_name(manifest) if manifest else None
    if name and (Path(folder) / name).is_file():
        return PreviousInputs(Path(folder) / name, bool(manifest["input_files"].get("walk_ordered")))
    return None


def carry_inputs(src: Path, dst: Path, manifest: dict) -> None:
    """Put the inputs sidecar `manifest` names (in the output folder `src`) into the folder `dst` that will
    replace it with the same manifest (compact): hard-linked, or copied."""
    name = inputs_name(manifest)
    if not name or not (Path(src) / name).is_file():
        return
    try:
        os.link(Path(src) / name, Path(dst) / name)
    except OSError:
        import shutil
        shutil.copy2(Path(src) / name, Path(dst) / name)
