"""The whole run on the sample listing: the output contract and the sample's exact values."""
from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from pipeline.contract.schema import TABLES
from conftest import ROOT, SEED


def test_every_table_matches_its_schema(seed_run):
    out, _, manifest = seed_run
    for name, schema in TABLES.items():
        parts = sorted((out / name).glob("part-*.parquet"))
        assert parts, name
        for part in parts:
            written = pq.read_schema(part)
            assert written.names == schema.names
            assert [f.type for f in written] == [f.type for f in schema]
            assert pq.ParquetFile(part).metadata.row_group(0).column(0).compression == "ZSTD"
            assert written.metadata[b"schema_version"]
    assert manifest["books_balance"] and manifest["records_read"] == 1


def test_blocks_slice_back_and_the_policy_zone_is_the_first_six_lines(seed_run):
    _, t, _ = seed_run
    text = t["documents"].text.iloc[0]
    blocks = t["blocks"].sort_values("block_id")
    for b in blocks.itertuples():
        assert text[b.char_start:b.char_end] == b.text
    first = blocks.iloc[:6]
    assert list(first.zone) == ["policy"] * 6
    assert list(first.lang) == ["vi"] * 6
    assert first.kind.iloc[0] == "heading" and first.text.iloc[0] == "Chính Sách Vận Chuyển Và Đổi Trả Hàng"
    assert list(first.kind.iloc[2:6]) == ["bullet"] * 4
    heading = blocks.iloc[6]
    assert (heading.text, heading.kind, heading.zone) == ("Mô tả sản phẩm", "heading", "description")
    article = blocks.iloc[7:]
    assert len(article) == 33
    assert set(article.zone) == {"description"} and set(article.lang) == {"en"}
    assert set(article.kind) == {"paragraph"}


def test_exactly_the_five_policy_facts(seed_run):
    _, t, _ = seed_run
    text = t["documents"].text.iloc[0]
    facts = t["policy_facts"].sort_values("char_start")
    got = [(f.fact_type, f.value_min, f.value_max, f.unit) for f in facts.itertuples()]
    nan = None
    norm = [(a, None if v != v else v, None if w != w else w, u) for a, v, w, u in got]
    assert norm == [
        ("free_shipping_threshold", 500000.0, nan, "VND"),
        ("shipping_fee", 50000.0, 50000.0, "VND"),
        ("delivery_time", 2.0, 3.0, "day"),
        ("express_delivery", nan, 24.0, "hour"),
        ("return_window", nan, 30.0, "day"),
    ]
    for f in facts.itertuples():
        assert text[f.char_start:f.char_end] == f.evidence and f.lang == "vi"
    quals = list(facts.qualifier)
    assert "all orders" in quals[0] and "domestic" in quals[1] and "weekdays" in quals[2]
    assert "if not satisfied" in quals[4]


def test_catalog_has_the_policy_as_typed_columns(seed_run):
    _, t, _ = seed_run
    c = t["catalog"].iloc[0]
    assert (c.free_shipping_threshold, c.shipping_fee_min, c.delivery_time_min, c.delivery_time_max,
            c.express_delivery_time, c.return_window) == (500000, 50000, 2, 3, 24, 30)
    assert (c.currency, c.delivery_time_unit, c.express_delivery_unit, c.return_window_unit) == ("VND", "day", "hour", "day")
    assert c.description_lang == "en" and c.description_text.startswith("The job interview")   # no wrapper heading
    assert len(t["catalog"]) == len(t["documents"]) == 1


def test_article_sections_are_inferred_in_two_levels(seed_run):
    _, t, _ = seed_run
    s = t["sections"].sort_values("section_id")
    text = t["documents"].text.iloc[0]
    inferred = s[s.heading_source == "inferred"]
    groups = inferred[inferred.level == 2]
    points = inferred[inferred.level == 3]
    assert len(groups) >= 5 and len(points) >= 5
    assert s.iloc[-1].heading.lower().startswith("in conclusion")
    for row in s.itertuples():
        assert text[row.char_start:row.char_end] == row.text
    sent = t["sentences"]
    for row in sent.itertuples():
        assert text[row.char_start:row.char_end] == row.text
    assert s.iloc[0].n_paragraphs == 33


def test_two_runs_give_identical_rows(seed_run, tmp_path):
    from pipeline.runner import run
    import pandas as pd
    out, t, _ = seed_run
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    run(raw, tmp_path / "again", workers=1, progress=False)
    for name, df in t.items():
        other = pd.read_parquet(tmp_path / "again" / name)
        pd.testing.assert_frame_equal(df.reset_index(drop=True), other.reset_index(drop=True))


def test_cli_run_summary_and_bad_arguments(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(SEED.read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--workers", "1"]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "read 2 records" in res.stdout and "rejected 1 (empty 1)" in res.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    from pipeline.runner.manifest import iter_inputs
    assert manifest["rows"]["documents"] == 1 and next(iter_inputs(tmp_path / "out" / "inputs.parquet"))["sha1"]
    again = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0 and "up to date" in again.stdout
    missing = subprocess.run(cmd[:5] + [str(tmp_path / "nope")] + cmd[6:], capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_stage_commands_chain_like_the_runner(tmp_path):
    res = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "--raw", str(ROOT / "raw")],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    records = res.stdout
    for stage in ("segment", "langid", "zones", "facts"):
        records = subprocess.run([sys.executable, "-m", "pipeline", stage], input=records, capture_output=True,
                                 text=True, cwd=ROOT, check=True).stdout
    listing = json.loads(records)
    assert len(listing["facts"]) == 5 and len(listing["blocks"]) == 40


@pytest.mark.parametrize("command", ["run", "ingest", "segment", "sections", "schema"])
def test_help_explains_each_command(command):
    res = subprocess.run([sys.executable, "-m", "pipeline", command, "--help"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and "usage:" in res.stdout


def test_readme_data_dictionary_is_the_schema():
    from pipeline.contract.schema import data_dictionary
    assert data_dictionary().strip() in (ROOT / "README.md").read_text(encoding="utf-8")
