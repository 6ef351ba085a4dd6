"""Policy-fact precision guards of issue 13 (facts30): general forms that read as a term they do not state.

The first cases are real DEV lines (labelled documents of dev sources) that must keep their facts; the others are
short forms written for the test (no document of the corpus holds them, dev or not), one per rule:
free shipping "on every order" (0) under a condition left to a rule elsewhere, a buy-more hint, a goal, some
products, a count after a buying verb, a wholesale condition or a programme tag; no free-shipping fact under an
occasion, a next order or loyal customers; a shipping cue and a return cue joined name two terms; the shop
contacting the customer is its response time; shipped the same day is dispatch; asking for a refund within a
period, or a refund counted from the purchase, is the return window; an afternoon hour after "sau" is a cut-off;
"7 days a week" is how often; an item's value, a price that includes shipping and insurance are no fee; a fee waived
is free shipping."""
from __future__ import annotations

import pytest

from pipeline.stages.facts import extract_facts

FREE0 = ("free_shipping_threshold", 0.0, None, "VND")


def _facts(text: str, context=()) -> list[tuple]:
    return [(m.fact_type, m.value_min, m.value_max, m.unit) for m in extract_facts(text, list(context))]


@pytest.mark.parametrize("text, expected", [
    # real dev lines: the statements keep their facts
    ("Miễn phí vận chuyển toàn quốc cho mọi đơn hàng.", [FREE0]),                      # pol-acetdcons-dev-mocsa-2
    ("Miễn phí vận chuyển cho đơn hàng từ 300.000đ trở lên trên toàn quốc",            # pol-hangxachtayduc24h-1
     [("free_shipping_threshold", 300000.0, None, "VND")]),
    ("Đối với các dự án trong khu vực TP. Hồ Chí Minh, TSE Vending hỗ trợ miễn phí vận chuyển và lắp đặt cơ bản.",
     [FREE0]),                                                                           # pol-tsevending-1
    ("- Khách ở HÀ NỘI và SÀI GÒN nhận hàng sau 2h", [("delivery_time", 2.0, 2.0, "hour")]),   # tiki-222309908
    ("Nhận sản phẩm mới hoặc hoàn tiền trong 3–5 ngày làm việc sau khi Mộc Sa nhận lại hàng.",
     [("refund_time", 3.0, 5.0, "business_day")]),                                     # pol-acetdcons-dev-mocsa-1
    ("If your order arrives damaged, please contact us within 48 hours of receiving your package.",
     [("return_window", None, 48.0, "hour")]),                                         # pol-amaldevcb-sogno-2
])
def test_the_statements_keep_their_facts(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text", [
    "Miễn phí vận chuyển tùy khu vực",                 # left to a rule elsewhere (RULES.md: "theo khu vực")
    "Miễn phí vận chuyển theo chính sách của sàn",
    "Free shipping (conditions apply)",
    "Mua thêm sản phẩm để được miễn phí vận chuyển.",   # a buy-more hint
    "You're $20 away from free shipping",
    "Free shipping on select items",                   # some products
    "Mua 2 freeship",                                  # a count after a buying verb
    "Khách mua sỉ được miễn phí vận chuyển",           # a quantity not written
    "FREESHIP XTRA",                                   # a marketplace programme tag
    "Freeship khi like và share",
    "Miễn phí vận chuyển nhân dịp khai trương",        # an occasion
    "Free shipping on your next order",
    "Freeship cho khách hàng thân thiết",
])
def test_free_shipping_under_a_condition_it_does_not_read_is_no_fact(text):
    assert _facts(text) == []


def test_a_shipping_cue_and_a_return_cue_joined_name_two_terms():
    assert _facts("Hàng chính hãng - Freeship - Đổi trả 7 ngày") == [FREE0, ("return_window", None, 7.0, "day")]
    assert _facts("Free shipping and returns within 30 days") == [("return_window", None, 30.0, "day")]
    assert _facts("Giao hàng nhanh - đổi trả 30 ngày") == [("return_window", None, 30.0, "day")]
    assert _facts("Đổi trả – hoàn tiền 7 ngày") == [("return_window", None, 7.0, "day")]   # one side: shared


@pytest.mark.parametrize("text", [
    "Our team will contact you within 24 hours.",
    "Shop sẽ liên hệ với quý khách trong vòng 2 giờ.",
    "Nhân viên sẽ liên hệ lại trong vòng 24h.",
    "Orders placed before 2pm ship the same day.",
    "Đơn hàng sau 17h sẽ được giao vào ngày hôm sau.",
    "If you are shipping an item over $75, you should consider using a trackable shipping service.",
    "150k đã bao gồm ship",
    "Shipping insurance: $2.50",
    "We deliver 7 days a week.",                       # how often, no period
    "Giao hàng 7 ngày trong tuần.",
    "Đơn hàng từ 500k được hỗ trợ 30k phí ship",
])
def test_response_times_dispatch_cut_offs_and_prices_are_no_terms(text):
    assert _facts(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Please contact us within 24 hours of delivery.", [("return_window", None, 24.0, "hour")]),   # the customer
    ("You can request a refund within 30 days of purchase.", [("return_window", None, 30.0, "day")]),
    ("You have 14 days to request a refund.", [("return_window", None, 14.0, "day")]),
    ("Full refund within 14 days of purchase.", [("return_window", None, 14.0, "day")]),
    ("Yêu cầu hoàn tiền sẽ được xử lý trong 3-5 ngày làm việc.", [("refund_time", 3.0, 5.0, "business_day")]),
    ("You have 30 calendar days to return an item from the date you received it.",
     [("return_window", None, 30.0, "day")]),
    ("Phí ship sẽ được miễn cho đơn từ 500k.", [("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Shipping fees are waived for orders over $100.", [("free_shipping_threshold", 100.0, None, "USD")]),
    ("Expedited Shipping (2-3 business days): $9.99",
     [("express_delivery", 2.0, 3.0, "business_day"), ("shipping_fee", 9.99, 9.99, "USD")]),
    ("Hàng sẽ đến tay bạn sau 3-4 ngày.", [("delivery_time", 3.0, 4.0, "day")]),
    ("Thời gian nhận hàng 2-3 ngày trong tuần", [("delivery_time", 2.0, 3.0, "day")]),   # on weekdays: no frequency
])
def test_windows_waivers_and_services_are_read_as_what_they_are(text, expected):
    assert _facts(text) == expected
