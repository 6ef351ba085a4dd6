"""Shared by the tests of real policy lines with their context (tests/data/policy_sentences_{forms,guards,
procedures,sample,unseen}.jsonl): loading a case file, the comparable form of a fact, and the two checks
every such file gets in tests/test_fact_case_files.py (no case from a test-split source; each line gives
exactly its labelled facts, spans inside it)."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.stages.facts import extract_facts

DATA = Path(__file__).resolve().parent / "data"


def load_cases(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def fact_key(t, lo, hi, unit):
    return t, None if lo is None else float(lo), None if hi is None else float(hi), unit


def facts_of(text, context=()):
    return sorted((fact_key(m.fact_type, m.value_min, m.value_max, m.unit) for m in extract_facts(text, context)),
                  key=str)


def assert_no_case_from_test_split(cases: list[dict]) -> None:
    splits = json.loads((DATA / "splits.json").read_text(encoding="utf-8"))["policy"]
    for case in cases:
        assert case["split"] == splits.get(case["group"], "none") != "test", case["source"]


def assert_line_gives_its_facts(case: dict) -> None:
    assert facts_of(case["text"], case["context"]) == sorted((fact_key(*f) for f in case["facts"]), key=str), \
        case["source"]
    for m in extract_facts(case["text"], case["context"]):
        assert case["text"][m.start:m.end].strip()


def assert_facts_keep_the_invariants(text: str, context=()) -> list:
    """Every fact of `text` has a non-blank span inside it and min <= max; returns the facts."""
    facts = extract_facts(text, context)
    for m in facts:
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end].strip()
        assert m.value_min is None or m.value_max is None or m.value_min <= m.value_max
    return facts
