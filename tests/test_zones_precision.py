"""zones36: general forms the line model zoned against RULES.md on DEV documents (read on dev's out-of-fold errors of
`scripts/fit_zone_model.py --cv` and on unlabelled dev Tiki records): the real lines, each passage naming its source
(the repository owner/name and the corpus file, or the Tiki record of `tiki:batch_1`, dev in tests/data/splits.json).
Each form is decided by a rule the line model keeps."""
from __future__ import annotations

import pytest

from pipeline.eval.policy import line_zones
from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.stages.zones import is_authenticity_claim, is_enquiry, is_random_variant, is_shop_promotion


def zones_of(lines: list[str]) -> list[str]:
    """The zone of each line, zoned as one document's text, as `pipeline eval policy` finds a labelled line."""
    listing = process(listing_from_record({"title": "Sản phẩm", "description": "\n".join(lines)}, "t", "json",
                                          FieldMap()), until="zones")
    return line_zones({"lines": [{"text": line} for line in lines]}, listing)


# (source, lines, zones; None: not asserted). RULES.md Zones: authenticity claims are description, also inside a
# policy section; a warranty line stays policy.
AUTHENTICITY = [
    ("tran-thi-anh/TranAnh-WebDoAn, policies/pol-trananh-webdoan-1.txt",
     ["Chính sách bảo hành, đổi hàng", "I. Chính sách bảo hành sản phẩm",
      "3T SHOES cam kết tất cả các sản phẩm là hàng chính hãng 100%!",
      "Trong quá trình sử dụng, nếu phát hiện sản phẩm có những vấn đề do lỗi của nhà sản xuất. Thời gian bảo hành "
      "trong vòng 06 tháng kể từ ngày mua"],
     ["policy", "policy", "description", "policy"]),
    ("sonha93/stechcamera, policies/pol-stechcamera-1.txt",
     ["CHÍNH SÁCH BẢO HÀNH", "Camera IMOU & Thẻ nhớ chính hãng", "1. Phạm vi bảo hành"],
     ["policy", "description", "policy"]),
    ("namdh0910/phanbongiatot, policies/pol-phanbongiatot-1.txt",
     ["Chính Sách Bảo Hành & Đổi Trả 🛡️",
      "Phân Bón Giá Tốt cam kết 100% sản phẩm được cung cấp là hàng chính hãng, đúng chủng loại và đúng mô tả kỹ "
      "thuật trên website.",
      "🔄 Điều kiện đổi trả (Trong 3 ngày)",
      "Quý khách được hỗ trợ đổi trả hoặc hoàn tiền 100% trong các trường hợp sau:"],
     ["policy", "description", "policy", "policy"]),
]


@pytest.mark.parametrize("source,lines,zones", AUTHENTICITY)
def test_an_authenticity_claim_is_description_inside_a_policy_section(source, lines, zones):
    assert zones_of(lines) == zones, source


@pytest.mark.parametrize("text", [
    "Bảo hành chính hãng 12 tháng",    # a warranty: a policy cue
    # baeboutique-06/baeboutique, policies/pol-baeboutique-06-1.txt: where the goods were bought, a return condition
    "Hàng hóa được xác định nguồn gốc mua tại cửa hàng chính hãng của Bae và kênh bán hàng trực thuộc của Bae.",
    # Tiki record 36582866 (other): a price claim of the shop's list (RULES.md agreement c6)
    "Giá cả thấp nhất thị trường cho sản phẩm chính hãng cùng đúng chất lượng",
    # tung68nt/hamedco, policies/pol-hamedco-1.txt (other): a certificate of the staff, not of the goods
    "Chứng nhận chính hãng: 100% kỹ sư tại HAMEDCO được đào tạo bài bản",
])
def test_a_term_or_another_thing_called_genuine_is_no_authenticity_claim(text):
    assert not is_authenticity_claim(text)


# RULES.md policies_2: "Hỗ trợ 24/7" support lines are other, between the policy lines around them.
SUPPORT_HOURS = [
    ("khoinguyent/thaypin, policies/pol-thaypin-1.txt",
     ["Xử lý bảo hành trong 24-48 giờ", "Miễn phí hoàn toàn trong thời gian bảo hành", "Hỗ trợ 24/7 qua hotline",
      "Đổi mới nếu không sửa được"],
     ["policy", "policy", "other", "policy"]),
    ("ntlong25/web-bstore, policies/pol-web-bstore-1.txt",
     ["Miễn phí giao hàng", "cho hóa đơn trên 3 triệu", "Hỗ trợ 24/7", "trực tuyến", "Đổi trả trong 15 ngày"],
     ["policy", "policy", "other", None, "policy"]),
]


@pytest.mark.parametrize("source,lines,zones", SUPPORT_HOURS)
def test_support_at_all_hours_is_other_between_policy_lines(source, lines, zones):
    got = zones_of(lines)
    assert all(want is None or want == z for want, z in zip(zones, got)), (source, got)


def test_support_hours_stating_a_service_or_a_term_are_no_enquiry():
    # tung68nt/hamedco, policies/pol-hamedco-1.txt (policy): the service's terms follow its colon
    assert not is_enquiry("Hỗ trợ kỹ thuật 24/7: Tiếp nhận thông báo sự cố qua Hotline kỹ thuật bất kể ngày nghỉ hay lễ Tết.")
    assert not is_enquiry("Hỗ trợ đổi trả 24/7")   # a strong cue: a return term (written per RULES.md)
    assert is_enquiry("Hỗ trợ online 24/24")       # Tiki record 179493184 (other)


# RULES.md Zones: shop slogans are other; the shop telling what else it stocks or develops is no product copy.
SHOP_PROMOTION = [
    ("Tiki record 178596691, products.jsonl#tiki-178596691",
     ["Cảm ơn quý khách. Brick mong sẽ mang đến sự hài lòng cho các bạn trong quá trình mua sắm tại cửa hàng của mình",
      "---------------------------------------------------------",
      "Ngoài ra Shop còn có nhiều loại đồ chơi lắp ráp , đồ chơi mô hình đa dạng chủ đề"],
     ["other", "other", "other"]),
    ("Tiki record 191463867, products.jsonl#tiki-191463867",
     ["Mua đủ sl để được giảm giá phí vận chuyển",
      "khách mua nhiều hãy ib shop để tạo combo để giảm tối đa phí vận chuyển", "<3<3<3",
      "Shop đang phát triển rất nhiều mẫu MOC Mech , Army , Castle"],
     [None, None, None, "other"]),
]


@pytest.mark.parametrize("source,lines,zones", SHOP_PROMOTION)
def test_the_shop_telling_about_itself_is_other(source, lines, zones):
    got = zones_of(lines)
    assert all(want is None or want == z for want, z in zip(zones, got)), (source, got)


@pytest.mark.parametrize("record,text", [
    # unlabelled dev Tiki records of tiki:batch_1 (zoned description before zones36)
    ("tiki-204037726", "- Shop tính bán lâu dài, giữ uy tín nên mọi người có thể yên tâm về sản phẩm."),
    ("tiki-194212256", "Shop sẽ bán các dòng theme khác nhau nhưng sản phẩm chính sẽ là ninja và mine - craft."),
    ("tiki-169774332", "Shop chỉ cung cấp những sản phẩm có chất lượng tốt nhất tới tay khách hàng."),
    ("tiki-216139027", "Shop có tất cả các loại xe đồ chơi cho trẻ em"),
])
def test_a_shop_slogan_about_its_range_is_other_wherever_it_stands(record, text):
    assert is_shop_promotion(text), record
    # after a spec line of Tiki record 222322077 (description)
    assert zones_of(["- Kích thước sản phẩm: 41.7 x 6.3 x 16.1cm", text])[1] == "other", record


def test_a_lead_in_or_a_term_with_the_shop_as_subject_is_no_shop_promotion():
    # oscarjes/fonos, policies/pol-oscarjes-fonos-1.txt (policy): a lead-in over the delivery options
    assert not is_shop_promotion("Chúng tôi có các hình thức giao nhận như sau:")
    assert not is_shop_promotion("Shop cam kết đổi trả trong 7 ngày")   # a term (written per RULES.md)
    # Tiki record 213678696 (a LEGO set named "Cửa hàng …": the product, description)
    assert not is_shop_promotion("- Cửa hàng thiết kế và hoa LEGO Friends Downtown (41732) dành cho lứa tuổi 12")


# Tiki record 222322077, products.jsonl#tiki-222322077, whole (RULES.md: its spec list description, its terms policy):
# the model read the bare ID label and its value on the next line as policy.
PRODUCT_CODE_RECORD = [
    "Thông tin chi tiết về sản phẩm Đồ chơi lắp ráp tàu Radar hải quân - SEMBO 203319",
    "- Loại sản phẩm: Đồ chơi lắp ráp mô hình tĩnh",
    "- Nhãn hiệu: SEMBO BLOCK",
    "- ID sản phẩm:",
    "203319",
    "- Độ khó: trung bình",
    "- Kích thước sản phẩm: 41.7 x 6.3 x 16.1cm",
    "- Trọng lượng: 500gr",
    "- Vật liệu: nhựa ABS cao cấp an toàn tuyệt đối cho trẻ nhỏ.",
    "- Đồ chơi đạt chứng chỉ chất lượng quốc tế của châu Âu (3C, EN71, ASTM, HR4040…) và tiêu chuẩn chất "
     "lượng của Trung Quốc (CCC…)",
    "- Đạt kiểm định tại Việt Nam QCVN 3:2019/BKHCN.",
    "- Đối tượng sử dụng: 6+",
    "- Bộ sản phẩm bao gồm: hộp đựng, sách hướng dẫn chi tiết, dễ hiểu cách lắp ráp, các túi đựng miếng ghép.",
    "- Bảo hành toàn quốc 12 tháng.",
    "CHÍNH SÁCH BẢO HÀNH, ĐỔI TRẢ",
    "- Đổi hàng sau 2 ngày sau khi nhận nếu có lỗi từ nhà sản xuất, nhầm mẫu",
    "- Hoàn tiền 100% nếu khách hàng phát hiện hàng giả, hàng nhái (có bằng chứng)",
    "- Sản phẩm đổi trả phải còn nguyên tem, nhãn, bao bì, chưa qua sử dụng, nguyên vẹn như ban đầu shop giao",
    "- Khách ở HÀ NỘI và SÀI GÒN nhận hàng sau 2h",
    "Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào loại sản phẩm, hình "
     "thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác như phí vận chuyển, phụ phí hàng "
     "cồng kềnh, thuế nhập khẩu (đối với đơn hàng giao từ nước ngoài có giá trị trên 1 triệu đồng).....",
]


def test_a_product_code_label_and_its_value_are_description():
    zones = zones_of(PRODUCT_CODE_RECORD)
    assert zones[:13] == ["description"] * 13, list(zip(PRODUCT_CODE_RECORD, zones))
    assert zones[13:] == ["policy"] * 7


# Unlabelled dev Tiki record 12237643 (tiki:batch_1), its description whole: the product's long copy, no policy cue
# (RULES.md: description); the line model read policy into one paragraph ("thời gian chăm sóc con", "mẫu giáo").
LONG_COPY_RECORD = [
    "được làm từ chất liệu gỗ và sơn an toàn cùng thiết kế ngộ nghĩnh, giúp bé vừa chơi vừa học một "
     "cách hào hứng. Bề mặt nhẵn mịn, màu sắc tươi sáng.",
    "Mặt đồng hồ in họa tiết hoạt hình ngộ nghĩnh.",
    "Các miếng hình chữ số mang nhiều hình dáng khác nhau như hình vuông, tam giác, hình tròn, lục "
     "giác.",
    "Ba mẹ có thể chơi cùng và dạy bé học số, học cách xem giờ, nhận biết các hình khối.",
    "Những con số chỉ giờ từ 1 đến 12 được in trên những hình khối bằng gỗ với nhiều màu sắc và hình "
     "dáng khác nhau. Những hình khối này có thể tách rời khỏi mặt đồng hồ khỏi những lỗ khuyết có "
     "hình tương tự.",
    "Hai kim đồng hồ có thể xoay quanh trục giữa đồng hồ.",
    "Nhận thức sớm về thời gian là một trong những yếu tố quan trọng cho sự phát triển của bé sau "
     "này.",
    "Khi bé đã có được một sự hiểu biết nhất định về giờ giấc, bố mẹ có thể bắt đầu cho bé thực hiện "
     "một số thời gian biểu đơn giản nhất. Để bé có được thói quen, thực hiện những việc hàng ngày "
     "theo thời gian biểu.",
    "Với cuộc sống hiện đại, rất nhiều phụ huynh quá bận với công việc không có nhiều thời gian chăm "
     "sóc con nhỏ. Mọi việc phụ thuộc vào ông bà hoặc các lớp mẫu giáo mầm non. Quỹ thời gian dành "
     "cho con khá eo hẹp.",
    "Do vậy, có những đứa trẻ đi học lớp 1 rồi mà vẫn không biết tự mặc quần áo. Buổi sáng phải la, "
     "phải mắng mới dậy đánh răng rửa mặt. Buổi tối thì không chịu ngủ đúng giờ.",
    "Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào loại sản phẩm, "
     "hình thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác như phí vận chuyển, phụ "
     "phí hàng cồng kềnh, thuế nhập khẩu (đối với đơn hàng giao từ nước ngoài có giá trị trên 1 triệu "
     "đồng).....",
]


def test_the_products_long_copy_with_no_cue_is_never_made_policy_by_the_model():
    zones = zones_of(LONG_COPY_RECORD)
    assert zones[:-1] == ["description"] * (len(LONG_COPY_RECORD) - 1), list(zip(zones, LONG_COPY_RECORD))
    assert zones[-1] == "policy"   # the marketplace's closing paragraph


@pytest.mark.parametrize("source,text", [
    ("Tiki record 132995894 (labelled description)",
     "Giao hàng ngẫu nhiên, mẫu sẽ khác nhau khi giao hàng. bố mẹ chọn mẫu ibox nếu còn ạ :)"),
    ("unlabelled Tiki record 180937092", "LƯU Ý: SHOP GIAO MẪU NGẪU NHIÊN Ạ, NẾU KHÁCH MUA NHIỀU BỘ SẼ GIAO MẪU KHÁC NHAU Ạ."),
])
def test_a_random_variant_sent_is_description(source, text):
    # RULES.md (listings): "Giao hàng ngẫu nhiên" (the variant sent is random) is description, no fact
    assert is_random_variant(text), source
    assert zones_of(["- Kích thước sản phẩm: 41.7 x 6.3 x 16.1cm", text])[1] == "description", source


def test_a_random_variant_with_a_term_is_no_product_claim():
    assert not is_random_variant("Giao hàng ngẫu nhiên, không đổi trả")   # a return term (written per RULES.md)
