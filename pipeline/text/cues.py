"""Policy cue words, shared by segment (cut a paragraph where it turns from policy to product copy) and
zones (score and decide): both read them here, from lexicon/zones.toml, so neither imports the other.

`policy_score` is the weighted count of policy cue phrases in a text: 2 per strong cue, 1 per weak cue
that is not part of a strong one; `is_policy_text` compares it with the lexicon's threshold.
"""
from __future__ import annotations

import functools

from pipeline.lexicon import load

from .fold import fold
from .phrases import PhraseSet

STRONG_WEIGHT = 2.0
WEAK_WEIGHT = 1.0


@functools.cache
def _cues() -> tuple[PhraseSet, PhraseSet, float]:
    policy = load("zones")["policy"]
    return PhraseSet(policy["strong"] + policy["more_strong"]), PhraseSet(policy["weak"]), float(policy["threshold"])


def policy_threshold() -> float:
    return _cues()[2]


@functools.lru_cache(maxsize=8192)
def cue_counts(text: str) -> tuple[int, int]:
    """(strong cues, weak cues not inside a strong one)."""
    strong, weak, _ = _cues()
    covered = strong.spans(text)   # the shared scan's occurrences, not the expressions (`cue_counts_reference`)
    n_weak = sum(1 for start, _ in weak.spans(text) if not any(s <= start < e for s, e in covered))
    return len(covered), n_weak


def cue_counts_reference(text: str) -> tuple[int, int]:
    """`cue_counts` by the phrase sets' expressions (tests compare the two)."""
    strong, weak, _ = _cues()
    covered = [(m.start(), m.end()) for m in strong.finditer(text)]
    n_weak = sum(1 for m in weak.finditer(text) if not any(s <= m.start() < e for s, e in covered))
    return len(covered), n_weak


def policy_score(text: str) -> float:
    """2 per strong cue, 1 per weak cue that is not part of a strong one."""
    strong, weak = cue_counts(text)
    return STRONG_WEIGHT * strong + weak * WEAK_WEIGHT


def is_policy_text(text: str) -> bool:
    return policy_score(text) >= policy_threshold()


@functools.cache
def _known_headings() -> frozenset[str]:
    return frozenset(fold(h) for zone in load("zones")["headings"].values() for h in zone)


def is_known_heading(text: str) -> bool:
    """The whole text is a zone heading of the lexicon ("Chính sách đổi trả", "Mô tả sản phẩm")."""
    return fold(text).strip(" :.-#*").strip() in _known_headings()
