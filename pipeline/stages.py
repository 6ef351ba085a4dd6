"""The stages, registered by name, in order. Each is a pure function Listing -> Listing that fills
the fields it owns; `process` runs them all. The runner and engines only decide where they run.

| stage    | reads                      | writes                                   |
|----------|----------------------------|------------------------------------------|
| segment  | text, hints                | blocks (kind, level, text, offsets)      |
| langid   | blocks.text                | blocks.lang, lang_prob, lang_reason      |
| zones    | blocks.text, kind, lang    | blocks.zone, policy_score, zone_reason   |
| facts    | policy blocks              | facts                                    |
| sections | description blocks         | sections, sentences                      |
| quality  | blocks, title              | quality                                  |
"""
from __future__ import annotations

import time
from typing import Callable

from .facts import extract_facts
from .langid import detect
from .quality import assess_quality
from .contract.records import Fact, Listing
from .sections import build_sections
from .segment import segment
from .zones import assign_zones


def detect_languages(listing: Listing) -> Listing:
    for b in listing.blocks:
        r = detect(b.text)
        b.lang, b.lang_prob, b.lang_reason = r.lang, r.prob, r.reason
    listing.title_lang = detect(listing.title).lang if listing.title else None
    return listing


def extract_policy_facts(listing: Listing) -> Listing:
    facts = []
    for b in listing.blocks:
        if b.zone != "policy":
            continue
        for m in extract_facts(b.text):
            facts.append(Fact(block_id=b.block_id, fact_type=m.fact_type, value_min=m.value_min,
                              value_max=m.value_max, unit=m.unit, qualifier=m.qualifier,
                              evidence=b.text[m.start:m.end], char_start=b.char_start + m.start,
                              char_end=b.char_start + m.end, lang=b.lang))
    listing.facts = facts
    return listing


STAGES: dict[str, Callable[[Listing], Listing]] = {
    "segment": segment,
    "langid": detect_languages,
    "zones": assign_zones,
    "facts": extract_policy_facts,
    "sections": build_sections,
    "quality": assess_quality,
}


def process(listing: Listing, until: str | None = None, timings: dict[str, float] | None = None) -> Listing:
    """Run the stages in order (up to and including `until`), adding seconds per stage to `timings`."""
    for name, stage in STAGES.items():
        t0 = time.perf_counter()
        listing = stage(listing)
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
        if name == until:
            break
    return listing
