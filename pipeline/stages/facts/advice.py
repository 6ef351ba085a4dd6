"""Advice to sellers: a listing whose text addresses sellers states no terms of its own in that text.

An e-commerce guide pasted as a description names free-shipping levels, carriers' delivery times and fees as
examples ("Offer free shipping on orders over $75", "FedEx Ground (1-5 days)"): none is the shop's term, and
the zones read many of its lines as policy. `advice_language` says whether a listing is such advice (at
least `[advice] min_audience` distinct phrases of lexicon/facts.toml `[advice] audience` in its blocks) and
in which language it is written; the facts stage then keeps only the facts of blocks in another determined
language (the shop's own policy block above the article).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.contract.kinds import languages
from pipeline.contract.records import Block
from pipeline.text.phrases import PhraseSet

from .grammar import LEX, phrase_key

AUDIENCE = PhraseSet(LEX["advice"]["audience"])
MIN_AUDIENCE: int = LEX["advice"]["min_audience"]
LANGUAGES = frozenset(languages())   # the determined languages ("und" is not one)


def advice_language(blocks: Sequence[Block]) -> str | None:
    """The language of the listing's advice to sellers (the language of the blocks naming its audience,
    the most often, ties to the first in order), or None when fewer than MIN_AUDIENCE distinct audience
    phrases are in its blocks (the listing is no advice)."""
    found: set[str] = set()
    langs: Counter[str] = Counter()
    for b in blocks:
        hits = {phrase_key(m.group()) for m in AUDIENCE.finditer(b.text)}
        if hits:
            found |= hits
            langs[b.lang] += len(hits)
    if len(found) < MIN_AUDIENCE:
        return None
    return max(sorted(langs), key=langs.__getitem__)


def own_terms(block: Block, advice: str | None) -> bool:
    """Whether a block's facts may be the shop's own terms: always outside advice; in advice, only a
    block in another determined language than the advice's (not a code line, which is undetermined)."""
    return advice is None or (block.lang != advice and block.lang in LANGUAGES)
