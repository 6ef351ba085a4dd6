"""The zones stage's speed31 fast paths equal their references: capitals counted by C iterators (`styles.is_caps`),
long blocks read for capitals only when the document's share is within reach (`zones._caps_read`), the article
step reading only the languages where a policy block could leave (`articles.own_blocks(asked=...)`), and the
model's words and contents entries from the cached folded form (`zones._folded`).

Real inputs: the labelled documents of tests/data/policy_labels (policies and listings, English and Vietnamese;
sources in their README), the article and advice lines of tests/data/article_terms_lines.jsonl and
advice_article_lines.jsonl, the Tiki records of tests/data/zone_records.jsonl and corpus_sample.jsonl, and the
sample listing raw/000_80d7723cb6c526a9.txt; generated text by hypothesis."""
from __future__ import annotations

import copy
import json
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

import pipeline.stages.zones as zones
import pipeline.text.articles as articles
from conftest import DATA, SEED
from pipeline.contract.records import Listing
from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.text.fold import fold
from pipeline.text.styles import is_caps, is_caps_reference


def _documents() -> list[Listing]:
    """Real documents after langid: labelled policy pages and listings, article and advice lines, Tiki records."""
    texts = []
    for path in sorted((DATA / "policy_labels").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append("\n".join(x["text"] for x in json.loads(line)["lines"]))
    for name in ("article_terms_lines.jsonl", "advice_article_lines.jsonl"):
        lines = [json.loads(x)["text"] for x in (DATA / name).read_text(encoding="utf-8").splitlines()]
        texts.append("\n\n".join(lines))
    shop = SEED.read_text(encoding="utf-8")
    texts.append(shop)
    advice = texts[-2].split("\n\n")
    voice = [json.loads(x)["text"] for x in (DATA / "article_terms_lines.jsonl").read_text(encoding="utf-8").splitlines()
             if json.loads(x)["role"] == "voice"]
    # a shop's block above the advice; the shop's lines in its voice above, inside and below the advice
    texts += ["\n\n".join(shop.split("\n")[:6] + advice), "\n\n".join(voice + advice),
              "\n\n".join(advice[:3] + voice + advice[3:]), "\n\n".join(advice + voice)]
    listings = [process(Listing(doc_id=f"d{i}", source="d.txt", format="txt", title=None, text=t), until="langid")
                for i, t in enumerate(texts)]
    for name in ("zone_records.jsonl", "corpus_sample.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            text = unicodedata.normalize("NFC", json.loads(line)["description_text"])
            listings.append(process(listing_from_record({"title": "Sản phẩm", "description": text}, "t", "json",
                                                        FieldMap()), until="langid"))
    return listings


@pytest.fixture(scope="module")
def documents() -> list[Listing]:
    return _documents()


def test_caps_equal_the_letter_by_letter_count_on_real_blocks(documents):
    texts = [b.text[:n] for d in documents for b in d.blocks for n in (zones.CAPS_PREFIX_CHARS, 12, 4)]
    assert len(texts) > 10000
    assert [is_caps(t) for t in texts] == [is_caps_reference(t) for t in texts]
    assert sum(map(is_caps, texts)) > 100   # capitals are found, so the comparison is not empty


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAbBđĐéÉỆệ ǅǆ𝐀Ⅰⓐİß1_-.!中 \n") | st.characters(), max_size=40))
def test_caps_equal_the_letter_by_letter_count(text):
    assert is_caps(text) == is_caps_reference(text)


def test_caps_read_where_the_rules_read_them_give_the_reference_zones(documents, monkeypatch):
    """`_caps_read` leaves long blocks unread only when the document cannot be in capitals: the rules' zones,
    reasons and sections equal those with every block read (`_caps_read_reference`), on real documents and on
    documents made mostly of capitals."""
    upper = [copy.deepcopy(d) for d in documents[:40]]
    for d in upper:
        for b in d.blocks[::2]:
            b.text = b.text.upper()
    for listing in documents + upper:
        fast = copy.deepcopy(listing.blocks)
        fast_sections = zones._rule_zones(fast)
        with monkeypatch.context() as m:
            m.setattr(zones, "_caps_read", zones._caps_read_reference)
            ref = copy.deepcopy(listing.blocks)
            ref_sections = zones._rule_zones(ref)
        assert fast_sections == ref_sections
        assert [(b.zone, b.zone_reason) for b in fast] == [(b.zone, b.zone_reason) for b in ref]
    assert any(zones._headings(d.blocks, [b.kind for b in d.blocks])[2] for d in upper)   # some are in capitals


def test_own_blocks_asked_for_the_policy_blocks_equals_the_whole_answer(documents):
    """own_blocks(asked=the policy blocks) gives every asked block the answer of own_blocks (all languages read),
    on the documents zoned by the rules and the model (before the article step)."""
    moved = narrowed = 0
    for listing in documents:
        blocks = copy.deepcopy(listing.blocks)
        sections = zones._rule_zones(blocks)
        for b, zone in zip(blocks, zones._model_zones(zones._model(), blocks, sections)):
            if zone is not None:
                b.zone = zone
        policy = [i for i, b in enumerate(blocks) if b.zone == "policy"]
        whole, asked = articles.own_blocks(blocks), articles.own_blocks(blocks, asked=policy)
        left = lambda own: [own is not None and blocks[i].block_id not in own for i in policy]   # noqa: E731
        assert left(asked) == left(whole)
        moved += sum(left(whole))
        read = articles.asked_languages(blocks, policy, articles.advice_language(blocks))
        narrowed += read < {b.lang for b in blocks} & articles.LANGUAGES
    assert moved > 5 and narrowed > 5   # blocks move and languages are left unread: the comparison is not empty


def test_the_stage_gives_the_reference_zones_on_real_documents(documents, monkeypatch):
    """assign_zones with every speed31 fast path equals it with their references patched in."""
    fast = [[(b.zone, b.zone_reason, b.policy_score) for b in zones.assign_zones(copy.deepcopy(d)).blocks]
            for d in documents]
    with monkeypatch.context() as m:
        m.setattr(zones, "_caps_read", zones._caps_read_reference)
        m.setattr(zones, "is_caps", is_caps_reference)
        m.setattr(zones, "_folded", fold)
        m.setattr(zones, "own_blocks", lambda blocks, asked=None: articles.own_blocks(blocks))
        ref = [[(b.zone, b.zone_reason, b.policy_score) for b in zones.assign_zones(copy.deepcopy(d)).blocks]
               for d in documents]
    assert fast == ref
    assert sum(r == "article" for d in fast for _, r, _ in d) > 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aĐđÔôơ1.- :：#*_\n～–ß"), max_size=120))
def test_the_cached_folded_form_is_the_fold_and_its_prefixes_are_the_prefixes_fold(text):
    assert zones._folded(text) == fold(text)
    assert all(zones._folded(text)[:k] == fold(text[:k]) for k in range(0, len(text) + 1, 7))


def _pool() -> list[str]:
    lines = [json.loads(x)["text"] for name in ("article_terms_lines.jsonl", "advice_article_lines.jsonl")
             for x in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return lines + SEED.read_text(encoding="utf-8").split("\n")[:6] + ["print('x')", "```", "1234-5678"]


POOL = _pool()


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=30))
def test_own_blocks_asked_equals_the_whole_answer_on_generated_documents(lines):
    """The same on documents made of real article, advice, voice and shop lines in any order (and code lines,
    which are in no language), every block asked in turn as a policy block."""
    listing = process(Listing(doc_id="g", source="g.txt", format="txt", title=None, text="\n\n".join(lines)),
                      until="langid")
    blocks = listing.blocks
    whole = articles.own_blocks(blocks)
    for asked in ([i] for i in range(len(blocks))):
        own = articles.own_blocks(blocks, asked=asked)
        assert (own is not None and blocks[asked[0]].block_id not in own) == \
            (whole is not None and blocks[asked[0]].block_id not in whole)
