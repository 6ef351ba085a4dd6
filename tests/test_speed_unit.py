"""process_unit turns the automatic collector off while a unit runs and gives the caller back the state it had
(no timings here: `make bench` measures)."""
from __future__ import annotations

import gc
import shutil

import pytest

from pipeline.runner.local import process_unit
from pipeline.runner.plan import Settings, plan
from conftest import SEED


@pytest.mark.parametrize("enabled", [True, False])
def test_process_unit_restores_the_collector(tmp_path, enabled):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    unit = plan(raw, Settings()).units[0]
    seen = []
    gc.callbacks.append(lambda phase, info: seen.append(phase))   # automatic collections during the unit
    (gc.enable if enabled else gc.disable)()
    try:
        res = process_unit(unit, str(raw), str(tmp_path / "staging"), Settings(), freeze_gc=False)
        assert gc.isenabled() == enabled
    finally:
        gc.callbacks.pop()
        gc.enable()
    assert res["records_read"] == 1 and res["rows"]["documents"] == 1
    assert seen == []
