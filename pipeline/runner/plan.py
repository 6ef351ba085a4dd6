"""Planning: units of work over the raw input (a folder, a file or a glob). A unit is a few input files
(grouped by a hash of their paths, so adding or changing one file seldom moves the others into new units; at
most 2 MiB of input, which bounds a worker's memory) or a slice of records of a big streamed file (JSON
Lines, a JSON array, CSV, Parquet; not compressed ones, which cannot be entered in the middle). A unit's key
hashes the code, the settings and its inputs' content. Entries that are not readable files, and files that
cannot be read while planning, are rejects with their reason (`Plan.scan_rejects`)."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.contract.records import Reject
from pipeline.readers import (DEFAULT_MAX_BYTES, READERS, FieldMap, Lines, format_of, iter_files, source_name)
from pipeline.readers.stream import file_encoding

PACKAGE_DIR = Path(__file__).resolve().parents[1]   # pipeline/
# Units bound memory: a worker holds one unit's listings until it writes them.
GROUP_EVERY = 32          # on average a unit holds this many small files...
GROUP_MAX = 128           # ...and never more than this many,
UNIT_BYTES = 2 * 2**20    # ...nor more than this many input bytes.
SPLIT_LINES = 1000        # streamed files are cut into slices of this many records
SPLIT_BYTES = 2 * 2**20   # ...when they are bigger than this


@dataclass(frozen=True)
class Settings:
    fields: FieldMap = FieldMap()
    max_bytes: int = DEFAULT_MAX_BYTES

    def fingerprint(self) -> str:
        return json.dumps({"fields": self.fields.__dict__, "max_bytes": self.max_bytes}, sort_keys=True)


@dataclass(frozen=True)
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


@dataclass
class Plan:
    units: list[Unit]
    scan_rejects: list[Reject]
    inputs: list[dict] = field(default_factory=list)


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
    with open(path, "rb") as fh:
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
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    try:
        return file_encoding(head) == "utf-8"
    except ValueError:
        return False


def plan(raw: Path, settings: Settings) -> Plan:
    salt = code_fingerprint() + settings.fingerprint()
    units: list[Unit] = []
    scan_rejects: list[Reject] = []
    inputs: list[dict] = []
    group: list[Item] = []

    def close_group() -> None:
        if group:
            key = hashlib.sha1((salt + repr(group)).encode()).hexdigest()[:20]
            units.append(Unit(key, tuple(group)))
            group.clear()

    for entry in iter_files(raw):
        if isinstance(entry, Reject):
            scan_rejects.append(entry)
            continue
        name = source_name(entry, raw)
        # The worker opens raw / path: relative to a raw folder; absolute for a single file or a glob.
        rel = entry.relative_to(raw).as_posix() if raw.is_dir() else os.path.abspath(entry)
        fmt = format_of(entry.name)[0]
        streaming = fmt is not None and getattr(READERS[fmt], "STREAMING", False)
        try:
            st = entry.stat()
            # Big streamed files are cut into slices of records; only those need their slices' offsets.
            sliced = streaming and st.st_size > SPLIT_BYTES and _sliceable(entry)
            if sliced:
                sha1, size, offsets = READERS[fmt].scan(entry, SPLIT_LINES, settings.fields)
            else:
                sha1, size, _ = scan(entry)
        except OSError as exc:
            scan_rejects.append(Reject(name, "unreadable", f"{name}: {exc.strerror or exc}", 0))
            continue
        inputs.append({"path": name, "sha1": sha1, "bytes": size})
        if sliced and len(offsets) > 1:
            close_group()
            for k, (offset, end) in enumerate(zip(offsets, offsets[1:] + [size])):
                first = k * SPLIT_LINES + 1
                last = first + SPLIT_LINES - 1 if k < len(offsets) - 1 else None
                group.append(Item(rel, sha1, end - offset, Lines(first, last, st.st_size, st.st_mtime_ns), offset))
                close_group()
            continue
        group.append(Item(rel, sha1, size, Lines(1, None, st.st_size, st.st_mtime_ns) if streaming else None))
        if int(hashlib.sha1(rel.encode()).hexdigest(), 16) % GROUP_EVERY == 0 or len(group) >= GROUP_MAX \
                or sum(i.n_bytes for i in group) >= UNIT_BYTES:
            close_group()
    close_group()
    return Plan(units, scan_rejects, inputs)


