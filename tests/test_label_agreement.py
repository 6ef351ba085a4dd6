"""The second labelling pass (tests/data/policy_labels/second_pass.jsonl) relabels exactly the documents
scripts/label_agreement.py chooses, with the first pass's line texts in the same order and the contract's
fact types and units, and the agreement script runs on it."""
from __future__ import annotations

import json

from pipeline.contract.schema import TABLES
from conftest import DATA, load_script


def _script():
    return load_script("label_agreement")


def _enum(table: str, column: str) -> set[str]:
    return {v.strip() for v in TABLES[table].field(column).metadata[b"description"].decode().split(".")[0].split("|")}


def test_second_pass_relabels_the_chosen_documents_line_for_line():
    la = _script()
    first = la.choose(DATA)
    second = [json.loads(line) for line in (DATA / "policy_labels" / "second_pass.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    split = json.loads((DATA / "splits.json").read_text(encoding="utf-8"))["policy"]
    assert [split[d["group"]] for d in first] == ["dev"] * 15 + ["test"] * 15
    assert [d["doc"] for d in second] == [d["doc"] for d in first]
    fact_types, units = _enum("policy_facts", "fact_type"), _enum("policy_facts", "unit")
    for d1, d2 in zip(first, second):
        assert (d2["group"], d2["lang"]) == (d1["group"], d1["lang"]), d2["doc"]
        assert [line["text"] for line in d2["lines"]] == [line["text"] for line in d1["lines"]], d2["doc"]
        assert any(line["zone"] == "policy" for line in d1["lines"])
        for line in d2["lines"]:
            assert set(line) <= {"text", "zone", "facts", "negative"}, line
            assert line["zone"] in ("policy", "description", "other"), line
            assert not (line.get("negative") and line.get("facts")), line
            for f in line.get("facts", []):
                assert set(f) == {"type", "min", "max", "unit"} and f["type"] in fact_types and f["unit"] in units, f
                assert f["min"] is not None or f["max"] is not None, f
                assert f["min"] is None or f["max"] is None or f["min"] <= f["max"], f


def test_agreement_script_prints_every_table(capsys):
    la = _script()
    assert la.main([]) == 0
    out = capsys.readouterr().out
    for part in ("## dev split", "## test split", "## overall"):
        assert part in out
    assert out.count("Cohen's kappa") == 6 and "first \\ second" in out and "# Differences" in out
    assert la.kappa([("a", "a"), ("b", "b")], ("a", "b")) == 1.0
    assert abs(la.kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")], ("a", "b"))) < 1e-9
