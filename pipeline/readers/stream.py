"""Record splitting for the streamed formats (JSON Lines, JSON arrays, CSV): bytes in, one record's bytes out
with the byte offset where it starts, a chunk at a time, so no file is read whole and memory is bounded by
the largest record (itself bounded by --max-bytes).

The same splitter serves the planner (`scan`: where each slice of N records starts, and the file's sha1, in
one pass) and the reader (from a slice's offset, N records), so the two agree on what a record is.

Encodings: a streamed file is UTF-8 when its first `HEAD_BYTES` are mostly valid UTF-8 (`mostly_utf8`);
each record is then decoded on its own and a record that is not UTF-8 is rejected alone. Otherwise (UTF-16
with a BOM, or a legacy code page that charset-normalizer finds) the file is transcoded to UTF-8 in memory
first (within --max-bytes) and is never sliced: a code page's bytes can look like JSON or CSV punctuation.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import re
from pathlib import Path
from typing import IO, Callable, Iterator

from pipeline.text.normalize import DecodeError, decode, legacy_encoding, looks_binary, mostly_utf8

CHUNK_BYTES = 1 << 20          # read this much at a time
HEAD_BYTES = 1 << 20           # the encoding is decided on this much of the file's start

# A splitter turns a binary stream (positioned at `start`) into (record bytes, offset) pairs; a record that
# grows past `limit` bytes without ending raises RecordTooLarge.
Splitter = Callable[..., Iterator[tuple[bytes, int]]]


class NotUtf8(DecodeError):
    """The stream is not UTF-8 (it needs transcoding before splitting)."""


def file_encoding(head: bytes) -> str:
    """'utf-8' when the start of a file is (mostly) UTF-8, else the encoding to transcode it from.
    Raises DecodeError (binary, undecodable).

    >>> file_encoding(b'{"a": "Giao h\\xc3\\xa0ng"}'), file_encoding(codecs.BOM_UTF8 + b"x")
    ('utf-8', 'utf-8')
    >>> file_encoding("đổi trả".encode("utf-16"))
    'utf-16'
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if looks_binary(head):
        from pipeline.text.normalize import BinaryContent
        raise BinaryContent("binary content (NUL or control bytes)")
    # The head may end inside a multi-byte character: ignore a torn last character.
    if mostly_utf8(head[:-3] if len(head) >= HEAD_BYTES else head):
        return "utf-8"
    return legacy_encoding(head) or "utf-8"


def strip_bom(record: bytes) -> bytes:
    return record[3:] if record.startswith(codecs.BOM_UTF8) else record


def open_utf8(opener: Callable[[], IO[bytes]], max_bytes: int) -> tuple[IO[bytes], str]:
    """(a binary stream of UTF-8 bytes, the source encoding). A UTF-8 file streams as it is, from its first
    byte (a BOM is the first record's to strip: `strip_bom`), so offsets are the file's; any other is decoded
    whole (at most max_bytes, else DecodeError 'too_large') and re-encoded as UTF-8."""
    fh = opener()
    head = fh.read(HEAD_BYTES)
    try:
        encoding = file_encoding(head)
    except DecodeError:
        fh.close()
        raise
    if encoding == "utf-8":
        fh.close()
        return opener(), encoding
    rest = fh.read(max_bytes + 1 - len(head))
    fh.close()
    data = head + rest
    if len(data) > max_bytes:
        err = DecodeError(f"a {encoding} file over the {max_bytes}-byte limit (only UTF-8 files are streamed)")
        err.reason = "too_large"
        raise err
    text, encoding = decode(data)
    return io.BytesIO(text.encode("utf-8")), encoding


def numbered(fh: IO[bytes], split: Splitter, first: int, last: int | None, offset: int,
             max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """(number, bytes) of records `first`..`last` of an open stream, the first starting at byte `offset`.
    A RecordTooLarge from `split` passes through: the record after the last one yielded is too large."""
    if offset:
        fh.seek(offset)
    number = first - 1
    for raw, _at in split(fh, offset, max_bytes):
        number += 1
        if last is not None and number > last:
            return
        yield number, raw


class RecordTooLarge(ValueError):
    """A record grew past the limit before it ended: the stream cannot be split further."""

    def __init__(self, offset: int, limit: int):
        super().__init__(f"a record starting at byte {offset} runs past {limit} bytes without ending")
        self.offset = offset


def _more(fh: IO[bytes], buf: bytes, keep: int, pos: int, limit: int | None) -> tuple[bytes, int, bool]:
    """Drop buf[:keep] (consumed), read a chunk: (new buffer, its file offset, end of file reached)."""
    buf, pos = buf[keep:], pos + keep
    if limit is not None and len(buf) > limit:
        raise RecordTooLarge(pos, limit)
    chunk = fh.read(CHUNK_BYTES)
    return buf + chunk, pos, not chunk


# ------------------------------------------------------------------ JSON Lines: lines, any newline convention

_EOL = re.compile(rb"\r\n|\r|\n")


def iter_lines(fh: IO[bytes], start: int = 0, limit: int | None = None) -> Iterator[tuple[bytes, int]]:
    r"""Lines ended by \n, \r\n or a lone \r (old Mac files: a CR-only file is not one long line).

    >>> list(iter_lines(io.BytesIO(b'a\r\nb\rc\n\nd')))
    [(b'a', 0), (b'b', 3), (b'c', 5), (b'', 7), (b'd', 8)]
    """
    buf, pos, eof = fh.read(CHUNK_BYTES), start, False
    i = 0                                   # start of the current line in buf
    while True:
        for m in _EOL.finditer(buf, i):
            if not eof and m.end() == len(buf) and m.group() == b"\r":
                break                       # a \r at the end of the buffer may be the first half of \r\n
            yield buf[i:m.start()], pos + i
            i = m.end()
        if eof:
            if i < len(buf):
                yield buf[i:], pos + i
            return
        buf, pos, eof = _more(fh, buf, i, pos, limit)
        i = 0


# ------------------------------------------------------------------ JSON arrays: the top-level elements

_JSON_TOKEN = re.compile(rb"""
      "[^"\\]*(?:\\.[^"\\]*)*"     # a whole string (escapes skipped), so brackets inside it do not count
    | (?P<open>")                  # a string not closed within the buffer: read more
    | [\[\]{},]                    # structure
""", re.VERBOSE | re.DOTALL)
_WS = b" \t\r\n"
_LEAD = _WS + codecs.BOM_UTF8           # what may come before the array's '['


def iter_array(fh: IO[bytes], start: int = 0, limit: int | None = None) -> Iterator[tuple[bytes, int]]:
    """The elements of a top-level JSON array, each as bytes with its offset. From `start` > 0 the stream
    is positioned at an element (inside the array); at 0 the array's '[' comes first. Raises ValueError
    when the content is not an array. Elements are split, not parsed: a malformed one is the reader's.

    >>> [e for e, _ in iter_array(io.BytesIO(b' [ {"a": "],"}, [1, 2] ,3 ] '))]
    [b'{"a": "],"}', b'[1, 2]', b'3']
    """
    buf, pos, eof = fh.read(CHUNK_BYTES), start, False
    depth, begin, i = (0, None, 0) if start == 0 else (1, 0, 0)

    def element(end: int) -> tuple[bytes, int]:
        raw = buf[begin:end]
        return raw.strip(_WS), pos + begin + len(raw) - len(raw.lstrip(_WS))

    while True:
        m = _JSON_TOKEN.search(buf, i)
        if m is None or (m.group("open") and not eof):
            if eof:
                if depth > 0 and begin is not None and buf[begin:].strip(_WS):
                    yield element(len(buf))       # an unclosed array: the rest is one (malformed) element
                return
            if begin is None and buf.strip(_LEAD):
                raise ValueError("not a JSON array")
            keep = begin if begin is not None else len(buf)
            scan_from = (m.start() if m is not None else len(buf)) - keep
            buf, pos, eof = _more(fh, buf, keep, pos, limit)
            begin, i = (0 if begin is not None else None), scan_from
            continue
        i = m.end()
        tok = m.group()
        if m.group("open"):                    # an unclosed string at the end of the file: data
            continue
        if depth == 0:
            if tok != b"[" or buf[:m.start()].strip(_LEAD):
                raise ValueError("not a JSON array")
            depth, begin = 1, i
        elif tok in (b"[", b"{"):
            depth += 1
        elif tok in (b"]", b"}"):
            depth -= 1
            if depth == 0:
                el = element(m.start())
                if el[0]:
                    yield el
                return
        elif tok == b"," and depth == 1:
            yield element(m.start())
            begin = i


# ------------------------------------------------------------------ CSV: records (a newline inside quotes is data)

def csv_splitter(delimiter: str, quotechar: str = '"') -> Splitter:
    """Records of a CSV file for a dialect: a line end outside a quoted field ends a record; a quote opens a
    quoted field only at the start of a field, as Python's csv reads it.

    >>> list(csv_splitter(",")(io.BytesIO(b'a,"x\\ny",5" tv\\r\\nb,c\\n'), 0))
    [(b'a,"x\\ny",5" tv', 0), (b'b,c', 15)]
    """
    d, q = re.escape(delimiter.encode()), re.escape(quotechar.encode())
    field_start = rb"(?:\A|(?<=" + d + rb")|(?<=[\r\n]))"
    token = re.compile(
        field_start + q + rb"[^" + q + rb"]*(?:" + q + q + rb"[^" + q + rb"]*)*" + q   # a quoted field
        + rb"|(?P<open>" + field_start + q + rb")"                                     # one not closed yet
        + rb"|\r\n|\r|\n")                                                              # a record's end

    def split(fh: IO[bytes], start: int = 0, limit: int | None = None) -> Iterator[tuple[bytes, int]]:
        buf, pos, eof = fh.read(CHUNK_BYTES), start, False
        i = j = 0                       # i: start of the current record; j: where to search on
        while True:
            m = token.search(buf, j)
            if m is None or (m.group("open") and not eof):
                if eof:
                    if i < len(buf):
                        yield buf[i:], pos + i
                    return
                j = (m.start() if m is not None else len(buf)) - i
                buf, pos, eof = _more(fh, buf, i, pos, limit)
                i = 0
                continue
            j = m.end()
            if m.group("open") or m.group()[:1] == q.replace(b"\\", b""):
                continue                # a quoted field (or an unclosed quote at the end of the file)
            if not eof and m.end() == len(buf) and m.group() == b"\r":
                buf, pos, eof = _more(fh, buf, i, pos, limit)
                j, i = m.start() - i, 0
                continue
            yield buf[i:m.start()], pos + i
            i = m.end()

    return split


# ------------------------------------------------------------------ planning

class _Hashing:
    """A read-only stream that hashes what is read through it."""

    def __init__(self, fh: IO[bytes]):
        self.fh, self.sha1, self.size = fh, hashlib.sha1(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.sha1.update(data)
        self.size += len(data)
        return data


def scan(path: Path, split: Splitter, every: int, skip_first: int = 0) -> tuple[str, int, list[int]]:
    """(sha1, size, byte offsets where each slice of `every` records starts) in one pass over the file.
    `skip_first` records (a CSV header) are not counted."""
    with path.open("rb") as raw:   # a Path, or a UrlPath opened through fsspec
        fh = _Hashing(raw)
        offsets: list[int] = []
        n = 0
        try:
            for _record, offset in split(fh, 0):
                if n >= skip_first and (n - skip_first) % every == 0:
                    offsets.append(offset)
                n += 1
        except ValueError:      # not splittable (e.g. not an array): one slice
            offsets = [0]
        while fh.read(CHUNK_BYTES):
            pass
    return fh.sha1.hexdigest(), fh.size, offsets or [0]
