"""CSV (.csv): a record per row, the header naming the fields (the N-th row is source "file#N")."""
from __future__ import annotations

import csv
import io
from typing import Iterator

from pipeline.contract.records import Listing, Reject

from .records import listing_from_record


def read(text: str, rel: str, size: int, fields) -> Iterator[Listing | Reject]:
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        yield Reject(rel, "bad_csv", f"{rel}: malformed CSV ({exc})", size)
        return
    for i, row in enumerate(rows, 1):
        yield listing_from_record(row, f"{rel}#{i}", "csv", fields)
