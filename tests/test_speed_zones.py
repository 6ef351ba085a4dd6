"""The zones stage's fast paths agree with their references (same features, same zones)."""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings, strategies as st

from pipeline.lexicon import load
from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.text.fold import fold
from pipeline.stages.zones import _all_words, _families, _words, text_shapes, text_shapes_reference

RECORDS = Path(__file__).resolve().parent / "data" / "zone_records.jsonl"
FAMILY_PHRASES = sorted({form for items in load("zones")["model"]["families"].values() for p in items
                         for form in (p, fold(p))})   # as written and typed without diacritics
# Words that overlap family phrases across families in the folded form ("chat" / "chat lieu", "qua" /
# "chua qua su dung"), so that the scan's non-overlapping matches are exercised.
FILLERS = ["chat", "lieu", "qua", "su", "dung", "chua", "ho", "tro", "them", "toi", "to", "tin", "nhan",
           "Xem", "THÊM", "liên", "hệ", "quà", "tặng", "a", "1", "-", "/", ":", "?", "\n", "đ", "e"]


def _block_texts() -> list[str]:
    texts = []
    for line in RECORDS.read_text(encoding="utf-8").splitlines():
        listing = process(listing_from_record({"title": "Sản phẩm", "description": json.loads(line)["description_text"]},
                                              "t", "json", FieldMap()), until="langid")
        texts += [b.text for b in listing.blocks]
    return texts


def test_families_scan_equals_the_phrase_set_scan_on_real_blocks():
    texts = _block_texts()
    assert len(texts) > 500
    assert [text_shapes(t) for t in texts] == [text_shapes_reference(t) for t in texts]
    assert sum(bool(_families(t)) for t in texts) > 50   # families are found, so the comparison is not empty


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FAMILY_PHRASES), st.sampled_from(FILLERS),
                          st.text(alphabet="aăâeêioôơuưy đĐ-_#%1?", max_size=6)), max_size=14),
       st.sampled_from([" ", "", "  ", "-", ", "]), st.booleans())
def test_families_scan_equals_the_phrase_set_scan(parts, sep, upper):
    text = sep.join(parts)
    if upper:
        text = text.upper()
    assert text_shapes(text) == text_shapes_reference(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FILLERS + ["12", "7", "2026", "x_y", "Đổi", "đổi", "ngày"]),
                          st.text(alphabet="abcđêô1 2_-", min_size=1, max_size=9)), max_size=160),
       st.integers(1, 45))
def test_words_read_from_a_prefix_equal_the_whole_text_words(parts, limit):
    """_words (a prefix first, numbers renamed after deduplicating) equals _all_words (the reference)."""
    text = " ".join(parts)
    assert _words(text, limit) == _all_words(text, limit)


def test_words_equal_the_whole_text_words_on_real_blocks():
    texts = _block_texts()
    assert any(len(t) > 400 for t in texts)
    assert [_words(t, 40) for t in texts] == [_all_words(t, 40) for t in texts]
