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
import pyarrow as pa
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
    del broken["return_window"]
    assert not validator.is_valid(broken)
    assert not validator.is_valid({**recs[0], "sections": [{"section_id": 0}]})


def _without_descriptions(node):
    if isinstance(node, dict):
        return {k: _without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def test_schema_file_is_generated_from_the_code_byte_for_byte():
    from pipeline.runner.export import schema_text
    assert EXPORT_SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "pipeline/contract/export.schema.json is out of date with the code; regenerate it: make export-schema")
    schema = json.loads(schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(SCHEMA_VERSION) and schema["version"] == SCHEMA_VERSION
    assert list(schema["properties"]) == list(EXPORT_COLUMNS)
    assert schema["required"] == list(EXPORT_COLUMNS)
    for field in export_schema():
        prop = schema["properties"][field.name]
        types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        assert ("null" in types) == field.nullable, field.name
        if "enum" in prop:
            assert (None in prop["enum"]) == field.nullable, f"{field.name}: a nullable enum admits null"
    assert set(CATALOG.names) <= set(EXPORT_COLUMNS), "every catalog column is exported"


def test_null_is_valid_where_the_contract_allows_null(exported):
    import jsonschema
    validator = jsonschema.Draft202012Validator(json_schema())
    rec = read_jsonl(exported[2]["jsonl"])[0]
    nullable = [f.name for f in export_schema() if f.nullable]
    assert {"description_genre", "currency", "return_window_unit"} <= set(nullable)
    for name in nullable:
        assert validator.is_valid({**rec, name: None}), name
    for name in ("doc_id", "description_text", "sections"):
        assert not validator.is_valid({**rec, name: None}), name
    assert not validator.is_valid({**rec, "currency": "EUR"}) and not validator.is_valid({**rec, "description_genre": "x"})


def test_money_is_exact_with_its_currency_and_durations_keep_their_unit(tmp_path):
    from decimal import Decimal
    from pipeline.runner import run
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "usd.txt").write_text("Ceramic mug, 350 ml, dishwasher safe.\n\nShipping policy\n"
                                 "Shipping fee: $4.99 per order. Free shipping on orders over $35.\n"
                                 "Delivery within 3-5 business days. Warranty: 12 months.\n", encoding="utf-8")
    (raw / "vnd.txt").write_text("Áo thun cotton 100%, co giãn 4 chiều.\n\nChính sách giao hàng\n"
                                 "Miễn phí vận chuyển cho đơn hàng từ 300.000đ.\nGiao hàng trong 2-3 ngày.\n"
                                 "Bảo hành 6 tháng.\n", encoding="utf-8")
    run(raw, tmp_path / "processed", workers=1, progress=False)
    cat = pq.read_table(tmp_path / "processed" / "catalog")
    assert str(cat.schema.field("free_shipping_threshold").type).startswith("decimal128")
    rows = {r["source"]: r for r in cat.to_pylist()}
    usd, vnd = rows["usd.txt"], rows["vnd.txt"]
    assert (usd["currency"], usd["shipping_fee_min"], usd["free_shipping_threshold"]) == ("USD", Decimal("4.99"), Decimal("35"))
    assert (usd["delivery_time_min"], usd["delivery_time_max"], usd["delivery_time_unit"]) == (3, 5, "business_day")
    assert (usd["warranty_period"], usd["warranty_period_unit"]) == (12, "month")
    assert (vnd["currency"], vnd["free_shipping_threshold"]) == ("VND", Decimal("300000"))
    assert (vnd["warranty_period"], vnd["warranty_period_unit"]) == (6, "month")
    facts = pq.read_table(tmp_path / "processed" / "policy_facts")
    qtype = facts.schema.field("qualifier").type
    assert pa.types.is_list(qtype) and pa.types.is_string(qtype.value_type)
    assert main(["export", "--out", str(tmp_path / "m.jsonl"), "--processed", str(tmp_path / "processed")]) == 0
    text = (tmp_path / "m.jsonl").read_text(encoding="utf-8")
    assert '"shipping_fee_min":4.99' in text and '"free_shipping_threshold":300000' in text


def test_polars_pandas_and_duckdb_read_the_feed_with_default_settings(exported):
    import duckdb
    import polars as pl
    path = exported[2]["jsonl"]
    recs = read_jsonl(path)
    ids = [r["doc_id"] for r in recs]
    df = pd.read_json(path, lines=True)
    assert list(df.columns) == list(EXPORT_COLUMNS) and list(df.doc_id) == ids
    assert [None if pd.isna(v) else v for v in df.free_shipping_threshold] == [r["free_shipping_threshold"] for r in recs]
    pf = pl.read_ndjson(path)
    assert sorted(pf.columns) == sorted(EXPORT_COLUMNS) and pf["doc_id"].to_list() == ids
    assert pf["free_shipping_threshold"].to_list() == [r["free_shipping_threshold"] for r in recs]
    con = duckdb.connect()
    got = con.execute(f"SELECT doc_id, currency, len(sections) FROM read_json_auto('{path}') ORDER BY doc_id").fetchall()
    assert got == [(r["doc_id"], r["currency"], len(r["sections"])) for r in recs]


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
    for col in ("free_shipping_threshold", "currency", "return_window", "return_window_unit", "warranty_period",
                "title", "keyword_stuffing"):
        assert [r[col] for r in rows] == [r[col] for r in recs], col

    csv = pd.read_csv(paths["csv"], dtype={"doc_id": str, "schema_version": str}, keep_default_na=False)
    assert list(csv.columns) == list(EXPORT_COLUMNS)
    assert list(csv["doc_id"]) == ids
    assert [json.loads(s) for s in csv["sections"]] == [r["sections"] for r in recs]   # JSON string
    assert list(csv["description_text"]) == [r["description_text"] for r in recs]       # newlines survive
    assert list(csv["title"]) == [r["title"] or "" for r in recs]                      # quotes, commas
    assert list(csv["schema_version"]) == [SCHEMA_VERSION] * len(recs)
    ret = pd.to_numeric(csv["return_window"].replace("", None))
    assert [None if pd.isna(v) else v for v in ret] == [r["return_window"] for r in recs]
    assert list(csv["free_shipping_threshold"]) == ["" if r["free_shipping_threshold"] is None
                                                    else str(r["free_shipping_threshold"]) for r in recs]


def test_the_seed_record(exported):
    recs = {r["source"]: r for r in read_jsonl(exported[2]["jsonl"])}
    seed = recs[SEED.name]
    assert seed["free_shipping_threshold"] == 500000 and seed["currency"] == "VND"
    assert (seed["return_window"], seed["return_window_unit"]) == (30, "day")
    assert (seed["express_delivery_time"], seed["express_delivery_unit"]) == (24, "hour")
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
    for word in ("jsonl", "parquet", "csv", "--processed", "--out", "doc_id", "sections", "return_window",
                 "lang_mismatch", "export.schema.json", "Exit"):
        assert word in text, word


# ------------------------------------------------------------------ output safety (issue 17) and feed details (issue 15)

def _two_outputs(tmp_path: Path):
    """raw folders A and B (B: a changed listing) and their clean exports as bytes."""
    from pipeline.runner import run
    a, b = tmp_path / "A", tmp_path / "B"
    for raw, word in ((a, "interview"), (b, "meeting")):
        raw.mkdir()
        (raw / "seed.txt").write_text(SEED.read_text(encoding="utf-8").replace("interview", word), encoding="utf-8")
        (raw / "extra.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in EXTRA[:1 if raw == a else 2]),
                                         encoding="utf-8")
    ref = {}
    for raw in (a, b):
        run(raw, tmp_path / f"ref-{raw.name}", workers=1, progress=False)
        assert main(["export", "--out", str(tmp_path / f"{raw.name}.jsonl"), "--processed", str(tmp_path / f"ref-{raw.name}")]) == 0
        ref[raw.name] = (tmp_path / f"{raw.name}.jsonl").read_bytes()
    assert ref["A"] != ref["B"]
    return a, b, ref


def test_a_snapshot_survives_the_swap_and_deletion_of_its_folder(tmp_path):
    from pipeline.runner import run
    from pipeline.runner.export import Snapshot, build, write_jsonl
    import io
    a, b, ref = _two_outputs(tmp_path)
    out = tmp_path / "processed"
    run(a, out, workers=1, progress=False)
    with Snapshot(out) as snap:
        run(b, out, workers=1, progress=False)   # swaps B in and deletes A's folder while the snapshot is open
        assert not list(tmp_path.glob(".processed.trash-*"))
        buf = io.StringIO()
        write_jsonl(build(snap), buf)
    assert buf.getvalue().encode() == ref["A"]
    buf = io.StringIO()
    write_jsonl(build(out), buf)
    assert buf.getvalue().encode() == ref["B"]


def test_export_during_runs_that_swap_the_folder_gives_whole_exports(tmp_path):
    """Runs alternate A and B on one folder in a thread while exports read it: each export is A's or B's,
    byte for byte, or exit 3 (changed too often); never torn records or a traceback."""
    import threading
    from pipeline.runner import run
    a, b, ref = _two_outputs(tmp_path)
    out = tmp_path / "processed"
    run(a, out, workers=1, progress=False)
    stop = threading.Event()
    errors = []

    def runs():
        try:
            for i in range(6):
                run(b if i % 2 == 0 else a, out, workers=1, progress=False)
        except Exception as exc:   # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            stop.set()
    t = threading.Thread(target=runs)
    t.start()
    results = []
    try:
        while not stop.is_set():
            target = tmp_path / "e.jsonl"
            code = main(["export", "--out", str(target), "--processed", str(out)])
            results.append((code, target.read_bytes() if code == 0 else None))
    finally:
        t.join()
    assert not errors
    assert results and all(code in (0, 3) for code, _ in results)
    assert all(data in ref.values() for code, data in results if code == 0)


def test_a_folder_that_keeps_changing_exits_3(exported, tmp_path, capsys, monkeypatch):
    import pipeline.runner.export as ex
    processed = tmp_path / "processed"
    shutil.copytree(exported[0], processed)
    manifest = json.loads((processed / "manifest.json").read_text())
    manifest["parts"]["catalog"].append("part-gone.parquet")     # as a folder being deleted under the reader
    (processed / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(ex, "SNAPSHOT_RETRY_SECONDS", 0)
    assert main(["export", "--out", str(tmp_path / "o" / "x.jsonl"), "--processed", str(processed)]) == 3
    err = capsys.readouterr().err
    assert "changed while it was read" in err and "try again" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists(), "nothing is created before the folder was read"


FORMULAS = ["=HYPERLINK(\"http://x\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR"]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    import csv as csv_mod
    from pipeline.runner import run
    raw = tmp_path / "raw"
    raw.mkdir()
    recs = [{"id": f"f{i}", "title": f, "description": f"Áo thun cotton {i} mềm mại, size M L XL."}
            for i, f in enumerate(FORMULAS)]
    (raw / "f.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    run(raw, tmp_path / "processed", workers=1, progress=False)
    assert main(["export", "--out", str(tmp_path / "f.csv"), "--processed", str(tmp_path / "processed")]) == 0
    with open(tmp_path / "f.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv_mod.DictReader(fh))
    stored = dict(pd.read_parquet(tmp_path / "processed" / "catalog")[["doc_id", "title"]].values)
    assert len(rows) == len(FORMULAS)
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert sum(t.startswith(starts) for t in stored.values()) >= 4   # (normalization strips a leading tab/CR)
    for row in rows:
        t = stored[row["doc_id"]]
        assert row["title"] == ("'" + t if t.startswith(starts) else t)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


HOSTILE = {
    "a.html": "<html><body><h1>Áo thun</h1><p>Áo thun cotton mềm mại &lt;script&gt;alert(1)&lt;/script&gt; thoáng."
              "</p><p>Xem <a href=\"javascript:alert(2)\">javascript:alert(2)</a> ngay</p>"
              "<iframe src=\"https://x\"></iframe><p>Chất liệu cotton 100%, size M L XL.</p>"
              "<p>&lt;iframe src=x onload=alert(3)&gt;&lt;/iframe&gt; đẹp</p></body></html>",
    "b.jsonl": json.dumps({"title": "Giày", "description": "Giày chạy bộ <b>êm</b> <script>alert(4)</script> nhẹ. "
                                                           "<img src=x onerror=alert(5)> Đế cao su bền."}) + "\n"
               + json.dumps({"title": "Mũ", "description": "Mũ lưỡi trai &lt;script&gt;alert(6)&lt;/script&gt; "
                                                          "vải kaki, màu đen."}) + "\n",
    "c.txt": "Túi xách da thật <script>alert(7)</script> may thủ công,\n<a href=\"javascript:alert(8)\">mua</a>, "
             "data:text/html;base64,PHNjcmlwdD4= ok \u202eabc\u202c.\n",
}


def test_clean_description_text_carries_no_markup(tmp_path):
    import re
    from pipeline.runner import run
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in HOSTILE.items():
        (raw / name).write_text(text, encoding="utf-8")
    run(raw, tmp_path / "processed", workers=1, progress=False)
    assert main(["export", "--out", str(tmp_path / "h.jsonl"), "--processed", str(tmp_path / "processed")]) == 0
    recs = read_jsonl(tmp_path / "h.jsonl")
    assert len(recs) == 4
    for r in recs:
        text = r["description_text"]
        assert not re.search(r"<\s*/?\s*[a-z]|&lt;|javascript:|data:text|alert\(\d\)|[\u202a-\u202e\u2066-\u2069]",
                             text, re.I), text
        assert text   # the product copy itself stays
    assert any("cotton mềm mại" in r["description_text"] for r in recs)


def test_the_description_starts_after_its_wrapper_heading(exported):
    recs = {r["title"]: r for r in read_jsonl(exported[2]["jsonl"])}
    seed = next(r for r in recs.values() if r["source"] == SEED.name)
    assert seed["description_text"].startswith("The job interview")
    assert "Mô tả sản phẩm" not in seed["description_text"]


def test_export_validates_before_it_creates_folders_and_stdout_defaults_to_jsonl(exported, tmp_path, capfd):
    assert main(["export", "--out", str(tmp_path / "new" / "x.jsonl"), "--processed", str(tmp_path / "nope")]) == 2
    assert not (tmp_path / "new").exists()
    capfd.readouterr()
    assert main(["export", "--out", "-", "--processed", str(exported[0])]) == 0
    out = capfd.readouterr().out
    assert out.encode() == exported[2]["jsonl"].read_bytes()


def test_schema_command_explains_itself_and_prints_json(capsys):
    with pytest.raises(SystemExit):
        main(["schema", "--help"])
    text = capsys.readouterr().out
    assert "data dictionary" in text and "jsonschema" in text and "examples" in text
    assert main(["schema", "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["schema_version"] == SCHEMA_VERSION
    assert [c["name"] for c in got["tables"]["catalog"]["columns"]] == list(CATALOG.names)
    assert main(["schema", "--format", "jsonschema"]) == 0
    assert capsys.readouterr().out == EXPORT_SCHEMA_PATH.read_text(encoding="utf-8")


def test_the_console_script_names_itself_in_its_help():
    script = Path(sys.executable).with_name("listing-pipeline")
    if not script.exists():
        pytest.skip("the package is not installed with its console script in this environment")
    res = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.startswith("usage: listing-pipeline")
