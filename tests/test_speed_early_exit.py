"""speed35's fast paths equal the references they stand beside (no timings here: `make bench` measures).

- `written_in_capitals` (texts read shortest first, stopping once the share is settled) equals
  `written_in_capitals_reference` (every text read);
- `phrases._sorted_hits` (occurrences filtered and sorted by C iterators) equals `_sorted_hits_reference`;
- `genre.article_probability` (clipped by min and max) equals `article_probability_reference` (np.clip).

Real text: the sample listing raw/000_80d7723cb6c526a9.txt and the Tiki records of tests/data/zone_records.jsonl
and corpus_sample.jsonl (test_speed_kernel.real_texts; their READMEs name the sources), as documents of their
lines, as written and upper-cased; generated text by hypothesis.
"""
from __future__ import annotations

import json
import unicodedata

from hypothesis import given, settings, strategies as st

from conftest import DATA
from pipeline.text.fold import forms
from pipeline.text.genre import GENRE_FEATURES, article_probability, article_probability_reference, genre_model
from pipeline.text.phrases import _scan, _sorted_hits, _sorted_hits_reference
from pipeline.text.styles import written_in_capitals, written_in_capitals_reference
from test_speed_kernel import ALPHABET, phrase_sets, real_texts

CAPS_LINES = st.sampled_from(["ĐỔI TRẢ", "Giao hàng 2-3 ngày", "HÀNG CHÍNH HÃNG 100%", "ok", "", "MIỄN PHÍ ship",
                              "Chất liệu: Cotton", "BẢO HÀNH 12 THÁNG TẠI CÁC TRUNG TÂM"])


def _documents() -> list[list[str]]:
    docs = []
    for name in ("zone_records.jsonl", "corpus_sample.jsonl"):
        for row in (DATA / name).read_text(encoding="utf-8").splitlines():
            text = unicodedata.normalize("NFC", json.loads(row)["description_text"])
            docs.append([t for t in text.split("\n") if t.strip()])
    return docs


def test_written_in_capitals_equals_reading_every_line():
    docs = _documents()
    mixed = [d[:2] + [t.upper() for t in d[2:2 + len(d) // 2]] + d[2 + len(d) // 2:] for d in docs]
    cases = docs + [[t.upper() for t in d] for d in docs] + mixed
    answers = [written_in_capitals(d) for d in cases]
    assert answers == [written_in_capitals_reference(d) for d in cases]
    assert 0 < sum(answers) < len(answers)   # both answers were given


@settings(max_examples=800, deadline=None)
@given(st.lists(CAPS_LINES | st.text(ALPHABET, max_size=12), max_size=9))
def test_written_in_capitals_equals_reading_every_text(texts):
    assert written_in_capitals(texts) == written_in_capitals_reference(texts)


def test_sorted_hits_equal_the_generator_on_real_text():
    sets = phrase_sets()
    n_hits = 0
    for text in real_texts():
        scan = _scan(forms(text)[0])
        if scan is None:
            continue
        for ps in sets:
            hits = _sorted_hits(scan[1], ps._ids)
            assert hits == _sorted_hits_reference(scan[1], ps._ids)
            n_hits += len(hits)
    assert n_hits > 1000   # the real texts hold phrases: not a comparison of empty lists


FEATURE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)   # the features are finite (logs and shares of counts)


@settings(max_examples=800, deadline=None)
@given(st.lists(FEATURE, min_size=len(GENRE_FEATURES), max_size=len(GENRE_FEATURES)))
def test_article_probability_equals_np_clip(values):
    features = dict(zip(GENRE_FEATURES, values))
    assert article_probability(features) == article_probability_reference(features, genre_model())
