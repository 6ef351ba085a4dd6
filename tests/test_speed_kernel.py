"""The kernel's fast paths equal the references they stand beside (no timings here: `make bench` measures).

- `fold` (a list table, ASCII by lower case) equals `fold_reference` (the dict table);
- `match_form` on ASCII text is its folded form;
- `PhraseSet.finditer` (skipping texts where no phrase occurs, found by one Aho-Corasick scan) equals
  `reference_finditer` (the expression alone), for every PhraseSet the stages build;
- `word_tokens` equals `TOKEN.findall` on the lower-cased text;
- segment's substring checks never skip a line where INLINE_SEP or two INLINE_DASH matches are found.
"""
from __future__ import annotations

import functools
import gc
import json
import unicodedata

from hypothesis import given, settings, strategies as st

from pipeline.stages.segment import INLINE_DASH, INLINE_SEP, may_have_inline_dashes, may_have_inline_sep
from pipeline.text.fold import fold, fold_reference, match_form
from pipeline.text.normalize import normalize
from pipeline.text.phrases import PhraseSet
from pipeline.text.words import TOKEN, word_tokens
from conftest import DATA, SEED

# Letters and marks the corpus holds: Vietnamese (composed and decomposed), Latin-1, dashes, the fullwidth
# tilde, separators and emoji, plus any character at all.
VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = st.one_of(
    st.sampled_from(VI + VI.upper() + "\u0300\u0301\u0303\u0309\u0323 _'’-–—−～»•✔👉🌟=+*~.,:;!?\n\t\u00a0"),
    st.characters())


def real_texts() -> list[str]:
    texts = SEED.read_text(encoding="utf-8").split("\n")
    for name in ("zone_records.jsonl", "corpus_sample.jsonl"):
        for row in (DATA / name).read_text(encoding="utf-8").splitlines():
            texts += unicodedata.normalize("NFC", json.loads(row)["description_text"]).split("\n")
    return [t for t in texts if t.strip()]


@functools.cache
def phrase_sets() -> list[PhraseSet]:
    """Every PhraseSet the stages build (some are built on first use: the sample listing is run first)."""
    from pipeline.readers import read_file
    from pipeline.stages import process
    process(next(read_file(SEED, SEED.parent)))
    gc.unfreeze()   # an in-process run froze them (runner.local): frozen objects are not listed
    return [o for o in gc.get_objects() if isinstance(o, PhraseSet)]


def test_the_stages_build_phrase_sets():
    assert len(phrase_sets()) >= 10


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=40))
def test_fold_equals_the_table(text):
    assert fold(text) == fold_reference(text)
    assert len(fold(text)) == len(text)


@given(st.text(st.characters(max_codepoint=127), max_size=40))
def test_match_form_of_ascii_is_folded(text):
    assert match_form(text) == (fold_reference(text), True)


def _spans(it):
    return [(m.start(), m.end(), m.group()) for m in it]


def test_phrase_sets_equal_their_expressions_on_real_text():
    texts = real_texts()
    assert len(texts) > 500
    sets = phrase_sets()
    hits = 0
    for text in texts:
        for ps in sets:
            found = _spans(ps.finditer(text))
            assert found == _spans(ps.reference_finditer(text)), (ps.phrases[:3], text)
            hits += bool(found)
    assert hits > 100   # the skip is not all there is


def _variant(phrase_and_how) -> str:
    phrase, how = phrase_and_how
    return (phrase, phrase.upper(), fold(phrase), unicodedata.normalize("NFD", phrase))[how]


@st.composite
def text_with_phrases(draw):
    """A PhraseSet, and a text made of its phrases (as written, upper case, folded, decomposed) and noise."""
    sets = phrase_sets()
    ps = sets[draw(st.integers(0, len(sets) - 1))]
    phrase = st.tuples(st.sampled_from(ps.phrases), st.integers(0, 3)).map(_variant)
    return ps, "".join(draw(st.lists(st.one_of(phrase, st.text(ALPHABET, max_size=6)), max_size=6)))


@settings(max_examples=400, deadline=None)
@given(text_with_phrases())
def test_phrase_sets_equal_their_expressions(case):
    ps, text = case
    assert _spans(ps.finditer(text)) == _spans(ps.reference_finditer(text))


def test_a_phrase_set_made_later_is_found_too():
    early = phrase_sets()[0]
    text = "giao hàng nhanh, zqxv wpqk ở đây"
    _spans(early.finditer(text))   # the automaton is built without the new phrase
    late = PhraseSet(["zqxv wpqk"])
    assert _spans(late.finditer(text)) == [(17, 26, "zqxv wpqk")]
    assert _spans(early.finditer(text)) == _spans(early.reference_finditer(text))


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_word_tokens_equal_the_token_expression(text):
    assert list(word_tokens(text)) == TOKEN.findall(text.lower())


@settings(max_examples=600, deadline=None)
@given(st.text(st.one_of(st.sampled_from("=-_*~+ »•✔👉🌟Ab\u00a0\t"), st.characters()), max_size=30))
def test_inline_separator_checks_never_skip_a_match(text):
    if not may_have_inline_sep(text, 0, len(text)):
        assert INLINE_SEP.search(text, 0, len(text)) is None
    if not may_have_inline_dashes(text, 0, len(text)):
        assert len(list(INLINE_DASH.finditer(text, 0, len(text)))) < 2


def test_inline_separator_checks_on_real_lines():
    for text in real_texts():
        assert may_have_inline_sep(text, 0, len(text)) or INLINE_SEP.search(text) is None
        assert may_have_inline_dashes(text, 0, len(text)) or len(INLINE_DASH.findall(text)) < 2


def test_normalize_never_cleans_a_printable_character():
    # `normalize` skips its cleaning expression for text that is printable but for newlines and tabs: that
    # is exact only if the expression acts on no printable character (and on neither '\n' nor '\t').
    printable = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000 and chr(cp).isprintable())
    for i in range(0, len(printable), 4096):
        chunk = "\n\t".join(printable[i:i + 4096])
        assert normalize(chunk + "\x00") == unicodedata.normalize("NFC", chunk + " ")
        assert normalize(chunk) == unicodedata.normalize("NFC", chunk)


@given(st.text(ALPHABET, max_size=40))
def test_normalize_cleans_what_it_always_cleaned(text):
    out = normalize(text + "\r\n\u200b\x07")
    assert out.endswith("\n ") and "\r" not in out and "\u200b" not in out
