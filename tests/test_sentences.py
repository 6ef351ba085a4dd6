"""`sentence_cuts` gives exactly the sentences of the full spaCy pipeline (tokenizer + sentencizer)."""
from __future__ import annotations

import json
import unicodedata

from hypothesis import given, settings, strategies as st

from pipeline.text.sentences import cuts_without_spacy, nlp_for, sentence_cuts, spacy_sentence_cuts
from pipeline.text.sentences import spans_from_cuts as _spans_from_cuts
from conftest import DATA, SEED


def real_lines() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for name in ("zone_records.jsonl", "corpus_sample.jsonl"):
        for row in (DATA / name).read_text(encoding="utf-8").splitlines():
            lines += unicodedata.normalize("NFC", json.loads(row)["description_text"]).split("\n")
    for path in sorted((DATA / "articles").glob("*.md")):
        lines += path.read_text(encoding="utf-8").split("\n")
    return [line.strip() for line in lines if line.strip()]


def assert_agrees(texts: list[str], key: str) -> None:
    for text, cuts in zip(texts, spacy_sentence_cuts(nlp_for(key).pipe(texts))):
        assert _spans_from_cuts(text, sentence_cuts(text, key)) == _spans_from_cuts(text, cuts), text


def test_sentence_cuts_agree_with_spacy_on_real_lines():
    lines = real_lines()
    assert len(lines) > 1000
    for key in ("en", "xx"):
        assert_agrees(lines, key)
        # spaCy itself runs only for the rare chunk whose special cases depend on its neighbours
        assert sum(cuts_without_spacy(t, key) is None for t in lines) < 0.01 * len(lines)


def test_a_straddling_special_case_leaves_the_text_to_spacy():
    # Alone, "x.No" is "x." + "No" (special case "x."); after ": " the emoticon ":x" straddles the
    # space and spaCy drops "x.", leaving "x" "." "No": a sentence starts at "No".
    text = "Size: x.No more"
    assert cuts_without_spacy(text, "xx") is None
    assert_agrees([text, "x.No more"], "xx")


PIECES = ["word", "Word", "Mr", "e.g", "U.S", "3", "2023", "1-7", "$25", "10%", "A", "tháng", "ngày", "đ",
          ".", "!", "?", "…", "。", "！", ",", "..", "...", "\"", "'", "(", ")", "[", "-", "—", ":", ";)", "*",
          " ", "  ", "\n", "\t", "\xa0", " \n", "x", "end.Next", "ok", "www.shop.vn", "a@b.vn", "No", "a.m", "US$", "°C"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(lambda parts: "".join(parts)))
def test_sentence_cuts_agree_with_spacy_on_generated_text(text):
    for key in ("en", "xx"):
        assert_agrees([text], key)
