"""Shared fixtures. Tests use only files in this repository (raw/ and tests/data/)."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "000_80d7723cb6c526a9.txt"   # the sample listing, byte for byte from shared/seed
DATA = ROOT / "tests" / "data"


def load_script(name: str):
    """scripts/<name>.py as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The whole pipeline once on the sample listing; returns (output folder, tables as DataFrames)."""
    import pandas as pd
    from pipeline.runner import run
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(SEED, raw / SEED.name)
    out = tmp_path_factory.mktemp("run") / "processed"
    manifest = run(raw, out, workers=1, progress=False)
    tables = {name: pd.read_parquet(out / name) for name in manifest["rows"]}
    return out, tables, manifest


@pytest.fixture(scope="session")
def seed_listing():
    from pipeline.readers import read_file
    from pipeline.stages import process
    listing = next(read_file(SEED, SEED.parent))
    return process(listing)
