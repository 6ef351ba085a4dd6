"""The duplicate check across units in bounded memory.

The same listing (same doc_id) in several units: the first in input order (plan order, then row order
within a unit) is kept, the others are duplicates. Instead of a dict of every id, the (doc_id, source,
order) columns of the units' documents parts are hash-partitioned by the doc_id's first characters into
at most `PARTITION_ROWS`-row partitions (spilled to Parquet files when there is more than one), and each
partition is grouped in Arrow: memory is bounded by one partition, not by the run.
"""
from __future__ import annotations

import shutil
import string
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

PARTITION_ROWS = 500_000    # ids grouped at once (about 40 MB of Arrow columns); more spill to partitions
GATHER_PARTS = 64          # parts' ids read into one table (an Arrow table per part cost ~20 KB of native
                           # memory each, kept to the end: 3,125 mostly empty parts at 100,000 small files)
ORDER_SHIFT = 32            # order = unit index << ORDER_SHIFT | row: plan order, then row order

# Two leading characters of a doc_id (hex) name one of 256 buckets; partitions take buckets modulo their count.
_PREFIXES = pa.array([a + b for a in string.hexdigits[:16] for b in string.hexdigits[:16]])


@dataclass(frozen=True)
class Duplicate:
    unit: str         # key of the unit holding the duplicate
    doc_id: str
    source: str       # of the duplicate
    first: str        # source of the listing kept


def _ids(part: Path, index: int) -> pa.Table:
    t = pq.read_table(part, columns=["doc_id", "source"])
    order = pa.array((index << ORDER_SHIFT) + pa.array(range(t.num_rows), pa.int64()).to_numpy(), pa.int64())
    return t.append_column("order", order)


def _bucket(doc_id: pa.ChunkedArray | pa.Array, n_parts: int) -> pa.Array:
    prefix = pc.utf8_slice_codeunits(doc_id, 0, 2)
    idx = pc.fill_null(pc.index_in(pc.utf8_lower(prefix), value_set=_PREFIXES), 0)
    return pc.cast(idx, pa.int64()).to_numpy() % n_parts if n_parts > 1 else None


def _duplicates_in(table: pa.Table, keys: list[str]) -> list[tuple[int, Duplicate]]:
    """(order, Duplicate) for every row of `table` whose doc_id occurred at a smaller order."""
    if table.num_rows == 0:
        return []
    counts = table.group_by("doc_id").aggregate([("order", "count")])
    repeated = counts.filter(pc.greater(counts["order_count"], 1))["doc_id"]
    if len(repeated) == 0:
        return []
    rows = table.filter(pc.is_in(table["doc_id"], value_set=repeated.combine_chunks()))
    rows = rows.sort_by([("doc_id", "ascending"), ("order", "ascending")])
    out, first_of = [], {}
    for doc_id, source, order in zip(*(rows[c].to_pylist() for c in ("doc_id", "source", "order"))):
        if doc_id in first_of:
            out.append((order, Duplicate(keys[order >> ORDER_SHIFT], doc_id, source, first_of[doc_id])))
        else:
            first_of[doc_id] = source
    return out


def find_duplicates(parts: list[tuple[str, Path]], spill: Path, partition_rows: int | None = None) -> list[Duplicate]:
    """The duplicates among the documents parts `parts` ((unit key, path) in plan order), in input order.
    `spill` is a folder for the partitions (created and removed here)."""
    partition_rows = partition_rows or PARTITION_ROWS
    keys = [k for k, _ in parts]
    n_rows = sum(pq.ParquetFile(p).metadata.num_rows for _, p in parts)
    n_parts = min(len(_PREFIXES), max(1, -(-n_rows // partition_rows)))
    found: list[tuple[int, Duplicate]] = []
    if n_parts == 1:
        tables, gathered = [], []
        for i, (_, p) in enumerate(parts):
            t = _ids(p, i)
            if t.num_rows:   # empty parts add nothing but their table's overhead
                gathered.append(t)
            if len(gathered) >= GATHER_PARTS:
                tables.append(pa.concat_tables(gathered).combine_chunks())
                gathered = []
        if gathered:
            tables.append(pa.concat_tables(gathered).combine_chunks())
        del gathered
        if tables:
            found = _duplicates_in(pa.concat_tables(tables), keys)
    else:
        spill.mkdir(parents=True, exist_ok=True)
        try:
            writers: dict[int, pq.ParquetWriter] = {}
            for i, (_, p) in enumerate(parts):
                t = _ids(p, i)
                buckets = _bucket(t["doc_id"], n_parts)
                for b in range(n_parts):
                    piece = t.filter(pa.array(buckets == b))
                    if piece.num_rows:
                        if b not in writers:
                            writers[b] = pq.ParquetWriter(spill / f"{b}.parquet", piece.schema, compression="lz4")
                        writers[b].write_table(piece)
            for w in writers.values():
                w.close()
            for b in sorted(writers):
                found.extend(_duplicates_in(pq.read_table(spill / f"{b}.parquet"), keys))
        finally:
            shutil.rmtree(spill, ignore_errors=True)
    found.sort(key=lambda x: x[0])
    return [d for _, d in found]
