"""zones38: policy terms written with verbs the cue lists lacked ([policy].more_strong in lexicon/zones.toml): a
refund "hoàn lại tiền", a replacement sent "ship bù" / "gửi bù", inspection on delivery "kiểm tra thoải mái", a
delivery promise "giao hàng nhanh" (a commitment item, RULES.md "cam kết"). Real lines: labelled DEV records
(tests/data/policy_labels: tiki-173425092, tiki-160221263, zones as labelled) and unlabelled records of
`tiki:batch_1` (dev in tests/data/splits.json: tiki-220683347, tiki-196146496, zones per RULES.md), each naming
its record. "2." is the item number the segmenter cuts from "2. SHIP bù …": a bare number takes its item's zone."""
from __future__ import annotations

import pytest
from test_zones_signs import zone_of
from test_zones_unlabelled import TIKI_CLOSING

from pipeline.text.cues import is_policy_text

# (record, lines, index of the policy line)
PASSAGES = [
    ("tiki-173425092", ["Đồ chơi cao cấp NT:", "️ Sản phẩm 100% như hình mô tả", "Giao hàng nhanh chóng",
                        "Sản xuất năm 2021", TIKI_CLOSING], 2),
    ("tiki-160221263", ["+ đũa và gắp", "SHOP cam kết:",
                        "1. Sản phẩm mẫu mã,chất lượng tuyệt đối đúng hình ảnh,mô tả.",
                        "2. SHIP bù HOÀN TOÀN MIỄN PHÍ đối với đơn hàng giao nhầm, thiếu, thừa, hỏng, lổi sản phẩm khi "
                        "khách hàng thông báo 48h kể từ khi nhận hàng và có đầy đủ hình ảnh, video chứng minh ạ",
                        TIKI_CLOSING], 3),
    ("tiki-220683347", ["- Kiểm Tra thoải mái trước khi nhận", "- Sau khi nhận mới Thanh Toán", TIKI_CLOSING], 0),
    ("tiki-196146496", ["SMART TOYS CAM KẾT VỚI KHÁCH HÀNG ĐỒ CHƠI XẾP HÌNH CHO BÉ",
                        "Hoàn lại tiền nếu sản phẩm không giống hình.",
                        "+ Bảo hành sản phẩm Đồ chơi xếp hình xe tăng cho bé 1 đổi 1 bất kì 1 lỗi nào liên quan đến "
                        "sản xuất. Thời gian đổi lại hàng trong vòng 02 ngày sau nhận hàng.", TIKI_CLOSING], 1),
]


@pytest.mark.parametrize("record,lines,line", PASSAGES)
@pytest.mark.parametrize("reference", [False, True])
def test_terms_written_with_these_verbs_are_policy(record, lines, line, reference):
    assert zone_of(lines, line, reference) == "policy", record


@pytest.mark.parametrize("text", [
    "Giao hàng nhanh chóng", "- Kiểm Tra thoải mái trước khi nhận", "Hoàn lại tiền nếu sản phẩm không giống hình.",
    "SHIP bù HOÀN TOÀN MIỄN PHÍ đối với đơn hàng giao nhầm",
])
def test_each_verb_is_a_policy_cue_on_its_own(text):
    assert is_policy_text(text)


@pytest.mark.parametrize("text", [
    # product copy holding the words apart is no term (unlabelled batch_1 lines)
    "Sau khi lắp ráp các chi tiết hoàn thành, bé sẽ bật nút công tắc màu đỏ",
    "Đồ Chơi Lắp Ráp King 91006 ( Xếp hình tàu hỏa vận chuyển hàng hóa 1234 mảnh )",
])
def test_product_copy_is_not_a_policy_cue(text):
    assert not is_policy_text(text)
