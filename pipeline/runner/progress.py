"""Progress of a run on stderr: records, records/s and ETA, for runs longer than a moment."""
from __future__ import annotations

import sys
import time


class Progress:
    """Records, records/s and ETA on stderr, for runs longer than a moment."""

    def __init__(self, total_bytes: int, enabled: bool = True):
        self.total, self.done_bytes, self.records = max(1, total_bytes), 0, 0
        self.start = self.last = time.monotonic()
        self.enabled = enabled
        self.tty = sys.stderr.isatty()

    def update(self, n_bytes: int, records: int) -> None:
        self.done_bytes += n_bytes
        self.records += records
        now = time.monotonic()
        if not self.enabled or now - self.start < 2 or now - self.last < (0.5 if self.tty else 10):
            return
        self.last = now
        rate = self.records / (now - self.start)
        frac = self.done_bytes / self.total
        eta = (now - self.start) * (1 - frac) / frac if frac > 0 else 0
        line = f"{frac:6.1%}  {self.records:,} records  {rate:,.0f} records/s  ETA {eta:,.0f}s"
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled and self.tty and time.monotonic() - self.start >= 2:
            print(file=sys.stderr)


