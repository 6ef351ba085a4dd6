"""Cue words and patterns live here as TOML data, apart from the code that applies them.

Each file keeps Vietnamese and English side by side. `load(name)` returns the parsed file, cached.
"""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

LEXICON_DIR = Path(__file__).parent


@functools.cache
def load(name: str) -> dict:
    with open(LEXICON_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)
