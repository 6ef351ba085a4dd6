"""A heading's context reaches only its own section (issue 13, facts13). Real DEV lines
(tests/data/policy_sentences_sections.jsonl, sources in tests/data/README_policy_sentences_sections.md): a
shop's "Return policy" heading and one of its lines, then paragraphs of a running guide pasted under it and a
list of its training plan ("- 8 to 12 weeks of easy running ..."). Under the heading with at most
`[context] section_gap` lines naming no fact between, the plan's weeks are read as a return window (what the
reach is for); with more, or with product copy (a block zoned description) between, the heading's context
stops and the plan gives nothing."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from fact_cases import DATA, load_cases
from pipeline.contract.records import Listing
from pipeline.stages import process
from pipeline.stages.facts import block_context, extract_policy_facts
from pipeline.stages.facts.grammar import SECTION_GAP

ROWS = load_cases("policy_sentences_sections.jsonl")
SHOP = [r["text"] for r in ROWS if r["role"] == "shop"]     # "Return policy" / "You can raise a dispute within 7 days ..."
PROSE = [r["text"] for r in ROWS if r["role"] == "prose"]   # the guide's paragraphs, none names a fact
PLAN = [r["text"] for r in ROWS if r["role"] == "plan"]     # "- 8 to 12 weeks of easy running ..."


def listing(lines: list[str], zones: dict[int, str] | None = None) -> Listing:
    """The lines (one paragraph each) through segment and langid, every block then in the policy zone but those
    `zones` names (by line index); the zones stage is not what these tests are about."""
    out = process(Listing(doc_id="x", source="x.txt", format="txt", title=None, text="\n\n".join(lines)),
                  until="langid")
    starts = [sum(len(t) + 2 for t in lines[:k]) for k in range(len(lines))]
    zone_at = {starts[k]: z for k, z in (zones or {}).items()}
    out.blocks = [replace(b, zone=zone_at.get(b.char_start, "policy")) for b in out.blocks]
    return out


def plan_facts(lines: list[str], zones: dict[int, str] | None = None) -> Counter:
    got = extract_policy_facts(listing(lines, zones))
    for f in got.facts:
        assert got.text[f.char_start:f.char_end] == f.evidence
    cut = len("\n\n".join(lines[:-1]))
    return Counter(f.fact_type for f in got.facts if f.char_start > cut)


def test_the_fixture_holds_what_the_tests_need():
    assert len(SHOP) == 2 and len(PLAN) == 1 and len(PROSE) > SECTION_GAP
    assert plan_facts(PLAN) == Counter()                          # alone the plan states nothing
    assert plan_facts(SHOP + PLAN)["return_window"] >= 1          # right under the heading its weeks are read


def test_the_heading_reaches_across_its_own_short_run_of_lines():
    assert plan_facts(SHOP + PROSE[:SECTION_GAP] + PLAN)["return_window"] >= 1


def test_the_heading_stops_after_a_longer_run_of_lines_naming_no_fact():
    assert plan_facts(SHOP + PROSE[:SECTION_GAP + 1] + PLAN) == Counter()
    assert plan_facts(SHOP + PROSE + PLAN) == Counter()


def test_the_heading_stops_at_product_copy_between():
    lines = SHOP + PROSE[:1] + PLAN
    assert plan_facts(lines)["return_window"] >= 1
    assert plan_facts(lines, zones={len(SHOP): "description"}) == Counter()
    blocks = listing(lines, zones={len(SHOP): "description"}).blocks
    assert block_context(blocks, len(blocks) - 1) == []


def test_the_shop_keeps_its_own_fact_above_the_guide():
    # through every stage (the real zones): the shop's line keeps its window, the guide's plan gives none
    text = "\n\n".join(SHOP + PROSE + PLAN)
    got = process(Listing(doc_id="x", source="x.txt", format="txt", title=None, text=text))
    cut = len("\n\n".join(SHOP))
    assert [(f.fact_type, f.value_max, f.unit) for f in got.facts if f.char_start < cut] == [("return_window", 7, "day")]
    assert [f for f in got.facts if f.char_start >= cut] == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(PROSE), max_size=2 * SECTION_GAP))
def test_the_reach_is_the_count_of_lines_naming_no_fact(between):
    # any run of the guide's paragraphs between: the heading types the plan exactly when the run is short
    typed = plan_facts(SHOP + between + PLAN)["return_window"] >= 1
    assert typed == (len(between) <= SECTION_GAP)


def test_a_block_longer_than_the_limit_is_read_without_context():
    # the guide pasted as one paragraph (its lines joined by spaces, as a page with lost line breaks): under the
    # heading its weeks are no return window; the same lines as a block within the limit still take the context
    from pipeline.stages.facts.grammar import CONTEXT_BLOCK_MAX
    plan = " ".join(line.removeprefix("- ") for line in PLAN[0].splitlines())   # its list items as sentences
    short = " ".join(PROSE[:2] + [plan])
    long = " ".join(PROSE * (CONTEXT_BLOCK_MAX // len(" ".join(PROSE)) + 1) + [plan])
    assert len(short) <= CONTEXT_BLOCK_MAX < len(long)
    assert plan_facts(SHOP + [short])["return_window"] >= 1
    assert plan_facts(SHOP + [long]) == Counter()
