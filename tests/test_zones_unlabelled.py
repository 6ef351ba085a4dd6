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
