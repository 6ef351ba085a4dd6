"""Policy-fact forms of issue 13 (facts39), as probe sentences (tests/data/policy_probes_tiers.jsonl, its README) read
by RULES.md: a window written as a tier before its colon with the term after it ("Từ 2 — 7 ngày: Hỗ trợ đổi trả"),
support offered for a return, an exchange or a warranty (that term, not the "hỗ trợ" of support hours or a subsidy), a
time under a "Shipping & Handling" heading (the delivery's; dispatch and "handling time" stay no fact), store credit
(a refund: issued, the refund time; as a claim's remedy, the return window), and free-shipping and fee forms of the
weak types."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fact_cases import DATA, assert_facts_keep_the_invariants, assert_line_gives_its_facts, listing_facts

CASES = [json.loads(line) for line in (DATA / "policy_probes_tiers.jsonl").read_text(encoding="utf-8").splitlines()
         if line]


@pytest.mark.parametrize("case", CASES, ids=[c["note"][:60] for c in CASES])
def test_probe_sentences_give_their_facts(case):
    assert_line_gives_its_facts(case)


TERMS = {"đổi trả": "return_window", "đổi hàng": "exchange_window", "trả hàng": "return_window"}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(TERMS)), st.integers(1, 60), st.sampled_from(["Trong vòng {n} ngày", "{n} ngày"]),
       st.sampled_from(["Hỗ trợ ", "hỗ trợ ", "Shop hỗ trợ "]))
def test_support_for_a_term_after_its_tier_is_that_term(term, n, tier, support):
    facts = assert_facts_keep_the_invariants(f"{tier.format(n=n)}: {support}{term}")
    assert [(f.fact_type, f.value_max, f.unit) for f in facts] == [(TERMS[term], n, "day")]


def test_a_shipping_and_handling_heading_types_its_list_as_delivery():
    lines = ["Shipping & Handling", "Standard: 3-5 business days", "Express: 1-2 business days",
             "Orders ship within 1 business day"]
    assert listing_facts(lines) == {("delivery_time", 3.0, 5.0, "business_day"),
                                    ("express_delivery", 1.0, 2.0, "business_day")}
