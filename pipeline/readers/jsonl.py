"""JSON Lines (.jsonl, .ndjson): a record per line, streamed, so a big file never sits in memory; the runner
reads big files in slices of lines (`lines`, `offset`). Lines end with \\n, \\r\\n or a lone \\r."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from pipeline.contract.records import Listing, Reject

from . import stream
from .records import FieldMap, listing_from_record

STREAMING = True


def split(fh, start: int = 0, limit: int | None = None):
    return stream.iter_lines(fh, start, limit)


def parse(raw: bytes, src: str, where: str, fmt: str, fields: FieldMap, max_bytes: int) -> Listing | Reject:
    """One record's bytes (UTF-8 JSON) -> a Listing or a Reject; never raises."""
    n = len(raw)
    if n > max_bytes:
        return Reject(src, "too_large", f"{where}: {n} bytes is over the {max_bytes}-byte limit", n)
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Reject(src, "undecodable", f"{where}: not UTF-8 (byte {exc.start})", n)
    except json.JSONDecodeError as exc:
        return Reject(src, "bad_json", f"{where}: malformed JSON ({exc.msg} at column {exc.colno})", n)
    except RecursionError:
        return Reject(src, "bad_json", f"{where}: JSON nested too deeply to read", n)
    return listing_from_record(record, src, fmt, fields, n)


def read_stream(path: Path, rel: str, size: int, fields: FieldMap, max_bytes: int,
                lines: tuple[int, int | None], offset: int) -> Iterator[Listing | Reject]:
    """Lines `lines[0]..lines[1]` (the first starting at byte `offset`); the size limit applies to each line."""
    from . import open_input
    from pipeline.text.normalize import DecodeError
    first, last = lines[0], lines[1]
    try:
        fh, _encoding = stream.open_utf8(lambda: open_input(path), max_bytes)
    except DecodeError as exc:
        yield Reject(rel, exc.reason, f"{rel}: {exc}", size)
        return
    with fh:
        lineno, n_records = first - 1, 0
        try:
            for lineno, raw_line in stream.numbered(fh, split, first, last, offset, max_bytes):
                if lineno == 1:
                    raw_line = stream.strip_bom(raw_line)
                if not raw_line.strip():
                    continue
                n_records += 1
                yield parse(raw_line, f"{rel}#{lineno}", f"{rel} line {lineno}", "jsonl", fields, max_bytes)
        except stream.RecordTooLarge as exc:
            n_records += 1
            yield Reject(f"{rel}#{lineno + 1}", "too_large",
                         f"{rel} line {lineno + 1}: {exc}; the rest of the file is not read", 0)
        if first == 1 and last is None and n_records == 0:
            yield Reject(rel, "empty", f"{rel}: empty file", size)


def scan(path: Path, every: int, fields: FieldMap = FieldMap()) -> tuple[str, int, list[int]]:
    return stream.scan(path, split, every)
