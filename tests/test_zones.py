"""Zones on real Tiki records (tests/data/zone_records.jsonl, hand-labelled spans) and on the sample."""
from __future__ import annotations

import json

from pipeline.eval.zones import labelled_spans, predicted_zone
from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from conftest import DATA

RECORDS = DATA / "zone_records.jsonl"


def zoned(description: str, title: str = "Sản phẩm"):
    return process(listing_from_record({"title": title, "description": description}, "t", "json", FieldMap()),
                   until="zones")


def test_labelled_spans_land_in_their_zone():
    results = [(gold, predicted_zone(l, s, e)) for l, _, gold, s, e in labelled_spans(RECORDS)]
    assert len(results) >= 200
    assert all(p is not None for _, p in results)  # every labelled span is found and covered by blocks
    accuracy = sum(g == p for g, p in results) / len(results)
    assert accuracy >= 0.95, accuracy
    for zone in ("policy", "description", "other"):
        gold = [p for g, p in results if g == zone]
        assert sum(p == zone for p in gold) / len(gold) >= 0.9, zone


def test_tiki_boilerplate_is_policy_in_every_record():
    for line in RECORDS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        listing = zoned(rec["description_text"])
        boiler = [b for b in listing.blocks if "Giá sản phẩm trên Tiki" in b.text]
        assert all(b.zone == "policy" for b in boiler), rec["id"]


def test_headings_open_zones_and_specs_stay_in_the_description():
    text = ("THÔNG TIN SẢN PHẨM\nÁo thun cotton 100%, thoáng mát.\nChất liệu: cotton\n"
            "CHÍNH SÁCH ĐỔI TRẢ\nĐổi trả trong 7 ngày nếu sản phẩm lỗi.\nKích thước: 30 x 20 cm\n"
            "Hotline: 0901 234 567\nShipping & Returns\nFree shipping on orders over $50.")
    zones = [(b.text, b.zone) for b in zoned(text).blocks]
    assert zones == [
        ("THÔNG TIN SẢN PHẨM", "description"), ("Áo thun cotton 100%, thoáng mát.", "description"),
        ("Chất liệu: cotton", "description"), ("CHÍNH SÁCH ĐỔI TRẢ", "policy"),
        ("Đổi trả trong 7 ngày nếu sản phẩm lỗi.", "policy"), ("Kích thước: 30 x 20 cm", "description"),
        ("Hotline: 0901 234 567", "other"), ("Shipping & Returns", "policy"),
        ("Free shipping on orders over $50.", "policy")]


def test_a_one_line_description_is_cut_so_no_block_straddles_zones():
    text = ("Bình giữ nhiệt inox 304 giữ nóng 12 giờ, dung tích 500ml, nắp kín không rò rỉ, phù hợp đi học "
            "và đi làm mỗi ngày. Thiết kế nhỏ gọn dễ mang theo. Đổi trả trong 7 ngày nếu có lỗi nhà sản xuất. "
            "Giao hàng toàn quốc 2-4 ngày.")
    blocks = zoned(text).blocks
    assert [b.zone for b in blocks] == ["description", "policy"]
    assert blocks[1].text.startswith("Đổi trả trong 7 ngày")
    for b in blocks:
        assert text[b.char_start:b.char_end] == b.text


def test_no_diacritics_policy_lines_are_policy():
    blocks = zoned("Ao thun nam co tron\nmien phi van chuyen don tu 300k\ndoi tra trong 7 ngay").blocks
    assert [b.zone for b in blocks] == ["description", "policy", "policy"]


def test_the_fast_path_gives_the_reference_zones():
    """assign_zones (cached per-text sums, no feature strings) equals assign_zones_reference (every feature
    built and looked up) on the real Tiki records of zone_records.jsonl and the sample listing."""
    import copy
    from pathlib import Path

    from pipeline.readers import read_file
    from pipeline.stages.zones import assign_zones, assign_zones_reference
    listings = [process(listing_from_record({"title": "Sản phẩm", "description": json.loads(line)["description_text"]},
                                            "t", "json", FieldMap()), until="langid")
                for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    raw = Path(__file__).resolve().parents[1] / "raw"
    listings += [process(rec, until="langid") for rec in read_file(raw / "000_80d7723cb6c526a9.txt", raw)]
    changed = 0
    for listing in listings:
        fast, ref = assign_zones(copy.deepcopy(listing)), assign_zones_reference(copy.deepcopy(listing))
        got = [(b.zone, b.zone_reason, b.policy_score) for b in fast.blocks]
        assert got == [(b.zone, b.zone_reason, b.policy_score) for b in ref.blocks]
        changed += sum(b.zone_reason == "model" for b in fast.blocks)
    assert len(listings) > 60 and changed > 0  # the model decides some blocks, so the comparison is not empty


def test_zone_reasons_are_the_declared_kinds():
    """Every zone reason the stage names (WHY.<reason> in pipeline/stages/zones.py) is declared once in
    contract.kinds.ZONE_REASONS and every declared one is named there; on the real Tiki records of
    zone_records.jsonl and the sample listing, every block's reason is a declared one, and the schema's
    description of blocks.zone_reason lists them."""
    import ast
    from pathlib import Path

    from pipeline.contract import kinds, schema
    from pipeline.readers import read_file
    from pipeline.stages import zones

    source = Path(zones.__file__).read_text(encoding="utf-8")
    named = {n.attr for n in ast.walk(ast.parse(source))
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "WHY"}
    assert named == {r.replace("-", "_") for r in kinds.ZONE_REASONS}
    assert zones.ARTICLE_REASON == "article" and "article" in kinds.ZONE_REASONS
    raw = Path(__file__).resolve().parents[1] / "raw"
    listings = [zoned(json.loads(line)["description_text"]) for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    listings += [process(rec, until="zones") for rec in read_file(raw / "000_80d7723cb6c526a9.txt", raw)]
    given = {b.zone_reason for listing in listings for b in listing.blocks}
    assert given <= set(kinds.ZONE_REASONS) and {"cue", "heading", "model"} <= given, given
    description = schema.BLOCKS.field("zone_reason").metadata[b"description"].decode()
    assert all(r in description for r in kinds.ZONE_REASONS), description
