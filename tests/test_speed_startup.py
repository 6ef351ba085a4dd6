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
from pipeline.runner.arrow import arrow_without_pandas
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


def test_workers_warm_up_as_they_start_and_the_parent_does_not():
    """What a worker builds on its first listings (spaCy's English pipeline, langdetect's profiles) it has
    before its first unit arrives, built in the worker (the parent plans meanwhile); it inherits the parent's
    imports, frozen."""
    code = """
import gc, sys
from pipeline.runner.local import _fork_workers, _stop_workers
def state():
    return ("spacy.lang.en" in sys.modules, "langdetect.detector_factory" in sys.modules, "spacy" in sys.modules,
            gc.get_freeze_count() > 1000)
pool = _fork_workers(2)
try:
    assert state()[:2] == (False, False) and gc.get_freeze_count() == 0, state()
    assert all(pool.submit(state).result() == (True, True, True, True) for _ in range(4))
finally:
    _stop_workers(pool, kill=False)
print("ok")
"""
    res = python("-c", code)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]


def test_the_warm_up_page_reaches_every_stage_and_changes_no_row(tmp_path):
    """The page gives policy facts, sections and a language only langdetect tells; a unit processed after it
    gives the rows it gives in a fresh process."""
    from pipeline.readers.records import make_listing
    from pipeline.runner.local import WARM_UP_PAGE
    from pipeline.stages import process
    listing = process(make_listing("w.html", "html", None, None, WARM_UP_PAGE, len(WARM_UP_PAGE), is_html=True))
    assert listing.facts and listing.sections and listing.sentences
    assert {b.zone for b in listing.blocks} >= {"policy", "description"}
    assert any(b.lang_reason == "langdetect" for b in listing.blocks)
    code = """
import sys
from pathlib import Path
from pipeline.runner.local import _warm_up, run
if sys.argv[1] == "warm":
    _warm_up()
run(sys.argv[2], sys.argv[3], workers=1, progress=False)
"""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    for how in ("cold", "warm"):
        res = python("-c", code, how, str(raw), str(tmp_path / how))
        assert res.returncode == 0, res.stderr[-2000:]
    import pyarrow.parquet as pq
    from pipeline.contract.schema import TABLES
    for name in TABLES:
        assert pq.read_table(tmp_path / "cold" / name).equals(pq.read_table(tmp_path / "warm" / name)), name
