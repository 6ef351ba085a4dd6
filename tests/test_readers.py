"""Inputs as teams have them (issue 15) and hostile inputs (issue 17): every input form, written by the
tests as small files; every special entry of raw/ a reject with its reason; one bad record one reject.
The Vietnamese sample rows are from tests/data (see tests/data/README.md); the rest is made up here."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.contract.records import Listing, Reject
from pipeline.readers import FieldMap, Lines, iter_files, read_file, stream
from pipeline.readers import csv as csv_reader, json as json_reader, jsonl as jsonl_reader
from pipeline.text.normalize import decode, normalize

ROOT = Path(__file__).resolve().parents[1]
RECORDS = [
    {"id": "tiki-1", "title": "Áo thun cotton", "description": "Áo thun cotton mềm, thấm hút mồ hôi.",
     "price": 129000, "url_key": "ao-thun-cotton", "category": "Thời trang"},
    {"id": "tiki-2", "title": "Bình giữ nhiệt", "description": "Bình giữ nhiệt 500ml, giữ nóng 12 giờ.\nBảo hành 12 tháng.",
     "price": 259000, "url_key": "binh-giu-nhiet", "category": "Nhà cửa"},
    {"id": "tiki-3", "title": "Ly sứ", "description": "<p>Ly <b>sứ</b> trắng</p><ul><li>350ml</li></ul>",
     "price": 45000, "url_key": "ly-su", "category": "Nhà cửa"},
]
KEEP = FieldMap().with_overrides({"keep": ["price", "url_key", "category"]})


def rows(recs):
    """What a comparison across input forms looks at: id, title, text, kept fields."""
    return [(r.record_id, r.title, r.text, r.extra) for r in recs if isinstance(r, Listing)]


def read_all(raw: Path, fields=FieldMap(), **kw):
    out = []
    for entry in iter_files(raw):
        out.extend([entry] if isinstance(entry, Reject) else read_file(entry, raw, fields, **kw))
    return out


def jsonl_bytes(recs, eol="\n") -> bytes:
    return eol.join(json.dumps(r, ensure_ascii=False) for r in recs).encode() + eol.encode()


def csv_bytes(recs, delimiter=",", bom=False, encoding="utf-8") -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(recs[0]), delimiter=delimiter, lineterminator="\r\n")
    w.writeheader()
    w.writerows(recs)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode(encoding)


# ------------------------------------------------------------------ input forms give the same rows

def test_every_input_form_gives_the_same_rows_with_record_id_and_kept_fields(tmp_path):
    import zstandard
    forms = {
        "a.jsonl": jsonl_bytes(RECORDS),
        "b.jsonl.gz": gzip.compress(jsonl_bytes(RECORDS)),
        "c.jsonl.zst": zstandard.ZstdCompressor().compress(jsonl_bytes(RECORDS)),
        "d.json": json.dumps(RECORDS, ensure_ascii=False, indent=1).encode(),
        "e.csv": csv_bytes(RECORDS, ";", bom=True),
        "f.csv.gz": gzip.compress(csv_bytes(RECORDS, ",")),
        "g.tsv": csv_bytes(RECORDS, "\t"),
    }
    for name, data in forms.items():
        (tmp_path / name).write_bytes(data)
    pq.write_table(pa.Table.from_pylist(RECORDS), tmp_path / "h.parquet")
    expected = rows(read_file(tmp_path / "a.jsonl", tmp_path, KEEP))
    assert [e[0] for e in expected] == ["tiki-1", "tiki-2", "tiki-3"]
    assert expected[0][3] == {"price": "129000", "url_key": "ao-thun-cotton", "category": "Thời trang"}
    for name in [*forms, "h.parquet"]:
        got = list(read_file(tmp_path / name, tmp_path, KEEP))
        assert rows(got) == expected, name
        assert [r.source for r in got] == [f"{name}#{i}" for i in (1, 2, 3)], name


def test_raw_may_be_a_folder_a_single_file_or_a_glob(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jsonl").write_bytes(jsonl_bytes(RECORDS[:1]))
    (tmp_path / "sub" / "b.csv").write_bytes(csv_bytes(RECORDS[1:]))
    (tmp_path / "sub" / "notes.md").write_text("Ghi chú nội bộ về sản phẩm")
    folder = read_all(tmp_path / "sub")
    assert [r.source for r in folder] == ["a.jsonl#1", "b.csv#1", "b.csv#2", "notes.md"]
    assert [r.source for r in read_all(tmp_path / "sub" / "b.csv")] == ["b.csv#1", "b.csv#2"]
    glob_rows = read_all(tmp_path / "s*" / "*.*s*")
    assert [r.source for r in glob_rows] == ["sub/a.jsonl#1", "sub/b.csv#1", "sub/b.csv#2"]
    assert rows(glob_rows) == rows(folder[:3])


def test_parquet_columns_map_like_json_keys(tmp_path):
    table = pa.table({"ma_sp": ["SP1", "SP2"], "ten": ["Nồi cơm điện", "Quạt đứng"],
                      "mo_ta": ["Nồi cơm điện 1.8L, bảo hành 12 tháng.", "Quạt đứng 3 tốc độ."],
                      "gia": [799000, 450000], "tags": [["bep"], ["quat", "mat"]]})
    pq.write_table(table, tmp_path / "shop.parquet", row_group_size=1)
    fields = FieldMap().with_overrides({"title": "ten", "text": "mo_ta", "id": "ma_sp", "keep": "gia,tags"})
    got = list(read_file(tmp_path / "shop.parquet", tmp_path, fields))
    assert rows(got) == [("SP1", "Nồi cơm điện", "Nồi cơm điện 1.8L, bảo hành 12 tháng.", {"gia": "799000", "tags": '["bep"]'}),
                         ("SP2", "Quạt đứng", "Quạt đứng 3 tốc độ.", {"gia": "450000", "tags": '["quat", "mat"]'})]
    # a slice by rows, across row groups
    assert [r.source for r in read_file(tmp_path / "shop.parquet", tmp_path, fields, lines=(2, 2))] == ["shop.parquet#2"]


def _read_slices(reader, path, raw, every, fields=FieldMap()):
    sha1, size, offsets = reader.scan(path, every, fields)
    out = []
    for k, offset in enumerate(offsets):
        first = k * every + 1
        last = first + every - 1 if k < len(offsets) - 1 else None
        out.extend(read_file(path, raw, fields, lines=(first, last), offset=offset))
    return out, offsets


@pytest.mark.parametrize("name,make", [
    ("big.json", lambda recs: json.dumps(recs, ensure_ascii=False).encode()),
    ("big.jsonl", jsonl_bytes),
    ("big.csv", lambda recs: csv_bytes(recs, ";")),
])
def test_big_arrays_csv_and_json_lines_are_sliced_and_the_slices_add_up_to_the_file(tmp_path, name, make):
    recs = [{"id": f"r{i}", "title": f"Sản phẩm {i}", "description": f"Mô tả \"{i}\",\n dòng hai; [x] {{y}}"}
            for i in range(250)]
    path = tmp_path / name
    path.write_bytes(make(recs))
    whole = list(read_file(path, tmp_path))
    reader = {"big.json": json_reader, "big.jsonl": jsonl_reader, "big.csv": csv_reader}[name]
    sliced, offsets = _read_slices(reader, path, tmp_path, 100)
    assert len(offsets) == 3
    assert [r.source for r in sliced] == [r.source for r in whole] == [f"{name}#{i}" for i in range(1, 251)]
    assert rows(sliced) == rows(whole) and whole[0].record_id == "r0"


def test_a_json_array_is_split_without_parsing_it_whole(tmp_path):
    # the splitter holds one element at a time: a chunk boundary inside a string or between elements is fine
    data = json.dumps([{"description": "x" * 3000 + "],[" + str(i)} for i in range(40)]).encode()
    old = stream.CHUNK_BYTES
    try:
        stream.CHUNK_BYTES = 1000
        elements = [json.loads(e) for e, _ in stream.iter_array(io.BytesIO(data))]
    finally:
        stream.CHUNK_BYTES = old
    assert elements == json.loads(data)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"title": st.text(max_size=20), "description": st.text(min_size=1, max_size=60)}),
                min_size=1, max_size=8),
       st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from([",", ";", "\t"]))
def test_splitters_agree_with_the_parsers(recs, eol, delimiter):
    recs = [{k: v.replace("\x00", "").encode("utf-8", "replace").decode() for k, v in r.items()} for r in recs]
    # JSON Lines, any newline convention (json.dumps escapes newlines inside strings)
    lines = [json.loads(b) for b, _ in stream.iter_lines(io.BytesIO(jsonl_bytes(recs, eol))) if b.strip()]
    assert lines == recs
    arr = json.dumps(recs, ensure_ascii=False).encode()
    assert [json.loads(e) for e, _ in stream.iter_array(io.BytesIO(arr))] == recs
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=eol).writerows([r["title"], r["description"]] for r in recs)
    data = buf.getvalue().encode()
    split = [next(csv.reader(io.StringIO(b.decode(), newline=""), delimiter=delimiter), [])
             for b, _ in stream.csv_splitter(delimiter)(io.BytesIO(data), 0)]
    expected = list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=delimiter))
    assert [r for r in split if r] == [r for r in expected if r]


# ------------------------------------------------------------------ CSV dialects, encodings, entities

def test_csv_dialect_is_sniffed_and_delimiter_can_be_set(tmp_path):
    (tmp_path / "vi.csv").write_bytes(csv_bytes(RECORDS, ";", bom=True))
    [a, b, c] = read_all(tmp_path / "vi.csv")
    assert a.title == "Áo thun cotton" and a.record_id == "tiki-1"
    # a '|' file sniffs too; --delimiter overrides a wrong guess
    (tmp_path / "p.csv").write_bytes(b"id|title|description\nx1|A, B; C|Giao h\xc3\xa0ng nhanh, \xc4\x91\xc3\xb3ng g\xc3\xb3i k\xe1\xbb\xb9\n")
    [p] = read_all(tmp_path / "p.csv")
    assert (p.title, p.text) == ("A, B; C", "Giao hàng nhanh, đóng gói kỹ")
    [forced] = read_all(tmp_path / "p.csv", FieldMap().with_overrides({"delimiter": ","}))
    assert isinstance(forced, Reject) and forced.reason == "bad_csv" and "set --delimiter" in forced.message


@pytest.mark.parametrize("encoding,text", [
    ("gbk", "免费送货，所有订单满500元。三十天内退货，产品质量保证十二个月。"),
    ("cp1252", "Free delivery – “premium” café crème, naïve résumé; 30 days’ return"),
    ("cp1258", "Miễn phí vận chuyển mọi đơn hàng từ 500K"),
])
def test_legacy_code_pages_are_detected_not_mojibake(tmp_path, encoding, text):
    if encoding == "cp1258":
        from test_ingest import cp1258
        data = cp1258(text)
    else:
        data = text.encode(encoding)
    (tmp_path / "a.txt").write_bytes(data)
    (tmp_path / "b.csv").write_bytes(b'title,description\nx,"' + data + b'"\n')
    [txt] = read_all(tmp_path / "a.txt")
    [row] = read_all(tmp_path / "b.csv")
    assert txt.text == row.text == text


def test_one_stray_byte_in_a_utf8_csv_rejects_that_row_only(tmp_path):
    data = csv_bytes(RECORDS).replace("Bình giữ nhiệt 500ml".encode(), b"Binh \x92 500ml")
    (tmp_path / "a.csv").write_bytes(data)
    got = read_all(tmp_path / "a.csv")
    assert [(r.source, getattr(r, "reason", None)) for r in got] == [("a.csv#1", None), ("a.csv#2", "undecodable"),
                                                                     ("a.csv#3", None)]
    assert got[0].text == RECORDS[0]["description"]          # no mojibake in the other rows
    assert decode("Giao hàng ".encode() + b"\x92")[1] == "utf-8+replaced"   # a whole-file format marks it


def test_one_oversized_field_or_bad_row_rejects_that_row_only(tmp_path):
    big = "Mô tả rất dài. " * 20000                     # 300 kB: over csv's default 128 KiB field limit
    data = csv_bytes([RECORDS[0], {**RECORDS[1], "description": big}, RECORDS[2]])
    data += b'tiki-9,"bad "quote" here",x,1,y,z,extra1,extra2\r\n'
    (tmp_path / "a.csv").write_bytes(data)
    got = read_all(tmp_path / "a.csv")
    assert [type(r).__name__ for r in got] == ["Listing", "Listing", "Listing", "Reject"]
    assert got[1].text.startswith("Mô tả rất dài.") and got[3].reason == "bad_csv"
    got = read_all(tmp_path / "a.csv", max_bytes=100_000)
    assert [getattr(r, "reason", None) for r in got] == [None, "too_large", None, "bad_csv"]


def test_html_entities_in_json_and_csv_text_fields_are_decoded(tmp_path):
    rec = {"title": "Áo &quot;basic&quot; &amp; quần", "description": "Shop&#39;s policy: đổi trả 7 ngày &amp; miễn phí"}
    (tmp_path / "a.jsonl").write_bytes(jsonl_bytes([rec]))
    (tmp_path / "b.csv").write_bytes(csv_bytes([rec]))
    for r in read_all(tmp_path):
        assert (r.title, r.text) == ('Áo "basic" & quần', "Shop's policy: đổi trả 7 ngày & miễn phí")


def test_a_headerless_csv_says_so(tmp_path):
    (tmp_path / "a.csv").write_bytes("SP1,Áo thun,Áo thun cotton mềm\nSP2,Quần jean,Quần jean xanh\n".encode())
    [r] = read_all(tmp_path)
    assert r.reason == "no_text" and "if the first row is data, the file has no header row" in r.message


def test_cr_only_json_lines_do_not_merge_records(tmp_path):
    (tmp_path / "mac.jsonl").write_bytes(jsonl_bytes(RECORDS, "\r"))
    got = read_all(tmp_path)
    assert [r.source for r in got] == ["mac.jsonl#1", "mac.jsonl#2", "mac.jsonl#3"]
    assert all(isinstance(r, Listing) for r in got)


# ------------------------------------------------------------------ the reasons a user reads

def test_no_text_names_the_fields_found_and_the_flag_that_maps_them(tmp_path):
    (tmp_path / "a.csv").write_bytes("Mã SP,Tên sản phẩm,Mô tả\nSP1,Áo thun,Áo thun cotton mềm mại\n".encode())
    [r] = read_all(tmp_path)
    assert r.reason == "no_text"
    assert 'found: Mã SP, Tên sản phẩm, Mô tả; try --field text="Mô tả"' in r.message
    fields = FieldMap().with_overrides({"text": "Mô tả", "id": "Mã SP", "title": "Tên sản phẩm"})
    [ok] = read_all(tmp_path, fields)
    assert (ok.record_id, ok.title, ok.text) == ("SP1", "Áo thun", "Áo thun cotton mềm mại")


def test_deep_nesting_and_lone_surrogates_reject_the_record_not_the_run(tmp_path):
    deep_json = '{"description": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [json.dumps(RECORDS[0], ensure_ascii=False), deep_json, '{"description": "bad \\ud800 text"}',
             json.dumps(RECORDS[1], ensure_ascii=False)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "b.json").write_text("[" + ",".join(lines) + "]")
    (tmp_path / "deep.html").write_text("<div>" * 5000 + "Giao hàng toàn quốc" + "</div>" * 5000)
    got = read_all(tmp_path)
    reasons = [(r.source, getattr(r, "reason", None)) for r in got]
    assert reasons == [("a.jsonl#1", None), ("a.jsonl#2", "bad_json"), ("a.jsonl#3", "undecodable"), ("a.jsonl#4", None),
                       ("b.json#1", None), ("b.json#2", "bad_json"), ("b.json#3", "undecodable"), ("b.json#4", None),
                       ("deep.html", None)]
    assert got[-1].text == "Giao hàng toàn quốc"
    assert "lone surrogate" in got[2].message


def test_a_file_changed_since_planning_is_rejected_with_a_reason(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl_bytes(RECORDS))
    st_ = path.stat()
    planned = Lines(1, None, st_.st_size, st_.st_mtime_ns)
    assert len(list(read_file(path, tmp_path, lines=planned))) == 3
    with open(path, "ab") as fh:
        fh.write(jsonl_bytes(RECORDS[:1]))
    [r] = read_file(path, tmp_path, lines=planned)
    assert r.reason == "changed" and "size" in r.message
    assert repr(planned) == "(1, None)"                     # unit keys do not depend on mtimes


def test_bidi_override_controls_are_removed():
    assert normalize("Giá\u202e 500K \u202cđ\u2066x\u2069") == "Giá 500K đx"


# ------------------------------------------------------------------ special entries in raw/

@pytest.mark.timeout(60)
def test_special_entries_are_rejects_with_their_reason_never_a_crash_or_a_hang(tmp_path):
    raw = tmp_path / "raw"
    (raw / "real").mkdir(parents=True)
    (raw / "real" / "a.txt").write_text("Áo thun cotton mềm")
    (raw / "dangling.txt").symlink_to(raw / "missing.txt")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "folder_link").symlink_to(raw / "real")
    os.mkfifo(raw / "pipe.jsonl")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(raw / "sock.txt"))
    (raw / os.fsdecode(b"caf\xe9.txt")).write_text("Giao hàng nhanh")
    got = {r.source: r.reason for r in iter_files(raw) if isinstance(r, Reject)}
    sock.close()
    assert got == {"caf\\xe9.txt": "bad_file_name", "dangling.txt": "broken_symlink", "folder_link": "not_a_file",
                   "loop.txt": "broken_symlink", "pipe.jsonl": "not_a_file", "sock.txt": "not_a_file"}
    assert [p.name for p in iter_files(raw) if isinstance(p, Path)] == ["a.txt"]


def test_an_unreadable_folder_is_a_reject(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "locked").mkdir(parents=True)
    (raw / "a.txt").write_text("Áo thun")
    real = os.listdir

    def listdir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)
    monkeypatch.setattr(os, "listdir", listdir)
    got = list(iter_files(raw))
    assert got[0] == raw / "a.txt"
    assert (got[1].source, got[1].reason) == ("locked", "unreadable") and "cannot be listed" in got[1].message


def test_plan_rejects_special_entries_and_slices_big_streamed_files(tmp_path, monkeypatch):
    from pipeline.runner import plan as planning
    raw = tmp_path / "raw"
    raw.mkdir()
    os.mkfifo(raw / "pipe.csv")
    (raw / "a.json").write_bytes(json.dumps(RECORDS * 50, ensure_ascii=False).encode())
    monkeypatch.setattr(planning, "SPLIT_BYTES", 1000)
    monkeypatch.setattr(planning, "SPLIT_LINES", 40)
    p = planning.plan(raw, planning.Settings())
    assert [(r.source, r.reason) for r in p.scan_rejects] == [("pipe.csv", "not_a_file")]
    items = [i for u in p.units for i in u.items]
    assert [tuple(i.lines) for i in items] == [(1, 40), (41, 80), (81, 120), (121, None)]
    got = [r for i in items for r in read_file(raw / i.path, raw, lines=i.lines, offset=i.offset)]
    assert [r.source for r in got] == [f"a.json#{k}" for k in range(1, 151)]


# ------------------------------------------------------------------ the command line

def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("args,message", [
    (["run", "--field", "text"], "--field expects ROLE=NAME"),
    (["run", "--fields-config", "nope.toml"], "--fields-config nope.toml: no such file"),
    (["run", "--workers", "0"], "must be at least 1"),
    (["run", "--field", "colour=x"], "unknown field mapping key"),
    (["run", "--raw", "nowhere/"], "does not exist"),
    (["run", "--raw", "nowhere/*.csv"], "matches no file"),
    (["ingest", "--delimiter", ";;"], "one character"),
    (["segment", "--input", "nope.jsonl"], "--input nope.jsonl"),
])
def test_argument_errors_exit_2_with_a_message(tmp_path, args, message):
    res = cli(*args, cwd=tmp_path)
    assert res.returncode == 2, res
    assert message in res.stderr and "Traceback" not in res.stderr


def test_an_empty_raw_folder_says_so(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / ".hidden.txt").write_text("x")
    res = cli("run", "--raw", "raw", "--out", "out", cwd=tmp_path)
    assert res.returncode == 2 and "holds no input files" in res.stderr


def test_a_stage_fed_raw_records_says_pipe_through_ingest(tmp_path):
    res = subprocess.run([sys.executable, "-m", "pipeline", "segment"], input=jsonl_bytes(RECORDS).decode(),
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and "pipe through `ingest` first" in res.stderr


def test_a_run_whose_records_are_mostly_rejected_exits_5_with_one_line(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.csv").write_bytes("Mã SP,Tên sản phẩm,Mô tả\nSP1,Áo thun,Áo thun cotton\nSP2,Quần,Quần jean\n".encode())
    res = cli("run", "--raw", "raw", "--out", "out", "--workers", "1", "--quiet", cwd=tmp_path)
    assert res.returncode == 5, res
    [line] = res.stderr.strip().splitlines()
    assert "rejected 2 of 2 records" in line and "--max-reject-rate 0.5" in line
    ok = cli("run", "--raw", "raw/a.csv", "--out", "out", "--workers", "1", "--quiet", "--field", "text=Mô tả",
             "--field", "id=Mã SP", "--keep", "Tên sản phẩm", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    cat = pq.read_table(tmp_path / "out" / "catalog").to_pylist()
    assert [(r["record_id"], json.loads(r["extra"])) for r in cat] == [("SP1", {"Tên sản phẩm": "Áo thun"}),
                                                                      ("SP2", {"Tên sản phẩm": "Quần"})]
    docs = pq.read_table(tmp_path / "out" / "documents", columns=["doc_id", "record_id"]).to_pylist()
    assert sorted(docs, key=str) == sorted(({"doc_id": r["doc_id"], "record_id": r["record_id"]} for r in cat), key=str)


def test_workers_default_to_the_cpus_this_process_may_use(monkeypatch):
    from pipeline.cli import run as run_cli
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert run_cli.available_cpus() == 1


def test_a_br_inside_an_h_tag_ends_the_heading_there():
    from pipeline.readers.html import html_to_text
    text, hints = html_to_text("<h2><br><strong>Cách bảo quản</strong><br>Để nơi khô ráo, tránh ánh nắng trực tiếp."
                               "<br>Dùng trong 7 ngày.</h2><p>Đoạn sau.</p>")
    blocks = [(text[s:e], kind, level) for s, e, kind, level in hints]
    assert blocks == [("Cách bảo quản", "heading", 2),
                      ("Để nơi khô ráo, tránh ánh nắng trực tiếp.", "paragraph", None),
                      ("Dùng trong 7 ngày.", "paragraph", None), ("Đoạn sau.", "paragraph", None)]
    # Without a <br> the whole h-tag stays one heading.
    text, hints = html_to_text("<h3>Thông số <b>kỹ thuật</b></h3>")
    assert [(text[s:e], kind, level) for s, e, kind, level in hints] == [("Thông số kỹ thuật", "heading", 3)]
