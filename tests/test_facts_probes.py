"""Policy-fact forms of issue 13 (facts38): general forms a shop writes that neither dev nor the unlabelled dev and
unsplit documents hold, written as probe sentences (tests/data/policy_probes.jsonl, README_policy_probes.md) and read
by RULES.md. A free-shipping banner with a call to buy ("FREE SHIPPING - BUY NOW") states no "every order" term; a
footnote mark beside its bracketed note breaks no clause, and a footnote line under a marked statement ("Free
shipping*" / "*on orders over $50") is its condition; free shipping through a code ("khi áp mã"), for a named month or a
season is an offer; a shipping cost of $0 is free shipping; the refunded money as the subject ("Tiền hoàn sẽ về tài
khoản trong 7-10 ngày") is the refund time; "Shipping & handling: $5.99" is the shipping fee; a priority service is
the fast one ("giao nhanh"); "at most" and "no longer than" are upper bounds; "sau 7 ngày bảo hành" is when the
warranty starts, no 7-day warranty; a colon after "kể từ …" ends what the period is counted from; free returns
joined to free shipping by a conjunction are a second offer, not the return's shipping. Real lines of an
unsplit page (pol-sonhapy-1, ngokieushop/sonhapy) keep their term beside the calls to buy that follow it; those of a
dev page (pol-yen-xao-app-1, tungtase04539/yen-xao-app; found in the audit of unlabelled dev pages) read the window a
colon follows and no window from its restatement ("Sau 7 ngày: Không áp dụng …")."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lexicon import load as load_lexicon
from fact_cases import DATA, assert_facts_keep_the_invariants, assert_line_gives_its_facts, listing_facts

LEX = load_lexicon("facts")
CASES = [json.loads(line) for line in (DATA / "policy_probes.jsonl").read_text(encoding="utf-8").splitlines() if line]
EVERY_ORDER = "Miễn phí vận chuyển cho mọi đơn hàng trên toàn quốc"
THRESHOLD = "Free shipping on orders over $50"


@pytest.mark.parametrize("case", CASES, ids=[c["note"][:60] for c in CASES])
def test_probe_sentences_give_their_facts(case):
    assert_line_gives_its_facts(case)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(LEX["promotions"]["calls_to_action"]), st.sampled_from([" - ", ". ", ", ", "! "]))
def test_a_call_to_buy_makes_free_shipping_a_banner(call, sep):
    facts = assert_facts_keep_the_invariants(f"{EVERY_ORDER}{sep}{call.upper()}")
    assert not [f for f in facts if f.fact_type == "free_shipping_threshold"], call
    # a threshold the banner names is still read
    facts = assert_facts_keep_the_invariants(f"{THRESHOLD}{sep}{call}")
    assert [(f.value_min, f.unit) for f in facts if f.fact_type == "free_shipping_threshold"] == [(50, "USD")], call


def test_calls_to_buy_on_their_own_lines_leave_the_statement():
    # pol-sonhapy-1 (ngokieushop/sonhapy, no split): the shipping term, then the page's calls to buy
    lines = ["Chính sách vận chuyển", "Chúng tôi giao hàng nhanh và miễn phí trên toàn quốc.",
             "Hãy nhanh tay đặt hàng ngay", "Đặt hàng ngay"]
    assert listing_facts(lines) == {("free_shipping_threshold", 0.0, None, "VND")}


def test_a_footnote_line_is_the_condition_of_the_marked_statement_above():
    assert listing_facts(["Free shipping*", "*on orders over $50"]) == {("free_shipping_threshold", 50.0, None, "USD")}
    assert listing_facts(["Miễn phí vận chuyển toàn quốc*", "(*) Áp dụng cho đơn hàng từ 300.000đ"]) == {
        ("free_shipping_threshold", 300000.0, None, "VND")}
    assert listing_facts(["Miễn phí vận chuyển toàn quốc*"]) == set()   # the note missing: no "every order" (facts35)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Freeship", "*", "(", ")", " ", "đơn từ 99k", "áp dụng", "7 ngày", "đổi trả", "\n"]),
                max_size=12).map("".join))
def test_footnote_marks_and_brackets_keep_the_invariants(text):
    assert_facts_keep_the_invariants(text)


def test_a_priority_service_beside_a_standard_one_is_the_express_service():
    assert listing_facts(["Standard shipping: 5-7 business days", "Priority shipping: 1-2 business days"]) == {
        ("delivery_time", 5.0, 7.0, "business_day"), ("express_delivery", 1.0, 2.0, "business_day")}


def test_a_colon_after_the_start_of_a_period_ends_it_the_cue_after_is_the_term():
    # pol-yen-xao-app-1 (tungtase04539/yen-xao-app, dev), under "3. Thời Gian Bảo Hành": the window's tiers; the last
    # line restates the window as a limit (agreement c5), no fact
    lines = ["3. Thời Gian Bảo Hành",
             "Trong vòng 24 giờ kể từ khi nhận hàng: Đổi trả miễn phí với mọi lỗi phát sinh",
             "Sau 7 ngày: Không áp dụng chính sách đổi trả (trừ trường hợp đặc biệt)"]
    assert listing_facts(lines) == {("return_window", None, 24.0, "hour")}
    # "kể từ" with no colon after it still names what the period is counted from
    assert listing_facts(["Trong vòng 3–5 ngày kể từ khi yêu cầu đổi trả được xác nhận"]) == set()
