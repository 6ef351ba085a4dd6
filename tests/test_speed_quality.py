"""The quality stage's and the word counter's fast paths equal the references they stand beside (no timings
here: `make bench` and scripts/time_sections.py --run measure).

- `quality._top_gram` (one Counter over word tuples) equals `_top_gram_reference` (each gram one int64, numpy)
  on the word lists of real descriptions (every block's tokens, block ends as None), on those lists with each
  block repeated (stuffing that does win) and on generated lists with small vocabularies, ties and block ends.
- `words.count_words` decides "lower-casing keeps the length" by looking for the one character whose lower
  case is two characters (`LOWER_LONGER`; that it is the only one is checked over every code point) and
  equals `count_words_reference`, which lower-cases the text to ask.
- `words.word_tokens`, which remembers the tokens of chunks that are not alphanumeric, equals `TOKEN.findall`
  on the lower-cased text, with the memo empty, full, and cleared at its bound.
"""
from __future__ import annotations

import json
import sys
import unicodedata

from hypothesis import given, settings, strategies as st

from pipeline.stages import quality
from pipeline.text import words as words_mod
from pipeline.text.words import TOKEN, count_words, stopwords, word_tokens
from conftest import DATA, SEED


def _descriptions() -> list[list[str]]:
    docs = [SEED.read_text(encoding="utf-8").split("\n")]
    for name in ("zone_records.jsonl", "corpus_sample.jsonl"):
        for row in (DATA / name).read_text(encoding="utf-8").splitlines():
            docs.append(unicodedata.normalize("NFC", json.loads(row)["description_text"]).split("\n"))
    for path in sorted((DATA / "articles").glob("*.md")):
        if path.name != "README.md":
            docs.append(path.read_text(encoding="utf-8").split("\n\n"))
    return [[t for t in d if t.strip()] for d in docs]


def _word_list(blocks: list[str]) -> list[str | None]:
    out: list[str | None] = []
    for t in blocks:
        out.extend(word_tokens(t))
        out.append(None)
    return out


def test_top_gram_equals_reference_on_real_descriptions():
    docs = _descriptions()
    assert len(docs) > 20
    won = 0
    for blocks in docs:
        for w in (_word_list(blocks), _word_list(blocks + blocks[:3])):
            for n, min_content in ((4, 2), (3, 1), (5, 3), (4, 0)):
                fast = quality._top_gram(w, n, min_content)
                assert fast == quality._top_gram_reference(w, n, min_content), (blocks[:1], n, min_content)
                won += bool(fast)
    assert won > 50                               # the real texts do repeat phrases


STOP = sorted(stopwords())[:4]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["áo", "đẹp", "giá", "rẻ", "the", "cotton", "xl", None, *STOP]), max_size=80),
       st.integers(1, 6), st.integers(-1, 4))
def test_top_gram_equals_reference_on_any_word_list(words, n, min_content):
    words = [*words, None]
    if len(words) < n:                           # `stuffing` asks only for lists at least n long
        return
    assert quality._top_gram(words, n, min_content) == quality._top_gram_reference(words, n, min_content)


def test_stuffing_equals_the_reference_path_on_real_descriptions(monkeypatch):
    docs = _descriptions()
    fast = [quality.stuffing(d) for d in docs]
    monkeypatch.setattr(quality, "_top_gram", quality._top_gram_reference)
    assert fast == [quality.stuffing(d) for d in docs]


def test_only_one_character_changes_length_when_lower_cased():
    longer = [chr(i) for i in range(sys.maxunicode + 1) if len(chr(i).lower()) != 1]
    assert longer == [words_mod.LOWER_LONGER]


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.sampled_from("İıIiẞßΣσς'’ _-.x0"), st.characters(blacklist_categories=("Cs",)))))
def test_count_words_equals_reference(text):
    assert count_words(text) == words_mod.count_words_reference(text)


def test_count_words_equals_reference_on_real_paragraphs():
    texts = [t for d in _descriptions() for t in d]
    assert [count_words(t) for t in texts] == [words_mod.count_words_reference(t) for t in texts]


def test_word_tokens_with_remembered_chunks_equal_the_expression(monkeypatch):
    texts = [t for d in _descriptions() for t in d]
    want = [TOKEN.findall(t.lower()) for t in texts]
    for bound in (1 << 15, 7):                    # a memo that keeps everything, and one cleared every 7 chunks
        monkeypatch.setattr(words_mod, "_SPLIT_MAX", bound)
        words_mod._split_chunks.clear()
        for _ in range(2):                        # chunks first met, then remembered
            word_tokens.cache_clear()
            assert [list(word_tokens(t)) for t in texts] == want
        assert 0 < len(words_mod._split_chunks) <= bound
