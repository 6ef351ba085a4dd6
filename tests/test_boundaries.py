"""Top-level section boundaries (issue 14): features, the fitted model, the answer key, training determinism.

Real inputs: four articles copied into tests/data/articles_boundaries/ (sources in its README); nothing
here needs /work/shared.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.eval.articles import load, parse, read_splits
from pipeline.eval.boundaries import evenly, matches
from pipeline.stages.sections.boundaries import (FEATURES, WEIGHTS_FILE, boundaries, choose, features,
                                                 keeps_grouped_outline, load_model, scores)

FIXTURE = Path(__file__).parent / "data" / "articles_boundaries"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def articles():
    arts = load(FIXTURE)
    assert len(arts) == 4
    return {a.name: a for a in arts}


def test_features_are_finite_and_one_row_per_gap(articles):
    for a in articles.values():
        X = features(a.paragraphs, a.lang)
        assert X.shape == (len(a.paragraphs) - 1, len(FEATURES))
        assert np.isfinite(X).all()
        p = scores(a.paragraphs, a.lang)
        assert ((p >= 0) & (p <= 1)).all()


def test_answer_key_of_a_known_article(articles):
    a = articles["art-en-andes-10k-injury-mistakes.md"]
    # Front matter and the '#' title dropped; "## Mistake 1: Too much, too soon" opens paragraph 4.
    assert a.paragraphs[0].startswith("Seventy percent of runners get hurt")
    assert a.paragraphs[4] == "Rapid mileage jumps are the most common trigger for shin splints and foot pain."
    # A contiguous list is one paragraph, one "- " item a line.
    assert a.paragraphs[6].count("\n") == 1 and a.paragraphs[6].startswith("- Doubling weekly mileage")
    # "### How Andes helps" is level 2; the '##' mistakes are level 1.
    assert a.key[4] == 1 and a.key[7] == 2 and a.key[8] == 1
    assert a.top == [4, 8, 11, 14, 17, 20, 23, 24]
    assert a.repo == "dasalazarr/andes" and a.lang == "en"


def test_answer_key_rules_on_a_small_text():
    raw = ("---\ntitle: x\n---\n# Title\n\nIntro one.\n\n## A\nText a.\n\n- i1\n- i2\n\n"
           "### A.1\n\nDeep.\n\n## B\n\n```\ncode # not a heading\n\nmore\n```\n\nEnd **bold** [link](u).\n")
    paragraphs, key = parse(raw)
    assert paragraphs == ["Intro one.", "Text a.", "- i1\n- i2", "Deep.", "code # not a heading\n\nmore",
                          "End bold link."]
    assert key == {1: 1, 3: 2, 4: 1}


def test_model_finds_the_sections_of_a_clear_article(articles):
    a = articles["art-en-andes-10k-injury-mistakes.md"]
    pred = boundaries(a.paragraphs, a.lang)
    m = matches(pred, a.top, 1)
    assert m / len(a.top) >= 0.75 and m / len(pred) >= 0.6
    vi = articles["art-vi-kinhnghiem-bai-1-qctn-facebook-la-gi.md"]
    pred = boundaries(vi.paragraphs, vi.lang)
    assert matches(pred, vi.top, 0) >= 4


def test_weights_file_matches_the_features_and_its_split():
    model = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert model["features"] == list(FEATURES)
    assert len(model["weights"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)
    assert 0 < model["threshold"] < 1 and model["min_gap"] >= 1
    splits = read_splits()
    assert set(model["training"]["repositories"]) <= {r for r, s in splits.items() if s == "dev"}
    load_model()


def test_splits_file_has_one_key_per_task_and_dev_and_test_articles():
    data = json.loads((ROOT / "tests" / "data" / "splits.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict) and set(data["articles"].values()) == {"dev", "test"}


def test_training_is_deterministic(tmp_path, articles):
    import importlib.util
    spec = importlib.util.spec_from_file_location("train_boundaries", ROOT / "scripts" / "train_boundaries.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    arts = list(articles.values())
    one = mod.train(arts, l2_grid=(1.0, 10.0))
    two = mod.train(arts, l2_grid=(1.0, 10.0))
    assert one == two
    assert len(one["weights"]) == len(FEATURES) and np.isfinite(one["weights"]).all()


def test_choose_keeps_strong_gaps_apart():
    assert choose([0.9, 0.8, 0.1, 0.7], 0.5, 2) == [1, 4]
    assert choose([0.9, 0.8, 0.1, 0.7], 0.5, 1) == [1, 2, 4]
    assert choose([], 0.5, 2) == []
    assert evenly(10, 3) == [2, 5, 8]


def test_the_grouped_outline_of_the_sample_genre_is_kept():
    # intro; three lead-ins, each over three points; a conclusion
    starts = {0: 1, 1: 1, 2: 2, 3: 2, 4: 2, 5: 1, 6: 2, 7: 2, 8: 2, 9: 1, 10: 2, 11: 2, 12: 2, 13: 1}
    assert keeps_grouped_outline(starts)
    assert not keeps_grouped_outline({0: 1, 3: 1, 5: 2, 8: 1})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=25),
       st.sampled_from(["en", "vi", "und"]))
def test_any_paragraphs_give_sorted_unique_boundaries_in_range(paragraphs, lang):
    out = boundaries(paragraphs, lang)
    assert out == sorted(set(out))
    assert all(1 <= i < len(paragraphs) for i in out)
    assert np.isfinite(features(paragraphs, lang)).all()


def test_both_training_scripts_fit_with_the_one_shared_logistic_regression():
    # scripts/_logreg.py replaced the two copies of standardisation and Newton steps; the numbers below are
    # what the copies gave on these rows (recorded before the merge): the same weights come out.
    import importlib.util
    import sys
    def load(name):
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    B, G = load("train_boundaries"), load("train_genre")
    shared = sys.modules["_logreg"]
    assert B.fit.__module__ == "train_boundaries" and G.standardize is shared.standardize is B._standardize
    X = np.array([[0.0, 1.0, 2.5], [1.0, 0.5, -1.0], [2.0, -1.0, 0.3], [3.0, 2.0, 1.1], [4.0, 0.0, -0.7],
                  [5.0, 1.5, 0.2], [6.0, -0.5, 2.0], [7.0, 0.7, -2.0]])
    y = np.array([0, 0, 1, 0, 1, 1, 0, 1.0])
    mean, scale = B._standardize(X)
    w, b = B.fit((X - mean) / scale, y, 1.0)
    assert np.allclose([*w, b], [0.5239298547970173, -0.30907781044000954, -0.8097176090482714,
                                 -0.021408441015956032], rtol=0, atol=1e-12)
    assert np.allclose(B._prob(X, mean, scale, w, b)[:3], [0.09761843128107048, 0.5377445613463452,
                                                           0.5345029550543717], rtol=0, atol=1e-12)
    w, b = G.fit((X - mean) / scale, y, G.class_weights(y), 0.3)
    assert np.allclose([*w, b], [0.8843111030815549, -0.4568246520285861, -1.3314981306197315,
                                 -0.05758871918440004], rtol=0, atol=1e-12)
    # unit weights are the unweighted fit, bit for bit
    (w1, b1), (w2, b2) = shared.fit(X, y, 1.0, 25), shared.fit(X, y, 1.0, 25, sample_weight=np.ones(len(y)))
    assert np.array_equal(w1, w2) and b1 == b2


def test_eval_help_names_every_task():
    import argparse
    from pipeline.cli.eval import TASK_HELP, register
    from pipeline.eval import TASKS
    assert set(TASK_HELP) == set(TASKS) and all(TASK_HELP.values())
    parser = argparse.ArgumentParser(prog="pipeline")
    register(parser.add_subparsers())
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["eval"]
    text = sub.format_help()
    assert all(f"\n  {t} " in text for t in TASKS), text


def test_level_two_starts_are_scored_against_the_key(articles):
    from pipeline.eval.boundaries import SUB_METHODS, points, score, sub_predictions
    arts = list(articles.values())
    assert any(points(a) for a in arts)                      # the real articles have points under sections
    for a in arts:
        assert points(a) == sorted(i for i, lv in a.key.items() if lv == 2)
        every = sub_predictions(a, "every")
        assert not set(every) & set(a.top) and len(every) == len(a.paragraphs) - 1 - len(a.top)
        for m in SUB_METHODS:
            pred = sub_predictions(a, m)
            assert pred == sorted(set(pred)) and all(1 <= i < len(a.paragraphs) for i in pred)
    perfect = score(arts, [points(a) for a in arts], points)
    assert perfect["exact"][2] == 1.0


def test_paragraph_tokens_equal_the_expression(articles):
    from pipeline.stages.sections.boundaries import _tokens, reference_tokens
    paragraphs = [p for a in articles.values() for p in a.paragraphs]
    assert sum("'" in p or "’" in p for p in paragraphs) >= 1 and len(paragraphs) > 50
    for p in paragraphs:
        assert _tokens(p) == reference_tokens(p), p


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from("aĐđà ưÉ_'’-1\n\t") | st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_tokens_equal_the_expression(text):
    from pipeline.stages.sections.boundaries import _tokens, reference_tokens
    assert _tokens(text) == reference_tokens(text)
