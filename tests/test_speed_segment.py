"""Segment's shortcuts equal what they stand for (no timings here: `make bench` measures).

- `SepIndex` (where the separator needles occur, found once per text) answers `may_have_inline_sep` for
  every span of the text;
- a split that stops after LEAD_LINE_WORDS words tells "more than LEAD_LINE_WORDS words" as a full split
  does (segment splits long lines only that far).
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from pipeline.stages.segment import SEP_GLYPHS, SepIndex, may_have_inline_sep
from pipeline.text.line_kinds import LEAD_LINE_WORDS
from test_speed_kernel import real_texts

NEEDLES = st.sampled_from(list("=-_*~ Ab\u00a0\t\n") + list(SEP_GLYPHS) + ["---", "----", "--"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(NEEDLES, st.characters()), max_size=30).map("".join))
def test_sep_index_equals_the_substring_checks(text):
    index = SepIndex(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert index.may_have(start, end) == may_have_inline_sep(text, start, end), (start, end)


def test_sep_index_on_real_text():
    text = "\n".join(real_texts())
    index, pos = SepIndex(text), 0
    n_true = 0
    for line in text.split("\n"):
        end = pos + len(line)
        expected = may_have_inline_sep(text, pos, end)
        assert index.may_have(pos, end) == expected
        n_true += expected
        pos = end + 1
    assert n_true > 0   # the real lines hold separators, so both answers were exercised


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab \t\n\u00a0\u2003x"), max_size=60))
def test_a_stopped_split_counts_up_to_the_lead_limit(line):
    assert (len(line.split(None, LEAD_LINE_WORDS)) <= LEAD_LINE_WORDS) == (len(line.split()) <= LEAD_LINE_WORDS)
