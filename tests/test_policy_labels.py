"""The labelled whole documents for policy facts and zones (tests/data/policy_labels) are well formed, every
source has a fixed split, and the scorer runs on them without the corpus."""
from __future__ import annotations

import json

from pipeline.eval.policy import evaluate, gold_facts, load, split_of
from pipeline.contract.schema import TABLES
from conftest import DATA


def _enum(table: str, column: str) -> set[str]:
    return {v.strip() for v in TABLES[table].field(column).metadata[b"description"].decode().split(".")[0].split("|")}


def test_labels_use_the_contract_and_every_source_is_split():
    docs = load(DATA)
    split = split_of(DATA)
    fact_types, units = _enum("policy_facts", "fact_type"), _enum("policy_facts", "unit")
    assert len(docs) >= 200 and {d["group"] for d in docs} == set(split)
    assert set(split.values()) == {"dev", "test"}
    n_test = sum(split[d["group"]] == "test" for d in docs)
    assert n_test >= len(docs) / 3 and {d["lang"] for d in docs if split[d["group"]] == "test"} == {"vi", "en"}
    policy_lines = sum(line["zone"] == "policy" for d in docs for line in d["lines"])
    negatives = sum(bool(line.get("negative")) for d in docs for line in d["lines"])
    assert policy_lines >= 600 and negatives >= 150
    for d in docs:
        for line in d["lines"]:
            assert line["zone"] in ("policy", "description", "other") and line["text"] == line["text"].strip()
            for f in line.get("facts", []):
                assert f["type"] in fact_types and f["unit"] in units, f
                assert f["min"] is None or f["max"] is None or f["min"] <= f["max"], f
            assert not (line.get("negative") and line.get("facts")), line


def test_scorer_reports_dev_and_test_beside_a_baseline():
    text = evaluate(DATA, None).render()
    for part in ("dev split", "test split"):
        assert f"Policy facts, {part}" in text and f"Zones, {part}" in text
    assert "baseline f1" in text and "every line is description" in text
    # Each split is also scored per label file (files labelled later were never seen while tuning).
    from pipeline.eval.policy import LABEL_FILES
    split = split_of(DATA)
    for name in LABEL_FILES:   # once per split the file has documents in (listings_4 is dev only)
        assert text.count(f"{name}: ") == len({split[d["group"]] for d in load(DATA) if d["file"] == name}), name
    # The return window of a labelled page is found in its own document (a real page, rebuilt from its lines).
    doc = next(d for d in load(DATA) if d["doc"] == "policies/pol-acetdcons-dev-mocsa-1.txt")
    assert ("return_window", None, 7.0, "day") in gold_facts(doc)
