"""The facts stage's memo (issue 16, speed43): `extract_facts` remembers what `extract_facts_reference` reads, keyed
on the text, its context, the remedy read from it or the text after it, whether the line above names the shipping,
and `standard`'s answer only for a text whose reading asks it. It must give what the reference gives, first asked
and remembered, on the real lines of the fact case files (tests/data/policy_sentences*.jsonl, their READMEs name the
sources), on the seed listing (raw/) and on dev documents of tests/data/policy_labels, and on text made of their
words; including the same text asked again with another `standard`, `following` or `preceding`."""
from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings, strategies as st

import pipeline.stages.facts as facts_stage
from pipeline.eval import policy
from pipeline.stages.facts import (
    _names_shipping, extract_facts, extract_facts_reference, extract_policy_facts, remedy,
)
from conftest import DATA

CASES = [json.loads(line) for path in sorted(DATA.glob("policy_sentences*.jsonl"))
         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
TEXTS = [c["text"] for c in CASES]
# Real lines that change another line's reading when beside it: one that offers only a replacement, one that
# offers a refund (as `following`), and lines whose last clause names the shipping (as `preceding`).
REPLACEMENT = next(t for t in TEXTS if remedy(t) == "replacement")
REFUND = next(t for t in TEXTS if remedy(t) == "refund")
SHIPPING = [t for t in TEXTS if _names_shipping(t)][:3]
# A fast service in days beside a standard one is the express service: a line whose reading asks `standard`.
FAST = next(c for c in CASES if c["text"].startswith("Khu vực Nội thành: Giao nhanh trong vòng 1 – 2 ngày"))


@pytest.fixture(autouse=True)
def empty_memo():
    facts_stage._facts_memo.clear()
    yield
    facts_stage._facts_memo.clear()


def both(text, context=(), following="", standard=False, preceding=""):
    """The reference's facts, the memo's first asked and the memo's remembered (the second call)."""
    return (extract_facts_reference(text, context, following, standard, preceding),
            extract_facts(text, context, following, standard, preceding),
            extract_facts(text, context, following, standard, preceding))


def test_the_cases_give_the_reference_facts_first_asked_and_remembered():
    assert len(CASES) > 500 and SHIPPING
    for c in CASES:
        ref, first, again = both(c["text"], c.get("context", []))
        assert first == again == ref, c["source"]


def test_the_same_text_beside_other_lines_gives_the_reference_each_time():
    """Each case asked with every neighbour in turn, the memo keeping what it read: a remembered reading is never
    given where a neighbour changes it (the replacement, `standard` and a line naming the shipping each change some
    case's facts, or the test would prove nothing; a refund after a line changes none, a replacement in it aside)."""
    neighbours = [dict(following=REPLACEMENT), dict(following=REFUND), dict(standard=True),
                  dict(standard=lambda: True), *(dict(preceding=p) for p in SHIPPING), {}]
    changed = [0] * len(neighbours)
    for c in CASES:
        ctx = c.get("context", [])
        plain = extract_facts_reference(c["text"], ctx)
        for i, kw in enumerate(neighbours):
            ref = extract_facts_reference(c["text"], ctx, **kw)
            assert extract_facts(c["text"], ctx, **kw) == ref, (c["source"], kw)
            changed[i] += ref != plain
    assert changed[0] and changed[2] and changed[3] and any(changed[4:-1]), changed


def test_standard_is_part_of_the_key_only_when_the_reading_asks_it():
    text, ctx = FAST["text"], FAST["context"]
    asked = []

    def standard(answer):
        def ask():
            asked.append(answer)
            return answer
        return ask
    alone, beside = extract_facts_reference(text, ctx), extract_facts_reference(text, ctx, standard=True)
    assert alone != beside   # a fast service in days beside a standard one is the express service
    for answer, expected in [(False, alone), (True, beside), (False, alone), (True, beside)]:
        assert extract_facts(text, ctx, standard=standard(answer)) == expected
    assert asked == [False, True, False, True]   # asked on every call, remembered or not
    never = []
    plain = next(t for t in TEXTS if extract_facts_reference(t))
    for _ in range(2):
        assert extract_facts(plain, standard=lambda: never.append(1) or True) == extract_facts_reference(plain)
    assert never == []   # a reading that does not ask it is found without asking


def test_a_remembered_reading_is_a_fresh_list_of_frozen_facts():
    text = next(t for t in TEXTS if len(extract_facts_reference(t)) > 1)
    first = extract_facts(text)
    first.clear()
    got = extract_facts(text)
    assert got == extract_facts_reference(text) and got
    with pytest.raises(AttributeError):
        got[0].start = 0


def test_the_memo_is_bounded_and_long_texts_are_not_kept(monkeypatch):
    monkeypatch.setattr(facts_stage, "FACTS_MEMO", 50)
    for t in TEXTS[:200]:
        assert extract_facts(t) == extract_facts_reference(t)
        assert len(facts_stage._facts_memo) <= 51   # an asked text's two entries may pass the bound by one
    facts_stage._facts_memo.clear()
    long = " ".join(TEXTS)[:facts_stage.FACTS_MEMO_TEXT + 1]
    assert extract_facts(long) == extract_facts_reference(long)
    assert not facts_stage._facts_memo


def listings():
    """The seed listing and 40 dev documents of the policy labels, processed (their facts read with the memo)."""
    from pipeline.readers import read_file
    from pipeline.stages import process
    seed = DATA.parent.parent / "raw"
    out = [process(rec) for path in sorted(seed.iterdir()) for rec in read_file(path, seed)]
    split = policy.split_of(DATA)
    docs = [d for d in policy.load(DATA) if split.get(d["group"]) == "dev"][:40]
    out += [x for x in policy.read_listings(docs, None).values() if hasattr(x, "facts")]
    return out


def test_the_stage_gives_the_reference_facts_on_real_listings(monkeypatch):
    read = listings()
    assert len(read) > 30 and sum(len(x.facts) for x in read) > 100
    memo = [extract_policy_facts(copy.deepcopy(x)).facts for x in read]   # the memo filled by the processing
    monkeypatch.setattr(facts_stage, "extract_facts", extract_facts_reference)
    assert [extract_policy_facts(copy.deepcopy(x)).facts for x in read] == memo


WORDS = sorted({w for t in TEXTS[::5] for w in t.split()})
texts = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)
lines = st.sampled_from(TEXTS) | texts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(lines, st.lists(lines, max_size=2), lines, st.booleans(), lines), min_size=1, max_size=4))
def test_text_made_of_real_words_gives_the_reference(asks):
    """Several readings in a row, some of the same text beside other lines, the memo kept between them."""
    for text, context, following, standard, preceding in [*asks, *asks[::-1]]:
        assert (extract_facts(text, context, following, standard, preceding)
                == extract_facts_reference(text, context, following, standard, preceding))
