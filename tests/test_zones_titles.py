"""zones31: policy and privacy titles outside the heading list, and the shop's own check or packing before sending
(RULES.md: "a privacy-policy section on a policy page (its heading and lines) → other; a page title naming privacy
and shipping together stays policy"; listings_4 / listings_5: "the shop's own check before sending ... stays
description, as packaging"). Real lines of DEV documents (tests/data/policy_labels), zones as labelled."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.stages.zones import assign_zones_reference, is_packing, is_policy_title, is_privacy_title

TIKI_CLOSING = ("Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào loại sản phẩm, hình "
                "thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác như phí vận chuyển, phụ phí hàng cồng "
                "kềnh, thuế nhập khẩu (đối với đơn hàng giao từ nước ngoài có giá trị trên 1 triệu đồng).....")

# (record, lines, zone of each line as labelled)
PASSAGES = [
    # the shop's check before sending is packaging (description); filming the opening for a warranty claim is policy
    ("products.jsonl#tiki-181799629",
     ["------------", "Sản phẩm của shop đều được đóng gói và kiểm tra cẩn thận trước khi gửi cho các đơn vị vận chuyển.",
      "QK vui lòng quay video khi mở sản phẩm để có thể được hỗ trợ bảo hành nhanh nhất khi có phát sinh về lỗi không "
      "mong muốn ạ.", "------------"],
     ["other", "description", "policy", "other"]),
    ("products.jsonl#tiki-150880890",
     ["️Tăng khả năng tương tác giữa mẹ và bé", "- Luôn kiểm tra sản phẩm trước khi giao hàng", TIKI_CLOSING],
     ["description", "description", "policy"]),
]


def zoned(text: str, reference: bool = False):
    listing = process(listing_from_record({"title": "Sản phẩm", "description": text}, "t", "json", FieldMap()),
                      until="zones")
    return assign_zones_reference(listing) if reference else listing


@pytest.mark.parametrize("doc,lines,zones", PASSAGES)
@pytest.mark.parametrize("reference", [False, True])
def test_packing_lines_of_dev_records_keep_their_labelled_zones(doc, lines, zones, reference):
    splits = json.loads((Path(__file__).parent / "data" / "splits.json").read_text(encoding="utf-8"))["policy"]
    labelled = {}
    for path in (Path(__file__).parent / "data" / "policy_labels").glob("*.jsonl"):
        for row in path.read_text(encoding="utf-8").splitlines():
            if row.strip() and json.loads(row)["doc"] == doc:
                labelled = json.loads(row)
    assert labelled and splits[labelled["group"]] == "dev", doc
    assert all(any(line == l["text"] for l in labelled["lines"]) for line in lines if line != TIKI_CLOSING)
    text = "\n".join(lines)
    listing = zoned(text, reference)
    got = []
    for line in lines:
        start = text.index(line)
        got.append(next(b.zone for b in listing.blocks if b.char_start <= start < b.char_end))
    assert got == zones, (doc, list(zip(lines, got)))


@pytest.mark.parametrize("line,packing", [
    ("- Luôn kiểm tra sản phẩm trước khi giao hàng", True),
    ("Sản phẩm của shop đều được đóng gói và kiểm tra cẩn thận trước khi gửi cho các đơn vị vận chuyển.", True),
    ("- Sản phẩm được kiểm tra kỹ càng, đóng gói chắc chắn, cẩn thận trước khi giao cho Quý khách.", True),
    ("san pham duoc kiem tra ky truoc khi giao hang", True),                  # typed without diacritics
    ("Shop quay video đóng gói trước khi gửi hàng", False),                    # filming the order: policy
    ("Hàng được đóng gói cẩn thận trước khi giao. Đổi trả trong 7 ngày", False),  # a term beside it
    ("Sản phẩm được kiểm tra trước khi giao, giao hàng trong 2-3 ngày", False),   # a delivery window
    ("4. Dịch vụ kiểm tra trước khi giao xe (PDI): Để giúp bạn hoàn toàn hài lòng", False),  # a service of the shop
    ("Quý khách vui lòng kiểm tra hàng trước khi nhận", False),                # the buyer's inspection
])
def test_the_shops_packing_is_told_from_a_term(line, packing):
    assert is_packing(line) is packing


@pytest.mark.parametrize("line,title", [
    ("Chính sách giao nhận", True),
    ("Breakages Policy", True),
    ("Chính sách shop Đồ chơi STEM", True),
    ("📦 Chính sách vận chuyển", True),
    ("Chính sách bảo mật & Vận chuyển", True),       # names shipping too
    ("Chính sách bảo mật", False),                   # privacy: other
    ("Privacy Policy", False),
    ("- Chính sách đổi trả linh hoạt", False),       # a list item
    ("Chính sách đổi trả: 7 ngày", False),           # name: value
    ("Our policy is simple.", False),
])
def test_a_policy_title_outside_the_heading_list(line, title):
    assert is_policy_title(line) is title


@pytest.mark.parametrize("line,privacy", [
    ("Chính sách bảo mật", True),
    ("🔒 Bảo mật thông tin khách hàng", True),
    ("Privacy Policy", True),
    ("Chính sách bảo mật & Vận chuyển", False),      # a policy cue of its own
    ("Bảo mật | Có bảo mật vân tay", False),         # a laptop's spec
    ("Vận chuyển · Đổi trả · Thanh toán · Bảo mật thông tin", False),
])
def test_a_privacy_title_names_the_other_zone(line, privacy):
    assert is_privacy_title(line) is privacy
