"""The zone line model's fit (scripts/fit_zone_model.py) and the stage agree on what the model reads: the
word limit chosen by CV (lexicon/zones.toml [model.fit]) is written into zones_model.json, the stage reads
the same first words the script fitted on, and the shipped file is the one the grid allows."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from conftest import load_script
from pipeline.lexicon import LEXICON_DIR, load
from pipeline.readers import read_file
from pipeline.stages import process
from pipeline.stages.zones import MODEL_FILE, _features, _model, _rule_zones, zone_features

ROOT = Path(__file__).resolve().parents[1]


def _script():
    return load_script("fit_zone_model")


def _sample():
    raw = ROOT / "raw"
    return [process(rec, until="langid") for rec in read_file(raw / "000_80d7723cb6c526a9.txt", raw)]


def test_the_model_file_records_a_word_limit_and_l2_from_the_fit_grids():
    data = json.loads((LEXICON_DIR / MODEL_FILE).read_text(encoding="utf-8"))
    fit = load("zones")["model"]["fit"]
    assert data["max_words"] in fit["word_limits"]
    assert data["l2"] in fit["l2_grid"]
    assert all(k <= load("zones")["model"]["max_words"] for k in fit["word_limits"])
    assert _model()["max_words"] == data["max_words"]   # the stage reads the limit the script chose


def test_the_scripts_word_limit_gives_the_features_the_stage_reads():
    """limit_words (the script's grid over word limits, cutting zone_features' rows) equals the stage's
    features read with that limit, on the sample listing's blocks."""
    script = _script()
    for listing in _sample():
        full = zone_features(listing)
        rows = [("s", feats, "description", ["description"], "description", True) for feats in full]
        for limit in load("zones")["model"]["fit"]["word_limits"]:
            cut = [row[1] for row in script.limit_words(rows, limit)]
            assert cut == _features(listing.blocks, _rule_zones(listing.blocks), limit)
        shorter = [row[1] for row in script.limit_words(rows, 1)]
        assert shorter != full   # the sample's blocks have more than one word, so the cut is not empty


def test_the_grid_choice_prefers_fewer_words_then_the_stronger_l2_on_a_tie(monkeypatch):
    script = _script()
    monkeypatch.setitem(script.FIT, "word_limits", [40, 10])
    monkeypatch.setitem(script.FIT, "l2_grid", [1.0, 3.0])
    monkeypatch.setattr(script, "cv_scores", lambda rows, extra=(): [None] * len(rows))   # every setting ties (the rules)
    rows = [("a", ["bias", "w=x"], "policy", ["policy"], "policy", True),
            ("b", ["bias", "w=y"], "other", ["other"], "description", True)]
    limit, l2, results = script.choose(rows)
    assert (limit, l2) == (10, 3.0)
    assert set(results) == {(10, 1.0), (10, 3.0), (40, 1.0), (40, 3.0)}


def _rows():
    """Small rows in the script's layout (source, features, gold, lines' zones, rule zone, decided, document)."""
    return [("a", ["bias", "w=ship", "sec=policy"], "policy", ["policy"], "policy", True, "a"),
            ("b", ["bias", "w=cotton", "sec=description"], "description", ["description"], "description", True, "b"),
            ("c", ["bias", "w=ship", "w=cotton"], "policy", ["policy"], "description", True, "c"),
            ("d", ["bias", "w=hotline"], "other", ["other"], "other", True, "d")]


def test_a_weight_of_one_is_the_unweighted_fit_and_a_weight_of_two_is_the_row_twice():
    """zones12: the fit's sample weights (a row's eighth field) scale the row's loss; the loss is divided by the
    total weight, so rows of weight 1 fit exactly as before and a weight of 2 fits as the row written twice."""
    script = _script()
    rows = _rows()
    vocab = script.vocabulary(rows * 3)
    plain = script.fit(rows, vocab)
    assert np.array_equal(script.fit([(*r, 1.0) for r in rows], vocab), plain)
    doubled = script.fit(rows + [rows[2]], vocab)
    weighted = script.fit(rows[:2] + [(*rows[2], 2.0)] + rows[3:], vocab)
    assert np.allclose(weighted, doubled, atol=1e-9)
    assert not np.allclose(weighted, plain, atol=1e-3)   # the weight changes the fit
    zero = script.fit(rows + [(*rows[2][:2], "other", ["other"], *rows[2][4:], 0.0)], vocab)
    assert np.allclose(zero, plain, atol=1e-12)   # a row of weight 0 is left out


def test_copies_carry_their_weight_and_a_sectionless_copy_has_no_section_feature():
    script = _script()
    rows = _rows()
    out = script.copies({"unaccent": rows, "upper": rows}, ["unaccent", "upper"], {"unaccent": 0.5}, ["upper"])
    assert [script.weight_of(r) for r in out] == [0.5] * 4 + [1.0] * 4
    assert any(f.startswith("sec=") for r in out[:4] for f in r[1])
    assert not any(f.startswith("sec=") for r in out[4:] for f in r[1])
    assert [r[1] for r in out[4:]] == [[f for f in r[1] if not f.startswith("sec=")] for r in rows]
    assert [script.weight_of(r) for r in script.limit_words(out, 1)] == [0.5] * 4 + [1.0] * 4   # kept by the word cut
