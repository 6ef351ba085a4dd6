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

from pipeline.contract.records import Block, Listing
from pipeline.stages.facts import extract_policy_facts
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


def table_facts(rows: list[tuple[str, str]]) -> set[tuple]:
    """The facts of a listing of policy blocks (kind, text), as (type, min, max, unit); every evidence slices back."""
    blocks, pos = [], 0
    for i, (kind, text) in enumerate(rows):
        blocks.append(Block(i, kind, text, pos, pos + len(text), zone="policy"))
        pos += len(text) + 1
    listing = extract_policy_facts(Listing(doc_id="x", source="x.html", format="html", title=None,
                                           text="\n".join(t for _, t in rows), blocks=blocks))
    for f in listing.facts:
        assert listing.text[f.char_start:f.char_end] == f.evidence
    return {(f.fact_type, f.value_min, f.value_max, f.unit) for f in listing.facts}


def test_a_fee_table_row_reads_each_cell_under_its_column_header():
    # RULES.md "Context counts": the type comes from the heading over the value; a table's is its header cell
    rows = [("row", "Khu vực | Phí vận chuyển | Thời gian giao hàng"), ("row", "Nội thành | 20.000đ | 1-2 ngày"),
            ("row", "Ngoại thành | 30.000đ | 3-5 ngày")]
    assert table_facts(rows) == {("shipping_fee", 20000.0, 20000.0, "VND"), ("shipping_fee", 30000.0, 30000.0, "VND"),
                                 ("delivery_time", 1.0, 2.0, "day"), ("delivery_time", 3.0, 5.0, "day")}
    # a header row naming no fact leaves the row to its heading, as before
    assert table_facts([("heading", "Bảng phí vận chuyển"), ("row", "Khu vực | Phí | Thời gian"),
                        ("row", "Nội thành | 20.000đ | 1-2 ngày")]) == {("shipping_fee", 20000.0, 20000.0, "VND")}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 99), st.integers(1, 9)), min_size=1, max_size=5))
def test_every_row_under_a_fee_and_time_header_gives_its_fee_and_its_time(values):
    rows = [("row", "Khu vực | Phí vận chuyển | Thời gian giao hàng")]
    rows += [("row", f"Vùng {k} | {fee}.000đ | {days} ngày") for k, (fee, days) in enumerate(values)]
    facts = table_facts(rows)
    assert {f for f in facts if f[0] == "shipping_fee"} == {
        ("shipping_fee", fee * 1000.0, fee * 1000.0, "VND") for fee, _ in values}
    assert {f for f in facts if f[0] == "delivery_time"} == {
        ("delivery_time", float(days), float(days), "day") for _, days in values}
