"""Policy-fact forms of issue 13 (facts, ninth pass): real blocks copied from the shared corpus
(tests/data/policy_sentences_fresh.jsonl; sources in tests/data/README_policy_sentences_fresh.md; never from a
source of the test split), wrong on the DEV documents of the freshly labelled policy_labels/policies_4.jsonl.
Each is a general form: a number word is read only as written ("ăn" folds to "an", one); a delivery within hours
under a fast-delivery heading or lead-in is the express service's time; the shop sending the replacement or the
exchanged item gives no window and no delivery time; a claim counted from placing the order is a notice on the
order; store-credit and consignment hold periods and example values state no term; a window followed by how it
is counted restates a window of that length stated elsewhere."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fact_cases import (assert_facts_keep_the_invariants, assert_listing_facts_keep_the_invariants,
                        facts_of, listing_facts)


@pytest.mark.parametrize("text, context, expected", [
    # number words as written: Vietnamese with marks is no English article, plain words still read
    ("Bàn ghế ăn — 5 năm", ["Thời gian bảo hành"], [("warranty_period", 5.0, 5.0, "year")]),
    ("Bàn ghế ăn - 5 năm", [], []),
    ("Warranty: one to two years", [], [("warranty_period", 1.0, 2.0, "year")]),
    ("Bảo hành một năm", [], [("warranty_period", 1.0, 1.0, "year")]),
    ("Returns accepted within a week", [], [("return_window", None, 1.0, "week")]),
    # a fast-delivery heading types a delivery within hours, not one in days, and no other term
    ("Nội thành giao trong 2 giờ", ["Giao hàng nhanh"], [("express_delivery", None, 2.0, "hour")]),
    ("Nội thành giao trong 2 giờ", ["Chính sách giao hàng"], [("delivery_time", None, 2.0, "hour")]),
    ("Ngoại thành 2-3 ngày", ["Giao hàng nhanh"], [("delivery_time", 2.0, 3.0, "day")]),
    ("Đổi trả trong vòng 24 giờ", ["Giao hàng nhanh"], [("return_window", None, 24.0, "hour")]),
    # the replacement's transit, and the windows beside it that must stay
    ("Shop sẽ gửi sản phẩm mới cho quý khách trong vòng 3 ngày", ["Đổi hàng"], []),
    ("We will send a replacement within 5 business days", [], []),
    ("Đổi sản phẩm mới trong vòng 7 ngày", [], [("exchange_window", None, 7.0, "day")]),
    ("Nhận sản phẩm mới hoặc hoàn tiền trong 3-5 ngày làm việc", [], [("refund_time", 3.0, 5.0, "business_day")]),
    # a claim counted from the order is a notice; counted from receipt it is the return window
    ("Vui lòng thông báo cho shop trong vòng 2 giờ kể từ khi đặt hàng", [], []),
    ("Vui lòng thông báo cho shop trong vòng 48 giờ kể từ khi nhận hàng", [], [("return_window", None, 48.0, "hour")]),
    ("Đổi trả trong vòng 7 ngày kể từ ngày mua", [], [("return_window", None, 7.0, "day")]),
    # hold periods and example values
    ("Shop bảo lưu số tiền dư trong 60 ngày", ["Chính sách đổi trả"], []),
    ("Bảo hành từ 12 đến 24 tháng tùy sản phẩm (ví dụ: tủ lạnh 24 tháng)", [], [("warranty_period", 12.0, 24.0, "month")]),
    ("Warranty varies by product (for example 2 years, 5 years)", [], []),
])
def test_forms_and_the_statements_beside_them(text, context, expected):
    assert facts_of(text, context) == sorted(expected, key=str)


def test_a_window_followed_by_how_it_is_counted_restates_the_stated_window():
    # pol-topbop-3.txt (dev), two adjacent blocks of its exchange page: "Thời hạn 7 ngày được tính theo …" says how
    # the 7 days of the exchange window are counted; it restates that window (one fact, RULES.md)
    stated = ("Trong vòng 7 ngày kể từ ngày mua hàng từ Topbop, Quý khách có thể yêu cầu đổi hàng hoàn toàn miễn "
              "phí.")
    counting = ("Thời hạn 7 ngày được tính theo dấu bưu điện khi Quý khách gửi sản phẩm về cho chúng tôi hoặc thời "
                "gian chúng tôi tiếp nhận yêu cầu trực tiếp (tại cửa hàng) của Quý khách.")
    heading = "CHÍNH SÁCH ĐỔI TRẢ SẢN PHẨM"
    assert listing_facts([heading, stated, counting]) == {("exchange_window", None, 7.0, "day")}
    # alone it is the only statement of the window and keeps its reading; a window of another length stays
    assert listing_facts([heading, counting]) == {("return_window", None, 7.0, "day")}
    assert listing_facts([heading, "Đổi hàng trong vòng 3 ngày.", counting]) == {("exchange_window", None, 3.0, "day"),
                                                                        ("return_window", None, 7.0, "day")}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Bàn ghế ăn", "—", "5 năm", "one", "a", "giao trong 60p", "gửi sản phẩm mới",
                                 "thông báo cho shop", "trong vòng 24h", "kể từ khi đặt mua", "lưu ký", "ví dụ:",
                                 "10 năm,", "Thời hạn 7 ngày", "được tính theo", "đổi hàng", " ", "\n"]),
                max_size=12),
       st.lists(st.sampled_from(["Khu Vực áp dụng gói giao nhanh", "Chính sách bảo hành", "Đổi Sản Phẩm"]),
                max_size=2))
def test_the_new_forms_keep_the_invariants(parts, context):
    text = " ".join(parts)
    assert_facts_keep_the_invariants(text, context)
    assert_listing_facts_keep_the_invariants(text)
