"""Where the stages run: plan units of work (`plan`), process them in local processes (`local`) or on Dask
(`dask`), write one part file per unit per table and commit the output atomically (`write`), keep the books
(`manifest`) and show progress (`progress`); `export` turns a processed folder into one record per listing.
"""
from __future__ import annotations

from .local import BooksDoNotBalance, OutputRefused, check_output, process_unit, run
from .plan import Settings, code_fingerprint
from .write import OutputLock, OutputLocked

__all__ = ["BooksDoNotBalance", "OutputLock", "OutputLocked", "OutputRefused", "Settings", "check_output",
           "code_fingerprint", "process_unit", "run"]
