"""A clause's quantities bound to cues become facts: one small function per rule, applied in order by
`clause_facts` (see the package docstring for the grammar they implement).
"""
from __future__ import annotations

import bisect

from pipeline.contract.kinds import UNITS

from .cues import CueMatch, find_cues, nearest_cue, overlaps
from .grammar import CONJ_RE, CONVERT, FactMatch, ORDER_GAP, SOFT_RE, fact_config
from .qualifiers import assign_qualifiers
from .quantities import Quantity, find_quantities, is_clock, read_bounds


ANCHOR_GAP = 40   # an anchor ("kể từ ngày nhận hàng") at most this many characters after a period retypes it

# (fact type, quantity or None, cue, evidence start, evidence end)
Found = tuple[str, Quantity | None, CueMatch, int, int]


def fact_values(fact: str, q: Quantity) -> tuple[float | None, float | None, str]:
    conf = fact_config(fact)
    if conf.get("always_lower"):
        lo, hi = q.lo, None
    elif q.shape == "range":
        lo, hi = q.lo, q.hi
    else:
        shape = conf.get("bare", "exact") if q.shape == "exact" else q.shape
        lo = q.lo if shape in ("exact", "lower") else None
        hi = q.hi if shape in ("exact", "upper") else None
    unit = q.unit
    if unit in CONVERT:   # 30 phút -> 0.5 hour
        unit, div = CONVERT[unit]
        lo, hi = (None if lo is None else round(lo / div, 4)), (None if hi is None else round(hi / div, 4))
    return lo, hi, unit


def retype_fact(fact: str, q: Quantity, cues: list[CueMatch]) -> str:
    """What a period is counted from (an anchor right after it) and how short it is can change the
    fact: a refund counted from receipt is a return window; a delivery within hours is express."""
    for c in cues:
        if c.role == "anchor" and c.seg == q.seg and 0 <= c.start - q.end <= ANCHOR_GAP:
            fact = c.retype.get(fact, fact)
            break
    limit = fact_config(fact).get("express_within_hours")
    unit, div = CONVERT.get(q.unit, (q.unit, 1.0))   # minutes count in hours
    if limit and unit == "hour" and q.hi / div <= limit:
        fact = "express_delivery"
    return fact


# ------------------------------------------------------------------ the rules, in the order they apply

def outside_cues(quantities: list[Quantity], cues: list[CueMatch]) -> list[Quantity]:
    """An amount written inside a cue ("ship 0đ") is part of the cue, not a quantity of its own."""
    return [q for q in quantities
            if not any(c.start <= q.start and q.end <= c.end for c in overlaps(cues, q.start, q.end))]


def read_all_bounds(quantities: list[Quantity], cues: list[CueMatch], f: str, lo: int, hi: int) -> None:
    """Bound words around each quantity, reaching neither into a cue nor into the next quantity."""
    for i, q in enumerate(quantities):
        j = bisect.bisect_left(cues, q.start, key=lambda c: c.start)
        floor = max([lo] + [c.end for c in cues[max(0, j - 2):j] if c.end <= q.start])
        ceiling = min([hi] + [c.start for c in cues[j:j + 1]] + [r.start for r in quantities[i + 1:i + 2]])
        read_bounds(q, f, floor, ceiling)


def soft_breaks(quantities: list[Quantity], f: str, lo: int, hi: int) -> list[int]:
    """Positions of the soft breaks (commas, semicolons, ...) of a clause that are not inside a quantity."""
    spans = [(q.start, q.end) for q in quantities]
    return [m.start() for m in SOFT_RE.finditer(f, lo, hi)
            if not any(s <= m.start() < e or s < m.end() <= e for s, e in spans)]


def assign_segments(items, soft: list[int]) -> None:
    """The segment (between soft breaks) of each quantity and cue."""
    for item in items:
        item.seg = bisect.bisect_right(soft, item.start)


def mark_order_conditions(quantities: list[Quantity], cues: list[CueMatch]) -> None:
    """"đơn hàng (có giá trị) từ 500K": an amount right after an order word is a condition on the order."""
    for q in quantities:
        prev = [c for c in cues if c.seg == q.seg and c.end <= q.start]
        q.order = (q.kind == "money" and bool(prev) and prev[-1].role == "order"
                   and q.start - prev[-1].end <= ORDER_GAP)


def conjoined_cues(cue: CueMatch, q: Quantity, cues: list[CueMatch], f: str) -> list[CueMatch]:
    """"Đổi trả và bảo hành trong 3 ngày": cues joined by a conjunction share the quantity."""
    group = [cue]
    for c in reversed(cues[:cues.index(cue)]):
        if c.role != "cue" or not c.takes(q.kind) or not CONJ_RE.fullmatch(f, c.end, group[-1].start):
            break
        group.append(c)
    return group


def money_fact_kept(fact: str, q: Quantity, c: CueMatch, conditions: list) -> bool:
    """Whether an amount becomes the fact: a threshold is an order value or a lower bound ("từ 500K";
    "dưới 300K" is the other side of it and "freeship tối đa 30K" a cap on the subsidy); an order amount
    is no fact of its own, but a condition of a fee ("phí ship 30K cho đơn dưới 300K")."""
    if q.kind == "money" and fact_config(fact).get("always_lower"):
        return not (q.shape == "upper" or not (q.order or q.shape in ("lower", "range")))
    if q.order:
        if fact_config(fact).get("order_condition"):
            conditions.append((c, q))
        return False
    return True


def evidence(c: CueMatch, q: Quantity, same_seg: bool, quantities: list[Quantity]) -> tuple[int, int]:
    """Evidence runs from the cue to the quantity, unless another quantity stands between them (or the
    cue is in an earlier segment): then it is the quantity alone."""
    lo_, hi_ = min(c.end, q.end), max(c.start, q.start)
    alone = not same_seg or any(lo_ <= r.start and r.end <= hi_ for r in quantities)
    return (q.start, q.end) if alone else (min(c.start, q.start), max(c.end, q.end))


def bind(quantities: list[Quantity], cues: list[CueMatch], f: str, soft: list[int],
         lo: int) -> tuple[list[Found], list[tuple[CueMatch, Quantity]]]:
    """Each quantity to its nearest cue (and the cues conjoined with it): the facts found, and the order
    conditions of fees."""
    found: list[Found] = []
    conditions: list[tuple[CueMatch, Quantity]] = []
    for q in quantities:
        cue, same_seg = nearest_cue(q, cues, quantities, f, soft, lo)
        if cue is None or cue.role != "cue":
            continue
        cue.bound.add(q.kind)
        seen = set()
        for c in conjoined_cues(cue, q, cues, f):
            fact = retype_fact(c.maps[q.kind], q, cues)
            if not money_fact_kept(fact, q, c, conditions):
                continue
            if fact not in seen:
                seen.add(fact)
                found.append((fact, q, c, *evidence(c, q, same_seg, quantities)))
    return found, conditions


def free_shipping_alone(found: list[Found], conditions, cues: list[CueMatch]) -> None:
    """"Miễn phí vận chuyển toàn quốc": a free-shipping cue that read no amount is free shipping with no
    threshold (0 VND), once a clause."""
    read = {id(c) for _, q, c, _, _ in found if q.kind == "money"} | {id(c) for c, _ in conditions}
    for c in cues:
        fact = c.maps.get("money") if c.role == "cue" else None
        if fact and fact_config(fact).get("zero_when_alone") and id(c) not in read:
            found.append((fact, None, c, c.start, c.end))
            break


def matches(found: list[Found], conditions, f: str, lo: int, hi: int, soft: list[int]) -> list[FactMatch]:
    """The facts with their values, units and qualifiers; facts with no value or no known unit are dropped."""
    out = []
    for (fact, q, cue, start, end), labels in zip(found, assign_qualifiers(f, lo, hi, found, conditions, soft)):
        vmin, vmax, unit = fact_values(fact, q) if q else (0.0, None, "VND")
        if unit in UNITS and (vmin is not None or vmax is not None) and start < end:
            out.append(FactMatch(fact, vmin, vmax, unit, "; ".join(labels) or None, start, end))
    return out


def clause_facts(text: str, f: str, lo: int, hi: int) -> list[FactMatch]:
    """The facts of one clause f[lo:hi] (f = fold(text))."""
    quantities = find_quantities(f, lo, hi)
    cues = find_cues(text, f, lo, hi, quantities)
    quantities = outside_cues(quantities, cues)
    if not quantities and not cues:
        return []
    read_all_bounds(quantities, cues, f, lo, hi)
    quantities = [q for q in quantities if not is_clock(q, f)]
    soft = soft_breaks(quantities, f, lo, hi)
    assign_segments((*quantities, *cues), soft)
    mark_order_conditions(quantities, cues)
    found, conditions = bind(quantities, cues, f, soft, lo)
    free_shipping_alone(found, conditions, cues)
    return matches(found, conditions, f, lo, hi, soft)
