"""Articles state no shop's terms, in the zones (issue 13, artzones): the zones stage's last step moves a
policy block of an article or of advice to sellers (`pipeline.text.articles.own_blocks`) that does not speak
as the shop to the description zone, reason "article"; the shop's block above the article and the blocks in
another language keep their zones, and the facts (read from policy blocks only) keep the shop's.

Real DEV lines only: tests/data/article_terms_lines.jsonl (a product round-up, carriers' services, a shop's
"Shipping & Returns" block, two lines in the shop's voice; sources in tests/data/README_article_terms_lines.md),
tests/data/advice_article_lines.jsonl (advice to sellers; tests/data/README_advice_article_lines.md), the
sample listing raw/000_80d7723cb6c526a9.txt and the labelled lines of the DEV policy page
policies/pol-3dprintmaxxing-1.txt (tests/data/policy_labels/policies.jsonl; 3dprintmaxing/3dprintmaxxing
en/refund-policy.html, corpus SOURCES-2.md), a refund policy written in the third person ("the customer").

By genre (articles28): tests/data/genre_article_lines.jsonl (a DEV list-shaped running plan, which the prose
rule misses; tests/data/README_genre_article_lines.md) and the labelled lines of the DEV warranty pages
policies/pol-ngochaiii-acquy-1.txt and policies/pol-suzuki-1.txt (tests/data/policy_labels/policies_3.jsonl,
policies_4.jsonl), which the genre model would take for articles if their cue lines were read."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

import pipeline.stages.zones as zones
import pipeline.text.articles as articles
from conftest import SEED
from fact_cases import DATA
from pipeline.contract.records import Listing
from pipeline.lexicon import load as load_lexicon
from pipeline.stages import process
from pipeline.text.phrases import PhraseSet

LINES = [json.loads(line) for line in (DATA / "article_terms_lines.jsonl").read_text(encoding="utf-8").splitlines()]
ARTICLE = [r["text"] for r in LINES if r["role"] == "article"]
GENERIC = [r["text"] for r in LINES if r["role"] == "generic"]
SHOP = [r["text"] for r in LINES if r["role"] == "shop"]
VOICE = [r["text"] for r in LINES if r["role"] == "voice"]
ADVICE = [json.loads(line)["text"] for line in (DATA / "advice_article_lines.jsonl").read_text(encoding="utf-8").splitlines()]
SEED_SHOP = SEED.read_text(encoding="utf-8").split("\n")[:6]   # the sample's Vietnamese policy block
PAGE_DOC = "policies/pol-3dprintmaxxing-1.txt"
THIRD_PERSON = ("the customer", "the buyer", "the purchaser")


def run(lines: list[str], sep: str = "\n\n") -> Listing:
    return process(Listing(doc_id="x", source="x.txt", format="txt", title=None, text=sep.join(lines)))


def zones_of(listing: Listing, texts) -> list[tuple[str, str]]:
    return [(b.zone, b.zone_reason) for b in listing.blocks if b.text in texts]


def fact_keys(listing: Listing) -> Counter:
    for f in listing.facts:
        assert listing.text[f.char_start:f.char_end] == f.evidence
    return Counter((f.fact_type, f.value_min, f.value_max, f.unit) for f in listing.facts)


@pytest.fixture
def without_article_step(monkeypatch):
    """The zones as they were before the article step (own_blocks says every block may state terms)."""
    monkeypatch.setattr(zones, "own_blocks", lambda blocks, asked=None: None)


def test_without_the_step_the_article_under_a_shops_block_was_policy(without_article_step):
    # what the step is for: the shop's block opens a policy section, and the article below inherits it
    shop = len(run(SHOP).blocks)
    listing = run(SHOP + ARTICLE[:10] + GENERIC + ARTICLE[10:])
    assert all(b.zone == "policy" for b in listing.blocks[shop:])
    assert fact_keys(listing) != fact_keys(run(SHOP))   # the carrier lines' facts, before the facts' own gate went
    advice = run(ADVICE, sep="\n")
    assert any(b.zone == "policy" and b.lang == "en" for b in advice.blocks) and fact_keys(advice)


def test_an_articles_carrier_lines_are_description_and_give_no_facts():
    listing = run(SHOP + ARTICLE[:10] + GENERIC + ARTICLE[10:])
    shop = len(run(SHOP).blocks)
    assert not any(b.zone == "policy" for b in listing.blocks[shop:])
    assert set(zones_of(listing, GENERIC)) == {("description", zones.ARTICLE_REASON)}
    assert fact_keys(listing) == fact_keys(run(SHOP))
    alone = run(ARTICLE[:10] + GENERIC + ARTICLE[10:])
    assert not any(b.zone == "policy" for b in alone.blocks) and fact_keys(alone) == Counter()


def test_the_shops_block_above_the_article_keeps_its_zones_and_facts():
    # above the article's start every block keeps its zone; the shop's last paragraph (plain prose, no fact)
    # opens the article's run of prose and goes with it (a known limit: the start is a prose run's first)
    alone = run(SHOP)
    pair = run(SHOP + ARTICLE + GENERIC)
    start = articles.article_starts(pair.blocks)["en"]
    assert start >= len(alone.blocks) - 1
    assert [(b.zone, b.zone_reason) for b in pair.blocks[:start]] == [(b.zone, b.zone_reason) for b in alone.blocks[:start]]
    assert sum(b.zone == "policy" for b in alone.blocks) >= 3
    assert fact_keys(pair) == fact_keys(alone)
    assert not any(b.zone == "policy" for b in pair.blocks[start:])


def test_a_line_in_the_shops_voice_inside_the_article_is_not_moved():
    listing = run(ARTICLE[:10] + VOICE + ARTICLE[10:])
    assert all(articles.speaks_as_shop(t) for t in VOICE)
    assert zones.ARTICLE_REASON not in {why for _, why in zones_of(listing, VOICE)}


def test_advice_to_sellers_leaves_no_policy_block_in_its_language_and_the_vietnamese_block_keeps_its_zones():
    alone = run(SEED_SHOP, sep="\n")
    pair = run(SEED_SHOP + ADVICE, sep="\n")
    assert articles.advice_language(pair.blocks) == "en"
    assert not any(b.zone == "policy" and b.lang == "en" for b in pair.blocks)
    assert [(b.zone, b.zone_reason) for b in pair.blocks[:len(alone.blocks)]] == \
        [(b.zone, b.zone_reason) for b in alone.blocks]
    assert fact_keys(pair) == fact_keys(alone) and len(alone.facts) == 5


def test_the_sample_listing_keeps_its_zones_and_five_facts(seed_listing):
    # a Vietnamese policy block above an English SEO article under "Mô tả sản phẩm": the article part was
    # description by its section before the step, and stays so; the policy block keeps its six policy lines
    assert set(articles.article_starts(seed_listing.blocks)) == {"en"}
    assert Counter(b.zone for b in seed_listing.blocks if b.lang == "en") == Counter(description=33)
    assert sum(b.zone == "policy" for b in seed_listing.blocks if b.lang == "vi") == 6
    assert len(seed_listing.facts) == 5 and {f.lang for f in seed_listing.facts} == {"vi"}


def _page_lines() -> list[dict]:
    for line in (DATA / "policy_labels" / "policies.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["doc"] == PAGE_DOC:
            return doc["lines"]
    raise AssertionError(f"{PAGE_DOC} is not among the labelled documents")


def test_a_policy_page_in_the_third_person_is_no_article():
    lines = _page_lines()
    listing = run([line["text"] for line in lines], sep="\n")
    assert articles.article_starts(listing.blocks) == {}
    assert zones.ARTICLE_REASON not in {b.zone_reason for b in listing.blocks}
    assert sum(b.zone == "policy" for b in listing.blocks) >= sum(line["zone"] == "policy" for line in lines)


def test_without_the_third_person_voice_the_policy_page_would_read_as_an_article(monkeypatch):
    # the phrases that keep it a shop's page: without them its prose paragraphs make an article
    voice = [p for p in load_lexicon("articles")["article"]["voice"] if p not in THIRD_PERSON]
    assert len(voice) == len(load_lexicon("articles")["article"]["voice"]) - len(THIRD_PERSON)
    monkeypatch.setattr(articles, "VOICE", PhraseSet(voice))
    articles.speaks_as_shop.cache_clear()   # the voice is remembered per text: forget the full lexicon's answers
    listing = run([line["text"] for line in _page_lines()], sep="\n")
    assert articles.article_starts(listing.blocks) == {"en": articles.article_starts(listing.blocks)["en"]}
    assert zones.ARTICLE_REASON in {b.zone_reason for b in listing.blocks}
    monkeypatch.undo()
    articles.speaks_as_shop.cache_clear()   # and the reduced lexicon's, for the tests after this one


def test_the_reference_path_moves_the_same_blocks():
    listing = run(SHOP + ARTICLE[:10] + GENERIC + ARTICLE[10:])
    fast = [(b.zone, b.zone_reason) for b in listing.blocks]
    zones.assign_zones_reference(listing)
    assert [(b.zone, b.zone_reason) for b in listing.blocks] == fast
    assert zones.ARTICLE_REASON in {why for _, why in fast}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1_ -.,\n đổiÀ'’"), max_size=200))
def test_prose_words_by_one_search_equals_the_count(text):
    assert articles.has_prose_words(text) == articles.has_prose_words_reference(text)


def test_prose_words_by_one_search_equals_the_count_on_real_lines():
    texts = ARTICLE + GENERIC + SHOP + VOICE + ADVICE + SEED.read_text(encoding="utf-8").split("\n")
    assert {articles.has_prose_words(t) for t in texts} == {True, False}   # both answers are exercised
    assert [articles.has_prose_words(t) for t in texts] == [articles.has_prose_words_reference(t) for t in texts]


def test_the_shops_short_lines_without_its_voice_above_advice_keep_their_zones():
    # the guard's case (issue 13, articles27): English shop lines above English advice to sellers, no voice
    # phrase; the advice starts at its lead-in or its first audience phrase (`advice_start`), not above it
    short = [b.text for b in run(SHOP).blocks if not articles.speaks_as_shop(b.text) and not articles.prose(b)]
    alone = run(short)
    pair = run(short + ADVICE)
    assert articles.advice_language(pair.blocks) == "en"
    assert sum(b.zone == "policy" for b in alone.blocks) >= 3
    assert [(b.zone, b.zone_reason) for b in pair.blocks[:len(alone.blocks)]] == \
        [(b.zone, b.zone_reason) for b in alone.blocks]
    assert not any(b.zone == "policy" for b in pair.blocks[len(alone.blocks):])


# ------------------------------------------------------------------ by genre (issue 13, articles28)

GUIDE = [json.loads(line)["text"] for line in (DATA / "genre_article_lines.jsonl").read_text(encoding="utf-8").splitlines()]
POLICY_PAGES = ("policies/pol-ngochaiii-acquy-1.txt", "policies/pol-suzuki-1.txt")   # DEV, labelled, with facts


def test_a_list_shaped_guide_is_an_article_by_its_genre_not_by_its_prose():
    # a running plan in short paragraphs and list items: no run of plain prose paragraphs (the rule before
    # articles28 missed it), but its plain blocks read as an article to the genre model
    listing = run(GUIDE)
    assert articles.advice_language(listing.blocks) is None and articles.prose_starts(listing.blocks) == {}
    assert articles.genre_starts(listing.blocks) == articles.article_starts(listing.blocks) == {"en": 0}
    assert sum(b.kind == "bullet" for b in listing.blocks) >= 20


def test_the_shops_block_above_the_guide_keeps_its_zones_and_facts_and_the_carrier_lines_give_none(monkeypatch):
    lines = SHOP + GUIDE[:12] + GENERIC + GUIDE[12:]
    alone = run(SHOP)
    monkeypatch.setattr(zones, "own_blocks", lambda blocks, asked=None: None)   # before the step: the shop's section runs on
    assert fact_keys(run(lines)) - fact_keys(alone)                 # into the guide, whose carrier lines give facts
    monkeypatch.undo()
    pair = run(lines)
    start = articles.article_starts(pair.blocks)["en"]
    assert start >= len(alone.blocks) - 1   # after the shop's lines (`after_the_shop`), at most its last one
    assert [(b.zone, b.zone_reason) for b in pair.blocks[:start]] == [(b.zone, b.zone_reason) for b in alone.blocks[:start]]
    assert fact_keys(pair) == fact_keys(alone) and sum(fact_keys(alone).values()) >= 3
    assert not any(b.zone == "policy" for b in pair.blocks if b.text in GENERIC)


def _labelled_lines(doc_name: str) -> list[str]:
    for path in sorted((DATA / "policy_labels").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            if doc["doc"] == doc_name:
                return [x["text"] for x in doc["lines"]]
    raise AssertionError(f"{doc_name} is not among the labelled documents")


@pytest.mark.parametrize("doc_name", POLICY_PAGES)
def test_a_shops_policy_page_of_short_lines_is_no_article_by_its_genre(doc_name):
    # a warranty page of short lines: read with its cue lines, its plain blocks look like an article to the
    # genre model (short blocks, no product attributes); the text around its terms does not
    from pipeline.text.genre import article_probability, genre_signals
    lines = _labelled_lines(doc_name)
    listing = run(lines, sep="\n")
    body = [b for b in listing.blocks if b.lang == "vi" and b.kind != "heading" and not articles.speaks_as_shop(b.text)]
    with_cues = genre_signals([b.text for b in body], [len(b.text.split()) for b in body])
    assert article_probability(with_cues["features"]) >= articles.MIN_PROBABILITY
    assert articles.article_starts(listing.blocks) == {}
    assert zones.ARTICLE_REASON not in {b.zone_reason for b in listing.blocks}
    assert fact_keys(listing)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), max_size=30), st.integers(0, 5))
def test_the_article_starts_after_the_prefix_where_the_shops_blocks_outweigh_the_rest_most(shop, offset):
    # after_the_shop against the weights summed for every prefix (ties to the shortest)
    indices = [offset + 2 * k for k in range(len(shop))]
    end = offset + 2 * len(shop) + 1
    sums = [0.0]
    for s in shop:
        sums.append(sums[-1] + (1.0 if s else -articles.SHOP_OUTWEIGHS))
    best = max(range(len(sums)), key=lambda k: (sums[k], -k))
    want = indices[best] if best < len(shop) else end
    assert articles.after_the_shop(indices, shop, end) == want
