"""Zones of real lines copied from DEV documents of tests/data/policy_labels (sources named per case:
the repository owner/name, the corpus file under corpus/policies/). Labels follow RULES.md."""
from __future__ import annotations

import pytest

from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.stages.zones import is_breadcrumb, states_window

# (source, text): contact lines that also state a policy window are policy (RULES.md, Zones).
CONTACT_WITH_WINDOW = [
    # A lone English policy sentence with weak cues only ("order"): segment cuts this paragraph after its
    # first sentence, with no policy heading above; the line model (zones4: contact family, duration shape,
    # the next block's cue score) now zones it policy.
    ("AmaldevCB/sogno, policies/pol-amaldevcb-sogno-2.txt",
     "If your order arrives damaged, please contact us within 48 hours of receiving your package. Provide "
     "photos of the damaged items and packaging, and we will arrange for a replacement or refund based on our "
     "Return and Refund Policy."),
    ("acetdcons-dev/mocsa, policies/pol-acetdcons-dev-mocsa-2.txt",
     "Nếu quá 5 ngày làm việc (nội thành) hoặc 7 ngày (tỉnh/thành khác) mà chưa nhận được hàng, vui lòng liên "
     "hệ hotline 0325.343.663 để được tra soát đơn hàng."),
]


def zoned(description: str):
    return process(listing_from_record({"title": "Sản phẩm", "description": description}, "t", "json",
                                       FieldMap()), until="zones")


@pytest.mark.parametrize("source,text", CONTACT_WITH_WINDOW)
def test_a_contact_line_that_states_a_window_is_policy(source, text):
    assert states_window(text), source
    blocks = zoned(text).blocks
    assert blocks and all(b.zone == "policy" for b in blocks), (source, [(b.zone, b.zone_reason) for b in blocks])
    for b in blocks:
        assert text[b.char_start:b.char_end] == b.text


@pytest.mark.parametrize("text", ["Hotline: 0901 234 567", "Zalo 0325.343.663", "Mở cửa 8h-22h mỗi ngày"])
def test_a_contact_line_without_a_policy_window_is_not_policy(text):
    assert not states_window(text)
    assert all(b.zone != "policy" for b in zoned(text).blocks)


def test_the_line_model_keeps_cue_heading_and_spec_decisions():
    text = "CHÍNH SÁCH ĐỔI TRẢ\nĐổi trả trong 7 ngày nếu sản phẩm lỗi.\nKích thước: 30 x 20 cm"
    assert [(b.zone, b.zone_reason) for b in zoned(text).blocks] == [
        ("policy", "heading"), ("policy", "cue"), ("description", "attribute")]


# (source, lines as they stand in the document, the zone of each line per RULES.md). Real passages of DEV
# documents (the model was fitted on dev, so these pin its behaviour rather than measure it): a breadcrumb
# and a divider sign are other, a support question and its contact line after a policy paragraph are
# other, and the bare step labels of a warranty procedure are policy.
PASSAGES = [
    ("tungtase04539/yen-xao-app, policies/pol-yen-xao-app-2.txt",
     ["✦", "Chính Sách Giao Hàng", "Giao hàng toàn quốc — Nhanh chóng, An toàn, Đáng tin cậy",
      "Trang chủ ✦ Chính sách giao hàng", "1. Phạm Vi Giao Hàng"],
     ["other", "policy", "policy", "other", "policy"]),
    ("tranngocduykhanh0/dkare-website, policies/pol-dkare-website-3.txt",
     ["Vui lòng kiểm tra tình trạng hàng hóa trước khi ký nhận. Nếu phát hiện sản phẩm bị hư hỏng do vận "
      "chuyển, quý khách có quyền từ chối nhận hàng và liên hệ ngay với D.KARE qua hotline 079 539 7519.",
      "Cần hỗ trợ giao hàng?", "Liên hệ để được tư vấn và báo phí vận chuyển chính xác."],
     ["policy", "other", "other"]),
    ("Thinhsodeep/air-condition, policies/pol-air-condition-1.txt",
     ["1.Các bước bảo hành sản phầm", "Bước 1:", "• Tổng đài bảo hành: 1800.6173",
      "• Trò chuyện trực tiếp tại Website hoặc Fanpage", "• Liên hệ trực tiếp tại chi nhánh", "Bước 2:",
      "-Quý khách mang hoặc gửi sản phẩm cần bảo hành đến:"],
     # The hotline line (other by RULES.md) is still zoned policy: not asserted (None), see README, Zones.
     ["policy", "policy", None, "other", "other", "policy", "policy"]),
    # zones6: a breadcrumb under the page's heading is other and opens no zone (the policy text goes on).
    ("7091rahulA20/ruxova, policies/pol-ruxova-1.txt",
     ["Return & Refund Policy", "Home → Return Policy",
      "At RUXOVA PERFUMES, customer trust and satisfaction are our core values. We provide a structured 7-Day "
      "Replacement Guarantee for damaged, defective, or incorrectly delivered products. Please review our "
      "complete return policy terms below.", "1. 7-Day Replacement Guarantee"],
     ["policy", "other", "policy", "policy"]),
    # zones6: separator lines (no letter, no digit) are other, between a greeting and a policy note.
    ("Tiki record 204050271, products.jsonl#tiki-204050271",
     ["Toys HN xin kính chào quý khách,", "✪", "CHÚ Ý:",
      "- Khách hàng ở Hà Nội có thể liên hệ trực tiếp với shop để được ship hỏa tốc nếu như sản phẩm không "
      "có tiki now."],
     ["other", "other", "policy", "policy"]),
    # zones6: product copy naming the product's properties (size, age range: a duration that is no policy
    # window) stays in the description.
    ("Tiki record 136540050, products.jsonl#tiki-136540050",
     ["- Chất liệu gỗ được xử lý kĩ lưỡng đảm bảo an toàn với trẻ và bền cực kì", "- Kích thước bảng to 45x18cm",
      "- Bé kết hợp chơi được nhiều trò trong 1 bộ đồ chơi",
      "- Phù hợp trẻ từ 18 tháng trở lên (bố mẹ nên để ý và chơi cùng con)"],
     ["description", "description", "description", "description"]),
]


@pytest.mark.parametrize("source,lines,zones", PASSAGES)
def test_real_passages_keep_their_zones(source, lines, zones):
    text = "\n".join(lines)
    listing = zoned(text)
    got = []
    for line in lines:
        start = text.index(line)
        block = next(b for b in listing.blocks if b.char_start <= start < b.char_end)
        assert text[block.char_start:block.char_end] == block.text
        got.append(block.zone)
    checked = [(line, want, z) for line, want, z in zip(lines, zones, got) if want is not None]
    assert all(want == z for _, want, z in checked), (source, checked)


# (source, line, is a breadcrumb): real DEV lines. A breadcrumb starts at the site's root and joins links with
# separator glyphs; a policy step that uses an arrow ("if eligible → replaced") is not one.
BREADCRUMBS = [
    ("7091rahulA20/ruxova, policies/pol-ruxova-1.txt", "Home → Return Policy", True),
    ("tungtase04539/yen-xao-app, policies/pol-yen-xao-app-2.txt", "Trang chủ ✦ Chính sách giao hàng", True),
    ("7091rahulA20/ruxova, policies/pol-ruxova-1.txt", "Contact RUXOVA Support →", False),
    ("Ngochaiii/acquy, policies/pol-ngochaiii-acquy-1.txt",
     "Nếu đủ điều kiện BH → Đổi mới ngay hoặc Sửa chữa miễn phí", False),
    ("Ngochaiii/acquy, policies/pol-ngochaiii-acquy-1.txt",
     "Ắc quy được thay mới hoặc sửa xong → Tiếp tục sử dụng", False),
]


@pytest.mark.parametrize("source,line,expected", BREADCRUMBS)
def test_breadcrumbs_are_told_from_lines_with_arrows(source, line, expected):
    assert is_breadcrumb(line) is expected, source
    want = "other" if expected else None
    zones = [(b.zone, b.zone_reason) for b in zoned(line).blocks]
    if want:
        assert zones == [("other", "navigation")], (source, zones)
    else:
        assert all(reason != "navigation" for _, reason in zones), (source, zones)


# zones7: the line model's new shapes and families, on real DEV lines (source: repository owner/name and the
# corpus file; each source is dev in tests/data/splits.json). (source, line, features it must have, features
# it must not have.)
SHAPES = [
    # a web form's field labels (a return-request form, a warranty look-up)
    ("hungnguyen-cloud/sold-phone-s-website, policies/pol-sold-phone-s-website-2.txt", "Họ và tên",
     {"shape=form"}, set()),
    ("anhduongsmartcar/anhduongsmartcar, policies/pol-anhduongsmartcar-1.txt", "Nhập số điện thoại hoặc mã serial",
     {"shape=form", "fam=contact"}, set()),
    # a discount is a promotion; a refund's "100%" is not a discount
    ("phamthang271003/LapTopShop-PHP-Thuan, listings_html/lst-laptopshop-php-thuan-7.html",
     "Giảm 25% Combo bảo vệ Laptop (Combo MDMH và Phần mềm Diệt virus Eset) khi mua kèm máy",
     {"shape=discount", "fam=promotion"}, set()),
    ("NicholasChen868/DongTrungHaThao, policies/pol-dongtrunghathao-1.txt",
     "Hoàn tiền 100% nếu sản phẩm lỗi do nhà sản xuất hoặc sai hàng.", set(), {"shape=discount", "shape=form"}),
    # thanks and support-hours lines
    ("hieu555x/huy-cao-do-an-web, policies/pol-huy-cao-do-an-web-1.txt",
     "Cảm ơn bạn đã yêu thích sản phẩm và đồng hành cùng IVY moda! Mọi thắc mắc liên quan đến chính sách đổi "
     "hàng, vui lòng liên hệ 0246.662.3434", {"fam=courtesy", "fam=contact"}, set()),
    ("ntlong25/web-bstore, policies/pol-web-bstore-1.txt", "Hỗ trợ 24/7", {"fam=courtesy"}, set()),
    # a privacy policy beside the shop's terms
    ("hoang-IT-eng/BookStore, policies/pol-bookstore-1.txt",
     "BOOKSTORE cam kết bảo vệ thông tin cá nhân của khách hàng.", {"fam=privacy"}, set()),
]


@pytest.mark.parametrize("source,line,has,lacks", SHAPES)
def test_new_shapes_and_families_on_real_dev_lines(source, line, has, lacks):
    import json
    from pathlib import Path

    from pipeline.stages.zones import text_shapes, text_shapes_reference
    splits = json.loads((Path(__file__).parent / "data" / "splits.json").read_text(encoding="utf-8"))["policy"]
    assert splits[source.split(",")[0]] == "dev", source
    got = set(text_shapes(line))
    assert has <= got and not (lacks & got), (source, sorted(got))
    assert set(text_shapes_reference(line)) == got


def test_a_shape_gated_by_a_string_never_matches_without_it():
    """[model].shape_literals skips a shape's regex on text without its string: that must change no feature."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipeline.lexicon import load
    model = load("zones")["model"]
    gated = {name: (re.compile(model["shapes"][name], re.X), literal)
             for name, literal in model["shape_literals"].items()}
    assert gated

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="giảm -%off0123456789 đếntới", max_size=30))
    def check(text):
        for name, (pattern, literal) in gated.items():
            if pattern.search(text):
                assert literal in text, (name, text)

    check()
    # the real DEV line of SHAPES (phamthang271003/LapTopShop-PHP-Thuan) still has the gated shape
    assert gated["discount"][0].search("giảm 25% combo bảo vệ laptop")
