"""JSON (.json): one record, or an array of records (the N-th is source "file#N")."""
from __future__ import annotations

import json
from typing import Iterator

from pipeline.contract.records import Listing, Reject

from .records import listing_from_record


def read(text: str, rel: str, size: int, fields) -> Iterator[Listing | Reject]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Reject(rel, "bad_json", f"{rel}: malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", size)
        return
    records = doc if isinstance(doc, list) else [doc]
    for i, record in enumerate(records, 1):
        yield listing_from_record(record, f"{rel}#{i}" if isinstance(doc, list) else rel, "json", fields)
