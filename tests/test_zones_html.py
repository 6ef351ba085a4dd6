"""Zones of real lines read on documents of DEV sources as the pipeline zones them (zones35): the HTML product
descriptions of corpus/listings_html/ (sources dev in tests/data/splits.json "policy") and unlabelled Tiki records of
`tiki:batch_1` (dev, not in tests/data/policy_labels), each case naming its document. Labels follow RULES.md."""
from __future__ import annotations

import pytest
from test_zones_unlabelled import TIKI_CLOSING, zoned


def zones_and_reasons(lines: list[str]) -> list[tuple[str, str]]:
    blocks = zoned(lines)
    assert [b.text for b in blocks] == lines
    return [(b.zone, b.zone_reason) for b in blocks]


def test_a_reviews_own_title_is_product_copy():
    # listings_html/lst-laptopshop-php-thuan-9.html (phamthang271003/LapTopShop-PHP-Thuan, dev): "Đánh giá chi tiết
    # <product>" titles the product's review, its copy (description); "đánh giá" alone was read as a review request.
    lines = ["Màu sắc | Color Platinum Silver", "Đánh giá chi tiết laptop Dell Inspiron 14 T7430 i7U165W11SLU",
             "Thiết kế Dell Inspiron 14 T7430 i7U165W11SLU năng động, tinh tế"]
    assert zones_and_reasons(lines)[1] == ("description", "default")


def test_a_review_request_stays_other():
    # tiki-204037726 (tiki:batch_1, unlabelled): a review request is other (RULES.md), as before zones35.
    lines = ["- Nếu quý khách hài lòng về sản phẩm, xin hãy để lại 5 sao kèm vài lời đánh giá ủng hộ shop.",
             TIKI_CLOSING]
    assert zones_and_reasons(lines)[0] == ("other", "contact-or-promo")


def test_y_hinh_is_a_same_as_the_picture_claim():
    # tiki-252103841 (tiki:batch_1, unlabelled): "y hình" (exactly as pictured) in a commitment list is the product's
    # claim, description (RULES.md: same-as-the-picture claims are description); the line model had zoned it policy.
    lines = ["CAM KẾT", "Hàng đảm bảo y hình 100%.",
             "Hàng đóng gói chắc chắn có hộp bìa catton và chống sock để tránh va đập trọng quá trình vận chuyển "
             "(đảm bảo mảnh ghép nguyên vẹn)", "Sau khi nhận hàng quý khách test sản phẩm.", TIKI_CLOSING]
    assert zones_and_reasons(lines)[1] == ("description", "attribute")


# (document, a bare note heading and the list under it, the zone of the heading per RULES.md: a heading is zoned by
# what its section holds). The line model had zoned the first two policy.
NOTES = [
    ("tiki-204037726 (tiki:batch_1, unlabelled; the template recurs in 7 records): shop notes, other",
     ["Xin quý khách đọc kĩ lưu ý trước khi mua hàng.", "LƯU Ý:",
      "- Shop tính bán lâu dài, giữ uy tín nên mọi người có thể yên tâm về sản phẩm.", "-", "Nếu quý", "khách",
      "thắc mắc về thông tin của sản phẩm, đừng ngại inbox shop nhe.", "- Shop đọc được tin nhắn là sẽ trả lời luôn a.",
      "- Hiện trên thị trường có rất nhiều sản phẩm ở nhiều mức giá khác nhau nên xin quý khách lưu ý.",
      TIKI_CLOSING], 1, "other"),
    ("tiki-214690892 (tiki:batch_1, unlabelled): the product's colour and size, description",
     ["Kích thước: 15-18cm", "Lưu ý:",
      "1. Do màn hình và hiệu ứng ánh sáng khác nhau, màu sắc thực tế của sản phẩm có thể hơi khác so với màu sắc hiển "
      "thị trên hình ảnh. Cảm ơn bạn!", "2. Xin vui lòng cho phép sai số kích thước 1-3 cm do đo lường thủ công.",
      TIKI_CLOSING], 1, "description"),
    ("policies/pol-hstlclothing-1.txt (KawSs0806/hstlclothing, dev; policies_2, labelled policy): return terms",
     ["Lưu ý:", "Những sản phẩm đã qua sử dụng thì sẽ không áp dụng đổi trả.",
      "Sản phẩm đã mua sẽ không được hoàn tiền dưới bất kỳ hình thức nào."], 0, "policy"),
]


@pytest.mark.parametrize("doc,lines,at,zone", NOTES)
def test_a_note_heading_takes_its_lists_zone(doc, lines, at, zone):
    assert zones_and_reasons(lines)[at] == (zone, "heading"), doc
