"""Input files by name: `PathIndex`, the row of each path in a column of paths (the inputs sidecar's), for
export's sha1 per listing and for planning that looks the previous run's records up out of walk order.

Compact (issue 16): the paths' 64-bit hashes sorted (8 bytes a path) and the row of each (4 bytes), over
the Arrow column of paths itself, which the caller holds anyway; about 12 bytes a path against about 140 for
a dict of Python strs to row numbers. The hash is Python's own `hash(str)` (SipHash, in C): an index lives
in one process, so it need not be stable across processes, and a hash collision is settled by the path.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

KEY_BATCH = 65536   # paths turned into Python strs at a time while the index is built


path_key = hash   # a path's 64-bit key (its hash in this process): the index's sort key


def path_keys(paths: list[str]) -> np.ndarray:
    return np.fromiter(map(path_key, paths), dtype=np.int64, count=len(paths))


class PathIndex:
    """The row of each path in `paths` (an Arrow array of strings, kept by reference; a chunked array is
    combined into one unless it is one chunk: a row of a chunked array costs about 5 µs to reach)."""

    def __init__(self, paths: pa.Array | pa.ChunkedArray):
        if isinstance(paths, pa.ChunkedArray):
            paths = paths.chunk(0) if paths.num_chunks == 1 else paths.combine_chunks()
        self.paths = paths
        n = len(paths)
        keys = np.empty(n, np.int64)
        for lo in range(0, n, KEY_BATCH):   # the paths as Python strs only a batch at a time
            keys[lo:lo + KEY_BATCH] = path_keys(paths.slice(lo, KEY_BATCH).to_pylist())
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows_by_key = order.astype(np.int32 if n < 2**31 else np.int64)

    def __len__(self) -> int:
        return len(self.paths)

    def rows(self, names: list[str]) -> np.ndarray:
        """The row of each name (int64; -1 for a name that is not in the column)."""
        out = np.full(len(names), -1, np.int64)
        if not names or not len(self.keys):
            return out
        q = path_keys(names)
        at = np.searchsorted(self.keys, q)
        hit = np.flatnonzero(self.keys[np.minimum(at, len(self.keys) - 1)] == q)
        if not len(hit):
            return out
        candidates = self.rows_by_key[at[hit]].astype(np.int64)
        found = self.paths.take(pa.array(candidates)).to_pylist()
        for j, row, path in zip(hit.tolist(), candidates.tolist(), found):
            # the first row of that key; another path of the same key is settled row by row
            out[j] = row if path == names[j] else self._after_collision(names[j], int(q[j]), int(at[j]))
        return out

    def row(self, name: str) -> int | None:
        """The row of one name, or None."""
        if not len(self.keys):
            return None
        key = path_key(name)
        row = self._after_collision(name, key, int(self.keys.searchsorted(key)))
        return None if row < 0 else row

    def _after_collision(self, name: str, key: int, i: int) -> int:
        """The row among those of `key` (from sorted position i on) whose path is `name`, or -1."""
        while i < len(self.keys) and self.keys[i] == key:
            row = int(self.rows_by_key[i])
            if self.paths[row].as_py() == name:
                return row
            i += 1
        return -1
