"""Work a block's text gets once and several readers share (speed32) equals the work each reader did alone:
`match_form` read off the cached phrase forms, the zone model's families read off the shared phrase scan,
the genre signals' folded form."""
from __future__ import annotations

import sys

import ahocorasick_rs
from hypothesis import given, settings, strategies as st

from pipeline.lexicon import load
from pipeline.stages.zones import _families, _folded_family_phrases, _lexicon, text_shapes, text_shapes_reference
from pipeline.text.fold import VI_LETTERS, fold, forms, match_form, match_form_reference
from pipeline.text.phrases import as_written_spans, scan_ids, scan_spans
from test_speed_zones import _block_texts   # the blocks of tests/data/zone_records.jsonl

FAMILY_PHRASES = sorted({form for items in load("zones")["model"]["families"].values() for p in items
                         for form in (p, fold(p))})
# Letters and signs where the forms differ: marks, both tone placements, "İ" (lower-cases longer), the
# angstrom sign and the Kelvin sign (lower-case to Latin letters), dashes and the fullwidth tilde (fold to
# ASCII), Greek (outside the fold table).
ALPHABET = "aăâeêioôơuưy đĐòaoàuỳùy hoà hòa İÅKΣσ–—～ -_#%1?’'\n"


def _own_scan_families(text: str) -> set:
    """The families as the stage found them before speed32: an Aho-Corasick automaton of the family phrases
    alone, its own scan of the folded text."""
    lex = _lexicon()
    phrases = [p for items in load("zones")["model"]["families"].values() for p in items]
    folded, written = forms(text)
    items = _folded_family_phrases(phrases) if written is None else phrases
    automaton = ahocorasick_rs.AhoCorasick(sorted({fold(p) for p in items} - {""}))
    hits = [(s, e) for _, s, e in automaton.find_matches_as_indexes(folded, overlapping=True)]
    return {lex["family_of"].get(folded[s:e])
            for s, e in as_written_spans(folded, written, hits, lex["family_forms"]["written"])}


def test_match_form_off_the_phrase_forms_on_real_blocks():
    texts = _block_texts()
    assert len(texts) > 500 and sum(not t.isascii() for t in texts) > 300
    assert [match_form(t) for t in texts] == [match_form_reference(t) for t in texts]


def test_match_form_off_the_phrase_forms_on_every_code_point():
    """Beside a Vietnamese letter (matched as written) and alone (folded unless it is one): only "İ"
    lower-cases longer, so it is the one character that sends a Vietnamese text to its folded form."""
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        for text in (c, "Đổi " + c, c + "ạ" + c):
            assert match_form.__wrapped__(text) == match_form_reference(text), hex(cp)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_match_form_off_the_phrase_forms(text):
    assert match_form.__wrapped__(text) == match_form_reference(text)
    form, folded = match_form(text)
    assert folded == (not VI_LETTERS.search(text) or "\u0130" in text or text.isascii())


def test_families_off_the_shared_scan_on_real_blocks():
    texts = _block_texts()
    assert [_families(t) for t in texts] == [_own_scan_families(t) for t in texts]
    assert [text_shapes(t) for t in texts] == [text_shapes_reference(t) for t in texts]
    assert sum(bool(_families(t) - {None}) for t in texts) > 50   # families are found: the comparison is not empty


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FAMILY_PHRASES), st.text(alphabet=ALPHABET, max_size=6)), max_size=14),
       st.sampled_from([" ", "", "-", ", "]), st.booleans())
def test_families_off_the_shared_scan(parts, sep, upper):
    text = sep.join(parts)
    if upper:
        text = text.upper()
    assert _families(text) == _own_scan_families(text)


def test_scan_spans_are_every_occurrence_of_the_ids():
    """scan_spans gives what an automaton of the same phrases alone finds, overlapping occurrences included."""
    phrases = {"doi tra", "doi", "tra hang", "hang"}
    ids = scan_ids(phrases)
    own = ahocorasick_rs.AhoCorasick(sorted(phrases))
    for text in ("doi tra hang", "đổi trả hàng doi", "", "hanghang tra hang doi"):
        folded = forms(text)[0]
        assert sorted(scan_spans(folded, ids)) == sorted((s, e) for _, s, e in own.find_matches_as_indexes(
            folded, overlapping=True))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_genre_signals_fold_is_the_phrase_forms_fold(text):
    """block_signals reads a Vietnamese text's folded form off the cached phrase forms: it is fold(text)."""
    assert forms(text)[0] == fold(text)
