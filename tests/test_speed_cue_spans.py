"""Policy cues counted off the shared scan's occurrences (`PhraseSet.spans`, `cues.cue_counts`) equal the phrase
sets' expressions (`reference_finditer`, `cue_counts_reference`), on real lines and made-up ones (no timings
here: `scripts/time_sections.py --run` measures)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from pipeline.text import cues
from test_speed_kernel import phrase_sets, real_texts, text_with_phrases


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_cue_counts_equal_the_expressions_on_real_lines():
    texts = real_texts()
    texts += [t.upper() for t in texts[::7]]
    counts = [cues.cue_counts(t) for t in texts]
    assert counts == [cues.cue_counts_reference(t) for t in texts]
    assert sum(s > 0 for s, _ in counts) > 20 and sum(w > 0 for _, w in counts) > 20   # cues are found


def test_spans_equal_the_expressions_on_real_lines():
    texts = real_texts()
    found = 0
    for ps in phrase_sets():
        for text in texts:
            spans = ps.spans(text)
            assert spans == _spans(ps.reference_finditer(text)), (ps.phrases[:3], text)
            found += bool(spans)
    assert found > 100


@settings(max_examples=400, deadline=None)
@given(text_with_phrases())
def test_spans_equal_the_expressions(case):
    ps, text = case
    assert ps.spans(text) == _spans(ps.reference_finditer(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["đổi trả", "ĐỔI TRẢ", "doi tra", "bảo hành", "hoàn tiền", "trong 7 ngày",
                                 "miễn phí", "vận chuyển", "không", " ", ", ", ".", "áo", "shop"]), max_size=12)
       .map("".join))
def test_cue_counts_equal_the_expressions(text):
    cues.cue_counts.cache_clear()
    assert cues.cue_counts(text) == cues.cue_counts_reference(text)
