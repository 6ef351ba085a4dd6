"""Advice to sellers states no terms of the shop (issue 13, facts, eleventh pass): a listing whose text names
its reader's customers, store or trade (at least `[advice] min_audience` distinct phrases of lexicon/articles.toml
`[advice] audience`) keeps only the facts of its blocks in another determined language than the advice. Real
DEV article lines (tests/data/advice_article_lines.jsonl, sources in tests/data/README_advice_article_lines.md)
and the sample listing's Vietnamese policy block (raw/000_80d7723cb6c526a9.txt)."""
from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED
from fact_cases import DATA, facts_of
from pipeline.contract.records import Listing
from pipeline.lexicon import load as load_lexicon
from pipeline.stages import process
import pipeline.text.articles as advice
from pipeline.stages.facts import extract_policy_facts
from pipeline.stages.zones import article_zones
from pipeline.text.articles import MIN_AUDIENCE, advice_language, phrase_key

ADVICE = [json.loads(line)["text"] for line in (DATA / "advice_article_lines.jsonl").read_text(encoding="utf-8").splitlines()]
SHOP = SEED.read_text(encoding="utf-8").split("\n")[:6]   # "Chính Sách Vận Chuyển Và Đổi Trả Hàng" and its five terms
AUDIENCE = load_lexicon("articles")["advice"]["audience"]
# A shop's own English line, read as a delivery time when no advice is around it.
OWN = "Delivery usually takes 2-5 business days."


def policy_listing(lines: list[str]) -> Listing:
    """The lines through segment and langid, every block then in the policy zone (the zones are not what
    these tests are about: on the real articles they put most of these lines in policy)."""
    listing = process(Listing(doc_id="x", source="x.txt", format="txt", title=None, text="\n".join(lines)),
                      until="langid")
    listing.blocks = [replace(b, zone="policy") for b in listing.blocks]
    return listing


def facts(lines: list[str]) -> list[tuple]:
    listing = extract_policy_facts(article_zones(policy_listing(lines)))
    for f in listing.facts:
        assert listing.text[f.char_start:f.char_end] == f.evidence
    return sorted(((f.fact_type, f.value_min, f.value_max, f.unit) for f in listing.facts), key=str)


def test_the_advice_lines_read_alone_hold_facts():
    # what the grammar reads in them, line by line (six facts): the advice gate, not the grammar, drops them
    assert sum(len(facts_of(t)) for t in ADVICE) >= 6


def test_advice_to_sellers_gives_no_facts():
    assert advice_language(policy_listing(ADVICE).blocks) == "en"
    assert facts(ADVICE) == []


def test_the_shops_policy_block_above_the_advice_keeps_its_five_facts():
    own = facts(SHOP)
    assert len(own) == 5
    assert facts(SHOP + ADVICE) == own


def test_the_sample_listing_is_no_advice_and_keeps_its_five_facts(seed_listing):
    assert advice_language(seed_listing.blocks) is None
    assert len(seed_listing.facts) == 5


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(AUDIENCE), unique=True, max_size=MIN_AUDIENCE - 1))
def test_fewer_audience_phrases_than_the_minimum_leave_the_facts(phrases):
    # a shop's page naming "retailers" or "dropshipping" once is still a shop's page
    line = f"{OWN} We also work with " + ", ".join(phrases) + "." if phrases else OWN
    assert facts([line]) == [("delivery_time", 2.0, 5.0, "business_day")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([p for p in AUDIENCE if p.isascii()]), unique_by=phrase_key,   # "your ecommerce" and
                min_size=MIN_AUDIENCE, max_size=MIN_AUDIENCE + 2))                         # "your e-commerce" are one phrase
def test_enough_audience_phrases_drop_the_same_language_facts_only(phrases):
    advice = "This guide is for " + ", ".join(phrases) + "."
    assert facts([advice, OWN]) == []   # from its first audience phrase on, the advice's language states no terms
    assert facts(SHOP + [advice, OWN]) == facts(SHOP)   # the other language's block keeps its own
    assert facts([OWN, advice]) == facts([OWN]) != []   # a line above where the advice starts is the shop's


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(ADVICE + SHOP + [OWN]), min_size=1, max_size=8))
def test_the_gate_only_removes_facts(lines):
    listing = policy_listing(lines)
    gated = {(f.char_start, f.fact_type) for f in extract_policy_facts(article_zones(listing)).facts}
    try:
        advice.MIN_AUDIENCE, saved = 10 ** 6, advice.MIN_AUDIENCE
        ungated = {(f.char_start, f.fact_type) for f in extract_policy_facts(article_zones(policy_listing(lines))).facts}
    finally:
        advice.MIN_AUDIENCE = saved
    assert gated <= ungated
