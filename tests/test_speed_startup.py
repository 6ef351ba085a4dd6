"""Start-up of a run (issue 16): what a command's process imports, and what a worker holds before its first
unit. Behaviour only, never time: each check runs in a fresh interpreter, since this test process imported
and built everything long ago."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "raw" / "000_80d7723cb6c526a9.txt"


def python(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, **kw)


def imported(importtime_log: str) -> set[str]:
    """Modules named by `python -X importtime` (an import attempt that found nothing is listed too)."""
    return {line.rsplit("|", 1)[1].strip() for line in importtime_log.splitlines() if line.startswith("import time:")}


def test_a_run_on_one_text_listing_does_not_import_pandas(tmp_path):
    """No command uses pandas; pyarrow imported it (about 0.25 s of CPU) only to ask whether the lists it
    converts are pandas objects."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    res = python("-X", "importtime", "-m", "pipeline", "run", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr[-2000:]
    assert (tmp_path / "out" / "manifest.json").exists()
    names = imported(res.stderr)
    assert "spacy" in names and "pyarrow" in names   # the log is the run's
    assert not {n for n in names if n.startswith("pandas.")}


def test_pandas_stays_usable_once_pyarrow_was_told_it_is_absent():
    code = """
import sys
from pipeline.cli import arrow_without_pandas
arrow_without_pandas()
import pyarrow as pa
t = pa.table({"x": [1, 2], "s": ["a", None]})
assert "pandas" not in sys.modules
df = t.to_pandas()   # pyarrow imports pandas when its pandas functions are called
assert "pandas" in sys.modules and list(df["x"]) == [1, 2]
assert pa.table(df).select(["x"]).to_pylist() == [{"x": 1}, {"x": 2}]
assert pa.Table.from_pandas(df, preserve_index=False).to_pylist() == t.to_pylist()
import pandas
assert not any(type(f).__name__ == "_PandasHidden" for f in sys.meta_path)
print("ok")
"""
    res = python("-c", code)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]


def test_a_library_caller_of_main_keeps_pyarrows_pandas():
    """`main([...])` is a library call (tests, notebooks): pyarrow is left to find pandas as usual."""
    code = """
import sys
from pipeline.__main__ import main
main(["schema", "--format", "json"])
import pyarrow as pa
pa.array([1])
assert "pandas" in sys.modules
print("ok")
"""
    res = python("-c", code)
    assert res.returncode == 0 and res.stdout.strip().endswith("ok"), res.stderr[-2000:]
