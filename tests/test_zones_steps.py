"""zones39: a step of a policy procedure that names the contact stays policy (RULES.md agreement c1 and the policies
case: "Bước 1: Liên hệ hotline …" stays policy), where a top-level contact heading and a page's contact block stay
other. A sub-numbered or "B2:" / "Bước 1 –" contact heading under a policy section opens no other section
(`zones.is_contact_step`, in the rules); after the line model, a step line between policy steps, and its short body,
is policy (`zones._procedure_steps`). Lines of labelled dev pages (`pol-sieuthi-2.txt` of lekhoi2002/sieuthi,
`pol-phanbongiatot-1.txt` of namdh0910/phanbongiatot, `pol-yen-xao-app-2.txt` of tungtase04539/yen-xao-app) and of an
unlabelled unsplit one (`pol-giuong-landing-1.txt` of thinhcloud296/giuong-landing), each case naming its page."""
from __future__ import annotations

import pytest

from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.stages.zones import assign_zones_reference, is_contact_step


def zone_of(lines: list[str], line: int, reference: bool) -> str:
    listing = process(listing_from_record({"title": "Chính sách", "description": "\n".join(lines)}, "t", "json",
                                          FieldMap()), until="zones")
    if reference:
        listing = assign_zones_reference(listing)
    start = sum(len(t) + 1 for t in lines[:line])
    return next(b.zone for b in listing.blocks if b.char_start <= start < b.char_end)


SIEUTHI = ["Chính sách hoàn tiền trả hàng", "Quy Trình Đổi Trả Sản Phẩm", "1. Điều Kiện Đổi Trả",
           "Sản phẩm được đổi trả trong vòng 7 ngày kể từ ngày nhận hàng.",
           "Sản phẩm phải còn nguyên tem, nhãn mác, và chưa qua sử dụng.", "2. Các Bước Đổi Trả",
           "2.1. Liên Hệ Bộ Phận Chăm Sóc Khách Hàng",
           "Gọi điện hoặc gửi email đến bộ phận chăm sóc khách hàng để thông báo yêu cầu đổi trả.",
           "Cung cấp mã đơn hàng, lý do đổi trả, và tình trạng sản phẩm.", "2.2. Xác Nhận Yêu Cầu",
           "Bộ phận chăm sóc khách hàng sẽ xác nhận yêu cầu và hướng dẫn khách hàng các bước tiếp theo."]

PHANBON = ["Chính Sách Bảo Hành & Đổi Trả 🛡️", "🔄 Điều kiện đổi trả (Trong 3 ngày)",
           "Quý khách được hỗ trợ đổi trả hoặc hoàn tiền 100% trong các trường hợp sau:",
           "Giao sai sản phẩm, sai kích cỡ, sai chủng loại so với đơn đặt hàng.", "Quy trình đổi trả 4 bước", "📸",
           "B1: Chụp ảnh", "Chụp hiện trạng hàng bị lỗi/sai", "📞", "B2: Liên hệ", "Gọi Hotline 0773.440.966", "✅",
           "B3: Xác nhận", "Kỹ thuật viên xác nhận lỗi", "💰", "B4: Hoàn tất", "Gửi hàng bù hoặc hoàn tiền",
           "Quyền lợi của bà con là trên hết"]

GIUONG = ["Chính Sách Bảo Hành", "7) Quy Trình Tiếp Nhận Bảo Hành", "Bước 1 – Liên hệ",
          "Khách hàng gọi hotline bảo hành (ở cuối trang) hoặc nhắn Zalo/Email (nếu có).",
          "Cung cấp: Tên + SĐT + hóa đơn + hình ảnh và video lỗi + địa chỉ.", "Bước 2 – Xác nhận lỗi",
          "Kỹ thuật đánh giá lỗi trong vòng 24–48 giờ (giờ hành chính).",
          "Thông báo rõ: thuộc Nhóm A (miễn phí) hay Nhóm B (có phí), kèm dự kiến chi phí (nếu có).",
          "Bước 3 – Thực hiện bảo hành (áp dụng đối với sản phẩm do công ty lắp đặt)"]

YEN_XAO = ["Chính Sách Giao Hàng", "Quay video quá trình mở hàng để có bằng chứng trong trường hợp cần khiếu nại",
           "6. Hỗ Trợ & Liên Hệ",
           "Nếu đơn hàng của bạn bị chậm trễ, thất lạc hoặc có vấn đề trong quá trình giao nhận, vui lòng liên hệ ngay "
           "với chúng tôi:", "📞 Hotline: 0843.623986 (hỗ trợ 7:00 — 22:00 hằng ngày)",
           "✉️ Email: tp.phucthinh.co@gmail.com"]

# (page, lines, index of the line, its zone per RULES.md)
STEPS = [
    ("pol-sieuthi-2", SIEUTHI, 6, "policy"),    # a sub-numbered contact step of the return procedure
    ("pol-sieuthi-2", SIEUTHI, 7, "policy"),    # ... and its body, in the policy section it no longer closes
    ("pol-phanbongiatot-1", PHANBON, 9, "policy"),    # "B2: Liên hệ" between policy steps
    ("pol-phanbongiatot-1", PHANBON, 10, "policy"),   # its one body line, a hotline
    ("pol-phanbongiatot-1", PHANBON, 8, "policy"),    # the step's icon follows it
    ("pol-giuong-landing-1", GIUONG, 2, "policy"),    # "Bước 1 – Liên hệ" heading under a policy heading
    ("pol-giuong-landing-1", GIUONG, 6, "policy"),    # a later step's body, no longer in an other section
    # a top-level contact heading and the page's contact block stay other
    ("pol-yen-xao-app-2", YEN_XAO, 2, "other"),
    ("pol-yen-xao-app-2", YEN_XAO, 4, "other"),
]


@pytest.mark.parametrize("page,lines,line,zone", STEPS)
@pytest.mark.parametrize("reference", [False, True])
def test_a_contact_step_of_a_policy_procedure_is_policy(page, lines, line, zone, reference):
    assert zone_of(lines, line, reference) == zone, page


@pytest.mark.parametrize("text,step", [
    ("2.1. Liên Hệ Bộ Phận Chăm Sóc Khách Hàng", True), ("3.1. Liên Hệ Trung Tâm Bảo Hành", True),
    ("B2: Liên hệ", True), ("Bước 1 – Liên hệ", True),
    ("6. Hỗ Trợ & Liên Hệ", False),      # a top-level section
    ("Liên hệ", False),                  # no step number
    ("2.2. Xác Nhận Yêu Cầu", False),    # a step that names no contact
])
def test_contact_step(text, step):
    assert is_contact_step(text) is step
