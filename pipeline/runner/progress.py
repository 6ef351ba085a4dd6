"""Progress of a run on stderr: the planning phase, then records, records/s and ETA, for runs longer than a
moment. On a terminal the line is redrawn in place and each redraw erases what the last one left (no "ETA
41ss"); the line is erased when the run ends. Elsewhere (a log file) a plain line every 10 seconds."""
from __future__ import annotations

import sys
import time

SHOW_AFTER_SECONDS = 2        # runs shorter than this print nothing
REDRAW_SECONDS_TTY = 0.5
REDRAW_SECONDS_LOG = 10
ERASE_LINE = "\r\033[K"       # carriage return, then erase to the end of the line (ANSI EL)


class Progress:
    """`phase(text)` while planning, `begin(total_bytes, ...)` when the units are known, `update` per unit,
    `close` at the end."""

    def __init__(self, total_bytes: int = 0, enabled: bool = True, stream=None, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.total, self.done_bytes, self.records = max(1, total_bytes), 0, 0
        self.start = self.last = clock()
        self.shown = False   # something is on the terminal line

    def _show(self, line: str) -> None:
        if self.tty:
            print(ERASE_LINE + line, end="", file=self.stream, flush=True)
            self.shown = True
        else:
            print(line, file=self.stream, flush=True)

    def phase(self, text: str) -> None:
        """A phase before the units run (planning): shown at once on a terminal."""
        if self.enabled and self.tty:
            self._show(text)

    def begin(self, total_bytes: int, n_units: int = 0, n_reused: int = 0) -> None:
        self.total, self.done_bytes, self.records = max(1, total_bytes), 0, 0
        self.start = self.last = self.clock()
        if self.enabled and self.tty:
            self._show(f"processing {n_units:,} units ({n_reused:,} reused) ...")

    def update(self, n_bytes: int, records: int) -> None:
        self.done_bytes += n_bytes
        self.records += records
        now = self.clock()
        every = REDRAW_SECONDS_TTY if self.tty else REDRAW_SECONDS_LOG
        if not self.enabled or now - self.start < SHOW_AFTER_SECONDS or now - self.last < every:
            return
        self.last = now
        rate = self.records / (now - self.start)
        frac = min(1.0, self.done_bytes / self.total)
        eta = (now - self.start) * (1 - frac) / frac if frac > 0 else 0
        self._show(f"{frac:6.1%}  {self.records:,} records  {rate:,.0f} records/s  ETA {eta:,.0f}s")

    def close(self) -> None:
        if self.enabled and self.tty and self.shown:
            print(ERASE_LINE, end="", file=self.stream, flush=True)
            self.shown = False
