"""Shared by the tests of real policy lines with their context (tests/data/policy_sentences_{forms,guards,
procedures,sample,unseen,lists,fresh}.jsonl): loading a case file, the comparable form of a fact, and the two checks
every such file gets in tests/test_fact_case_files.py (no case from a test-split source; each line gives
exactly its labelled facts, spans inside it)."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.contract.records import Block, Listing
from pipeline.stages.facts import extract_facts, extract_policy_facts

DATA = Path(__file__).resolve().parent / "data"


def load_cases(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def fact_key(t, lo, hi, unit):
    return t, None if lo is None else float(lo), None if hi is None else float(hi), unit


def facts_of(text, context=()):
    return sorted((fact_key(m.fact_type, m.value_min, m.value_max, m.unit) for m in extract_facts(text, context)),
                  key=str)


def policy_listing(lines: list[str]) -> Listing:
    """A listing of one policy-zone paragraph per line, for tests of facts read with their neighbours."""
    blocks, pos = [], 0
    for i, text in enumerate(lines):
        blocks.append(Block(i, "paragraph", text, pos, pos + len(text), zone="policy"))
        pos += len(text) + 1
    return Listing(doc_id="x", source="x.txt", format="txt", title=None, text="\n".join(lines), blocks=blocks)


def listing_facts(lines: list[str]) -> set[tuple]:
    """The facts of `policy_listing(lines)`, as (type, min, max, unit)."""
    return {(f.fact_type, f.value_min, f.value_max, f.unit) for f in extract_policy_facts(policy_listing(lines)).facts}


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


def assert_listing_facts_keep_the_invariants(text: str) -> None:
    """The same text read as a listing of one policy paragraph per line: every fact's evidence slices back
    out of the listing's text, min <= max."""
    listing = extract_policy_facts(policy_listing([p for p in text.split("\n") if p] or [" "]))
    for f in listing.facts:
        assert listing.text[f.char_start:f.char_end] == f.evidence
        assert f.value_min is None or f.value_max is None or f.value_min <= f.value_max
