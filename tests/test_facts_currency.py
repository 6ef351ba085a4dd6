"""Amounts in a currency the contract cannot hold give no fact (RULES.md: "Amounts in currencies outside VND/USD → no
fact"), however the currency is written: a sign (₹, €), a code before the number ("PHP 299.00", "Rs. 999"), a code
after it ("$50 AUD", "1,000 THB"), or another country's dollar ("S$60", "NZ$80"). Before this, "$50 AUD" was 50 USD,
"S$60" and "Rs. 999" (the clause cut at the abbreviation's dot) left a free-shipping cue with no amount, read as free
shipping on every order. The contract's own dollar ("$", "US$", "USD") is still read."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lexicon import load as load_lexicon
from pipeline.stages.facts.grammar import HARD_RE
from pipeline.stages.facts.quantities import find_quantities
from pipeline.text.fold import fold
from fact_cases import assert_facts_keep_the_invariants, facts_of

MONEY = load_lexicon("facts")["money"]
CODES = MONEY["foreign_codes"]
DOLLARS = MONEY["foreign_dollars"]

# art-en-milanaryal-the-popular-digital-wallets-in-nepal.md (milanaryal/milanaryal.github.io, a dev source): an
# amount in rupees, its code abbreviated with a dot.
RUPEES = 'You can upgrade to "Superwallet" if your KYC is verified and a balance above Rs. 1000 is maintained.'


def test_a_currency_abbreviation_s_dot_cuts_no_clause():
    f = fold(RUPEES)
    assert [m.start() for m in HARD_RE.finditer(f)] == [len(f) - 1]   # the sentence's own period only
    assert [q for q in find_quantities(f, 0, len(f), RUPEES) if q.kind == "money"] == []


@pytest.mark.parametrize("text", [
    "Free shipping on orders over S$60.", "Free shipping on orders over NZ$80", "Free shipping on orders over $50 AUD.",
    "Free shipping on all orders over Rs. 999.", "Free shipping on orders above Rs.999", "Free shipping over 1,000 THB",
    "Free shipping for orders above 500 EUR", "Shipping fee: $5 CAD per order",
])
def test_an_amount_in_another_currency_gives_no_fact(text):
    assert facts_of(text) == []


@pytest.mark.parametrize("text", [
    "Free shipping on orders over US$50", "Free shipping on orders over $50 USD", "Free shipping on orders over $50.",
])
def test_the_contract_s_own_dollar_is_read(text):
    assert facts_of(text) == [("free_shipping_threshold", 50.0, None, "USD")]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CODES), st.integers(10, 99_999), st.booleans())
def test_every_foreign_code_after_or_before_the_number_gives_no_fact(code, amount, before):
    money = f"{code.upper()} {amount}" if before else f"${amount} {code.upper()}"
    assert assert_facts_keep_the_invariants(f"Free shipping on all orders over {money}.") == []


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(DOLLARS), st.integers(10, 9_999))
def test_every_other_dollar_gives_no_fact(prefix, amount):
    assert assert_facts_keep_the_invariants(f"Free shipping on all orders over {prefix.upper()}${amount}.") == []
