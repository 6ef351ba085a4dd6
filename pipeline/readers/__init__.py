"""Files in the raw input → `Listing` records (or `Reject`s with a reason), never modifying the files.

The raw input is a folder, a single file or a glob (`iter_files`); every entry that is not a regular file
we can read (a FIFO, a socket, a dangling or looping symlink, an unreadable file or folder, a file name that
is not UTF-8) becomes a `Reject` with its reason, never a crash, a hang or a silent skip.

One module per input format, named after it (`txt`, `html`, `json`, `jsonl`, `csv`, `parquet`); the formats
and the file suffixes each reads are declared in the registry (`pipeline.contract.kinds.FORMATS`), and
`READERS` maps every suffix to its reader module. `.gz` and `.zst` after a format's suffix are read
transparently (`open_input`). A reader module has `read(text, rel, size, fields)` for a decoded file, or
(`STREAMING = True`) `read_stream(path, rel, size, fields, max_bytes, lines, offset)` for formats read
record by record from the file, plus `scan(path, every)` that finds where slices of `every` records start.
Errors are told apart by their exception class (`DecodeError` subclasses carry their reject reason), never
by message text.
"""
from __future__ import annotations

import errno
import functools
import glob
import gzip
import importlib
import os
import stat
from pathlib import Path
from types import ModuleType
from typing import IO, Iterator

from pipeline.contract import kinds
from pipeline.contract.records import Listing, Reject
from pipeline.text.normalize import DecodeError, decode

from .html import html_to_text
from .location import UrlPath, is_url, list_files
from .records import FieldMap, doc_id_for, listing_from_record, make_listing

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "FieldMap", "Lines", "READERS", "doc_id_for", "format_of",
           "html_to_text", "input_root", "iter_files", "listing_from_record", "make_listing", "open_input",
           "read_file", "source_name", "UrlPath", "is_url", "location"]

DEFAULT_MAX_BYTES = 50 * 2**20
# suffix -> format name, and format name -> its reader module, from the registry.
FORMATS: dict[str, str] = {suffix: f.name for f in kinds.FORMATS.values() for suffix in f.suffixes}
READERS: dict[str, ModuleType] = {name: importlib.import_module(f"{__name__}.{name}") for name in kinds.FORMATS}


class Lines(tuple):
    """A slice of a streamed file: (first, last) record numbers (1-based, inclusive; last None = to the end),
    carrying the file's size and mtime at planning so a reader can tell the file changed since. Its repr (and
    so a unit's key) is the plain tuple's."""

    def __new__(cls, first: int, last: int | None, file_bytes: int | None = None, mtime_ns: int | None = None):
        self = super().__new__(cls, (first, last))
        self.file_bytes, self.mtime_ns = file_bytes, mtime_ns
        return self

    def __getnewargs__(self):
        return (self[0], self[1], self.file_bytes, self.mtime_ns)


def format_of(name: str) -> tuple[str | None, str | None]:
    """(format, compression suffix) of a file name: 'a.jsonl.gz' -> ('jsonl', '.gz').

    >>> format_of("products.JSONL.gz"), format_of("feed.csv"), format_of("x.zst"), format_of("notes")
    (('jsonl', '.gz'), ('csv', None), (None, '.zst'), (None, None))
    """
    stem, suffix = os.path.splitext(name.lower())
    compression = suffix if suffix in kinds.COMPRESSIONS else None
    if compression:
        stem, suffix = os.path.splitext(stem)
    return FORMATS.get(suffix), compression


def location(raw) -> Path | UrlPath:
    """A plain path as a `Path` (the local fast path), an fsspec URL (`s3://...`, `file://...`) as a `UrlPath`."""
    if isinstance(raw, (Path, UrlPath)):
        return raw
    return UrlPath(raw) if is_url(raw) else Path(raw)


class _Gzip(gzip.GzipFile):
    """A gzip stream over a file object it closes with itself (a remote file)."""

    def close(self):
        fileobj = self.fileobj
        try:
            super().close()
        finally:
            if fileobj is not None:
                fileobj.close()


def open_input(path: Path | UrlPath) -> IO[bytes]:
    """The file's bytes, decompressed when its name ends in .gz or .zst (a stream: nothing is read whole).
    A `UrlPath` is opened through fsspec (ranged reads: a slice is entered at its offset)."""
    compression = format_of(path.name)[1]
    if compression == ".gz":
        return gzip.open(path, "rb") if isinstance(path, Path) else _Gzip(fileobj=path.open("rb"), mode="rb")
    if compression == ".zst":
        import zstandard
        return zstandard.ZstdDecompressor().stream_reader(path.open("rb"), closefd=True)
    return path.open("rb")


def _has_magic(raw: Path) -> bool:
    return glob.has_magic(str(raw))


def input_root(raw: Path | UrlPath) -> Path | UrlPath:
    """The folder sources are named relative to: the raw folder itself, a single file's folder, or the part
    of a glob before its first wildcard (for a URL: the prefix, an object's prefix, a glob's fixed part)."""
    if isinstance(raw, UrlPath):
        return _url_root(raw.url)
    if _has_magic(raw):
        parts = []
        for part in raw.parts:
            if glob.has_magic(part):
                break
            parts.append(part)
        return Path(*parts) if parts else Path(".")
    return raw if raw.is_dir() else raw.parent


@functools.lru_cache(maxsize=64)
def _url_root(url: str) -> UrlPath:
    """input_root of a URL, asked of the store once per process (not once per file)."""
    from .location import glob_root, has_magic
    raw = UrlPath(url)
    return glob_root(raw) if has_magic(raw) else raw if raw.is_dir() else raw.parent


def source_name(path: Path, raw: Path) -> str:
    """How outputs name a file: its path relative to the input root, in '/' form; bytes that are not UTF-8
    in a file name are shown as \\xNN."""
    if isinstance(path, UrlPath):
        try:
            return str(path.relative_to(input_root(raw)))
        except ValueError:
            return path.url
    try:
        rel = path.relative_to(input_root(raw))
    except ValueError:
        rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(input_root(raw))))
    return os.fsencode(rel.as_posix()).decode("utf-8", errors="backslashreplace")


def _special(path: Path, raw: Path, st: os.stat_result) -> Reject:
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
            else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file")
    rel = source_name(path, raw)
    return Reject(rel, "not_a_file", f"{rel}: {kind}; not read", 0)


def _entry(path: Path, raw: Path, root: Path) -> Path | Reject | None:
    """One directory entry: the path to read, a Reject saying why not, or None for a folder to walk."""
    rel = source_name(path, raw)
    try:
        os.fsencode(path.name).decode("utf-8")
    except UnicodeDecodeError:
        return Reject(rel, "bad_file_name", f"{rel}: the file name is not UTF-8; rename the file to read it", 0)
    try:
        lst = os.lstat(path)
    except OSError as exc:
        return Reject(rel, "unreadable", f"{rel}: {exc.strerror or exc}", 0)
    if stat.S_ISLNK(lst.st_mode):
        try:
            st = os.stat(path)
        except OSError as exc:
            why = "the symlink loops" if exc.errno == errno.ELOOP else "the symlink points at nothing"
            return Reject(rel, "broken_symlink", f"{rel}: {why} ({os.readlink(path)})", 0)
        if not Path(os.path.realpath(path)).is_relative_to(root.resolve()):
            return Reject(rel, "symlink_outside", f"{rel}: symlink points outside the raw folder; not followed", 0)
        if stat.S_ISDIR(st.st_mode):
            return Reject(rel, "not_a_file", f"{rel}: a symlink to a folder inside the raw folder; not followed "
                                             f"(its files are read where they live)", 0)
    else:
        st = lst
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        return _special(path, raw, st)
    if not os.access(path, os.R_OK):
        return Reject(rel, "unreadable", f"{rel}: permission denied", st.st_size)
    return path


def _walk(folder: Path, raw: Path, root: Path) -> Iterator[Path | Reject]:
    """Depth-first, files of a folder (sorted) before its subfolders (sorted), iteratively."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            names = sorted(os.listdir(current))
        except OSError as exc:
            rel = source_name(current, raw) if current != root else "."
            yield Reject(rel, "unreadable", f"{rel}/: the folder cannot be listed ({exc.strerror or exc})", 0)
            continue
        subfolders = []
        for name in names:
            if name.startswith("."):
                continue
            entry = _entry(current / name, raw, root)
            if entry is None:
                subfolders.append(current / name)
            else:
                yield entry
        stack.extend(reversed(subfolders))


def iter_files(raw: Path) -> Iterator[Path | Reject]:
    """Input files of `raw` (a folder, a file or a glob) in a stable order. Hidden files are skipped; every
    entry that cannot be read as a file is a Reject with its reason. A URL is listed by prefix (fsspec)."""
    if isinstance(raw, UrlPath):
        yield from list_files(raw)
        return
    root = input_root(raw)
    if _has_magic(raw):
        for name in sorted(glob.glob(str(raw), recursive=True)):
            path = Path(name)
            if any(p.startswith(".") for p in path.relative_to(root).parts):
                continue
            entry = _entry(path, raw, root)
            if entry is None:
                yield from _walk(path, raw, root)
            else:
                yield entry
        return
    if raw.is_dir():
        yield from _walk(raw, raw, root)
        return
    entry = _entry(raw, raw, root)
    if entry is not None:
        yield entry


def changed_since_planning(path: Path, lines) -> str | None:
    """What changed in the file since the plan recorded its size and mtime (None: nothing)."""
    planned = getattr(lines, "file_bytes", None)
    if planned is None:
        return None
    st = os.stat(path) if isinstance(path, Path) else path.stat()
    if st.st_size != planned:
        return f"size {planned} -> {st.st_size} bytes"
    if st.st_mtime_ns != lines.mtime_ns:
        return "modified (mtime changed)"
    return None


def read_file(path: Path, raw: Path, fields: FieldMap = FieldMap(), max_bytes: int = DEFAULT_MAX_BYTES,
              lines: tuple[int, int] | None = None, offset: int = 0) -> Iterator[Listing | Reject]:
    """Every record of one file. For a streaming format, only records `lines[0]..lines[1]` when given, the
    first of them starting at byte `offset`. An OSError (the file went away, an I/O error) is raised for
    the caller to reject the file as unreadable; any other error ends the file with a Reject saying after
    how many records, never the run."""
    n = 0
    try:
        for rec in _read_file(path, raw, fields, max_bytes, lines, offset):
            n += 1
            yield rec
    except OSError:
        raise
    except Exception as exc:
        rel = source_name(path, raw)
        yield Reject(rel if n == 0 else f"{rel}#after-{n}", "error",
                     f"{rel}: {type(exc).__name__}: {exc} after {n} records; the rest of the file is not read", 0)


def _read_file(path: Path, raw: Path, fields: FieldMap, max_bytes: int, lines, offset: int
               ) -> Iterator[Listing | Reject]:
    rel = source_name(path, raw)
    fmt, compression = format_of(path.name)
    size = path.stat().st_size
    if fmt is None:
        yield Reject(rel, "unknown_type", f"{rel}: unknown file type {path.suffix or '(none)'!r}; "
                     f"expected one of {', '.join(sorted(FORMATS))} (optionally .gz or .zst)", size)
        return
    reader = READERS[fmt]
    if getattr(reader, "STREAMING", False):
        change = changed_since_planning(path, lines)
        if change is not None:
            first, last = lines
            yield Reject(f"{rel}#{first}-{last or 'end'}", "changed",
                         f"{rel}: changed since planning ({change}); records {first}-{last or 'end'} not read; "
                         f"the next run reads the file again", 0)
            return
        yield from reader.read_stream(path, rel, size, fields, max_bytes, lines or (1, None), offset)
        return
    if size > max_bytes:
        yield Reject(rel, "too_large", f"{rel}: {size} bytes is over the {max_bytes}-byte limit", size)
        return
    whole = whole_text(path, rel, size, max_bytes)
    if isinstance(whole, Reject):
        yield whole
        return
    yield from reader.read(whole[0], rel, size, fields)


def whole_text(path: Path, rel: str, size: int, max_bytes: int, limit_note: str = " once decompressed"
               ) -> tuple[str, int] | Reject:
    """A file read whole within `max_bytes` and decoded, with the bytes it held (decompressed), or the Reject
    saying why it cannot be."""
    with open_input(path) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        return Reject(rel, "too_large", f"{rel}: over the {max_bytes}-byte limit{limit_note}", size)
    if not data.strip():
        return Reject(rel, "empty", f"{rel}: empty file", size)
    try:
        return decode(data)[0], len(data)
    except DecodeError as exc:   # BinaryContent or Undecodable: the class says which
        return Reject(rel, exc.reason, f"{rel}: {exc}", size)
