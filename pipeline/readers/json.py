"""JSON (.json): one record, or an array of records (the N-th is source "file#N"). Arrays are streamed element
by element (`stream.iter_array`: split, not parsed, so memory holds one element) and big ones are sliced like
JSON Lines; a single object is read whole within --max-bytes."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from pipeline.contract.records import Listing, Reject
from pipeline.text.normalize import DecodeError

from . import stream
from .jsonl import parse
from .records import FieldMap, listing_from_record

STREAMING = True


def split(fh, start: int = 0, limit: int | None = None):
    return stream.iter_array(fh, start, limit)


def read_stream(path: Path, rel: str, size: int, fields: FieldMap, max_bytes: int,
                lines: tuple[int, int | None], offset: int) -> Iterator[Listing | Reject]:
    from . import open_input
    first, last = lines[0], lines[1]
    try:
        fh, _encoding = stream.open_utf8(lambda: open_input(path), max_bytes)
    except DecodeError as exc:
        yield Reject(rel, exc.reason, f"{rel}: {exc}", size)
        return
    with fh:
        i, n = first - 1, 0
        try:
            for i, raw in stream.numbered(fh, split, first, last, offset, max_bytes):
                n += 1
                yield parse(raw, f"{rel}#{i}", f"{rel} record {i}", "json", fields, max_bytes)
        except stream.RecordTooLarge as exc:
            yield Reject(f"{rel}#{i + 1}", "too_large", f"{rel} record {i + 1}: {exc}; the rest is not read", 0)
            return
        except ValueError:      # not an array: one record, read whole
            if first != 1:
                return
            yield from _read_one(path, rel, size, fields, max_bytes)
            return
    if first == 1 and last is None and n == 0:
        yield Reject(rel, "empty", f"{rel}: empty file (or an empty array)", size)


def _read_one(path, rel, size, fields, max_bytes) -> Iterator[Listing | Reject]:
    from . import whole_text
    whole = whole_text(path, rel, size, max_bytes, limit_note="")
    if isinstance(whole, Reject):
        yield whole
        return
    text, n_bytes = whole
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Reject(rel, "bad_json", f"{rel}: malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
                     size)
        return
    except RecursionError:
        yield Reject(rel, "bad_json", f"{rel}: JSON nested too deeply to read", size)
        return
    yield listing_from_record(doc, rel, "json", fields, n_bytes)


def scan(path: Path, every: int, fields: FieldMap = FieldMap()) -> tuple[str, int, list[int]]:
    return stream.scan(path, split, every)
