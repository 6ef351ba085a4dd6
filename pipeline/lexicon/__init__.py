"""Cue words and patterns live here as TOML data, apart from the code that applies them.

Each file keeps Vietnamese and English side by side. `load(name)` returns the parsed file, cached. The fitted
weights are JSON beside them: `load_linear_model` reads one standardized logistic regression.
"""
from __future__ import annotations

import functools
import json
import tomllib
from pathlib import Path

LEXICON_DIR = Path(__file__).parent


@functools.cache
def load(name: str) -> dict:
    with open(LEXICON_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def load_linear_model(path, features, trainer: str) -> dict:
    """A standardized logistic regression ({"features", "mean", "scale", "weights", "bias", ...}) fitted by
    `trainer` (a script, named in the error when the file was fitted on other features than `features`), with
    its weights folded onto the raw features: P = sigmoid(_b + x @ _w)."""
    import numpy as np   # here: the lexicon's TOML side needs no numpy
    with open(path, encoding="utf-8") as fh:
        model = json.load(fh)
    if list(model["features"]) != list(features):
        raise ValueError(f"{Path(path).name} was fitted on other features: re-run {trainer}")
    model["_w"] = np.asarray(model["weights"], dtype=float) / np.asarray(model["scale"], dtype=float)
    model["_b"] = float(model["bias"]) - float(np.dot(model["_w"], np.asarray(model["mean"], dtype=float)))
    return model
