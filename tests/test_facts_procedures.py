"""Policy-fact forms of issue 13 (facts, fifth pass): real lines copied from the shared corpus
(tests/data/policy_sentences_procedures.jsonl; sources in tests/data/README_policy_sentences_procedures.md;
never from a source of the test split), with the heading / lead-in lines the pipeline gives them. Each is
a general form: a procedure heading gives no fact type; "Hoàn tiền 100% trong N ngày" is a return window;
"from the date it's delivered" starts a window; "nhanh nhất N phút" is a lower bound; "trong ngày hoặc
24h" is one fact; an action on hand-over for N minutes is no delivery time."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fact_cases import facts_of
from pipeline.stages.facts import extract_facts


@pytest.mark.parametrize("text, context, expected", [
    # a procedure heading withholds only its own types; a line's own cue still states its fact
    ("12 tháng", ["Quy trình bảo hành"], []),
    ("12 tháng", ["Chính sách bảo hành"], [("warranty_period", 12.0, 12.0, "month")]),
    ("Bảo hành 12 tháng", ["Quy trình bảo hành"], [("warranty_period", 12.0, 12.0, "month")]),
    ("Nội thành: 1-2 ngày", ["Chính sách giao hàng", "3. Quy trình đổi trả"], [("delivery_time", 1.0, 2.0, "day")]),
    ("Within 14 days", ["How to request a refund"], []),
    # counted from the shop receiving the return, a refund is the time the money takes (RULES.md)
    ("hoàn tiền trong 3-5 ngày làm việc kể từ khi nhận lại hàng", [], [("refund_time", 3.0, 5.0, "business_day")]),
    ("Giao hàng nhanh nhất 2 ngày", [], [("delivery_time", 2.0, None, "day")]),
    ("Delivered in as fast as 2 days", [], [("delivery_time", 2.0, None, "day")]),
    ("Giao hàng 2 hoặc 3 ngày", [], [("delivery_time", 2.0, 3.0, "day")]),   # a range stays a range
    ("Kiểm tra hàng trong 5 phút khi nhận", ["Giao hàng"], []),
])
def test_the_forms_in_general(text, context, expected):
    assert facts_of(text, context) == sorted(expected, key=str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Quy trình", "bảo hành", "hoàn tiền 100%", "trong", "7 ngày", "hoặc", "24h",
                                 "trong ngày", "giao nhanh nhất", "30 phút", "nhanh nhất", "from the date it's delivered",
                                 "mở thùng", "quá", "2 phút", " ", ":", "kể từ khi nhận lại hàng", "1 – 2 ngày"]),
                max_size=14))
def test_any_mix_of_the_forms_slices_back_and_keeps_bounds(parts):
    text = "".join(parts)
    for context in ([], ["Quy trình bảo hành"], ["Thời hạn bảo hành:", "Phương thức áp dụng bảo hành"]):
        for m in extract_facts(text, context):
            assert 0 <= m.start < m.end <= len(text)
            assert m.value_min is None or m.value_max is None or m.value_min <= m.value_max
