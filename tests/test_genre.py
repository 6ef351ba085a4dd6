"""The description-genre model: its weights file, its training (deterministic), and real texts it must get right.

Real inputs only: the four dev-split corpus articles of tests/data/articles_boundaries/ (pasted as a plain-text
listing, headings stripped, as `pipeline eval genre` reads them), the five Tiki records of
tests/data/corpus_sample.jsonl, two real HTML descriptions of tests/data/headings_html/ and the sample
listing (raw/). Their sources are in the READMEs beside them.
"""
from __future__ import annotations

import json
import unicodedata

import numpy as np
from hypothesis import given, settings, strategies as st
import pytest
from conftest import DATA, load_script

from pipeline.contract.records import Listing
from pipeline.eval.articles import load
from pipeline.readers import FieldMap, listing_from_record, read_file
from pipeline.stages import process
from pipeline.stages.quality import genre_inputs
from pipeline.text.genre import GENRE_FEATURES, GENRE_WEIGHTS_FILE, genre_model, genre_signals


# The HTML product descriptions of tests/data/headings_html/ (lst-website-banhaisan-3.html there is an SEO
# article pasted as a description — "Ốc Bông là con gì?", "... sống ở đâu?" — kept for the heading tests only).
PRODUCT_HTML = ("lst-genzshop-9.html", "lst-website-banhaisan-6.html")


def _trainer():
    return load_script("train_genre")


@pytest.fixture(scope="module")
def real():
    """(group, gold, processed listing) of the real texts in tests/data."""
    out = []
    for a in load(DATA / "articles_boundaries"):
        text = unicodedata.normalize("NFC", "\n\n".join(a.paragraphs))
        out.append((a.repo, "article", process(Listing(doc_id=a.name, source=a.name, format="txt", title=None, text=text))))
    for line in (DATA / "corpus_sample.jsonl").read_text(encoding="utf-8").splitlines():
        rec = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in json.loads(line).items()}
        out.append(("tiki", "product_copy", process(listing_from_record(rec, rec["id"], "jsonl", FieldMap()))))
    for name in PRODUCT_HTML:
        path = DATA / "headings_html" / name
        out.append((path.name, "product_copy", process(next(read_file(path, path.parent)))))
    return out


def test_weights_file_matches_the_features_and_records_its_training():
    model = json.loads(GENRE_WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert model["features"] == list(GENRE_FEATURES)
    assert len(model["weights"]) == len(model["mean"]) == len(model["scale"]) == len(GENRE_FEATURES)
    assert 0 < model["threshold"] < 1 and model["training"]["split"].startswith("dev")
    assert model["training"]["articles"] > 0 and model["training"]["product_copy"] > 0
    # Long advice prose raises P(article); product attributes lower it.
    w = dict(zip(GENRE_FEATURES, model["weights"]))
    assert w["log_words"] > 0 and w["advice_per_100"] > 0 and w["attributes_per_100"] < 0
    assert genre_model()["_w"].shape == (len(GENRE_FEATURES),)


def test_real_articles_are_articles_and_real_product_copy_is_not(real):
    for _, gold, listing in real:
        q = listing.quality
        assert (q.description_genre == "article") == (gold == "article"), (listing.source, q.genre_reason)
        assert 0.0 <= q.genre_article_probability <= 1.0
        assert q.genre_reason.startswith(q.description_genre + ":")
        if q.description_genre in ("article", "product_copy"):
            assert "P(article)" in q.genre_reason
    arts = [l.quality.genre_article_probability for _, g, l in real if g == "article"]
    prods = [l.quality.genre_article_probability for _, g, l in real if g == "product_copy"]
    assert min(arts) > max(prods)


def test_the_sample_article_pasted_into_a_listing_is_an_article(seed_listing):
    q = seed_listing.quality
    assert q.description_genre == "article" and q.genre_article_probability >= genre_model()["threshold"]


def test_training_is_deterministic_and_fits_the_rows(real):
    T = _trainer()
    rows = [(g, gold, genre_signals(**genre_inputs(l))) for g, gold, l in real]
    X = np.asarray([[s["features"][f] for f in GENRE_FEATURES] for _, _, s in rows])
    y = np.asarray([1.0 if gold == "article" else 0.0 for _, gold, _ in rows])
    groups = [g for g, _, _ in rows]
    names = [l.source for _, _, l in real]
    first = T.model_file(T.train(X, y, groups), X, y, groups, names)
    second = T.model_file(T.train(X.copy(), y.copy(), list(groups)), X, y, groups, list(names))
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    p = T.prob(X, np.asarray(first["mean"]), np.asarray(first["scale"]), np.asarray(first["weights"]), first["bias"])
    assert ((p >= 0.5) == (y == 1)).all()        # separable on these few rows: the fit must separate them
    assert first["training"]["rows"] == len(y) and first["training"]["articles"] == 4


def test_short_text_is_product_copy_whatever_its_words():
    from pipeline.stages.quality import genre
    advice = "You should always ask yourself whether you really need it; your guide to choosing well. "
    g, _, _, p, why = genre([advice], has_other_zones=False)
    assert g == "product_copy" and "words <" in why


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab cd?？!.,:\nạ1"), max_size=40), max_size=12))
def test_genre_features_are_finite_and_the_question_share_counts_asking_blocks(texts):
    s = genre_signals(texts)
    f = s["features"]
    assert set(f) == set(GENRE_FEATURES) and all(np.isfinite(v) for v in f.values())
    asking = sum(1 for t in texts if "?" in t or "？" in t)
    assert s["questions"] == asking and f["question_share"] == asking / max(1, len(texts))
    assert 0.0 <= f["question_share"] <= 1.0
