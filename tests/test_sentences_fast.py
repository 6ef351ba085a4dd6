"""`cuts_without_spacy` (inline common marks, letters settled by their last 2 letters) equals its reference
`cuts_by_chunks` and spaCy's own sentencizer; `mark_offsets` (str.find for the ASCII marks) equals
`reference_mark_offsets` (one expression)."""
from __future__ import annotations

import sys

from hypothesis import given, settings, strategies as st

from pipeline.text.sentences import (_affix_rules, _alpha_tail_splits, _sentence_marks, cuts_by_chunks,
                                     cuts_without_spacy, mark_offsets, reference_mark_offsets)
from test_sentences import PIECES, assert_agrees, real_lines

LETTERS = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha()]


def test_fast_cuts_equal_the_reference_on_real_lines():
    for key in ("en", "xx"):
        for t in real_lines():
            assert cuts_without_spacy(t, key) == cuts_by_chunks(t, key), t


def test_a_word_of_letters_is_settled_by_its_last_two_letters():
    for key in ("en", "xx"):
        suffix_search = _affix_rules(key)[1]
        for c in LETTERS:
            for mark in ".!?":
                for word in (c, "a" + c, "A" + c, "xy" + c, "XY" + c, "ab" + c + "c", c + "B"):
                    m = suffix_search(word + mark)
                    assert (bool(m) and m.start() == len(word)) == _alpha_tail_splits(key, (word + mark)[-3:]), word


WORDY = PIECES + ["Giao", "hàng", "da", "a", "m", "Mr", "cannot", "US", "AB", "ĐT", "5m", "km", "ý", "Ö"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDY), max_size=40).map(lambda parts: "".join(parts)))
def test_fast_cuts_agree_with_the_reference_and_spacy(text):
    for key in ("en", "xx"):
        assert cuts_without_spacy(text, key) == cuts_by_chunks(text, key)
        assert_agrees([text], key)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(st.sampled_from(LETTERS[:2000:7] + list("aAmMzZđĐ")), min_size=1, max_size=6),
                          st.sampled_from([". ", "! ", "? ", ".", " ", ".\n", "。"])), max_size=12)
       .map(lambda parts: "".join(w + s for w, s in parts)))
def test_words_of_letters_before_marks(text):
    for key in ("en", "xx"):
        assert cuts_without_spacy(text, key) == cuts_by_chunks(text, key)
        assert_agrees([text], key)


def test_mark_offsets_equal_the_expression_on_real_lines():
    lines = real_lines()
    assert sum(len(mark_offsets(t)) for t in lines) > 1000
    for t in lines:
        assert mark_offsets(t) == reference_mark_offsets(t), t


MARKS = sorted(_sentence_marks())


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(MARKS), st.sampled_from(".!?  aà👉🌟"),
                          st.characters(blacklist_categories=("Cs",))), max_size=30).map("".join))
def test_mark_offsets_equal_the_expression(text):
    assert mark_offsets(text) == reference_mark_offsets(text)
