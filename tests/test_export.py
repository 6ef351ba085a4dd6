"""`python -m pipeline export`: one record per catalog row in jsonl, parquet and csv, valid against
pipeline/export.schema.json, ordered by doc_id, with clear errors. Runs the pipeline on the repo's raw/
plus a few small JSON records written here, so there is more than one listing."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.__main__ import main
from pipeline.runner.export import EXPORT_COLUMNS, EXPORT_SCHEMA_PATH, export_schema, json_schema
from pipeline.contract.schema import CATALOG, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "000_80d7723cb6c526a9.txt"

EXTRA = [
    {"id": "t-1", "title": "Bình giữ nhiệt inox 500ml",
     "description": "<h2>Đặc điểm nổi bật</h2><ul><li>Chất liệu inox 304 an toàn</li><li>Giữ nhiệt 12 giờ</li></ul>"
                    "<h2>Thông số</h2><p>Dung tích 500ml, nặng 300g, cao 22cm.</p>"
                    "<h2>Chính sách bảo hành</h2><p>Bảo hành 12 tháng cho lỗi của nhà sản xuất.</p>"
                    "<p>Đổi trả trong 7 ngày nếu sản phẩm lỗi.</p>"},
    {"id": "t-2", "title": "Áo thun cotton nam",
     "description": "Áo thun cotton 100%, co giãn 4 chiều, thấm hút mồ hôi tốt.\nSize M, L, XL.\n"
                    "Miễn phí vận chuyển cho đơn hàng từ 300.000đ.\nGiao hàng trong 3-5 ngày."},
]
SINGLE = {"id": "t-3", "title": "Ceramic mug 350 ml, \"Nordic\"",
          "description": "A sturdy ceramic mug, 350 ml, dishwasher safe.\nColour: white. Height 9.5 cm."}


def write_raw(raw: Path) -> None:
    for f in (ROOT / "raw").iterdir():
        shutil.copy(f, raw / f.name)
    with open(raw / "extra.jsonl", "w", encoding="utf-8") as fh:
        for rec in EXTRA:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    (raw / "single.json").write_text(json.dumps(SINGLE, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """processed folder, catalog DataFrame and {format: path} of the three exports."""
    from pipeline.runner import run
    raw = tmp_path_factory.mktemp("raw")
    write_raw(raw)
    base = tmp_path_factory.mktemp("export")
    processed = base / "processed"
    run(raw, processed, workers=1, progress=False)
    paths = {}
    for fmt in ("jsonl", "parquet", "csv"):
        paths[fmt] = base / "out" / f"listings.{fmt}"
        assert main(["export", "--format", fmt, "--out", str(paths[fmt]), "--processed", str(processed)]) == 0
    catalog = pd.read_parquet(processed / "catalog")
    return processed, catalog, paths


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_record_per_catalog_row_ordered_by_doc_id(exported):
    _, catalog, paths = exported
    recs = read_jsonl(paths["jsonl"])
    assert len(catalog) == 1 + len(EXTRA) + 1
    assert len(recs) == len(catalog)
    ids = [r["doc_id"] for r in recs]
    assert ids == sorted(catalog["doc_id"])
    assert [list(r) for r in recs] == [list(EXPORT_COLUMNS)] * len(recs)


def test_jsonl_records_validate_against_the_schema(exported):
    import jsonschema
    schema = json.loads(EXPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    recs = read_jsonl(exported[2]["jsonl"])
    errors = [f"{r['doc_id']}: {e.json_path}: {e.message}" for r in recs for e in validator.iter_errors(r)]
    assert not errors, "\n".join(errors)
    # the schema is not vacuous: a record missing a field, or with a wrong type, fails
    broken = dict(recs[0])
    del broken["return_days"]
    assert not validator.is_valid(broken)
    assert not validator.is_valid({**recs[0], "sections": [{"section_id": 0}]})


def _without_descriptions(node):
    if isinstance(node, dict):
        return {k: _without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def test_schema_file_matches_the_export_columns():
    schema = json.loads(EXPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _without_descriptions(schema) == _without_descriptions(json_schema()), (
        "pipeline/export.schema.json is out of date with the catalog's columns (pipeline/schema.py); "
        "regenerate it: python -m pipeline.runner.export > pipeline/contract/export.schema.json")
    assert list(schema["properties"]) == list(EXPORT_COLUMNS)
    assert schema["required"] == list(EXPORT_COLUMNS)
    for field in export_schema():
        types = schema["properties"][field.name]["type"]
        types = types if isinstance(types, list) else [types]
        assert ("null" in types) == field.nullable, field.name
    assert set(CATALOG.names) <= set(EXPORT_COLUMNS), "every catalog column is exported"


def test_parquet_and_csv_round_trip_the_same_records(exported):
    _, _, paths = exported
    recs = read_jsonl(paths["jsonl"])
    ids = [r["doc_id"] for r in recs]

    table = pq.read_table(paths["parquet"])
    assert table.schema.names == list(EXPORT_COLUMNS)
    assert table.schema.metadata[b"schema_version"] == SCHEMA_VERSION.encode()
    rows = table.to_pylist()
    assert [r["doc_id"] for r in rows] == ids
    assert [r["sections"] for r in rows] == [r["sections"] for r in recs]   # nested list of structs
    for col in ("free_shipping_threshold_vnd", "return_days", "warranty_months", "title", "keyword_stuffing"):
        assert [r[col] for r in rows] == [r[col] for r in recs], col

    csv = pd.read_csv(paths["csv"], dtype={"doc_id": str, "schema_version": str}, keep_default_na=False)
    assert list(csv.columns) == list(EXPORT_COLUMNS)
    assert list(csv["doc_id"]) == ids
    assert [json.loads(s) for s in csv["sections"]] == [r["sections"] for r in recs]   # JSON string
    assert list(csv["description_text"]) == [r["description_text"] for r in recs]       # newlines survive
    assert list(csv["title"]) == [r["title"] or "" for r in recs]                      # quotes, commas
    assert list(csv["schema_version"]) == [SCHEMA_VERSION] * len(recs)
    ret = pd.to_numeric(csv["return_days"].replace("", None))
    assert [None if pd.isna(v) else v for v in ret] == [r["return_days"] for r in recs]


def test_the_seed_record(exported):
    recs = {r["source"]: r for r in read_jsonl(exported[2]["jsonl"])}
    seed = recs[SEED.name]
    assert seed["free_shipping_threshold_vnd"] == 500000
    assert seed["return_days"] == 30
    assert seed["source_format"] == "txt"
    assert seed["source_sha1"] == hashlib.sha1(SEED.read_bytes()).hexdigest()
    assert seed["schema_version"] == SCHEMA_VERSION
    assert seed["description_lang"] == "en" and seed["policy_lang"] == "vi"
    assert seed["sections"], "the seed's description has an outline"
    seen = set()
    for s in seed["sections"]:
        assert s["parent_id"] is None or s["parent_id"] in seen
        seen.add(s["section_id"])
    # the JSON record from a multi-record file points at its record
    assert recs["extra.jsonl#1"]["source_format"] == "jsonl"
    assert recs["extra.jsonl#1"]["source_sha1"] is not None


def test_outline_equals_the_sections_table(exported):
    processed, _, paths = exported
    sections = pd.read_parquet(processed / "sections")
    cols = ["section_id", "parent_id", "level", "heading", "heading_source"]
    for rec in read_jsonl(paths["jsonl"]):
        mine = sections[sections["doc_id"] == rec["doc_id"]].sort_values("section_id")[cols]
        expected = [{k: (None if pd.isna(v) else int(v) if k in ("section_id", "parent_id", "level") else v)
                     for k, v in row.items()} for row in mine.to_dict("records")]
        assert rec["sections"] == expected


def test_export_is_deterministic_and_can_go_to_stdout(exported, tmp_path, capsys):
    processed, _, paths = exported
    again = tmp_path / "again.jsonl"
    assert main(["export", "--out", str(again), "--processed", str(processed)]) == 0   # format from suffix
    assert again.read_bytes() == paths["jsonl"].read_bytes()
    capsys.readouterr()
    assert main(["export", "--format", "csv", "--out", "-", "--processed", str(processed)]) == 0
    out = capsys.readouterr()
    assert out.out == paths["csv"].read_text(encoding="utf-8")
    assert "exported" in out.err


def test_missing_processed_folder_exits_2_with_one_line(tmp_path):
    out = tmp_path / "x.jsonl"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "export", "--format", "jsonl", "--out", str(out),
                           "--processed", str(tmp_path / "nope")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "nope" in lines[0] and "does not exist" in lines[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_folder_that_is_not_an_output_exits_2(tmp_path, capsys):
    (tmp_path / "elsewhere").mkdir()
    assert main(["export", "--format", "jsonl", "--out", str(tmp_path / "x.jsonl"),
                 "--processed", str(tmp_path / "elsewhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "is it the output of" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("argv, message", [
    (["--format", "parquet", "--out", "-"], "stdout"),
    (["--out", "listings.txt"], "cannot tell the format"),
])
def test_unusable_out_exits_2(exported, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(["export", *argv, "--processed", str(exported[0])]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_empty_run_exports_no_records(tmp_path):
    from pipeline.runner import run
    raw = tmp_path / "raw"
    raw.mkdir()
    processed = tmp_path / "processed"
    run(raw, processed, workers=1, progress=False)
    for fmt in ("jsonl", "parquet", "csv"):
        assert main(["export", "--format", fmt, "--out", str(tmp_path / f"e.{fmt}"),
                     "--processed", str(processed)]) == 0
    assert (tmp_path / "e.jsonl").read_text() == ""
    assert (tmp_path / "e.csv").read_text().splitlines() == [",".join(EXPORT_COLUMNS)]
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


def test_help_explains_the_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for word in ("jsonl", "parquet", "csv", "--processed", "--out", "doc_id", "sections", "return_days",
                 "lang_mismatch", "export.schema.json", "Exit"):
        assert word in text, word
