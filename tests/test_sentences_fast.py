"""`cuts_without_spacy` (inline common marks, letters settled by their last 2 letters, a chunk's start after
other whitespace than a space found by rsplit) equals its reference `cuts_by_chunks` and spaCy's own
sentencizer; `mark_offsets` (str.find for the ASCII marks) equals `reference_mark_offsets` (one expression)."""
from __future__ import annotations

import json
import re
import sys
import unicodedata

from hypothesis import given, settings, strategies as st

from pipeline.text.sentences import (_affix_rules, _alpha_tail_splits, _sentence_marks, cuts_by_chunks,
                                     cuts_without_spacy, mark_offsets, reference_mark_offsets)
from conftest import DATA
from test_sentences import PIECES, assert_agrees, real_lines

LETTERS = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha()]
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def test_fast_cuts_equal_the_reference_on_real_lines():
    for key in ("en", "xx"):
        for t in real_lines():
            assert cuts_without_spacy(t, key) == cuts_by_chunks(t, key), t


def test_fast_cuts_equal_the_reference_on_whole_descriptions():
    # Whole descriptions, not lines: a mark is then often followed by a newline, and a chunk starts after one.
    texts = [unicodedata.normalize("NFC", json.loads(row)["description_text"])
             for name in ("zone_records.jsonl", "corpus_sample.jsonl")
             for row in (DATA / name).read_text(encoding="utf-8").splitlines()]
    assert sum(t.count("\n") for t in texts) > 100
    for key in ("en", "xx"):
        for t in texts:
            assert cuts_without_spacy(t, key) == cuts_by_chunks(t, key), t


def test_split_takes_the_whitespace_isspace_takes():
    # `cuts_without_spacy` finds a chunk's start with rsplit where `cuts_by_chunks` asks isspace.
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if ("a" + c + "b").split() == ["a", "b"]] == SPACES


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


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDY), st.sampled_from(SPACES)), max_size=40).map("".join))
def test_fast_cuts_after_any_whitespace_agree_with_the_reference_and_spacy(text):
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


def _tells_digits_apart(tree) -> bool:
    """Whether a parsed expression names an ASCII digit on its own: a digit literal, or a class range that
    holds some of 0-9 but not all. Categories (\\d, \\w, \\s and their negations) take all ten alike."""
    from re import _constants as c
    for op, av in tree:
        if op in (c.LITERAL, c.NOT_LITERAL) and 0x30 <= av <= 0x39:
            return True
        if op == c.RANGE and av[0] <= 0x39 and av[1] >= 0x30 and not (av[0] <= 0x30 and av[1] >= 0x39):
            return True
        if op == c.IN and _tells_digits_apart(av):
            return True
        if op == c.BRANCH and any(_tells_digits_apart(p) for p in av[1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and _tells_digits_apart(av[2]):
            return True
        if op in (c.SUBPATTERN,) and _tells_digits_apart(av[3]):
            return True
        if op in (c.ASSERT, c.ASSERT_NOT) and _tells_digits_apart(av[1]):
            return True
        if op == c.ATOMIC_GROUP and _tells_digits_apart(av):
            return True
        if op == c.GROUPREF_EXISTS and (_tells_digits_apart(av[1]) or (av[2] and _tells_digits_apart(av[2]))):
            return True
    return False


def test_the_affix_rules_take_every_ascii_digit_alike():
    # The proof behind `_digit_shape_splits`: a chunk of digits and hyphens before a mark splits as its shape
    # (every digit a 0) does. The prefix and suffix searches never name a digit on its own (walked in their
    # parsed form), and no special case is made of digits and hyphens, with or without a final mark.
    from re import _parser
    from pipeline.text.sentences import nlp_for
    assert _tells_digits_apart(_parser.parse("[1-5]")) and _tells_digits_apart(_parser.parse("(?<=7)x"))
    assert not _tells_digits_apart(_parser.parse(r"(?<=[0-9])\.|[!-~]\d"))
    for key in ("en", "xx"):
        tok = nlp_for(key).tokenizer
        for search in (tok.prefix_search, tok.suffix_search):
            pattern = search.__self__
            assert not _tells_digits_apart(_parser.parse(pattern.pattern, pattern.flags)), key
        assert not [r for r in tok.rules if re.fullmatch(r"[0-9-]*[.!?]?", r)], key


DIGIT_CHUNKS = st.tuples(st.lists(st.text("0123456789", min_size=1, max_size=4), min_size=1, max_size=3),
                         st.sampled_from(".!?")).map(lambda t: "-".join(t[0]) + t[1])


@settings(max_examples=300, deadline=None)
@given(DIGIT_CHUNKS)
def test_a_digit_chunk_opens_as_its_tokens_say(chunk):
    from pipeline.text.sentences import _MARK, _chunk_tokens, _opening_chunk_tokens
    for key in ("en", "xx"):
        tokens = _chunk_tokens(key, chunk)
        first = next(k for k, (_, kind) in enumerate(tokens) if kind == _MARK)
        assert _opening_chunk_tokens.__wrapped__(key, chunk) == tokens[first:]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(DIGIT_CHUNKS, st.sampled_from(WORDY)), max_size=12).map(" ".join))
def test_digit_chunks_cut_as_spacy_cuts(text):
    for key in ("en", "xx"):
        assert cuts_without_spacy(text, key) == cuts_by_chunks(text, key)
        assert_agrees([text], key)
