"""Planning: units of work over the raw input (a folder, a file or a glob). A unit is a few input files
(grouped by a hash of their paths, so adding or changing one file seldom moves the others into new units; at
most 2 MiB of input, which bounds a worker's memory) or a slice of records of a big streamed file (JSON
Lines, a JSON array, CSV, Parquet; not compressed ones, which cannot be entered in the middle). A unit's key
hashes the code, the settings and its inputs' content; a slice's key hashes the slice's own bytes (and the
file's head), so appending records to a big file re-runs only the slice that changed and the new ones.
Entries that are not readable files, and files that cannot be read while planning, are rejects with their
reason (`Plan.scan_rejects`).

Planning at scale: a file whose size, modification time (ns) and inode equal those the previous run
recorded is not read again (its hash and slices are taken from the run's inputs sidecar, `inputs.parquet`
beside the manifest, read by a merge a batch at a time: `manifest.PreviousInputs`; like git's index); a file
modified within `RACY_NS` of being planned is not trusted that way next time (its mtime could repeat).
The files that must be hashed are hashed by `HASH_THREADS` threads (hashlib releases the GIL).

Object storage (`raw` a `UrlPath`, e.g. s3://bucket/prefix): the prefix is listed once, and an object whose
size, modification time and ETag (from the listing, no extra request) equal the previous manifest's is
not read again; the others are read through fsspec (ranged reads) to hash them and find their slices.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import time
from array import array
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.contract.records import Reject
from pipeline.readers import (DEFAULT_MAX_BYTES, READERS, FieldMap, Lines, UrlPath, format_of, iter_files,
                              source_name)
from pipeline.readers.stream import file_encoding

from .manifest import InputsWriter, PreviousInputs

PACKAGE_DIR = Path(__file__).resolve().parents[1]   # pipeline/
# Units bound memory: a worker holds one unit's listings until it writes them.
GROUP_EVERY = 32          # on average a unit holds this many small files...
GROUP_MAX = 128           # ...and never more than this many,
UNIT_BYTES = 2 * 2**20    # ...nor more than this many input bytes.
SPLIT_LINES = 1000        # streamed files are cut into slices of this many records
SPLIT_BYTES = 2 * 2**20   # ...when they are bigger than this
HEAD_BYTES = 1 << 16      # a slice's key also hashes the file's first bytes, within its first slice (a CSV header)
RACY_NS = 2_000_000_000   # a file modified this close to planning is re-hashed next time (mtime granularity)
HASH_THREADS = min(8, os.cpu_count() or 1)   # files hashed at once while planning
# Entries are listed, stat'ed, hashed and grouped this many at a time, so the planner's transient state (paths,
# stat results, hash records) is bounded by a chunk, not by the number of input files (issue 16: at 6,700
# files it peaked at 3.4 KB per file, against the 0.65 KB per file the plan keeps).
PLAN_CHUNK = 2048


@dataclass(frozen=True)
class Settings:
    fields: FieldMap = FieldMap()
    max_bytes: int = DEFAULT_MAX_BYTES

    def fingerprint(self) -> str:
        return json.dumps({"fields": self.fields.__dict__, "max_bytes": self.max_bytes}, sort_keys=True)


@dataclass(frozen=True, slots=True)   # slots: a plan holds one per input file (or slice)
class Item:
    path: str        # relative to the raw folder
    sha1: str
    n_bytes: int     # of the file, or of the slice
    # Streamed files: the 1-based inclusive record range of the slice (`Lines`, carrying the file's size and
    # mtime at planning, so a reader can tell it changed since)...
    lines: tuple[int, int | None] | None = None
    offset: int = 0                        # ...and the byte offset where it starts


@dataclass(frozen=True)
class Unit:
    key: str
    items: tuple[Item, ...]

    @property
    def n_bytes(self) -> int:
        return sum(i.n_bytes for i in self.items) or 1


def _pack(items: tuple[Item, ...]) -> bytes:
    """A unit's items as one `marshal` blob of plain tuples, a hex sha1 as its 20 bytes (about 0.1 KB a file
    against about 0.65 KB as `Item` objects)."""
    rows = []
    for i in items:
        sha1 = i.sha1
        if len(sha1) == 40 and sha1 == sha1.lower():
            try:
                sha1 = bytes.fromhex(sha1)
            except ValueError:
                pass
        lines = None if i.lines is None else (i.lines[0], i.lines[1], getattr(i.lines, "file_bytes", None),
                                               getattr(i.lines, "mtime_ns", None), type(i.lines) is Lines)
        rows.append((i.path, sha1, i.n_bytes, lines, i.offset))
    return marshal.dumps(tuple(rows))


def _unpack(blob: bytes) -> tuple[Item, ...]:
    return tuple(Item(path, sha1.hex() if isinstance(sha1, bytes) else sha1, n,
                      None if lines is None else (Lines(*lines[:4]) if lines[4] else (lines[0], lines[1])), offset)
                 for path, sha1, n, lines, offset in marshal.loads(blob))


class Units(Sequence):
    """The plan's units, packed (issue 16): per unit its key, its input bytes (the sort key of largest-first
    scheduling) and its items as one `_pack` blob; a `Unit` is built when one is asked for (`units[i]`,
    iterating) and let go by the caller. The keys alone (`keys`) and sizes (`size`) need no unpacking.
    A plan of 50 million small files holds about 0.1 KB a file here instead of its `Unit`/`Item` objects."""

    def __init__(self, keys=None, sizes=None, blobs=None):
        self.keys: list[str] = keys if keys is not None else []
        self._sizes = sizes if sizes is not None else array("q")
        self._blobs: list[bytes] = blobs if blobs is not None else []

    def append(self, unit: Unit) -> None:
        self.keys.append(unit.key)
        self._sizes.append(unit.n_bytes)
        self._blobs.append(_pack(unit.items))

    @property
    def packed_bytes(self) -> int:
        """Bytes of the packed items (the blobs' contents)."""
        return sum(len(b) for b in self._blobs)

    def size(self, i: int) -> int:
        """Unit i's input bytes (`Unit.n_bytes`)."""
        return self._sizes[i]

    def subset(self, indices) -> "Units":
        """The units at `indices`, in that order (sharing their packed items)."""
        return Units([self.keys[i] for i in indices], array("q", (self._sizes[i] for i in indices)),
                     [self._blobs[i] for i in indices])

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Unit(self.keys[i], _unpack(self._blobs[i]))

    def __iter__(self):
        for i in range(len(self.keys)):
            yield self[i]

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Units({len(self)} units)"


@dataclass
class Plan:
    units: Units
    scan_rejects: list[Reject]
    inputs: list[dict] = field(default_factory=list)   # each input file's record, unless written to a sidecar
    input_files: dict | None = None   # ...then the manifest's `input_files` entry naming it (`plan(inputs_to=)`)


def code_fingerprint() -> str:
    """Hash of the package's code and lexicon: changing either re-processes everything."""
    h = hashlib.sha1(__version__.encode())
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts:
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def scan(path: Path, slice_lines: int | None = None) -> tuple[str, int, list[int]]:
    """(sha1, size, byte offsets where each slice of `slice_lines` lines starts) in one pass."""
    h, size, n_lines, offsets = hashlib.sha1(), 0, 0, [0]
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            if slice_lines:
                start = 0
                while (i := chunk.find(b"\n", start)) >= 0:
                    n_lines += 1
                    if n_lines % slice_lines == 0:
                        offsets.append(size + i + 1)
                    start = i + 1
            size += len(chunk)
    if offsets[-1] >= size and len(offsets) > 1:
        offsets.pop()
    return h.hexdigest(), size, offsets


def _sliceable(path: Path) -> bool:
    """Only uncompressed UTF-8 files are entered in the middle (a code page's bytes can look like punctuation)."""
    if format_of(path.name)[1] is not None:
        return False
    if format_of(path.name)[0] == "parquet":
        return True
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    try:
        return file_encoding(head) == "utf-8"
    except ValueError:
        return False


def slice_hashes(path: Path, offsets: list[int], size: int) -> list[str]:
    """sha1 of each slice's bytes (`offsets[k]` to the next offset or the end), each prefixed by the hash of
    the file's first `HEAD_BYTES` within the first slice (a CSV header): a slice's own content, so appending to a file leaves its earlier slices'
    hashes alone."""
    bounds = list(zip(offsets, offsets[1:] + [size]))
    out = []
    with path.open("rb") as fh:
        head = hashlib.sha1(fh.read(min(HEAD_BYTES, bounds[0][1]))).digest()   # never past the first slice
        for start, end in bounds:
            h = hashlib.sha1(head)
            fh.seek(start)
            left = end - start
            while left > 0 and (chunk := fh.read(min(left, 1 << 20))):
                h.update(chunk)
                left -= len(chunk)
            out.append(h.hexdigest())
    return out


def _stat_key(st: os.stat_result) -> dict:
    """What must be unchanged for a file not to be read again; an object store's ETag too when it has one."""
    key = {"bytes": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}
    etag = getattr(st, "etag", None)
    if etag:
        key["etag"] = etag
    return key


def _cached(previous, name: str, st: os.stat_result, big: bool) -> dict | None:
    """The previous manifest's record of a file when its size, mtime and inode are unchanged (and it was
    sliced the same way)."""
    old = previous.get(name) if previous is not None else None
    key = _stat_key(st)
    if not old or "mtime_ns" not in old or any(old.get(k) != v for k, v in key.items()) \
            or ("etag" in old) != ("etag" in key):
        return None
    if "slices" in old and (not big or old.get("slice_records") != SPLIT_LINES):
        return None
    return old


def _hash_input(entry: Path, fmt: str | None, sliced: bool, settings: Settings, planned_ns: int,
                st: os.stat_result) -> dict:
    """Read one file: its record for the manifest (sha1, size, and for a sliced file each slice's offset and
    own hash). The stat fingerprint is kept only when the file is not racily new (or has an ETag)."""
    if sliced:
        sha1, size, offsets = READERS[fmt].scan(entry, SPLIT_LINES, settings.fields)
    else:
        sha1, size, offsets = (*scan(entry)[:2], [0])
    rec = {"sha1": sha1, "bytes": size}
    # An object store's ETag changes with every write, so an object with one is never racily new.
    if st.st_size == size and (getattr(st, "etag", None) or planned_ns - st.st_mtime_ns > RACY_NS):
        rec.update(_stat_key(st))
    if sliced:
        rec["slice_records"] = SPLIT_LINES
    if sliced and len(offsets) > 1:
        hashes = [sha1] * len(offsets) if fmt == "parquet" else slice_hashes(entry, offsets, size)
        rec["slices"] = [[o, h] for o, h in zip(offsets, hashes)]
    elif sliced:
        rec["slices"] = [[0, sha1]]
    return rec


def plan(raw: Path, settings: Settings, previous_inputs: PreviousInputs | None = None,
         inputs_to: Path | None = None) -> Plan:
    """Units over `raw`. `previous_inputs` (the previous run's records of its input files: a
    `manifest.PreviousInputs` over its sidecar) lets files whose size, mtime and inode are unchanged skip
    being read. `inputs_to`: write this plan's records of its input files to that sidecar
    (`manifest.InputsWriter`) instead of keeping them in `Plan.inputs`."""
    salt = code_fingerprint() + settings.fingerprint()
    units = Units()
    scan_rejects: list[Reject] = []
    inputs: list[dict] = []
    sink = InputsWriter(inputs_to) if inputs_to is not None else None
    record = sink.add if sink is not None else inputs.append
    group: list[Item] = []

    def close_group(key_parts=None) -> None:
        if group:
            key = hashlib.sha1((salt + repr(key_parts if key_parts is not None else group)).encode()).hexdigest()[:20]
            units.append(Unit(key, tuple(group)))
            group.clear()

    # A chunk of entries and their stats (cheap), then the files of the chunk that changed are hashed in
    # parallel, then the chunk is grouped into units in order: the same units as one pass over all entries.
    planned_ns = time.time_ns()
    remote = isinstance(raw, UrlPath)
    raw_is_dir = raw.is_dir()

    def entry_of(entry) -> tuple:
        """(Reject,) or (entry, name, rel, fmt, streaming, st, sliced, cached record)."""
        if isinstance(entry, Reject):
            return (entry,)
        name = source_name(entry, raw)
        # The worker opens raw / path: relative to a raw folder; absolute for a single file or a glob.
        if remote:
            rel = name if raw_is_dir else entry.url   # a URL's items name the object inside the prefix
        else:
            rel = entry.relative_to(raw).as_posix() if raw_is_dir else os.path.abspath(entry)
        fmt = format_of(entry.name)[0]
        streaming = fmt is not None and getattr(READERS[fmt], "STREAMING", False)
        try:
            st = entry.stat()
            # Big streamed files are cut into slices of records; only those need their slices' offsets.
            big = streaming and st.st_size > SPLIT_BYTES
            cached = _cached(previous_inputs, name, st, big)
            sliced = "slices" in cached if cached is not None else big and _sliceable(entry)
        except OSError as exc:
            return (Reject(name, "unreadable", f"{name}: {exc.strerror or exc}", 0),)
        return (entry, name, rel, fmt, streaming, st, sliced, cached)

    def hash_one(e):
        if len(e) == 1 or e[7] is not None:
            return e[7] if len(e) > 1 else None
        try:
            return _hash_input(e[0], e[3], e[6], settings, planned_ns, e[5])
        except OSError as exc:
            return exc

    def group_chunk(entries: list[tuple]) -> None:
        todo = [e for e in entries if len(e) > 1 and e[7] is None]
        if len(todo) > 1 and HASH_THREADS > 1:
            with ThreadPoolExecutor(HASH_THREADS) as pool:
                records = list(pool.map(hash_one, entries))
        else:
            records = [hash_one(e) for e in entries]
        for e, rec in zip(entries, records):
            if len(e) == 1:
                scan_rejects.append(e[0])
                continue
            entry, name, rel, fmt, streaming, st, sliced, _ = e
            if isinstance(rec, OSError):
                scan_rejects.append(Reject(name, "unreadable", f"{name}: {rec.strerror or rec}", 0))
                continue
            sha1, size = rec["sha1"], rec["bytes"]
            record({"path": name, **rec})
            slices = rec.get("slices", [])
            if sliced and len(slices) > 1:
                close_group()
                offsets = [o for o, _ in slices]
                for k, ((offset, own), end) in enumerate(zip(slices, offsets[1:] + [size])):
                    first = k * SPLIT_LINES + 1
                    last = first + SPLIT_LINES - 1 if k < len(slices) - 1 else None
                    group.append(Item(rel, sha1, end - offset, Lines(first, last, st.st_size, st.st_mtime_ns), offset))
                    # keyed by the slice's own content and place, not the file's hash, size or mtime
                    close_group(("slice", rel, fmt, first, own))
                continue
            group.append(Item(rel, sha1, size, Lines(1, None, st.st_size, st.st_mtime_ns) if streaming else None))
            if int(hashlib.sha1(rel.encode()).hexdigest(), 16) % GROUP_EVERY == 0 or len(group) >= GROUP_MAX \
                    or sum(i.n_bytes for i in group) >= UNIT_BYTES:
                close_group()

    chunk: list[tuple] = []
    try:
        for entry in iter_files(raw):
            chunk.append(entry_of(entry))
            if len(chunk) >= PLAN_CHUNK:
                group_chunk(chunk)
                chunk = []
        group_chunk(chunk)
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    close_group()
    return Plan(units, scan_rejects, inputs, sink.close() if sink is not None else None)
