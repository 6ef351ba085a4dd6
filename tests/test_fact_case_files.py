"""Every file of real policy lines with their context (tests/data/policy_sentences_{forms,guards,procedures,
sample,unseen,lists,fresh,offers,perturbed}.jsonl; each README beside them names the sources): no line comes from a source of the test
split, and each line gives exactly its labelled facts, spans inside the line. The forms each file stands
for are tested in its own tests/test_facts_<name>.py."""
from __future__ import annotations

import pytest

from fact_cases import assert_line_gives_its_facts, assert_no_case_from_test_split, load_cases

FILES = ("forms", "guards", "procedures", "sample", "unseen", "lists", "fresh", "offers", "perturbed")
CASES = {name: load_cases(f"policy_sentences_{name}.jsonl") for name in FILES}


@pytest.mark.parametrize("name", FILES)
def test_no_case_comes_from_the_test_split(name):
    assert CASES[name]
    assert_no_case_from_test_split(CASES[name])


@pytest.mark.parametrize("case", [c for name in FILES for c in CASES[name]],
                         ids=[f"{name}: {c['note'][:50]}" for name in FILES for c in CASES[name]])
def test_real_lines_give_their_facts(case):
    assert_line_gives_its_facts(case)
