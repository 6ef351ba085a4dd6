"""Parquet (.parquet): a record per row, the columns naming the fields like a JSON record's keys (the N-th row
is source "file#N"). Streamed a batch at a time (pyarrow), and big files are sliced by rows like JSON Lines;
nested columns (lists, structs) arrive as lists and dicts, kept fields carry them as JSON."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from pipeline.contract.records import Listing, Reject

from .records import FieldMap, listing_from_record

STREAMING = True
BATCH_ROWS = 1000


def _open(path: Path):
    import pyarrow.parquet as pq
    return pq.ParquetFile(path if isinstance(path, Path) else path.open("rb"))   # a UrlPath: an fsspec file


def read_stream(path: Path, rel: str, size: int, fields: FieldMap, max_bytes: int,
                lines: tuple[int, int | None], offset: int) -> Iterator[Listing | Reject]:
    first, last = lines[0], lines[1]
    try:
        pf = _open(path)
    except Exception as exc:   # pyarrow raises ArrowInvalid, OSError, ...: the file, not the run
        yield Reject(rel, "bad_parquet", f"{rel}: not a readable Parquet file ({type(exc).__name__}: {exc})", size)
        return
    # Skip whole row groups before the slice; read the rest a batch at a time.
    groups, row = [], 0
    for g in range(pf.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if row + n >= first and (last is None or row < last):
            groups.append(g)
        elif not groups:
            row += n
    if not groups:
        if first == 1:
            yield Reject(rel, "empty", f"{rel}: no rows", size)
        return
    i = row
    try:
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, row_groups=groups):
            for record in batch.to_pylist():
                i += 1
                if i < first:
                    continue
                if last is not None and i > last:
                    return
                yield listing_from_record(record, f"{rel}#{i}", "parquet", fields)
    except Exception as exc:
        yield Reject(f"{rel}#{i + 1}", "bad_parquet", f"{rel} from row {i + 1}: cannot be read "
                                                      f"({type(exc).__name__}: {exc}); the rest is not read", 0)


def scan(path: Path, every: int, fields: FieldMap = FieldMap()) -> tuple[str, int, list[int]]:
    """(sha1, size, slice starts). A Parquet slice is found by its row numbers (`lines`), not a byte offset:
    the offsets only share the file's bytes out among the slices, for the planner's unit sizes."""
    h, size = hashlib.sha1(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    try:
        n_rows = _open(path).metadata.num_rows
    except Exception:
        n_rows = 0
    n_slices = max(1, -(-n_rows // every))
    return h.hexdigest(), size, [size * k // n_slices for k in range(n_slices)]
