"""CSV (.csv, .tsv): a record per row, the header naming the fields (the N-th row after the header is source
"file#N"). Streamed record by record (`stream.csv_splitter`: a newline inside a quoted field is data) and
sliced like JSON Lines, so a big file never sits in memory; one bad row (malformed, oversized, not UTF-8,
more values than the header has names) rejects that row only.

The delimiter is `--delimiter` (or `delimiter` in the fields config) or, by default, whichever of
`DELIMITERS` occurs most often in the header line outside quotes (`;` is what spreadsheets set to a
Vietnamese or other comma-decimal locale write); a BOM is dropped. A header none of whose names is a field
the mapping knows (a headerless file?) is said so in each row's `no_text` reason.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from pipeline.contract.records import Listing, Reject
from pipeline.text.normalize import DecodeError

from . import stream
from .records import FieldMap, listing_from_record

STREAMING = True
# Delimiters sniffed from the header line, in order of preference when they occur equally often.
DELIMITERS = (",", ";", "\t", "|")
_QUOTED = re.compile(rb'"[^"]*"')


def sniff_delimiter(header: bytes, default: str = ",") -> str:
    """The delimiter of a header line: the most frequent of DELIMITERS outside quoted names.

    >>> sniff_delimiter(b'"M\\xc3\\xa3 SP";"T\\xc3\\xaan, s\\xe1\\xba\\xa3n ph\\xe1\\xba\\xa9m";"M\\xc3\\xb4 t\\xe1\\xba\\xa3"')
    ';'
    >>> sniff_delimiter(b"id,title,description"), sniff_delimiter(b"id\\ttitle"), sniff_delimiter(b"one")
    (',', '\\t', ',')
    """
    bare = _QUOTED.sub(b"", header)
    counts = [(bare.count(d.encode()), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] > 0 else default


def _row(raw: bytes, delimiter: str) -> list[str]:
    """One record's bytes -> its values. Raises UnicodeDecodeError, csv.Error."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=delimiter, strict=True))
    return rows[0] if rows else []


def _header(path: Path, fields: FieldMap, max_bytes: int, open_input) -> tuple[list[str], str, int]:
    """(header names, delimiter, byte offset where the data starts) of a UTF-8 (or transcoded) stream."""
    fh, _ = stream.open_utf8(lambda: open_input(path), max_bytes)
    with fh:
        first = next(iter(stream.iter_lines(fh, 0, max_bytes)), (b"", 0))[0]
    delimiter = fields.delimiter or sniff_delimiter(stream.strip_bom(first),
                                                    "\t" if path.name.lower().endswith((".tsv", ".tsv.gz", ".tsv.zst")) else ",")
    fh, _ = stream.open_utf8(lambda: open_input(path), max_bytes)
    with fh:
        records = stream.csv_splitter(delimiter)(fh, 0, max_bytes)
        head = next(records, None)
        if head is None:
            return [], delimiter, 0
        names = [n.strip() for n in _row(stream.strip_bom(head[0]), delimiter)]
        data = next(records, None)
        return names, delimiter, data[1] if data is not None else -1


def read_stream(path: Path, rel: str, size: int, fields: FieldMap, max_bytes: int,
                lines: tuple[int, int | None], offset: int) -> Iterator[Listing | Reject]:
    from . import open_input
    first, last = lines[0], lines[1]
    csv.field_size_limit(max(max_bytes, csv.field_size_limit()))
    try:
        names, delimiter, data_start = _header(path, fields, max_bytes, open_input)
        fh, _encoding = stream.open_utf8(lambda: open_input(path), max_bytes)
    except DecodeError as exc:
        yield Reject(rel, exc.reason, f"{rel}: {exc}", size)
        return
    except stream.RecordTooLarge as exc:
        yield Reject(rel, "too_large", f"{rel}: the header {exc}", size)
        return
    except (csv.Error, UnicodeDecodeError) as exc:
        yield Reject(rel, "bad_csv", f"{rel}: the header row cannot be read ({exc})", size)
        return
    if not any(names):
        yield Reject(rel, "empty", f"{rel}: empty file (no header row)", size)
        return
    known = fields.known()
    headerless = not any(n in known for n in names)
    note = ("; none of the header row's names is a field the mapping knows: if the first row is data, the file "
            "has no header row (add one)") if headerless else ""
    start = offset or data_start
    with fh:
        if start < 0:            # a header and nothing after it
            fh.read()
            start = 0
        elif start:
            fh.seek(start)
        i, n = first - 1, 0
        try:
            for raw, _at in stream.csv_splitter(delimiter)(fh, start, max_bytes):
                i += 1
                if last is not None and i > last:
                    break
                if not raw.strip():
                    continue
                n += 1
                yield _record(raw, names, delimiter, f"{rel}#{i}", f"{rel} row {i}", fields, max_bytes, note)
        except stream.RecordTooLarge as exc:
            yield Reject(f"{rel}#{i + 1}", "too_large", f"{rel} row {i + 1}: {exc}; the rest is not read", 0)
    if first == 1 and last is None and n == 0:
        yield Reject(rel, "empty", f"{rel}: a header row and no data rows", size)


def _record(raw: bytes, names: list[str], delimiter: str, src: str, where: str, fields: FieldMap,
            max_bytes: int, note: str) -> Listing | Reject:
    n = len(raw)
    if n > max_bytes:
        return Reject(src, "too_large", f"{where}: {n} bytes is over the {max_bytes}-byte limit", n)
    try:
        values = _row(raw, delimiter)
    except UnicodeDecodeError as exc:
        return Reject(src, "undecodable", f"{where}: not UTF-8 (byte {exc.start}); the other rows are read", n)
    except csv.Error as exc:
        return Reject(src, "bad_csv", f"{where}: malformed row ({exc})", n)
    if len(values) > len(names) and any(v.strip() for v in values[len(names):]):
        return Reject(src, "bad_csv", f"{where}: {len(values)} values for {len(names)} header names "
                                      f"(delimiter {delimiter!r}; set --delimiter if it is another)", n)
    record = {name: value for name, value in zip(names, values) if name}
    listing = listing_from_record(record, src, "csv", fields, n)
    if note and isinstance(listing, Reject) and listing.reason == "no_text":
        listing.message += note
    return listing


def scan(path: Path, every: int, fields: FieldMap = FieldMap()) -> tuple[str, int, list[int]]:
    from . import open_input
    _names, delimiter, _ = _header(path, fields, 2**62, open_input)
    return stream.scan(path, stream.csv_splitter(delimiter), every, skip_first=1)
