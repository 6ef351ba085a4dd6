"""Ingest: every input format and encoding, field names, and bad input rejected with a reason."""
from __future__ import annotations

import codecs
import json
import unicodedata
from pathlib import Path

import pytest

from pipeline.readers import FieldMap, html_to_text, iter_files, read_file
from pipeline.contract.records import Listing, Reject

VI = "Miễn phí vận chuyển mọi đơn hàng từ 500K\nHoàn trả hàng trong 30 ngày"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: letters with their shape mark precomposed (â ơ ư),
    tone marks as separate combining characters."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b"))
            tones = "".join(m for m in marks if m not in "\u0302\u0306\u031b")
            out.append((shaped + tones).encode("cp1258"))
    return b"".join(out)


def read_all(tmp_path: Path, name: str, data: bytes, **kw):
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_file(path, tmp_path, **kw))


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", VI.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + VI.encode("utf-8")),
    ("utf-16", VI.encode("utf-16")),
    ("utf-16-be", codecs.BOM_UTF16_BE + VI.encode("utf-16-be")),
    ("cp1258", cp1258(VI)),
    ("nfd", unicodedata.normalize("NFD", VI).encode("utf-8")),
])
def test_encodings_give_the_same_nfc_text(tmp_path, encoding, data):
    [listing] = read_all(tmp_path, "a.txt", data)
    assert isinstance(listing, Listing)
    assert listing.text == VI and unicodedata.is_normalized("NFC", listing.text)


def test_raw_bytes_are_never_modified(tmp_path):
    data = codecs.BOM_UTF8 + unicodedata.normalize("NFD", VI).encode("utf-8") + b"\r\n"
    read_all(tmp_path, "a.txt", data)
    assert (tmp_path / "a.txt").read_bytes() == data


def test_html_structure_becomes_blocks():
    html = """<html><head><style>p{}</style><script>var x = "<p>no</p>";</script></head><body>
      <nav>Home &gt; Shop</nav><h2>Chính sách đổi trả</h2><p>Đổi trả trong 7 ngày &amp; miễn phí</p>
      <ul><li>Giao hàng 2-3 ngày</li><li>Bảo hành 12 tháng</li></ul>
      <table><tr><th>Size</th><td>M</td></tr></table><div>Line one<br>Line two</div>
      <p><strong>THÔNG TIN SẢN PHẨM</strong></p><footer>© shop</footer></body></html>"""
    text, hints = html_to_text(html)
    pieces = [(text[s:e], kind, level) for s, e, kind, level in hints]
    assert pieces == [
        ("Chính sách đổi trả", "heading", 2),
        ("Đổi trả trong 7 ngày & miễn phí", "paragraph", None),
        ("Giao hàng 2-3 ngày", "bullet", None),
        ("Bảo hành 12 tháng", "bullet", None),
        ("Size | M", "row", None),
        ("Line one", "paragraph", None),
        ("Line two", "paragraph", None),
        ("THÔNG TIN SẢN PHẨM", "heading", None),
    ]
    assert "var x" not in text and "Home" not in text and "©" not in text


def test_json_array_jsonl_and_csv_records_with_common_field_names(tmp_path):
    recs = [{"product_name": "Áo thun", "short_description": "Áo cotton mềm", "sku": "A1"},
            {"name": "Ly sứ", "description_html": "<p>Ly <b>sứ</b> trắng</p><ul><li>350ml</li></ul>", "id": 7}]
    out = read_all(tmp_path, "a.json", json.dumps(recs, ensure_ascii=False).encode())
    assert [(l.source, l.title, l.text, l.format) for l in out] == [
        ("a.json#1", "Áo thun", "Áo cotton mềm", "json"), ("a.json#2", "Ly sứ", "Ly sứ trắng\n350ml", "json")]
    assert [h[2] for h in out[1].hints] == ["paragraph", "bullet"]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs).encode()
    assert [l.source for l in read_all(tmp_path, "b.jsonl", lines)] == ["b.jsonl#1", "b.jsonl#2"]
    csv_data = "title,content\nBình nước,Bình giữ nhiệt 500ml\n".encode()
    [row] = read_all(tmp_path, "c.csv", csv_data)
    assert (row.source, row.title, row.text) == ("c.csv#1", "Bình nước", "Bình giữ nhiệt 500ml")


def test_explicit_field_mapping(tmp_path):
    data = json.dumps({"ten": "Nồi cơm", "mo_ta": "Nồi cơm điện 1.8L"}, ensure_ascii=False).encode()
    fields = FieldMap().with_overrides({"title": "ten", "text": "mo_ta"})
    [l] = read_all(tmp_path, "r.json", data, fields=fields)
    assert (l.title, l.text) == ("Nồi cơm", "Nồi cơm điện 1.8L")
    [r] = read_all(tmp_path, "s.json", data)
    assert isinstance(r, Reject) and r.reason == "no_text"
    with pytest.raises(ValueError):
        FieldMap().with_overrides({"price": "gia"})


def test_doc_id_is_stable_and_content_derived(tmp_path):
    [a] = read_all(tmp_path, "a.txt", VI.encode())
    (tmp_path / "sub").mkdir()
    [b] = read_all(tmp_path, "sub/b.txt", VI.encode())
    assert a.doc_id == b.doc_id and a.source != b.source


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
    ("bad.txt", b"\xff\xfe\xfd" * 0 + b"ok \x81\x8d\x8f\x90 text", "undecodable"),
    ("nums.txt", b"123 456 -- 789 !!!", "no_letters"),
    ("x.pdf", b"%PDF-1.4", "unknown_type"),
    ("nothing.html", b"<html><script>x()</script><p> </p></html>", "no_text"),
    ("broken.json", b'{"title": "a", ', "bad_json"),
])
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, data, reason):
    [r] = read_all(tmp_path, name, data)
    assert isinstance(r, Reject) and r.reason == reason, r
    assert name in r.message and r.n_bytes == len(data)


def test_size_limit(tmp_path):
    [r] = read_all(tmp_path, "big.txt", b"a" * 2000, max_bytes=1000)
    assert r.reason == "too_large" and "1000" in r.message


def test_a_malformed_json_line_does_not_stop_the_file(tmp_path):
    data = b'{"title": "A", "description": "Mo ta mot"}\n{"title": oops}\n\n{"title": "C", "description": "Ba"}\n'
    out = read_all(tmp_path, "x.jsonl", data)
    assert [type(o).__name__ for o in out] == ["Listing", "Reject", "Listing"]
    assert out[1].source == "x.jsonl#2" and "line 2" in out[1].message and out[1].reason == "bad_json"


def test_odd_but_usable_text_is_kept(tmp_path):
    odd = "Giao\u200bhàng 🚚 nhanh\x07 — ĐẸP " + "x" * 20000 + " Привет 你好"
    [l] = read_all(tmp_path, "-odd name ờ.txt", odd.encode())
    assert isinstance(l, Listing) and "Giaohàng" in l.text and "\x07" not in l.text


def test_hidden_files_skipped_and_symlinks_outside_rejected(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ".hidden.txt").write_text("x")
    (raw / "a.txt").write_text("Áo")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (raw / "link.txt").symlink_to(outside)
    (raw / "inside.txt").symlink_to(raw / "a.txt")
    found = list(iter_files(raw))
    names = sorted(f.name if isinstance(f, Path) else f.source for f in found)
    assert names == ["a.txt", "inside.txt", "link.txt"]
    [rej] = [f for f in found if isinstance(f, Reject)]
    assert rej.reason == "symlink_outside"


def test_a_web_page_is_titled_by_its_first_h1(tmp_path):
    [page] = read_all(tmp_path, "p.html", "<h2>Mô tả</h2><h1>Bình giữ nhiệt</h1><p>Inox 304</p>".encode())
    assert page.title == "Bình giữ nhiệt"
    [plain] = read_all(tmp_path, "q.html", b"<p>No heading here</p>")
    assert plain.title is None
