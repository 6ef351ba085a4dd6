"""zones31: policy and privacy titles outside the heading list, and the shop's own check or packing before sending
(RULES.md: "a privacy-policy section on a policy page (its heading and lines) → other; a page title naming privacy
and shipping together stays policy"; listings_4 / listings_5: "the shop's own check before sending ... stays
description, as packaging"). Real lines of DEV documents (tests/data/policy_labels), zones as labelled."""
from __future__ import annotations

import pytest
from test_zones_commitment import TIKI_CLOSING, passage_zones

from pipeline.stages.zones import is_packing, is_policy_title, is_privacy_title

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


@pytest.mark.parametrize("doc,lines,zones", PASSAGES)
@pytest.mark.parametrize("reference", [False, True])
def test_packing_lines_of_dev_records_keep_their_labelled_zones(doc, lines, zones, reference):
    got = passage_zones(doc, lines, reference)
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
    ("-Bảo mật thông tin khách hàng", False),        # an item of a commitment list, no title
])
def test_a_privacy_title_names_the_other_zone(line, privacy):
    assert is_privacy_title(line) is privacy


@pytest.mark.parametrize("reference", [False, True])
def test_a_step_naming_the_contact_stays_in_its_policy_section(reference):
    """RULES.md agreement c1: "a step of a procedure that names the contact ('Bước 1: Liên hệ hotline …') stays
    policy"; the rules give it its section's zone, not a contact line's (a DEV page's step, pol-mividoorv5-1)."""
    from test_zones_commitment import zoned
    step = ("Bước 1: Liên hệ Hotline 0943 39 35 39 hoặc Zalo OA của MIVIDOOR để thông báo sự cố, cung cấp hình "
            "ảnh/video hiện trạng.")
    listing = zoned("\n".join(["CHÍNH SÁCH BẢO HÀNH", step]), reference)
    block = next(b for b in listing.blocks if b.text.startswith("Bước 1"))
    assert (block.zone, block.zone_reason) in (("policy", "section"), ("policy", "model")), (block.zone, block.zone_reason)
    outside = zoned("Bước 1: Liên hệ Hotline 0943 39 35 39 để đặt hàng", reference)
    assert next(b for b in outside.blocks if b.text.startswith("Bước 1")).zone_reason != "section"
