"""Where the stages run: plan units of work (`plan`), process them in local processes (`local`) or on Dask
(`dask`), write one part file per unit per table and commit the output atomically (`write`), keep the books
(`manifest`) and show progress (`progress`); `export` turns a processed folder into one record per listing.

The names below are imported on first use (PEP 562), so a process that only needs one module (`export`,
`compact`, the bench's floor: `pipeline.runner.write`) does not import the stages, spaCy among them, with
the package: about 2 s of CPU per process (issue 16).
"""
from __future__ import annotations

import importlib

_WHERE = {"BooksDoNotBalance": "local", "OutputRefused": "local", "check_output": "local", "process_unit": "local",
          "run": "local", "Settings": "plan", "code_fingerprint": "plan", "OutputLock": "write",
          "OutputLocked": "write"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value   # once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
