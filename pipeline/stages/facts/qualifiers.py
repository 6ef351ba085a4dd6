"""Qualifier labels of a clause (domestic, all orders, ...), each given to the nearest fact.
"""
from __future__ import annotations

import bisect

from .grammar import QUAL_LABEL, QUAL_LINK_RE, QUAL_RE, phrase_key, find_phrases


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"


def assign_qualifiers(f: str, lo: int, hi: int, found, conditions, soft: list[int]) -> list[list[str]]:
    """Each qualifier phrase goes to the nearest fact of the clause, its own segment first; a tie
    goes to the fact after it ("nội thành 20K")."""
    labels: list[list[str]] = [[] for _ in found]
    if not found:
        return labels
    items = [(s, e, QUAL_LABEL[phrase_key(phrase)]) for s, e, phrase in find_phrases(QUAL_RE, f, lo, hi)]
    for cue, q in conditions:   # an order condition on a fee: "orders under 300,000 VND"
        word = {"upper": "under", "lower": "over"}.get(q.shape, "of")
        items.append((q.start, q.end, f"orders {word} {_fmt(q.lo)} {q.unit}"))
    places = [((q.start, q.end) if q else (cue.start, cue.end), cue) for _, q, cue, _, _ in found]
    for s, e, label in sorted(items):
        seg = bisect.bisect_right(soft, s)
        linked = bool(QUAL_LINK_RE.search(f, max(lo, s - 12), s))   # "... đối với nội thành"
        best, best_key = None, None
        for i, ((qs, qe), cue) in enumerate(places):
            if (cue.start < e and s < cue.end) or (qs < e and s < qe) or (linked and qs >= s):
                continue   # the fact's own cue or quantity; a linked qualifier looks back
            key = (seg != bisect.bisect_right(soft, qs), qs - e if e <= qs else s - qe, e > qs)
            if best_key is None or key < best_key:
                best, best_key = i, key
        if best is not None and label not in labels[best]:
            labels[best].append(label)
    return labels
