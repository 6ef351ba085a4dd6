"""Files in the raw folder → `Listing` records (or `Reject`s with a reason), never modifying the files.

One module per input format, named after it (`txt`, `html`, `json`, `jsonl`, `csv`); the formats and the
file suffixes each reads are declared in the registry (`pipeline.contract.kinds.FORMATS`), and `READERS`
maps every suffix to its reader module. A reader module has `read(text, rel, size, fields)` for a decoded
file, or (`STREAMING = True`) `read_stream(path, rel, size, fields, max_bytes, lines, offset)` for formats
read record by record from the file. Errors are told apart by their exception class (`DecodeError`
subclasses carry their reject reason), never by message text.
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import Iterator

from pipeline.contract import kinds
from pipeline.contract.records import Listing, Reject
from pipeline.text.normalize import DecodeError, decode

from .html import html_to_text
from .records import FieldMap, doc_id_for, listing_from_record, make_listing

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "FieldMap", "READERS", "doc_id_for", "html_to_text", "iter_files",
           "listing_from_record", "make_listing", "read_file"]

DEFAULT_MAX_BYTES = 50 * 2**20
# suffix -> format name, and format name -> its reader module, from the registry.
FORMATS: dict[str, str] = {suffix: f.name for f in kinds.FORMATS.values() for suffix in f.suffixes}
READERS: dict[str, ModuleType] = {name: importlib.import_module(f"{__name__}.{name}") for name in kinds.FORMATS}


def iter_files(raw: Path) -> Iterator[Path | Reject]:
    """Input files under `raw` in a stable order. Hidden files are skipped; symlinks leaving raw are rejected."""
    root = raw.resolve()
    for dirpath, dirnames, filenames in os.walk(raw, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                yield Reject(path.relative_to(raw).as_posix(), "symlink_outside",
                             f"{path.relative_to(raw)}: symlink points outside the raw folder; not followed", 0)
                continue
            yield path


def read_file(path: Path, raw: Path, fields: FieldMap = FieldMap(), max_bytes: int = DEFAULT_MAX_BYTES,
              lines: tuple[int, int] | None = None, offset: int = 0) -> Iterator[Listing | Reject]:
    """Every record of one file. For a streaming format (JSON Lines), only lines `lines[0]..lines[1]` when
    given, the first of them starting at byte `offset`."""
    rel = path.relative_to(raw).as_posix()
    fmt = FORMATS.get(path.suffix.lower())
    size = path.stat().st_size
    if fmt is None:
        yield Reject(rel, "unknown_type", f"{rel}: unknown file type {path.suffix or '(none)'!r}; "
                     f"expected one of {', '.join(sorted(FORMATS))}", size)
        return
    reader = READERS[fmt]
    if getattr(reader, "STREAMING", False):
        yield from reader.read_stream(path, rel, size, fields, max_bytes, lines or (1, None), offset)
        return
    if size > max_bytes:
        yield Reject(rel, "too_large", f"{rel}: {size} bytes is over the {max_bytes}-byte limit", size)
        return
    data = path.read_bytes()
    if not data.strip():
        yield Reject(rel, "empty", f"{rel}: empty file", size)
        return
    try:
        text, _encoding = decode(data)
    except DecodeError as exc:   # BinaryContent or Undecodable: the class says which
        yield Reject(rel, exc.reason, f"{rel}: {exc}", size)
        return
    yield from reader.read(text, rel, size, fields)
