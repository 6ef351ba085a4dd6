"""scripts/label_documents.py: a spec builds the label file RULES.md describes, each line checked against the
real document (a one-page corpus in tests/data/label_documents), and the listing skips labelled pages."""
from __future__ import annotations

import doctest
import json

import pytest

from conftest import DATA, load_script

PAGE = DATA / "label_documents" / "policies" / "pol-woodubend-2.txt"
SPEC = "@ policies/pol-woodubend-2.txt\np | Returns Policy\np return_window:-:14:day | {}\n"


def _script():
    return load_script("label_documents")


def test_build_gives_the_labels_of_the_page():
    ld = _script()
    spec = SPEC.format(PAGE.read_text(encoding="utf-8").splitlines()[1].strip())
    built = ld.build(spec, ld.Corpus(DATA / "label_documents"))
    labelled = [d for d in map(json.loads, (DATA / "policy_labels" / "policies.jsonl").open(encoding="utf-8"))
                if d["doc"] == "policies/pol-woodubend-2.txt"]
    assert built == labelled
    assert built[0]["lang"] == "en" and built[0]["lines"][1]["facts"] == [
        {"type": "return_window", "min": None, "max": 14, "unit": "day"}]


def test_build_refuses_a_line_that_is_not_the_documents():
    ld = _script()
    with pytest.raises(SystemExit, match="is not the document's"):
        ld.build(SPEC.format("Customers can return unused items within 14 days"), ld.Corpus(DATA / "label_documents"))
    with pytest.raises(SystemExit, match="1 spec lines for 2 document lines"):
        ld.build(SPEC.split("\np return")[0], ld.Corpus(DATA / "label_documents"))


def test_list_marks_a_labelled_page():
    ld = _script()
    rows = ld.list_documents(ld.Corpus(DATA / "label_documents"), "policies", DATA, None)
    assert rows == [{"doc": "policies/pol-woodubend-2.txt", "group": "Abdrahim19/woodubend", "split": "dev",
                     "lines": 2, "skip": "labelled"}]


def test_the_fact_parser_doctests_hold():
    assert doctest.testmod(_script()).failed == 0


def test_a_skeleton_header_keeps_its_source_comment_out_of_the_language():
    ld = _script()
    spec = SPEC.format(PAGE.read_text(encoding="utf-8").splitlines()[1].strip())
    commented = spec.replace("@ policies/pol-woodubend-2.txt", "@ policies/pol-woodubend-2.txt\t# Abdrahim19/woodubend")
    assert ld.parse_spec(commented) == ld.parse_spec(spec)
    assert ld.parse_spec(commented)[0][1] is None
    tiki = "@ products.jsonl#tiki-1 vi\t# tiki:batch_1\nd | Áo thun\n"   # a record id holds '#' too
    assert ld.parse_spec(tiki)[0][:2] == ("products.jsonl#tiki-1", "vi")
