"""The sections and quality stages' fast paths equal the references they stand beside (no timings here:
`make bench` measures).

- `cohesion.alpha_tokens` (plain runs of letters taken without the tokenizer) equals
  `reference_alpha_tokens` (spaCy's tokenizer over the whole text), in the three tokenizer settings the
  stage uses ('en', 'xx', and 'vi', which reads with 'xx'), on real paragraphs and on generated text.
- the genre signals' attribute count (`text.genre.HitCounter.count`: RE2 on ASCII text, and on other text
  with ASCII stand-ins) equals `re`'s findall (`reference_count`) on the folded forms of real paragraphs, on
  generated text made of the patterns' pieces and non-ASCII characters of every class, and RE2's rewritten \\s
  takes exactly the ASCII characters `re`'s \\s takes.
- the tokenizer the stages read (`sentences.tokenizer_for`, made by the language's class) and `_sentencizer`
  equal `nlp_for`'s (`spacy.blank` with the sentencizer added by name): the same serialized rules, tokens
  and sentence starts.
"""
from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.text import genre
from pipeline.stages.sections.cohesion import alpha_tokens, reference_alpha_tokens
from pipeline.text.fold import fold
from conftest import DATA, SEED

VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
# Letters, the marks and brackets the tokenizer splits off, apostrophes, hyphens, digits, URLs' pieces,
# every kind of whitespace the corpus holds, plus any character at all.
ALPHABET = st.one_of(
    st.sampled_from(VI + VI.upper() + "AEIOUXD" + " \n\t\u00a0\u2009.,:;!?()[]\"'’-–—/#@%&*0123456789"),
    # No lone surrogates: the readers reject them ('undecodable'), so no stage sees one, and spaCy's
    # string store cannot encode them.
    st.characters(blacklist_categories=("Cs",)))
# Special cases of the tokenizer that are letters alone, and words the English one splits.
WORDS = st.sampled_from(["Dont", "cannot", "gonna", "xD", "XDD", "Aint", "lets", "U.S.", "don't", "e.g.",
                         "www.tiki.vn", "https://a.b/c", "hàng.", "(size", "M/L", "well-known", "Mr."])
TEXTS = st.lists(st.one_of(st.text(ALPHABET, max_size=12), WORDS), max_size=12).map(" ".join)


def real_paragraphs() -> list[str]:
    texts = SEED.read_text(encoding="utf-8").split("\n")
    for name in ("zone_records.jsonl", "corpus_sample.jsonl"):
        for row in (DATA / name).read_text(encoding="utf-8").splitlines():
            texts += unicodedata.normalize("NFC", json.loads(row)["description_text"]).split("\n")
    for path in sorted((DATA / "articles").glob("*.md")):
        if path.name != "README.md":
            texts += path.read_text(encoding="utf-8").split("\n\n")
    return [t for t in texts if t.strip()]


@pytest.mark.parametrize("lang", ["en", "xx", "vi"])
def test_alpha_tokens_equal_spacy_on_real_paragraphs(lang):
    texts = real_paragraphs()
    assert len(texts) > 500
    fast = alpha_tokens(texts, lang)
    assert fast == reference_alpha_tokens(texts, lang)
    assert sum(map(len, fast)) > 10_000          # the paragraphs do have words


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=4), st.sampled_from(["en", "xx", "vi"]))
def test_alpha_tokens_equal_spacy_on_any_text(texts, lang):
    assert alpha_tokens(texts, lang) == reference_alpha_tokens(texts, lang)


def test_attribute_count_uses_re2_and_equals_re_on_real_paragraphs():
    counter = genre._lex()["attributes"]
    assert counter.fast is not None            # google-re2 is a dependency and takes the lexicon's patterns
    assert counter._match is not None and counter._stand_in   # RE2's match call, stand-ins for other text
    forms = [fold(t) for t in real_paragraphs()]
    assert sum(f.isascii() for f in forms) > 500 and sum(not f.isascii() for f in forms) > 20
    counts = [counter.count(f) for f in forms]
    assert counts == [counter.reference_count(f) for f in forms]
    assert sum(counts) > 50                    # the paragraphs do name attributes


def test_re2_space_is_re_space_on_ascii():
    import re2
    fast = re2.compile(genre.re2_source(r"\s"))
    assert [c for c in map(chr, range(128)) if fast.fullmatch(c)] == \
        [c for c in map(chr, range(128)) if re.fullmatch(r"\s", c)]


# The attribute patterns' own pieces, word edges of every kind, the spaces RE2 and re disagree on.
ATTRIBUTE_PIECES = st.sampled_from(["kich thuoc", "size", "colours", "made in", "gia", "price", "xl", "s",
                                    "m", "l", "cm", "mah", "kg", "%", "2", "10", "3.5", "4,0", ":", "-", "/",
                                    ",", " ", "\n", "\t", "\x0b", "\x1c", "\x1f", "_", "a", "9x", "é", "\u00a0",
                                    # not ASCII: an apostrophe, a bullet, an Arabic-Indic digit (\\d), a
                                    # superscript two (\\w, not \\d), the Kelvin sign and the long s (equal
                                    # to 'k' and 's' without case), a line separator, an emoji, a combining mark
                                    "’", "•", "\u0663", "²", "\u212a", "ſ", "\u2028", "\U0001f31f", "\u0301"])
ATTRIBUTE_TEXTS = st.lists(st.one_of(ATTRIBUTE_PIECES, st.text(st.characters(blacklist_categories=("Cs",)),
                                                               max_size=3)), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(ATTRIBUTE_TEXTS)
def test_attribute_count_equals_re_on_any_text(text):
    counter = genre._lex()["attributes"]
    assert counter.count(text) == counter.reference_count(text)


def test_stand_ins_only_for_patterns_that_cannot_tell_them_apart():
    assert genre._stand_in_safe(r"\b\d+\s?(?:cm|kg)\b")
    for unsafe in (r"a_b", r"(?i)kg", r"\x5f", r"\u00e9", "é", r"[\x00-\x7f]"):
        assert not genre._stand_in_safe(unsafe), unsafe
    counter = genre.HitCounter(r"(?i)\bk\b")       # IGNORECASE: the Kelvin sign is a 'k' to re
    assert counter.count("\u212a k") == counter.reference_count("\u212a k") == 2


# Lines joined as a list's unit, apostrophes between runs, and letters whose lower case depends on their
# neighbours (a final sigma) or grows (dotted capital I).
LINES = st.lists(st.text(st.sampled_from("aĐđà ưÉ_'’-1\t.ΣσİI") | st.characters(blacklist_categories=("Cs",)),
                         max_size=20), min_size=1, max_size=5).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(LINES)
def test_boundary_tokens_read_off_each_lines_word_tokens(text):
    from pipeline.stages.sections.boundaries import _tokens, reference_tokens
    assert _tokens(text) == reference_tokens(text)


def test_boundary_tokens_of_real_lists_and_paragraphs():
    from pipeline.stages.sections.boundaries import _tokens, reference_tokens
    texts = real_paragraphs()
    lists = ["\n".join(texts[k:k + 4]) for k in range(0, len(texts), 4)]
    assert sum("'" in t or "’" in t for t in texts) > 10
    for t in texts + lists:
        assert _tokens(t) == reference_tokens(t), t



@pytest.mark.parametrize("key", ["en", "xx"])
def test_stage_tokenizer_and_sentencizer_equal_spacy_blank(key):
    from pipeline.text.sentences import _sentencizer, nlp_for, spacy_sentence_cuts, tokenizer_for
    tok, ref = tokenizer_for(key), nlp_for(key)
    assert tok is not ref.tokenizer                # made apart from spacy.blank, so compared here
    assert tok.to_bytes(exclude=["vocab"]) == ref.tokenizer.to_bytes(exclude=["vocab"])   # the strings grow with use
    assert ref.pipe_names == ["sentencizer"] and ref.get_pipe("sentencizer").punct_chars == _sentencizer().punct_chars
    texts = real_paragraphs() + ["Mr. Smith :) x.No", "e.g. 1.5 U.S. ok! ?? \t\nA.", "Hết hàng!Đặt trước?。 ok."]
    docs = [_sentencizer()(tok(t)) for t in texts]
    refs = list(ref.pipe(texts))
    assert [[(t.text, t.is_punct, t.is_alpha) for t in d] for d in docs] == \
        [[(t.text, t.is_punct, t.is_alpha) for t in d] for d in refs]
    assert spacy_sentence_cuts(docs) == spacy_sentence_cuts(refs)
