"""The second labelling pass (tests/data/policy_labels/second_pass.jsonl) relabels exactly the documents
scripts/label_agreement.py chooses, with the first pass's line texts in the same order and the contract's
fact types and units, and the agreement script runs on it."""
from __future__ import annotations

import hashlib
import json

import pytest

from pipeline.contract.schema import TABLES
from conftest import DATA, load_script


def _script():
    return load_script("label_agreement")


def _enum(table: str, column: str) -> set[str]:
    return {v.strip() for v in TABLES[table].field(column).metadata[b"description"].decode().split(".")[0].split("|")}


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / "policy_labels" / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("which", ["first", "second"])
def test_second_pass_relabels_the_chosen_documents_line_for_line(which):
    la = _script()
    first = la.choose(DATA) if which == "first" else la.choose(DATA, la.FIRST_FILES_2)
    second = _jsonl(la.SECOND_FILE if which == "first" else la.SECOND_FILE_2)
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


def test_second_set_is_the_first_15_of_listings_4_then_of_listings_5_by_sha1():
    la = _script()
    sha = lambda d: hashlib.sha1(d["doc"].encode("utf-8")).hexdigest()  # noqa: E731
    want = []
    for name in ("listings_4.jsonl", "listings_5.jsonl"):   # listings_4 is all dev, listings_5 all test
        docs = [d for d in _jsonl(name) if any(line["zone"] == "policy" for line in d["lines"])]
        want += [d["doc"] for d in sorted(docs, key=sha)[:15]]
    assert la.FIRST_FILES_2 == ("listings_4.jsonl", "listings_5.jsonl")
    assert [d["doc"] for d in la.choose(DATA, la.FIRST_FILES_2)] == want


def test_agreement_script_prints_every_table(capsys):
    la = _script()
    assert la.main(["--set", "first"]) == 0
    out = capsys.readouterr().out
    for part in ("## dev split", "## test split", "## overall"):
        assert part in out
    assert out.count("Cohen's kappa") == 6 and "first \\ second" in out and "# Differences" in out
    assert la.main([]) == 0
    both = capsys.readouterr().out
    assert both.startswith(out) and "second set (listings_4 dev, listings_5 test)" in both
    assert both.count("Cohen's kappa") == 12 and both.count("# Differences") == 2
    assert la.kappa([("a", "a"), ("b", "b")], ("a", "b")) == 1.0
    assert abs(la.kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")], ("a", "b"))) < 1e-9
