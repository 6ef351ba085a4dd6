"""The sentence fast path gives exactly spaCy's sentences wherever it answers."""
from __future__ import annotations

import json
import unicodedata

from hypothesis import given, settings, strategies as st

from pipeline.sections import _spans_from_cuts, fast_sentence_cuts, nlp_for, spacy_sentence_cuts
from conftest import DATA, SEED


def real_lines() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for name in ("zone_records.jsonl", "corpus_sample.jsonl"):
        for row in (DATA / name).read_text(encoding="utf-8").splitlines():
            lines += unicodedata.normalize("NFC", json.loads(row)["description_text"]).split("\n")
    for path in sorted((DATA / "articles").glob("*.md")):
        lines += path.read_text(encoding="utf-8").split("\n")
    return [line.strip() for line in lines if line.strip()]


def assert_agrees(texts: list[str], key: str) -> int:
    answered = 0
    for text, cuts in zip(texts, spacy_sentence_cuts(nlp_for(key).pipe(texts))):
        fast = fast_sentence_cuts(text, key)
        if fast is not None:
            answered += 1
            assert _spans_from_cuts(text, fast) == _spans_from_cuts(text, cuts), text
    return answered


def test_fast_path_agrees_with_spacy_on_real_lines():
    lines = real_lines()
    for key in ("en", "xx"):
        answered = assert_agrees(lines, key)
        assert answered > 0.6 * len(lines)   # it answers for most real lines, else it is pointless


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", "Word", "Mr", "e.g", "U.S", "3", "2023", "A", "tháng", "ngày", ".", "!",
                                 "?", "…", ",", "..", "\"", "(", ")", " ", "  ", "\n", "x", "end.Next", "ok"]),
                max_size=40).map(lambda parts: "".join(parts)))
def test_fast_path_agrees_with_spacy_on_generated_text(text):
    for key in ("en", "xx"):
        assert_agrees([text], key)
