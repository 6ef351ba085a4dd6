"""policies_5.jsonl and listings_6.jsonl are training data for the zone line model (RULES.md, label40): fixture
documents of dev sources, tuned on, so they must hold dev documents only and be read by the scorer and the fit."""
from __future__ import annotations

from pipeline.eval.policy import LABEL_FILES, load, split_of
from conftest import DATA

TRAINING_FILES = ("policies_5.jsonl", "listings_6.jsonl")


def test_the_training_files_are_read_and_hold_whole_dev_documents_only():
    docs, split = load(DATA), split_of(DATA)
    for name in TRAINING_FILES:
        assert name in LABEL_FILES
        mine = [d for d in docs if d["file"] == name]
        assert mine and {split[d["group"]] for d in mine} == {"dev"}, name
        assert all(d["lines"] for d in mine)
    labelled_before = {d["doc"] for d in docs if d["file"] not in TRAINING_FILES}
    assert not labelled_before & {d["doc"] for d in docs if d["file"] in TRAINING_FILES}   # none labelled twice
