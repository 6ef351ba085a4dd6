"""Articles state no shop's terms (issue 13, articles12): a listing that is an article (here by its prose, at least
`[article] min_prose` plain prose paragraphs, a run of `dense_prose` of them in `dense_window` blocks; by its
genre in tests/test_zones_articles.py) keeps the facts of
its language's blocks from the article's start on only when they speak in the shop's voice; the shop's own
block above it keeps them all. Real DEV lines (tests/data/article_terms_lines.jsonl, sources in
tests/data/README_article_terms_lines.md): a product round-up (27 paragraphs of a DEV article, no sellers
addressed), carriers' services from another DEV article, a DEV shop's policy lines and two DEV policy lines in
the shop's voice. Also `pipeline eval article_terms` on a small corpus built from them."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from fact_cases import DATA
from pipeline.contract.records import Listing
from pipeline.stages import process
from pipeline.stages.facts import extract_policy_facts
from pipeline.stages.zones import article_zones
from pipeline.text.articles import (
    DENSE_PROSE, MIN_PROSE, advice_language, article_starts, own_blocks, plain_prose, speaks_as_shop,
)

LINES = [json.loads(line) for line in (DATA / "article_terms_lines.jsonl").read_text(encoding="utf-8").splitlines()]
ARTICLE = [r["text"] for r in LINES if r["role"] == "article"]     # a round-up of browser extensions
GENERIC = [r["text"] for r in LINES if r["role"] == "generic"]     # "FedEx Ground ... takes 1-5 business days"
SHOP = [r["text"] for r in LINES if r["role"] == "shop"]           # a shop's "Shipping & Returns" block
VOICE = [r["text"] for r in LINES if r["role"] == "voice"]         # "Please allow 5–7 business days for the refund"
ADVICE = [json.loads(line)["text"] for line in (DATA / "advice_article_lines.jsonl").read_text(encoding="utf-8").splitlines()]


def policy_listing(lines: list[str]) -> Listing:
    """The lines (one paragraph each) through segment and langid, every block then in the policy zone (the
    zones put many article paragraphs in policy; they are not what these tests are about)."""
    listing = process(Listing(doc_id="x", source="x.txt", format="txt", title=None, text="\n\n".join(lines)),
                      until="langid")
    listing.blocks = [replace(b, zone="policy") for b in listing.blocks]
    return listing


def facts(lines: list[str]) -> Counter:
    listing = extract_policy_facts(article_zones(policy_listing(lines)))
    for f in listing.facts:
        assert listing.text[f.char_start:f.char_end] == f.evidence
    return Counter((f.fact_type, f.value_min, f.value_max, f.unit) for f in listing.facts)


def test_the_fixture_lines_hold_facts_alone():
    # what the gate removes must be there without it: every carrier line and every voice line gives a fact
    assert all(facts([t]) for t in GENERIC + VOICE)
    assert sum(facts(SHOP).values()) >= 3
    assert article_starts(policy_listing(GENERIC + SHOP + VOICE).blocks) == {}


def test_the_round_up_is_an_article_not_advice():
    blocks = policy_listing(ARTICLE).blocks
    assert advice_language(blocks) is None
    assert sum(plain_prose(b) for b in blocks) >= MIN_PROSE
    assert article_starts(blocks) == {"en": 0}


def test_carrier_lines_inside_the_article_give_no_facts():
    assert facts(ARTICLE[:10] + GENERIC + ARTICLE[10:]) == Counter()
    assert facts(ARTICLE + GENERIC) == Counter()


def test_the_shops_block_above_the_article_keeps_all_its_facts():
    assert facts(SHOP + ARTICLE + GENERIC) == facts(SHOP)


def test_a_line_in_the_shops_voice_inside_the_article_keeps_its_fact():
    assert all(speaks_as_shop(t) for t in VOICE)
    assert facts(ARTICLE[:10] + VOICE + ARTICLE[10:]) == facts(VOICE)


def test_a_shop_block_above_advice_keeps_its_facts_in_the_shops_voice():
    # advice to sellers (3+ audience phrases) long enough to be an article: the shop's lines above its start
    # that speak as the shop keep their facts (before, advice dropped every fact in its language)
    blocks = policy_listing(SHOP + ARTICLE + ADVICE).blocks
    assert advice_language(blocks) == "en" and article_starts(blocks)
    assert facts(SHOP + ARTICLE + ADVICE) == facts(SHOP)


def test_the_sample_listing_is_an_english_article_under_its_shops_block_and_keeps_its_five_facts(seed_listing):
    # the sample: a Vietnamese policy block ("Chính Sách Vận Chuyển ...") above an English SEO article
    starts = article_starts(seed_listing.blocks)
    assert set(starts) == {"en"}
    own = own_blocks(seed_listing.blocks)
    assert len(seed_listing.facts) == 5 and all(f.block_id in own and f.lang == "vi" for f in seed_listing.facts)


@settings(max_examples=25, deadline=None)
@given(st.permutations(ARTICLE), st.integers(min_value=0, max_value=len(ARTICLE)), st.integers(0, len(GENERIC)))
def test_no_carrier_line_after_the_articles_start_keeps_a_fact(paragraphs, at, n):
    # any order of the article's paragraphs, carrier lines anywhere: those at or after the start give nothing,
    # those above it give what they give alone
    lines = paragraphs[:at] + GENERIC[:n] + paragraphs[at:]
    listing = extract_policy_facts(article_zones(policy_listing(lines)))
    start = article_starts(listing.blocks)["en"]
    generic_at = {b.block_id for i, b in enumerate(listing.blocks) if i >= start and b.text in GENERIC}
    assert not any(f.block_id in generic_at for f in listing.facts)
    assert sum(1 for f in listing.facts if f.block_id not in generic_at) == sum(
        sum(facts([b.text]).values()) for i, b in enumerate(listing.blocks) if i < start and b.text in GENERIC)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=MIN_PROSE - 1))
def test_fewer_plain_prose_paragraphs_than_the_minimum_leave_the_facts(k):
    # a shop's text with a few long paragraphs is no article: the carrier lines keep their facts
    plain = [t for t in ARTICLE if plain_prose(policy_listing([t]).blocks[0])]
    own = sum(plain_prose(b) for b in policy_listing(GENERIC).blocks)   # the carrier lines are plain prose too
    lines = plain[:max(0, k - own)] + GENERIC
    assert sum(plain_prose(b) for b in policy_listing(lines).blocks) < MIN_PROSE
    assert article_starts(policy_listing(lines).blocks) == {}
    assert facts(lines) == facts(GENERIC)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(SHOP), min_size=DENSE_PROSE, max_size=3 * DENSE_PROSE))
def test_a_shops_policy_lines_are_no_article(lines):
    # however a shop's own policy lines are repeated and ordered, they hold no run of plain prose
    assert article_starts(policy_listing(lines).blocks) == {}


def test_eval_article_terms_on_a_small_corpus(tmp_path):
    """`pipeline eval article_terms` counts an article's facts per split and builds the guard pairs from dev
    documents only: a dev shop block above a dev article keeps its facts and the article adds none."""
    from pipeline.eval.article_terms import evaluate
    data = tmp_path / "data"
    (data / "policy_labels").mkdir(parents=True)
    (data / "splits.json").write_text(json.dumps({
        "policy": {"shop/dev": "dev", "shop/test": "test"},
        "articles": {"repodev": "dev", "repotest": "test"}}), encoding="utf-8")
    shop_lines = [{"text": t, "zone": "policy", "facts": [{"type": "return_window", "min": None, "max": 14,
                                                           "unit": "day"}] if "14 days" in t else []}
                  for t in SHOP]
    docs = [{"doc": "policies/dev.txt", "group": "shop/dev", "lang": "en", "lines": shop_lines},
            {"doc": "policies/test.txt", "group": "shop/test", "lang": "en", "lines": shop_lines}]
    (data / "policy_labels" / "policies.jsonl").write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    folder = tmp_path / "corpus" / "articles"
    folder.mkdir(parents=True)
    body = "\n\n".join(ARTICLE[:10] + GENERIC + ARTICLE[10:])
    (folder / "art-en-repodev-round-up.md").write_text("---\ntitle: x\n---\n# A round-up\n\n" + body, encoding="utf-8")
    (folder / "art-en-repotest-round-up.md").write_text(body, encoding="utf-8")
    report = evaluate(data, tmp_path / "corpus", split="all")
    rows = {(r[0], r[1], r[2]): r[3:] for r in report.rows}
    assert set(rows) == {(s, "en", form) for s in ("dev", "test") for form in ("paragraphs", "raw")}
    assert all(r[0] == 1 and r[3] == 0 for r in rows.values())   # one article each, no fact
    guard = [line for line in report.notes if line.startswith("same language")]
    assert len(guard) == 1
    pairs, alone, kept, losing, from_article, shop_policy, moved = (int(v) for v in guard[0].split()[2:])
    assert (pairs, losing, from_article) == (1, 0, 0) and kept == alone == sum(facts(SHOP).values())
    assert shop_policy >= 3 and moved <= 1   # at most the shop's last plain paragraph, which opens the prose run
    assert evaluate(data, None).notes == ["needs --corpus with articles/; not scored"]


def test_a_paragraph_repeated_counts_once():
    # hypothesis drew a shop's one plain prose paragraph (no voice phrase: "We roast in small batches …") MIN_PROSE
    # times: an article's paragraphs differ, a repeated one (a template pasted again) is counted once
    plain = [t for t in SHOP if plain_prose(policy_listing([t]).blocks[0])]
    assert plain
    assert article_starts(policy_listing(plain[:1] * MIN_PROSE).blocks) == {}
    assert article_starts(policy_listing(ARTICLE).blocks) == {"en": 0}   # the distinct paragraphs still are one
