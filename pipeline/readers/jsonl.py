"""JSON Lines (.jsonl, .ndjson): a record per line, streamed (UTF-8, as the format requires), so a big
file never sits in memory; the runner reads big files in slices of lines (`lines`, `offset`)."""
from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Iterator

from pipeline.contract.records import Listing, Reject
from pipeline.text.normalize import BINARY_SAMPLE_BYTES, looks_binary

from .records import FieldMap, listing_from_record

STREAMING = True


def read_stream(path: Path, rel: str, size: int, fields: FieldMap, max_bytes: int,
                lines: tuple[int, int | None], offset: int) -> Iterator[Listing | Reject]:
    """JSON Lines stream line by line (UTF-8, as the format requires), so a big file never sits in memory;
    the size limit applies to each record."""
    first, last = lines
    with open(path, "rb") as fh:
        if first == 1:
            head = fh.read(BINARY_SAMPLE_BYTES)
            if not head.strip():
                yield Reject(rel, "empty", f"{rel}: empty file", size)
                return
            if looks_binary(head):
                yield Reject(rel, "binary", f"{rel}: binary content (NUL or control bytes)", size)
                return
        fh.seek(offset)
        for lineno, raw_line in enumerate(fh, first):
            if last is not None and lineno > last:
                break
            if lineno == 1 and raw_line.startswith(codecs.BOM_UTF8):
                raw_line = raw_line[3:]
            if not raw_line.strip():
                continue
            src, n = f"{rel}#{lineno}", len(raw_line)
            if n > max_bytes:
                yield Reject(src, "too_large", f"{rel} line {lineno}: {n} bytes is over the {max_bytes}-byte limit", n)
                continue
            try:
                record = json.loads(raw_line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Reject(src, "undecodable", f"{rel} line {lineno}: not UTF-8 (byte {exc.start})", n)
                continue
            except json.JSONDecodeError as exc:
                yield Reject(src, "bad_json", f"{rel} line {lineno}: malformed JSON ({exc.msg} at column {exc.colno})", n)
                continue
            yield listing_from_record(record, src, "jsonl", fields)
