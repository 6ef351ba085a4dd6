"""Zones of real lines read on UNLABELLED documents of DEV sources (zones34: Tiki records of `tiki:batch_1`, dev in
tests/data/splits.json, not in tests/data/policy_labels), each case naming its record. Labels follow RULES.md."""
from __future__ import annotations

import pytest

from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process

# Tiki's closing tax-and-shipping paragraph, as every record ends with it (RULES.md: policy, marketplace boilerplate).
TIKI_CLOSING = ("Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào loại sản phẩm, hình "
                "thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác như phí vận chuyển, phụ phí hàng cồng "
                "kềnh, thuế nhập khẩu (đối với đơn hàng giao từ nước ngoài có giá trị trên 1 triệu đồng).....")


def zoned(lines: list[str]):
    return process(listing_from_record({"title": "Sản phẩm", "description": "\n".join(lines)}, "t", "json",
                                       FieldMap()), until="zones").blocks


# (record, the seller's last lines, the zone of the last one per RULES.md). The seller's last line does not run
# into the marketplace's closing paragraph below it: the line model sees the document's end there
# ([policy].marketplace_closing), so a sales pitch, a product line or a phone number is not policy for it.
LAST_LINES = [
    ("tiki-253117062", ["• Sản phẩm phù hợp với các bé từ 6 tuổi trở lên",
                        "• Chất liệu nhựa ABS đạt đầy đủ các chứng nhận 3C, EN71, ASTM, HR4040",
                        "Thank you again for your business! We appreciate you & look forward to serving you again soon!",
                        "Còn chần chờ gì nữa mà không mua hàng ngay."], "other"),      # a sales pitch
    ("tiki-251546916", ["Mẫu gấu bê quà size 45cm của HAICAIPIN chi tiết sắc nét lắp lên chỉ có đẹp hơn ảnh nha",
                        "Mua hàng tại shop khách sẽ được tặng kèm búa lắp",
                        "Hàng đến tay khách đảm bảo mảnh ghép nguyên vẹn, đầy đủ giấy hướng dẫn lắp nhé"],
     "description"),                                                                   # the product's own claim
    ("tiki-138833658", ["C- Store", "442 Đội Cấn - Ba Đình - Hà Nội.", "Website:", "0888.11.0002 hoặc 024 666 36 444"],
     "other"),                                                                         # a phone line
]


@pytest.mark.parametrize("record,lines,zone", LAST_LINES)
def test_the_sellers_last_line_is_not_joined_to_the_closing_paragraph(record, lines, zone):
    blocks = zoned(lines + [TIKI_CLOSING])
    assert blocks[-1].text == TIKI_CLOSING and blocks[-1].zone == "policy"
    assert blocks[-2].text == lines[-1] and blocks[-2].zone == zone, (record, [(b.zone, b.zone_reason) for b in blocks])


# (source, a policy section's lines, the zone of each per RULES.md): the shop's working, opening or support hours
# (a label, a colon, a clock time) are a contact line, other whatever section they stand in (policies_2: a
# warranty desk's hours; agreement c3), and the section goes on below them ([other].contact_label, zones34).
HOURS = [
    ("petertran410/dieptra-client (no split), policies/pol-dieptra-client-2.txt",
     ["Chính sách bảo hành", "Sản phẩm bị lỗi kỹ thuật do nhà sản xuất (chức năng…).", "Email hỗ trợ: sales@hisweetievietnam.com.vn",
      "Giờ làm việc: 8h30 – 17h30 (T2 – T7)"],
     ["policy", "policy", "other", "other"]),
    ("thinhcloud296/giuong-landing (no split), policies/pol-giuong-landing-1.txt",
     ["CHÍNH SÁCH BẢO HÀNH", "Lỗi cần thay linh kiện/đưa về xưởng: 7–15 ngày.",
      "Thời gian làm việc: Sáng: 9h – 11h | Chiều: 14h - 16h", "Đổi trả trong vòng 7 ngày nếu sản phẩm lỗi."],
     ["policy", "policy", "other", "policy"]),
]


@pytest.mark.parametrize("source,lines,zones", HOURS)
def test_working_hours_are_a_contact_line(source, lines, zones):
    blocks = zoned(lines)
    assert [b.text for b in blocks] == lines, source
    assert [b.zone for b in blocks] == zones, (source, [(b.zone, b.zone_reason) for b in blocks])
    assert blocks[-2 if zones[-1] == "policy" else -1].zone_reason == "contact-or-promo"


def test_a_web_label_is_a_contact_line():
    # tiki-139460253 (tiki:batch_1, unlabelled; the template recurs in 20 records): "Web:" names a channel as
    # "Website:" does ([other].contact_label, zones34); the line model had zoned it policy.
    lines = ["Bé An Toàn - Bố Mẹ An Tâm là tiêu chí hàng đầu cho việc lựa chọn chất liệu sản phẩm của shop.",
             "• Web:", "• Fanpage: concungoishop"]
    blocks = zoned(lines + [TIKI_CLOSING])
    assert [(b.zone, b.zone_reason) for b in blocks[1:3]] == [("other", "contact-or-promo")] * 2
