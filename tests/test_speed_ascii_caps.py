"""`styles.is_caps` on an ASCII text (its letters and capitals taken out by `bytes.translate`) equals the
letter-by-letter count `is_caps_reference` (no timings here: `scripts/time_sections.py --run` measures)."""
from __future__ import annotations

import string

from hypothesis import given, settings, strategies as st

from pipeline.text.styles import CAPS_MIN_LETTERS, is_caps, is_caps_reference
from test_speed_kernel import real_texts


def test_ascii_caps_equal_the_reference_on_real_lines():
    texts = [t for t in real_texts() if t.isascii()]
    texts += [t.upper() for t in texts] + [t[:n] for t in texts for n in (4, 12, 40)]
    assert len(texts) > 500
    assert [is_caps(t) for t in texts] == [is_caps_reference(t) for t in texts]
    assert 0 < sum(map(is_caps, texts)) < len(texts)   # both answers are given


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127) | st.sampled_from("AAAAB a1 .-"),
               max_size=CAPS_MIN_LETTERS * 8))
def test_ascii_caps_equal_the_reference_on_any_ascii_text(text):
    assert is_caps(text) == is_caps_reference(text)


def test_every_ascii_character_is_read_as_str_reads_it():
    for ch in map(chr, range(128)):
        for text in (ch * CAPS_MIN_LETTERS, "AB" + ch, ch + "ab"):
            assert is_caps(text) == is_caps_reference(text), repr(text)
    assert set(string.ascii_letters) == {c for c in map(chr, range(128)) if c.isalpha()}
