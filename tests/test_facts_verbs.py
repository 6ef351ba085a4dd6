"""General forms of issue 13, second round (facts31): short sentences written for the test (no corpus
document holds them), one per rule, beside forms that already read right and must stay so.

An express service named as the subject of a delivery verb gives its time in any unit ("Express delivery
arrives in 1-2 days"); an amount "per kg" / "per item" written in words is a rate, no fee (RULES.md: an amount per
unit), while per order or per shipment it is the fee; an order tier said free after a fee ("Phí ship 30k, đơn
từ 500k miễn phí", "Đơn từ 500k: miễn phí" under "Phí vận chuyển") is the free-shipping threshold; free shipping named as a policy in a sentence ("Cửa hàng đang có chính
sách freeship") is a statement, and a label's terms restate it ("Chính sách freeship: đơn từ 500k được freeship"
is one threshold); reporting a defect ("báo lỗi") within a period is a claim window; free shipping refused ("không hỗ trợ miễn
phí vận chuyển", "is not available") is no fact; shipping an item back is its return;
"earliest delivery is N days" is a lower bound; a plain amount after free shipping in another segment ("Free ship
nội thành, ngoại thành 25k", "otherwise $6.95") is the fee where shipping is not free."""
from __future__ import annotations

import pytest

from pipeline.stages.facts import extract_facts

FREE0 = ("free_shipping_threshold", 0.0, None, "VND")


def _facts(text: str, context=()) -> list[tuple]:
    return [(m.fact_type, m.value_min, m.value_max, m.unit) for m in extract_facts(text, list(context))]


@pytest.mark.parametrize("text, expected", [
    # an express service as the delivery verb's subject
    ("Express delivery arrives in 1-2 days.", [("express_delivery", 1.0, 2.0, "day")]),
    ("Express orders are delivered within 2 days.", [("express_delivery", None, 2.0, "day")]),
    ("Đơn hỏa tốc sẽ được giao trong 2 ngày.", [("express_delivery", None, 2.0, "day")]),
    # ... not "giao nhanh" (a service only within a day), nor a standard service beside it
    ("Giao hàng nhanh: nhận hàng trong 2-3 ngày.", [("delivery_time", 2.0, 3.0, "day")]),
    ("Standard delivery 3-5 days, express delivery 1-2 days.",
     [("delivery_time", 3.0, 5.0, "day"), ("express_delivery", 1.0, 2.0, "day")]),
    ("Your order will be delivered in 3-5 business days.", [("delivery_time", 3.0, 5.0, "business_day")]),
    ("Your parcel arrives in 2-4 days.", [("delivery_time", 2.0, 4.0, "day")]),
    ("You will receive your order in 3-7 business days.", [("delivery_time", 3.0, 7.0, "business_day")]),
    ("Orders ship within 2-3 business days.", []),                      # dispatch
    ("Giao hỏa tốc trong 2 giờ.", [("express_delivery", None, 2.0, "hour")]),
    ("Same-day delivery in Hanoi.", [("express_delivery", None, 24.0, "hour")]),
])
def test_delivery_verbs(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Shipping costs $2 per item.", []),                                # a rate per unit
    ("Shipping: $10 per kg.", []),
    ("Phí vận chuyển 5.000đ/kg.", []),
    ("Shipping fee: $5 per order.", [("shipping_fee", 5.0, 5.0, "USD")]),
    ("Shipping fee: $5 per shipment.", [("shipping_fee", 5.0, 5.0, "USD")]),
    ("Phí vận chuyển: 30.000đ/đơn hàng.", [("shipping_fee", 30000.0, 30000.0, "VND")]),
    ("A flat shipping fee of $7.95 applies to all orders.", [("shipping_fee", 7.95, 7.95, "USD")]),
    ("Phí ship đồng giá 20.000đ.", [("shipping_fee", 20000.0, 20000.0, "VND")]),
])
def test_fees_per_order_and_rates(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Shipping is free.", [FREE0]),
    ("Shipping is free for orders over $50.", [("free_shipping_threshold", 50.0, None, "USD")]),
    ("Orders over 400K are shipped free.", [("free_shipping_threshold", 400000.0, None, "VND")]),
    ("Free shipping on orders >500K.", [("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Đơn hàng trên 1 triệu được freeship.", [("free_shipping_threshold", 1000000.0, None, "VND")]),
    ("Free returns within 30 days.", [("return_window", None, 30.0, "day")]),
    ("Damaged items must be reported within 48 hours of delivery.", [("return_window", None, 48.0, "hour")]),
    ("Quý khách được trả hàng trong 15 ngày kể từ ngày nhận.", [("return_window", None, 15.0, "day")]),
])
def test_forms_that_read_right_stay_so(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, context, expected", [
    # an order tier said free after a fee: the tier is the threshold, not a fee
    ("Đơn dưới 500k phí ship 30k, trên 500k miễn phí.", (),
     [("shipping_fee", 30000.0, 30000.0, "VND"), ("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Shipping: $5, orders over $50 free.", (),
     [("shipping_fee", 5.0, 5.0, "USD"), ("free_shipping_threshold", 50.0, None, "USD")]),
    ("Đơn từ 500k: miễn phí", ("Phí vận chuyển",), [("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Trên 500k\tMiễn phí", ("Phí vận chuyển",), [("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Orders over $50: free", ("Shipping fee",), [("free_shipping_threshold", 50.0, None, "USD")]),
    # ... not when something else is said free, nor an amount below, nor with no shipping named
    ("Phí ship 30k, đơn từ 500k miễn phí lắp đặt.", (), [("shipping_fee", 30000.0, 30000.0, "VND")]),
    ("Đơn dưới 500k: 30k", ("Phí vận chuyển",), [("shipping_fee", 30000.0, 30000.0, "VND")]),
    ("Giá 500k miễn phí.", (), []),
])
def test_a_tier_said_free_is_the_threshold(text, context, expected):
    assert _facts(text, context) == expected


@pytest.mark.parametrize("text, expected", [
    # a free-shipping policy named in a sentence is a statement (the title guard keeps headings out)
    ("Cửa hàng đang có chính sách freeship và ship hỏa tốc trong 1h dành cho tất cả các khách hàng trong khu vực.",
     [FREE0, ("express_delivery", None, 1.0, "hour")]),                 # lst-nuochoa-1 (dev)
    ("Shop áp dụng chính sách miễn phí vận chuyển cho mọi đơn hàng.", [FREE0]),
    ("Áp dụng chính sách miễn phí vận chuyển cho đơn hàng từ 500k.", [("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Our free shipping policy applies to all orders.", [FREE0]),
    ("Chính sách freeship", []),
    ("Free Shipping Policy", []),
    # ... and a label's terms restate its free shipping: one threshold, no "every order"
    ("Chính sách freeship: đơn từ 500k được freeship.", [("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Free shipping policy: orders over $50 ship free.", [("free_shipping_threshold", 50.0, None, "USD")]),
    # reporting a defect within a period is the return window (RULES.md: a claim window)
    ("Báo lỗi trong vòng 24h kể từ khi nhận hàng.", [("return_window", None, 24.0, "hour")]),
    ("Quý khách vui lòng báo lỗi trong 48h.", [("return_window", None, 48.0, "hour")]),
])
def test_policy_named_in_a_sentence_and_report_windows(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a standard service beside an express one keeps its own time, bracketed or not
    ("We offer express shipping (1-2 business days) and standard shipping (3-5 business days).",
     [("express_delivery", 1.0, 2.0, "business_day"), ("delivery_time", 3.0, 5.0, "business_day")]),
    ("Express shipping 1-2 days and standard shipping 3-5 days.",
     [("express_delivery", 1.0, 2.0, "day"), ("delivery_time", 3.0, 5.0, "day")]),
    # ... while a bracketed restatement of the same term stays one fact
    ("Bảo hành 36 tháng (3 năm)", [("warranty_period", 36.0, 36.0, "month")]),
    ("Bảo hành 24-36 tháng tùy hãng (tối thiểu 24 tháng).", [("warranty_period", 24.0, 36.0, "month")]),
])
def test_two_services_two_times(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    # free shipping refused or limited to a weekend is no "every order" fact
    ("Shop không hỗ trợ miễn phí vận chuyển.", []),
    ("Chúng tôi không áp dụng miễn phí vận chuyển cho đơn hàng này.", []),
    ("We do not offer free shipping.", []),
    ("Free shipping is not available for international orders.", []),
    ("Free shipping this weekend only.", []),
    # ... an exclusion after it leaves the term; support for it states it
    ("Miễn phí vận chuyển toàn quốc (không áp dụng cho hàng cồng kềnh).", [FREE0]),
    ("Shop có hỗ trợ miễn phí vận chuyển.", [FREE0]),
    # a tier freed with a link word between
    ("Phí vận chuyển 30k/đơn, đơn từ 300k được miễn phí.",
     [("shipping_fee", 30000.0, 30000.0, "VND"), ("free_shipping_threshold", 300000.0, None, "VND")]),
    # ... or a free word right before the order condition it frees
    ("Shipping fee 30.000 VNĐ for orders under 500.000 VNĐ, free for orders from 500.000 VNĐ.",
     [("shipping_fee", 30000.0, 30000.0, "VND"), ("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Phí ship 30k, miễn phí cho đơn từ 500k.",
     [("shipping_fee", 30000.0, 30000.0, "VND"), ("free_shipping_threshold", 500000.0, None, "VND")]),
    ("Phí ship 30k, không miễn phí cho đơn dưới 500k.", [("shipping_fee", 30000.0, 30000.0, "VND")]),
    ("Phí ship 30k, miễn phí đổi trả cho đơn từ 500k.", [("shipping_fee", 30000.0, 30000.0, "VND")]),
])
def test_free_shipping_refused_and_tiers_freed(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    # shipping an item back is its return
    ("Items must be shipped back within 14 days.", [("return_window", None, 14.0, "day")]),
    ("You can send items back within 30 days.", [("return_window", None, 30.0, "day")]),
    ("Contact us within 14 days for a refund.", [("return_window", None, 14.0, "day")]),
])
def test_items_sent_back(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    # "earliest" opening the cue is a lower bound, with a link word or a colon before the number
    ("Earliest delivery is 2 days.", [("delivery_time", 2.0, None, "day")]),
    ("Earliest delivery: 2 days.", [("delivery_time", 2.0, None, "day")]),
    ("Giao hàng nhanh nhất là 30 phút.", [("delivery_time", 0.5, None, "hour")]),
    ("Thời gian giao hàng sớm nhất là 2 ngày.", [("delivery_time", 2.0, None, "day")]),
    ("Delivery takes 3 days at most.", [("delivery_time", None, 3.0, "day")]),
])
def test_earliest_is_a_lower_bound(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    # free in one area, a plain amount for the other: that area's fee, and free shipping stays
    ("Free ship nội thành, ngoại thành 25k.", [FREE0, ("shipping_fee", 25000.0, 25000.0, "VND")]),
    ("Miễn phí ship nội thành, các tỉnh khác 30k.", [FREE0, ("shipping_fee", 30000.0, 30000.0, "VND")]),
    ("Free shipping in Hanoi, $5 elsewhere.", [FREE0, ("shipping_fee", 5.0, 5.0, "USD")]),
    # ... a bound or an order amount stays a threshold; a price is no fee
    ("Freeship đơn từ 500k, dưới 500k ship 30k.",
     [("free_shipping_threshold", 500000.0, None, "VND"), ("shipping_fee", 30000.0, 30000.0, "VND")]),
    ("Miễn phí vận chuyển toàn quốc, giá sản phẩm 500k.", [FREE0]),
    # ... and the fee "otherwise", under the threshold
    ("Shipping: FREE over $50, otherwise $6.95.",
     [("free_shipping_threshold", 50.0, None, "USD"), ("shipping_fee", 6.95, 6.95, "USD")]),
    ("Miễn phí ship đơn từ 500k, còn lại 30k.",
     [("free_shipping_threshold", 500000.0, None, "VND"), ("shipping_fee", 30000.0, 30000.0, "VND")]),
])
def test_free_in_one_area_a_fee_in_another(text, expected):
    assert _facts(text) == expected
