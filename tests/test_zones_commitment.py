"""zones30: a shop's commitment list in a listing (RULES.md: "A 'cam kết' / commitment heading is `policy` when the
list under it holds a policy item (delivery, warranty, exchange), else `other`; inside such a list ...
same-as-the-picture claims are `description`"). Real passages of DEV Tiki records (tests/data/policy_labels),
zones as labelled."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.stages.zones import assign_zones_reference, is_commitment_heading, is_likeness

TIKI_CLOSING = ("Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào loại sản phẩm, hình "
                "thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác như phí vận chuyển, phụ phí hàng cồng "
                "kềnh, thuế nhập khẩu (đối với đơn hàng giao từ nước ngoài có giá trị trên 1 triệu đồng).....")

# (record, lines, zone of each line as labelled)
PASSAGES = [
    # a commitment heading over a list holding delivery and warranty items: policy; the likeness claim under it
    # is description (and the quality slogan other)
    ("products.jsonl#tiki-217726157",
     ["- Remote: Mỗi loại xe đều sử dụng một loại Remote với tần số riêng biệt, vì vậy nếu Remote bị hỏng bạn cần "
      "mua đúng remote của loại model xe đó.",
      "Ô TÔ ĐIỆN TRẺ EM KIDPRO CAM KẾT:", "- Sản phẩm 100% giống mô tả", "- Đảm bảo chất lượng, dịch vụ tốt nhất",
      "- Giao hàng trên toàn quốc", "- Sản phẩm có phiếu bảo hành kèm theo", TIKI_CLOSING],
     ["description", "policy", "description", "other", "policy", "policy", "policy"]),
    ("products.jsonl#tiki-168663152",
     ["SHOP Bibi Store CAM KẾT:", "- Sản phẩm đúng như mô tả, mẫu mã như ảnh chụp.",
      "- Đổi trả miễn phí với sản phẩm phát sinh lỗi từ nhà sản xuất.",
      "- Thời gian giao hàng cho đơn vị vận chuyển nhanh.", TIKI_CLOSING],
     ["policy", "description", "policy", "policy", "policy"]),
    # a commitment heading whose list holds no policy item (a likeness claim, product copy): other; Tiki's
    # closing paragraph right after it is no item of the list
    ("products.jsonl#tiki-204050271",
     ["- Độ tuổi: 6+", "✪", "CAM KẾT BÁN HÀNG", "- Các sản phẩm của shop đều đảm bảo và cam kết 100% giống hình.",
      "- Tất cả các sản phẩm của shop đều hướng đến nhằm phát triển tư duy sáng tạo và rèn luyện tính kiên trì, nhẫn "
      "nại của các bé.",
      "Nếu khách hàng có thắc mắc về sản phẩm, đừng ngần ngại, hãy liên hệ với shop!", TIKI_CLOSING],
     ["description", "other", "other", "description", "description", "other", "policy"]),
]


def zoned(text: str, reference: bool = False):
    listing = process(listing_from_record({"title": "Sản phẩm", "description": text}, "t", "json", FieldMap()),
                      until="zones")
    return assign_zones_reference(listing) if reference else listing


def passage_zones(doc: str, lines: list[str], reference: bool) -> list[str]:
    """The zone of each of `lines` (a passage of the DEV document `doc`, checked to be dev) zoned as one record's
    description (the fast path or the reference); also used by test_zones_titles."""
    splits = json.loads((Path(__file__).parent / "data" / "splits.json").read_text(encoding="utf-8"))["policy"]
    labelled = {}
    for path in (Path(__file__).parent / "data" / "policy_labels").glob("*.jsonl"):
        for row in path.read_text(encoding="utf-8").splitlines():
            if row.strip() and json.loads(row)["doc"] == doc:
                labelled = json.loads(row)
    assert labelled and splits[labelled["group"]] == "dev", doc
    text = "\n".join(lines)
    listing = zoned(text, reference)
    return [next(b.zone for b in listing.blocks if b.char_start <= text.index(line) < b.char_end) for line in lines]


@pytest.mark.parametrize("doc,lines,zones", PASSAGES)
@pytest.mark.parametrize("reference", [False, True])
def test_commitment_lists_of_dev_records_keep_their_labelled_zones(doc, lines, zones, reference):
    got = passage_zones(doc, lines, reference)
    assert got == zones, (doc, list(zip(lines, got)))


@pytest.mark.parametrize("line,claim", [
    ("- Sản phẩm 100% giống mô tả", True),
    ("- Cam kết sản phẩm đúng như hình ảnh 100%.", True),
    ("Kích thước & Màu sắc như hình.", True),
    ("san pham 100% giong mo ta", True),                      # typed without diacritics
    ("Item is exactly as pictured", True),
    ("Sản phẩm không đúng mô tả trên website", False),        # a return condition (policy)
    ("Trả hàng và Hoàn tiền nếu không đúng hình đúng mẫu .", False),   # a policy cue
    ("Nhưng hình dáng đẹp", False),                           # "nhưng" is not "như"
    ("Sản phẩm không ảnh hưởng đến sức khỏe", False),
    # a block that also states a delivery window is no mere claim (its term keeps it out of the description)
    ("- Sản phẩm 100% giống mô tả - hàng được giao từ 1-5 ngày kể từ ngày đặt hàng", False),
])
def test_a_likeness_claim_is_told_from_a_return_condition(line, claim):
    assert is_likeness(line) is claim


@pytest.mark.parametrize("line,heading", [
    ("Ô TÔ ĐIỆN TRẺ EM KIDPRO CAM KẾT:", True),
    ("Amazing Bricks cam kết:", True),
    ("✪ CAM KẾT BÁN HÀNG", True),
    ("Xin Cam Kết", True),
    ("Quyền lợi của Khách hàng", True),
    ("Cam kết sản phẩm đúng như hình ảnh 100%.", False),     # a claim: a sentence end
    ("Cam kết vải và bông đều là hàng loại 1", False),      # a claim: too long for a bare heading
    ("Cam kết giao hàng nhanh chóng", False),               # a term of its own (a policy cue)
    ("- Cam kết chất lượng", False),                        # a list item
    ("EM XIN CAM KẾT LÀM HÀI LÒNG 100% ANH CHỊ !", False),
])
def test_a_commitment_heading_is_told_from_a_claim(line, heading):
    assert is_commitment_heading(line) is heading
