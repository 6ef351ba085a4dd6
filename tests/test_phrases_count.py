"""`PhraseSet.count` (read off the shared Aho-Corasick scan's occurrences) equals `reference_count` (the
matches of its expression), for every PhraseSet the stages build, on real text and generated text. The real
texts and sets are test_speed_kernel's (the sample listing, tests/data/zone_records.jsonl and
corpus_sample.jsonl, whose READMEs name their sources)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from pipeline.text.phrases import PhraseSet
from test_speed_kernel import ALPHABET, phrase_sets, real_texts, text_with_phrases


def test_counts_equal_the_expressions_on_real_text():
    texts = real_texts()
    sets = phrase_sets()
    counted = 0
    for text in texts:
        for ps in sets:
            n = ps.count(text)
            assert n == ps.reference_count(text), (ps.phrases[:3], text)
            counted += n
    assert counted > 1000   # the real texts hold phrases: not a comparison of zeros


@settings(max_examples=500, deadline=None)
@given(text_with_phrases())
def test_counts_equal_the_expressions(case):
    ps, text = case
    assert ps.count(text) == ps.reference_count(text)


# Phrases that overlap, nest, share a first character, end or start with a non-word character, hold a space:
# the cases where "leftmost, longest first, then on from its end, word characters neither side" could differ
# from the expression.
TRICKY = PhraseSet(["ab", "abc", "bc", "b c", "c", "x-", "-x", "a_b", "đổi", "đổi trả", "trả"])


@settings(max_examples=800, deadline=None)
@given(st.text(st.sampled_from("abcx- _đổitrả"), max_size=24) | st.text(ALPHABET, max_size=24))
def test_counts_of_overlapping_phrases(text):
    assert TRICKY.count(text) == TRICKY.reference_count(text)


def test_count_examples():
    assert TRICKY.count("abc bc ab-c") == 4          # abc, bc, ab, c ("-" is no word character)
    assert TRICKY.count("xabc abcd") == 0              # inside words
    assert TRICKY.count("Đổi trả, đổi, trả") == 3      # the longer phrase first, case ignored
