"""Policy-fact forms of issue 13 (facts, tenth pass): offers and mentions that are not a shop's standing term,
read on real DEV lines (tests/data/policy_sentences_offers.jsonl, sources in
tests/data/README_policy_sentences_offers.md). Free shipping limited to a period, members, a first order or an
app, or capped as a subsidy, is a promotion; a fee of a return trip or deducted from a refund is no order's fee;
free shipping talked about (advice to sellers, in quotation marks) is a mention; a worked sum and a web address
hold no fee; a fast service in days beside a standard one is the express service."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lexicon import load as load_lexicon
from fact_cases import assert_facts_keep_the_invariants, facts_of, listing_facts

LEX = load_lexicon("facts")
# Real dev lines (pol-hangxachtayduc24h-1, pol-acetdcons-dev-mocsa-2): a standing threshold, free shipping on
# every order, and an order's fee, each with its fact.
THRESHOLD = "Miễn phí vận chuyển cho đơn hàng từ 300.000đ trở lên trên toàn quốc"
EVERY_ORDER = "Miễn phí vận chuyển toàn quốc cho mọi đơn hàng"
FEE = "Phí vận chuyển tiêu chuẩn 25.000đ áp dụng cho đơn dưới 300.000đ"


def test_the_real_lines_state_their_terms():
    assert facts_of(THRESHOLD) == [("free_shipping_threshold", 300000.0, None, "VND")]
    assert facts_of(EVERY_ORDER) == [("free_shipping_threshold", 0.0, None, "VND")]
    assert facts_of(FEE) == [("shipping_fee", 25000.0, 25000.0, "VND")]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(LEX["promotions"]["limited_offers"]), st.sampled_from([THRESHOLD, EVERY_ORDER]))
def test_free_shipping_limited_to_a_period_members_a_first_order_or_an_app_is_a_promotion(limit, line):
    # "... đến hết ngày 31/12", "... cho thành viên", "... cho đơn hàng đầu tiên": an offer, not the standing term
    facts = assert_facts_keep_the_invariants(f"{line} {limit}")
    assert not [f for f in facts if f.fact_type == "free_shipping_threshold"], limit


def test_free_shipping_capped_is_a_subsidy():
    assert facts_of("Freeship tối đa 25k cho đơn từ 99k") == []
    # a fee cap in another segment leaves the threshold before it
    assert ("free_shipping_threshold", 300000.0, None, "VND") in facts_of(THRESHOLD + ", phí ship tối đa 30k cho đơn dưới 300k")


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(LEX["money"]["deducted"] + ["khi đổi hàng", "khi trả hàng", "khi hoàn tiền"]))
def test_a_return_trips_fee_or_one_deducted_from_a_refund_is_no_orders_fee(words):
    facts = assert_facts_keep_the_invariants(f"{FEE} {words}")
    assert not [f for f in facts if f.fact_type == "shipping_fee"], words


@pytest.mark.parametrize("text", [
    '*   **Marketing Tool:** "Free shipping" is a powerful way to attract buyers.',
    "Consider offering free shipping if customers spend over a certain amount.",
    "Free shipping is a powerful incentive for online shoppers.",
    "Offer free shipping only on orders above a certain amount.",
])
def test_free_shipping_talked_about_is_a_mention(text):
    assert facts_of(text) == []


def test_the_shops_own_offer_stays():
    assert facts_of("We offer free shipping on all orders.") == [("free_shipping_threshold", 0.0, None, "VND")]


def test_a_worked_sum_and_a_web_address_hold_no_fee():
    assert facts_of("Total Cost = $10 + $5 + $2 = $17") == []
    assert facts_of("Profit Per Item = $30 - $17 = $13") == []
    assert facts_of("*   **[Rollo Printer](https://www.rollo.com/shop/shipping-label-printer?ref=your_affiliate_id)** "
                    "(Affiliate Link, around $199): A highly-rated thermal label printer.") == []
    # a fee beside an address still reads, and a plain range of fees is no sum
    assert facts_of("Xem thêm tại www.example.vn/van-chuyen. Phí ship 30k.") == [("shipping_fee", 30000.0, 30000.0, "VND")]
    assert facts_of("Phí ship 20.000đ - 30.000đ") == [("shipping_fee", 20000.0, 30000.0, "VND")]


def test_a_fast_service_in_days_beside_a_standard_one_is_express():
    # pol-bookstore-1.txt (dev), its shipping list
    standard = "Giao hàng tiêu chuẩn: 2–5 ngày làm việc (phí 25.000đ)"
    fast = "Giao hàng nhanh: 1–2 ngày (phí 45.000đ)"
    got = listing_facts(["Chính sách vận chuyển", standard, fast])
    assert ("express_delivery", 1.0, 2.0, "day") in got and ("delivery_time", 2.0, 5.0, "business_day") in got
    # alone, "giao hàng nhanh" in days names the ordinary courier: the delivery time (RULES.md)
    assert ("delivery_time", 1.0, 2.0, "day") in listing_facts(["Chính sách vận chuyển", fast])


def test_a_package_named_in_hours_under_a_fast_heading_is_express():
    # pol-sneakercaphesua-github-io-3.txt (dev), its delivery area list under "Khu Vực áp dụng gói giao nhanh"
    heads = ["Quy định giao hàng", "Khu Vực áp dụng gói giao nhanh"]
    package = "Thủ Đức, Hóc Môn, Nhà bè, Bình Tân, Bình Chánh, Củ Chi Khu vực áp dụng gói giao 24h – 48h."
    others = "Các Tỉnh Thành khác sẽ giao hàng trong vòng từ 2 – 4 Ngày (Không tính Chủ Nhật)."
    assert facts_of(package, heads) == [("express_delivery", 24.0, 48.0, "hour")]
    assert facts_of(others, heads) == [("delivery_time", 2.0, 4.0, "day")]
    # with no fast heading above it a delivery in hours stays the delivery time
    assert facts_of(package, ["Quy định giao hàng"]) == [("delivery_time", 24.0, 48.0, "hour")]


def test_a_level_named_after_free_shipping_is_no_every_order_fact():
    # art-en-ecommart-shopify-conversion-rate-optimization-str.md (EcommerceMart, articles dev)
    assert facts_of("Many customers will add a small item just to hit the free shipping mark.") == []
    assert facts_of("##### Free Shipping Thresholds") == []
    assert facts_of("Free shipping on orders over $50") == [("free_shipping_threshold", 50.0, None, "USD")]


def test_a_rate_range_per_month_is_no_fee():
    # art-en-ecommart-estimate-shipping-costs-calculator-2024.md (EcommerceMart, articles dev): software prices
    assert facts_of("Using shipping software like [ShipStation](https://www.shipstation.com/?ref=your_affiliate_id) "
                    "(Affiliate Link, $9-229/mo) can make setting up calculated shipping much easier.") == []
    assert facts_of("Phí ship 20-30k/đơn") == [("shipping_fee", 20000.0, 30000.0, "VND")]
