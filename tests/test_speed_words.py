"""`words.word_tokens` on ASCII text (lower-cased and its separators made spaces by `bytes.translate`, then
split; the expression only for chunks holding an apostrophe) equals `word_tokens_reference` (chunk by chunk)
and `TOKEN.findall` of the lower-cased text (no timings here: `scripts/time_sections.py --run` measures).
Text that is not ASCII goes to the reference itself; the mixed-alphabet test still compares both with the
expression.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from pipeline.text.words import TOKEN, word_tokens, word_tokens_reference
from test_speed_kernel import VI, real_texts
from test_speed_sections import real_paragraphs

fast = word_tokens.__wrapped__   # the function, not its cache

# ASCII: every character, and more often the ones the tokens turn on (apostrophes, underscores, digits,
# letters of both cases, spaces and other separators).
ASCII = st.characters(max_codepoint=127) | st.sampled_from("''''__  aZn't0 9.-,:(\n\t")
# Vietnamese (composed, decomposed), English, punctuation, both apostrophes, underscores, digits, emoji.
MIXED = ASCII | st.sampled_from(VI + VI.upper() + "\u0300\u0301\u0303\u0309\u0323’–—•✔👉🌟\u00a0İΣ") \
    | st.characters(blacklist_categories=("Cs",))


def test_word_tokens_equal_the_reference_on_real_lines():
    texts = list(dict.fromkeys(real_texts() + real_paragraphs()))   # fixture lines and article paragraphs
    texts += [t.upper() for t in texts] + [t[:n] for t in texts for n in (7, 30)]
    ascii_ = [t for t in texts if t.isascii()]
    assert len(ascii_) > 500 and sum("'" in t for t in ascii_) > 40   # the fast path and its apostrophes
    assert [fast(t) for t in texts] == [word_tokens_reference(t) for t in texts]
    assert [list(fast(t)) for t in ascii_] == [TOKEN.findall(t.lower()) for t in ascii_]


@settings(max_examples=1500, deadline=None)
@given(st.text(ASCII, max_size=40))
def test_word_tokens_equal_the_reference_on_any_ascii_text(text):
    assert fast(text) == word_tokens_reference(text)
    assert list(fast(text)) == TOKEN.findall(text.lower())


@settings(max_examples=600, deadline=None)
@given(st.text(MIXED, max_size=40))
def test_word_tokens_equal_the_reference_on_mixed_text(text):
    assert fast(text) == word_tokens_reference(text)
    assert list(fast(text)) == TOKEN.findall(text.lower())


def test_every_ascii_character_between_words_and_apostrophes():
    for ch in map(chr, range(128)):
        for text in (ch, f"Ab{ch}Cd", f"a'{ch}b", f"x{ch}'y", f"don't{ch}it's", f"'{ch}'", f"A_{ch}_1"):
            assert fast(text) == word_tokens_reference(text), repr(text)
    assert fast("Don't_MISS 'it's' o'clock'' a'b'c 90's") == \
        ("don't", "miss", "it's", "o'clock", "a'b", "c", "90's")
