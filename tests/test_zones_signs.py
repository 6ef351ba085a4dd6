"""zones38: a block with no word (no two letters in a row: a lone number, a price, an emoticon, a stray label) takes
the zone of what it heads (RULES.md: bare section numbers and icon lines take their section's zone; a line of
unknowable zone is other), after the line model (`zones._signs`): a policy one over a block that is not policy, or
over the marketplace's closing paragraph, which it does not head, leaves policy; a bare item number over a policy
item joins it. The sign lines are real lines of unlabelled records of `tiki:batch_1` (dev in tests/data/splits.json,
not in tests/data/policy_labels), each case naming its record; the numbers are of labelled dev documents."""
from __future__ import annotations

import pytest
from test_zones_unlabelled import TIKI_CLOSING

from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.stages.zones import assign_zones_reference


def zoned(lines: list[str], reference: bool = False):
    listing = process(listing_from_record({"title": "Sản phẩm", "description": "\n".join(lines)}, "t", "json",
                                          FieldMap()), until="zones")
    return assign_zones_reference(listing) if reference else listing


def zone_of(lines: list[str], line: int, reference: bool) -> str:
    start = sum(len(t) + 1 for t in lines[:line])
    return next(b.zone for b in zoned(lines, reference).blocks if b.char_start <= start < b.char_end)


# (record, lines, index of the sign line, its zone per RULES.md: any of those named)
SIGNS = [
    # an emoticon between the shop's other lines (tiki-191463912)
    ("tiki-191463912", ["Khớp cứng cáp , đủ phụ kiện như hình", "Mua đủ sl để được giảm giá phí vận chuyển",
                        "khách mua nhiều hãy ib shop để tạo combo để giảm tối đa phí vận chuyển", "<3<3<3",
                        "Shop đang phát triển rất nhiều mẫu MOC Mech , Army , Castle", TIKI_CLOSING], 3, "other"),
    # a bare price after the product's copy, over a separator and the shop's address (tiki-144482818)
    ("tiki-144482818", ["Đặc biệt bộ ghép có hình đôi mắt , cánh cửa , bánh xe có thể giúp bé ghép cả hình con tôm , "
                        "cua , cá",
                        "Với bộ lego 1000 miếng sẽ đ lại những phút giây thư giãn  gắn kết bố mẹ gia đình với con cái",
                        "200k", "———-",
                        "Cửa hàng In Trường Tân, số 67 Hàng Bông (cạnh nhà số 65), phường Hàng Gai, Quận Hoàn Kiếm, "
                        "Hà Nội"], 2, "description other"),   # the product's price (RULES.md), or unknowable
    # a stray line right over the marketplace's closing paragraph, which it does not head (tiki-216473223,
    # tiki-105676739)
    ("tiki-216473223", ["0.0", TIKI_CLOSING], 0, "other"),
    ("tiki-105676739", ["Xem video tại đây: https://youtu.be/-zWH0p-IKMM", "~~~~~~~~~~~~~~~~~~~~~~", "w:",
                        TIKI_CLOSING], 2, "other"),
]


@pytest.mark.parametrize("record,lines,line,zone", SIGNS)
@pytest.mark.parametrize("reference", [False, True])
def test_a_block_with_no_word_is_not_policy_over_a_block_that_is_not(record, lines, line, zone, reference):
    assert zone_of(lines, line, reference) in zone.split(), record


# A bare item number the segmenter cut from its item joins the item's policy block (a labelled dev line of
# tiki-160221263, policy: "2." was its own block, zoned description by position).
CUT_NUMBERS = [
    (["+ đũa và gắp", "SHOP cam kết:", "1. Sản phẩm mẫu mã,chất lượng tuyệt đối đúng hình ảnh,mô tả.",
      "2. SHIP bù HOÀN TOÀN MIỄN PHÍ đối với đơn hàng giao nhầm, thiếu, thừa, hỏng, lổi sản phẩm khi khách hàng thông "
      "báo 48h kể từ khi nhận hàng và có đầy đủ hình ảnh, video chứng minh ạ", TIKI_CLOSING], 3),
]


@pytest.mark.parametrize("lines,line", CUT_NUMBERS)
@pytest.mark.parametrize("reference", [False, True])
def test_a_bare_item_number_takes_the_zone_of_its_policy_item(lines, line, reference):
    assert zone_of(lines, line, reference) == "policy", lines


# A section number over a policy block stays policy (labelled dev lines: the Q&A numbers of pol-elevate-apparel-1
# inside their section; a numbered step of pol-ngochaiii-acquy-1, which the line model decides).
HEADS_POLICY = [
    (["Return policy", "Q.1", "What is banno return policy?",
      "Our 100% buyer protection program allows for easy returns only for products not as per description/photo on "
      "the website and products which you received in damaged/defective/broken condition."], 1),
    (["Kỹ Thuật Viên Đến Kiểm Tra", "Trong vòng 2-4 giờ (nội thành) hoặc 24 giờ (ngoại thành)", "3",
      "Xác Định Lỗi & Giải Quyết", "Nếu đủ điều kiện BH → Đổi mới ngay hoặc Sửa chữa miễn phí"], 2),
]


@pytest.mark.parametrize("lines,line", HEADS_POLICY)
@pytest.mark.parametrize("reference", [False, True])
def test_a_section_number_over_a_policy_block_stays_policy(lines, line, reference):
    assert zone_of(lines, line, reference) == "policy", lines


# zones43: an emoji line over a policy block is that block's icon and takes its zone, where a separator glyph ("✪",
# "———-") stays other (RULES.md: icon lines take their section's zone; a separator line is other). Labelled dev
# lines of policies/pol-lalume-website-1.txt (LukasNorraine/lalume-website), policy in policies_5.jsonl; the last
# case puts a separator glyph in the icon's place.
ICONS = [
    (["Shipping & Returns", "Free shipping everywhere we sell. A guarantee with no fine print.", "✈️", "Shipping",
      "All orders ship free to Canada and the United States — no minimum order value, no codes to enter."], 2, "policy"),
    (["We currently ship to Canada and the United States only. International shipping is in the works.", "🛡️",
      "30-Day Money-Back Guarantee", "Try any LaLume product for 30 days from the date it's delivered to you."],
     1, "policy"),
    (["We currently ship to Canada and the United States only. International shipping is in the works.", "✪",
      "30-Day Money-Back Guarantee", "Try any LaLume product for 30 days from the date it's delivered to you."],
     1, "other"),
]


@pytest.mark.parametrize("lines,line,zone", ICONS)
@pytest.mark.parametrize("reference", [False, True])
def test_an_emoji_over_a_policy_block_takes_its_zone_a_separator_glyph_does_not(lines, line, zone, reference):
    assert zone_of(lines, line, reference) == zone, lines
