"""The facts stage's fast paths (issue 16, speed26): `phrase_key` is remembered per text (a few hundred distinct
cue, unit and bound words come back on every block), and must give what the uncached expression gives, on the
matched text of real policy sentences (tests/data/policy_sentences.jsonl, its README names the sources) and on
generated text; the stage gives the same facts whether the cache is empty or full."""
from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings, strategies as st

from pipeline.stages.facts import extract_facts
from pipeline.stages.facts.grammar import CUE_RE, find_phrases, phrase_key
from pipeline.text.fold import fold

SENTENCES = [json.loads(line)["text"] for line in
             (Path(__file__).parent / "data" / "policy_sentences.jsonl").read_text(encoding="utf-8").splitlines()]


def reference_key(phrase: str) -> str:
    """What phrase_key computed before it was cached: folded, no spaces, hyphens, underscores or slashes."""
    return re.sub(r"[\s\-_/]+", "", fold(phrase))


def test_phrase_key_equals_the_expression_on_real_cues():
    phrases = [p for text in SENTENCES for *_, p in find_phrases(CUE_RE, fold(text), 0, len(text))]
    assert len(phrases) > 300
    words = [w for text in SENTENCES for w in re.split(r"[,.;:()]", text)]
    for p in phrases + words:
        assert phrase_key(p) == reference_key(p) == phrase_key(p)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAđĐổỔ- _/\t\n\u00a0\u3000xé1.")), max_size=20) | st.text(max_size=20))
def test_phrase_key_equals_the_expression_on_generated_text(text):
    assert phrase_key(text) == reference_key(text)


def test_same_facts_with_an_empty_cache():
    before = [extract_facts(t) for t in SENTENCES[:80]]
    phrase_key.cache_clear()
    assert [extract_facts(t) for t in SENTENCES[:80]] == before
    assert any(before)
