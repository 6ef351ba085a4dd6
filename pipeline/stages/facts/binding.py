"""A clause's quantities bound to cues become facts: one small function per rule, applied in order by
`clause_facts` (see the package docstring for the grammar they implement).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from pipeline.contract.kinds import UNITS
from pipeline.text.fold import fold

from .cues import (
    FREE_VALUE, CueMatch, find_cues, frees_other, free_after_amount, free_context, free_values, mark_joins, nearest_cue, overlaps,
    names_shipping,
)
from .grammar import (
    ALSO_FREE_RE, CALL_TO_ACTION, COMBINE, CONVERT, COUNT_RE, FOOTNOTE_MARKS, FREE_MAPS, FactMatch, HARD_RE, HOURS, NUMBER_RE, ORDER_GAP, PROMO,
    RETURN_TRIP, SOFT_RE, TITLE_RE,
    UNREAD_CONDITION, HEADING_MARK, FREE_WORD_RE, RESTATE_RE, ITEM_COUNT_RE, DANGLING_RE, REPLACEMENT,
    SHARE_RE, PROCEDURE_WORD_RE, REFUND_REMEDY, REPAIR, REPAIR_AS, REPAIR_TYPES, VOUCHER, NEGATED_RE,
    NOTICE_FROM, REPLACEMENT_SENT, SENT_TYPES, DATE_SPAN_RE, LIMITED_OFFER, MENTION, MENTION_OPEN_RE, QUOTES, DEDUCTED,
    NAMED_MONTH_RE, STARTS_AFTER_RE, STARTS_AFTER_TYPES,
    OPERATOR_RE, EXAMPLE, LEVEL_AFTER_RE, ITEM_VALUE_RE, DENIED_BEFORE_RE, DENIED_AFTER_RE, LINK_RE, REFER_BEFORE_RE,
    NOT_OFFERED,
    fact_config,
)
from .qualifiers import assign_qualifiers
from .quantities import Quantity, find_quantities, foreign_currency, is_clock, read_bounds


REFER_REACH = 8   # characters before a free-shipping cue searched for a demonstrative ("this ", "those ")
NEGATOR_REACH = 12   # a negator at most this many characters before a voucher word negates it ("không cần mã")
ANCHOR_GAP = 40   # an anchor ("kể từ ngày nhận hàng") at most this many characters after a period retypes it

# (fact type, quantity or None, cue, evidence start, evidence end)
Found = tuple[str, Quantity | None, CueMatch, int, int]


@dataclass(slots=True)
class BlockContext:
    """What a clause may take from around it (see the package docstring): the cues of the block's
    heading and lead-in line (virtual, `ctx=True`), the fact types of the cues read so far in the block
    (its context first, then its earlier clauses), and the remedy its statement offers."""
    cues: list[CueMatch] = field(default_factory=list)
    prior: list[str] = field(default_factory=list)
    remedy: str | None = None        # "replacement" (only) | "refund" | None
    condition: Quantity | None = None   # the order condition of the innermost context line (`tier`): "Đơn
                                        # hàng từ 300.000VNĐ trở lên" over "Phí giao hàng: Miễn phí"
    standard: object = False         # a standard service is offered beside the block (a bool, or a function asked
                                     # only when a fast service is stated in days): it is then the express service
    shipping_before: bool = False    # the clause before names the shipping (`names_shipping`), the subject of an
                                     # elliptical free statement: "Phí vận chuyển: 30.000đ. Miễn phí với đơn từ 500.000đ."


def fact_values(fact: str, q: Quantity) -> tuple[float | None, float | None, str]:
    conf = fact_config(fact)
    if conf.get("always_lower"):
        lo, hi = q.lo, None
    elif q.shape == "upper" and conf.get("upper") == "exact":   # "bảo hành lên đến 10 năm": 10/10
        lo = hi = q.hi
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


def retype_fact(fact: str, q: Quantity, cue: CueMatch, cues: list[CueMatch], ctx: BlockContext, f: str = "") -> str:
    """What a period is counted from (an anchor right after it), how long it is and what the statement
    offers can change the fact: a refund counted from receipt is a return window; "giao nhanh" for
    days is a delivery time; a claim window whose only remedy is a replacement is an exchange window; a
    guarantee in a clause that offers money back is the return window (the cue's `with_cues`)."""
    for c in cues:
        if c.role == "anchor" and c.seg == q.seg and 0 <= c.start - q.end <= ANCHOR_GAP:
            if cue.group in NOTICE_FROM.get(c.group, ()):
                return ""   # "Đã thông báo cho shop trong vòng 24h kể từ khi đặt mua": a notice on the order
            fact = c.retype.get(fact, fact)
            break
    hours = q.hi * HOURS.get(q.unit, 1.0) if q.kind == "duration" else None
    if cue.beyond and hours is not None and hours > cue.beyond[0] and q.unit in cue.beyond[2] and not (
            ctx.standard() if callable(ctx.standard) else ctx.standard):
        fact = cue.beyond[1]
    limit = fact_config(fact).get("express_in_clause_hours")
    # an express cue in the clause, or in its heading / lead-in ("Khu Vực áp dụng gói giao nhanh" over
    # "giao trong 60p")
    if limit and hours is not None and hours <= limit and any(
            c.role == "cue" and c.maps.get("duration") == "express_delivery" for c in cues):
        fact = "express_delivery"
    elif hours is not None and express_subject(fact, cue, cues, f):
        fact = "express_delivery"   # "Express delivery arrives in 1-2 days": the express service is the verb's subject
    elif hours is not None and q.unit in fact_config(fact).get("express_in_context_units", ()) and any(
            c.ctx and c.role == "cue" and c.maps.get("duration") == "express_delivery" for c in cues):
        fact = "express_delivery"   # "gói giao 24h – 48h" under "Khu Vực áp dụng gói giao nhanh"
    if cue.replacement_only and ctx.remedy == "replacement" and fact == cue.maps.get("duration"):
        fact = cue.replacement_only
    if cue.with_cues and fact == cue.maps.get(q.kind):   # a negated cue is a negative: it offers nothing
        # in the guarantee's own segment: "a 12-month guarantee; refunds are processed in 5 days" is a warranty
        groups = {c.group for c in cues if c.role == "cue" and not c.ctx and c.seg == cue.seg}
        fact = next((t for g, t in cue.with_cues if g in groups), fact)
    return fact


def express_subject(fact: str, cue: CueMatch, cues: list[CueMatch], f: str) -> bool:
    """A delivery verb whose subject is a named express service ("Express delivery arrives in 1-2 days",
    "Express orders are delivered within 2 days", "Đơn hỏa tốc sẽ được giao trong 2 ngày"): an express cue of
    the clause's own text (not "giao nhanh", which names a service only within a day) ends at most
    `express_subject_gap` characters before the verb, in its segment, with no other cue and no number between
    ("Express shipping 1-2 days and standard shipping 3-5 days": the standard service's own)."""
    gap = fact_config(fact).get("express_subject_gap")
    if not gap or cue.ctx:
        return False
    before = [c for c in cues if c.role in ("cue", "neg") and not c.ctx and c.seg == cue.seg and c.end <= cue.start]
    last = max(before, key=lambda c: c.end, default=None)
    return (last is not None and last.role == "cue" and not last.beyond and not last.alone
            and last.maps.get("duration") == "express_delivery" and cue.start - last.end <= gap
            and not any(ch.isdigit() for ch in f[last.end:cue.start]))


def label_type(fact: str, c: CueMatch, cues: list[CueMatch], f: str, lo: int) -> str:
    """A term worded as a replacement after a label cue (a cue opening its clause, after no letter: bullets,
    icons, numbering; then ":") is the label's term: "Bảo hành: Đổi mới ắc quy trong vòng 6 tháng" (or "✅ Bảo
    hành: …") is a warranty, "Đổi trả: 1 đổi 1 trong 7 ngày" a return window (RULES.md), not an exchange window; not once the label read a quantity of its
    own ("Bảo hành: 12 tháng, 1 đổi 1 trong 7 ngày")."""
    if c.ctx or not REPLACEMENT.search(f[c.start:c.end]):
        return fact
    label = next((x for x in cues if x.role == "cue" and not x.ctx), None)
    if (label is None or label is c or label.start > c.start or not is_statement_cue(label) or label.bound
            or any(ch.isalpha() for ch in f[lo:label.start]) or not f[label.end:c.start].lstrip().startswith(HEADING_MARK)):
        return fact
    return label.maps["duration"]


def statement_type(cue: CueMatch, cues: list[CueMatch], ctx: BlockContext) -> str | None:
    """The fact a processing verb gives: the type of the nearest fact cue before it (its clause, then
    its block and context), when that type is one the verb keeps ("Refunds are processed within ...")."""
    before = [c.maps["duration"] for c in cues
              if c.end <= cue.start and not c.ctx and is_statement_cue(c)]
    kind = (before or ctx.prior or [None])[-1]
    return kind if kind in cue.of else None


def is_statement_cue(c: CueMatch) -> bool:
    """A cue that says what a statement is about (not a weak or processing verb)."""
    return c.role == "cue" and not c.weak and not c.of and c.maps.get("duration") is not None


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
        prev = cues[j - 1] if j else None
        if (prev is not None and prev.bound_word == "lower" and q.shape == "exact" and q.kind == "duration"
                and (not f[prev.end:q.start].strip(" :") or LINK_RE.fullmatch(f[prev.end:q.start].strip()))):
            q.shape, q.led = "lower", True   # "giao nhanh nhất 30 phút", "Earliest delivery is 2 days": a minimum


def subsidy_caps(quantities: list[Quantity], cues: list[CueMatch], f: str) -> None:
    """"Freeship 15k", "Free ship 25k cho đơn 149k": an amount written right after a free-shipping cue, with no
    bound word, is the most the shop pays towards the fee (a voucher's value, RULES.md: shop vouchers for shipping),
    read as "Freeship tối đa 15k" is: a cap (`capped`), so neither "every order" (0) nor the order amount after it
    is a threshold."""
    for q in quantities:
        if q.kind == "money" and q.shape == "exact" and not q.per_unit and any(
                c.role == "cue" and not c.ctx and c.maps.get("money") == FREE_MAPS["money"] and c.end <= q.start
                and not f[c.end:q.start].strip() for c in cues):
            q.shape = "upper"


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
                   and q.start - prev[-1].end <= ORDER_GAP
                   and not any(prev[-1].end <= r.start and r.end <= q.start for r in quantities))


def conjoined_cues(cue: CueMatch, q: Quantity, cues: list[CueMatch]) -> list[CueMatch]:
    """"Đổi trả và bảo hành trong 3 ngày": cues joined by a conjunction share the quantity, in a clause as in
    a context line ("Đổi trả & hoàn tiền" over "7 ngày"; `mark_joins`). Only cues of one side join: a shipping
    cue and a return, refund or warranty cue name two terms ("Freeship và đổi trả trong 7 ngày", "Free shipping and
    returns within 30 days", "Giao hàng nhanh - đổi trả 30 ngày": the return window alone, no delivery time)."""
    group = [cue]
    i = next(i for i, c in enumerate(cues) if c is cue)   # not `index`: two context lines' copies may be equal
    side = cue.maps.get(q.kind) in RETURN_TYPES
    while (group[-1].joined and i > 0 and cues[i - 1].role == "cue" and cues[i - 1].takes(q.kind)
           and (cues[i - 1].maps.get(q.kind) in RETURN_TYPES) == side):
        i -= 1
        group.append(cues[i])
    return group


def money_fact_kept(fact: str, q: Quantity, c: CueMatch, conditions: list, free_said: bool = True) -> bool:
    """Whether an amount becomes the fact: a threshold is an order value or a lower bound ("từ 500K";
    "dưới 300K" is the other side of it and "freeship tối đa 30K" a cap on the subsidy); an order amount
    is no fact of its own, but a condition of a fee ("phí ship 30K cho đơn dưới 300K"). Typed by its
    context alone, a range is a threshold only as an order value or said free ("50–100 triệu: miễn phí",
    `free_said`), and a bound amount is no fee ("Dưới 6.000.000đ": an order tier)."""
    if q.per_unit:
        return False   # "3.000đ/bình": a rate per unit
    if q.kind == "money" and fact_config(fact).get("always_lower"):
        if q.shape == "range" and c.ctx:   # "40.000đ - 60.000đ" under "Miễn phí vận chuyển" is a fee
            return q.order or q.led or free_said
        return not (q.shape == "upper" or not (q.order or q.shape == "lower"))
    if q.kind == "money" and c.ctx and q.shape in ("upper", "lower") and not q.order and fact_config(fact).get("bare", "exact") == "exact":
        return False   # "Dưới 6.000.000đ", "5 sản phẩm từ 50.000đ" under a fee heading: an order tier, no fee
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


def combined(group: list[Found]) -> list[Found]:
    """One statement, one fact: the facts of one quantity read by conjoined cues, with the combined
    types of the lexicon ("đổi/trả", "return/refund", "exchange or refund") made one fact of the type
    they combine to, its evidence spanning theirs; in a unit no window is counted in (business days) a
    combination with a refund is the refund time."""
    types = {fact for fact, *_ in group}
    for parts, into in COMBINE:
        if parts <= types:
            keep = [g for g in group if g[0] not in parts]
            members = [g for g in group if g[0] in parts]
            head = next((g for g in members if g[0] == into), members[0])
            start, end = min(g[3] for g in members), max(g[4] for g in members)
            allowed = fact_config(into).get("units")
            if allowed is not None and head[1].unit not in allowed and "refund_time" in parts & types:
                into = "refund_time"   # "hoàn tiền hoặc đổi sản phẩm mới trong vòng 3 – 5 ngày làm việc": how long
                                       # the remedy takes, in business days, is no window (RULES.md)
            group = keep + [(into, head[1], head[2], start, end)]
            types = {fact for fact, *_ in group}
    return group


def context_money_cue(cue: CueMatch, q: Quantity, cues: list[CueMatch], free_said: bool) -> CueMatch:
    """An amount typed by its context takes the innermost context cue whose fact it can be: a fee under
    "Phí vận chuyển" > "Miễn phí vận chuyển" ("Nội thành: 30.000đ") is the fee, not a threshold."""
    ctx = [c for c in cues if c.ctx and c.role == "cue" and c.takes("money")]
    for c in reversed(ctx[:ctx.index(cue) + 1] if cue in ctx else ctx):
        if money_fact_kept(c.maps["money"], q, c, [], free_said) or q.order:
            return c
    return cue


def bind(quantities: list[Quantity], cues: list[CueMatch], f: str, soft: list[int],
         lo: int, ctx: BlockContext, free_said: bool = True, hi: int | None = None,
         ) -> tuple[list[Found], list[tuple[CueMatch, Quantity]]]:
    """Each quantity to its nearest cue (and the cues conjoined with it): the facts found, and the order
    conditions of fees (`free_said`: a free word is in the clause)."""
    found: list[Found] = []
    conditions: list[tuple[CueMatch, Quantity]] = []
    for q in quantities:
        cue, same_seg = nearest_cue(q, cues, quantities, f, soft, lo)
        if cue is not None and cue.ctx and q.kind == "money":
            cue = context_money_cue(cue, q, cues, free_said)
        if cue is None or cue.role != "cue":
            continue
        cue.bound.add(q.kind)
        if q.kind == "money" and q.shape in ("lower", "upper") and SHARE_RE.search(f, lo, q.start):
            continue   # "phí 10% giá trị sản phẩm (tối thiểu 100.000₫)": the floor of a share, no fee
        if q.kind == "duration" and not cue.ctx and PROCEDURE_WORD_RE.search(f, max(lo, cue.start - 16), cue.start):
            continue   # "hướng dẫn quy trình đổi trả trong vòng 24 giờ": a procedure's time, no term
        starts = (q.kind == "duration" and not cue.ctx and cue.start >= q.end
                  and STARTS_AFTER_RE.search(f, max(lo, q.start - 8), q.start) is not None)
        if cue.of and q.kind == "duration" and statement_type(cue, cues, ctx) is None:
            continue   # processing / dispatch time: no fact
        group: list[Found] = []
        for c in conjoined_cues(cue, q, cues):
            if c.of and c is not cue and statement_type(c, cues, ctx) is None:
                continue
            fact = retype_fact(c.maps[q.kind], q, c, cues, ctx, f)
            if not fact:
                continue
            if starts and fact in STARTS_AFTER_TYPES:
                continue   # "sau 7 ngày bảo hành theo chính sách": when the warranty starts, no length of it
            if q.kind == "duration":
                fact = label_type(fact, c, cues, f, lo)
                if c.ctx and fact in REPAIR_TYPES and repairs(f[lo:hi]):
                    fact = REPAIR_AS   # "có lỗi ... trong vòng 12 tháng đầu, chịu chi phí sửa chữa" under a returns heading
            if (q.kind == "money" and not same_seg and not c.ctx and q.shape == "exact" and not q.order
                    and fact_config(fact).get("plain_elsewhere")):
                fact = fact_config(fact)["plain_elsewhere"]   # "Free ship nội thành, ngoại thành 25k": the other area's fee
            if q.shape == "lower" and fact_config(fact).get("bare") == "upper":
                continue   # a window has no minimum: "Phù hợp trẻ từ 18 tháng trở lên" under a returns lead-in, a
                           # shelf life "tối thiểu phải có thời gian là 1 năm trở lên" beside an exchange cue
            if not money_fact_kept(fact, q, c, conditions, free_said):
                continue
            if q.kind == "money" and fact_config(fact).get("always_lower") and ITEM_COUNT_RE.search(f, lo, q.start):
                continue   # "- 8 sản phẩm Vua Dược từ 80.000đ": a price per item, free shipping by item count
            if (q.kind == "money" and q.shape == "lower" and not fact_config(fact).get("always_lower")
                    and ITEM_VALUE_RE.search(f[max(lo, q.start - 40):q.start])):
                continue   # "If you are shipping an item over $75, ... shipping insurance": the item's value, no fee
            if q.kind == "money" and fact_config(fact).get("always_lower") and voucher(f, lo, hi):
                continue   # "Mã freeship cho đơn từ 150k": a voucher's condition, no policy threshold
            if q.kind == "money" and fact_config(fact).get("always_lower") and (
                    limited(f, lo, hi) or capped(q.seg, quantities, besides=q)):
                continue   # "... đến hết ngày 31/12", "cho thành viên"; "Freeship tối đa 25k cho đơn từ 99k": an offer
            if q.kind == "duration" and c.maps.get("money") == FREE_MAPS["money"] and limited(f, lo, hi):
                continue   # "Freeship trong 3 ngày 11/11 - 13/11": the offer's length, no delivery time
            if q.kind == "money" and fact_config(fact).get("return_trip_blocks") and trip_fee(f, lo, hi, q, cues):
                continue   # "Trừ phí vận chuyển 30.000đ khi hoàn tiền": a return trip's fee, no order's fee
            if fact not in {g[0] for g in group}:
                group.append((fact, q, c, *evidence(c, q, same_seg, quantities)))
        found += combined(group)
    return found, conditions


def limited(f: str, lo: int, hi: int) -> bool:
    """Whether the clause f[lo:hi] limits an offer ([promotions] limited_offers: a period, members, a first order, an app,
    the marketplace), a period given by two dates among them ("từ 1/11 - 15/11") or a month by its number ("trong tháng 12")."""
    return (LIMITED_OFFER.search(f[lo:hi]) is not None or ("/" in f[lo:hi] and DATE_SPAN_RE.search(f, lo, hi) is not None)
            or NAMED_MONTH_RE.search(f, lo, hi) is not None)


def capped(seg: int, quantities: list[Quantity], besides: Quantity | None = None) -> bool:
    """Whether an amount of segment `seg` (other than `besides`) is a cap ("Freeship tối đa 25k cho đơn từ
    99k": a subsidy up to 25k, as a voucher is; [promotions] in the lexicon)."""
    return any(r is not besides and r.kind == "money" and r.shape == "upper" and not r.order and r.seg == seg
               for r in quantities)


def trip_fee(f: str, lo: int, hi: int, q: Quantity, cues: list[CueMatch]) -> bool:
    """Whether a fee amount is a return or exchange trip's, or deducted from a refund: a deduction word or a
    return trip in its clause, or a return, exchange, refund or warranty cue of the text in its segment
    ("Khách hàng chịu phí ship 30k khi đổi hàng"; [money] deducted)."""
    if DEDUCTED.search(f[lo:hi]) or RETURN_TRIP.search(f[lo:hi]):
        return True
    return any(c.role == "cue" and not c.ctx and c.seg == q.seg and c.maps.get("duration") in RETURN_TYPES
               for c in cues)


def worked_sums(quantities: list[Quantity], f: str) -> set[int]:
    """The amounts of a worked sum ("Total Cost = $10 + $5 + $2 = $17"): joined to another amount by an
    operator, or by a dash to an amount of such a chain ("$30 - $17 = $13"). Ids of the quantities."""
    money = [q for q in quantities if q.kind == "money"]
    pairs = list(zip(money, money[1:]))
    out = {id(x) for a, b in pairs if OPERATOR_RE.fullmatch(f, a.end, b.start) for x in (a, b)}
    changed = bool(out)
    while changed:
        changed = False
        for a, b in pairs:
            if (id(a) in out) != (id(b) in out) and f[a.end:b.start].strip() in ("-", "–"):
                out |= {id(a), id(b)}
                changed = True
    return out


def mentioned(text: str, f: str, lo: int, hi: int, cue: CueMatch) -> bool:
    """Whether a free-shipping cue is talked about rather than offered: advice words in its clause
    ([promotions] mentions), the cue in quotation marks, the clause opening with "offer", a level named
    right after the cue ("the free shipping mark", [promotions] level_after), or a demonstrative right before
    it ("this free shipping offer": one stated elsewhere, [promotions] refer_before)."""
    if MENTION.search(f[lo:hi]) or MENTION_OPEN_RE.match(f, lo) or LEVEL_AFTER_RE.match(f, cue.end, hi):
        return True
    if REFER_BEFORE_RE.search(f, max(lo, cue.start - REFER_REACH), cue.start):
        return True
    return 0 < cue.start and cue.end < len(text) and text[cue.start - 1] in QUOTES and text[cue.end] in QUOTES


def voucher(f: str, lo: int, hi: int) -> bool:
    """Whether the clause f[lo:hi] names a voucher or a code ([promotions] voucher_words), not after a
    negator ("no code needed")."""
    return any(not NEGATED_RE.search(f, max(lo, lo + m.start() - NEGATOR_REACH), lo + m.start())
               for m in VOUCHER.finditer(f[lo:hi]))


def repairs(clause: str) -> bool:
    """Whether a clause offers a repair and no refund or return ([remedies] repair)."""
    return REPAIR.search(clause) is not None and REFUND_REMEDY.search(clause) is None


RETURN_TYPES = {"return_window", "exchange_window", "refund_time", "warranty_period"}


def is_promotion(text: str, f: str, lo: int, hi: int, cue: CueMatch, quantities: list[Quantity],
                 cues: list[CueMatch] = ()) -> bool:
    """Whether a free-shipping cue that read no amount states something else than "free on every order":
    a promotion word in the clause ("nhập mã FREESHIP", "tặng voucher freeship", "tạo combo miễn phí
    ship"); a call to buy in it or in the clause after it (a banner: "FREE SHIPPING - BUY NOW"); a condition
    it names but cannot read ("hầu hết đơn hàng", "qualifying orders"); a clause
    that leads in a list (ends in ":") or leaves its condition to the next line ("... khi mua") or to a footnote
    ("Freeship toàn quốc*"); a table cell of the cue alone (a column header); the clause
    being the cue alone or a title ("FREESHIP", "Chính Sách Vận Chuyển Miễn Phí"), not a sentence ("Miễn phí
    giao hàng." ends in a period);
    a condition it cannot read in a clause with no amount ("từ 03 bình trở lên", "Orders over ₹999");
    or free shipping of a return ("miễn phí vận chuyển hai chiều", a return cue in its segment)."""
    if PROMO.search(text[lo:hi]) or RETURN_TRIP.search(text[lo:hi]) or UNREAD_CONDITION.search(text[lo:hi]):
        return True
    after = HARD_RE.search(f, hi + 1) if hi < len(f) else None
    if CALL_TO_ACTION.search(text[lo:after.start() if after else len(f)]):
        return True   # a banner (the call in its clause or the next): "FREE SHIPPING - BUY NOW", "Free shipping. Shop now!"
    if limited(f, lo, hi) or mentioned(text, f, lo, hi, cue):
        return True   # "Miễn phí vận chuyển cho đơn hàng đầu tiên"; '"Free shipping" is a powerful marketing tool'
    if DENIED_BEFORE_RE.search(f, max(lo, cue.start - 30), cue.start) or DENIED_AFTER_RE.match(f, cue.end, hi):
        return True   # refused: "Shop không hỗ trợ miễn phí vận chuyển", "Free shipping is not available for ..."
    if capped(cue.seg, quantities):
        return True   # "Freeship tối đa 25k cho đơn từ 99k": a subsidy up to a cap
    if f[lo:hi].rstrip().endswith(HEADING_MARK) or DANGLING_RE.search(f, max(lo, hi - 20), hi):
        return True   # a lead-in ("PetShop áp dụng các hình thức vận chuyển miễn phí như sau:"): its list says
    if lo < hi < len(f) and f.startswith(FOOTNOTE_MARKS, hi) and not f[hi - 1].isspace():
        return True   # "Freeship toàn quốc*": its condition is in the footnote
    if "\t" in f[lo:hi]:   # a table row: the cue's cell alone is a column header ("Khu vực <tab> Miễn phí vận chuyển")
        a = max(lo, f.rfind("\t", lo, cue.start) + 1)
        b = f.find("\t", cue.end, hi)
        b = hi if b < 0 else b
        if TITLE_RE.fullmatch(f, a, cue.start) and TITLE_RE.fullmatch(f, cue.end, b):
            return True
    if (cue.group != FREE_VALUE and TITLE_RE.fullmatch(f, lo, cue.start) and TITLE_RE.fullmatch(f, cue.end, hi)
            and not f.startswith(".", hi)):   # a title; "Miễn phí giao hàng." is a sentence, a statement
        return True
    if any(c.role == "cue" and c.seg == cue.seg and c.maps.get("duration") in RETURN_TYPES
           and not second_offer(f, cue, c, quantities) for c in cues):
        return True   # free shipping of a return ("Miễn phí vận chuyển đổi trả")
    if any(foreign_currency(f, m.start(), m.end()) for m in NUMBER_RE.finditer(f, lo, hi)):
        return True   # "minimum order amount of PHP 299.00, standard shipping is absolutely FREE"
    if ITEM_COUNT_RE.search(f, lo, hi):
        return True   # "Miễn phí vận chuyển khi mua 3 sản phẩm từ 50k": free shipping by item count
    return not any(q.kind == "money" for q in quantities) and bool(COUNT_RE.search(f, lo, hi))


def second_offer(f: str, free: CueMatch, c: CueMatch, quantities: list[Quantity]) -> bool:
    """Whether the return cue `c` after the free-shipping cue `free` names a second offer, not the return's shipping:
    joined by a conjunction with "free" said again ("Free shipping and free returns"), or by a conjunction alone with no
    period in the clause ("Miễn phí vận chuyển và đổi trả cho mọi đơn hàng"; "Free shipping and returns within 30 days"
    may be the return's shipping, left so)."""
    m = ALSO_FREE_RE.fullmatch(f, free.end, c.start) if c.start >= free.end else None
    return m is not None and (m["again"] is not None or not any(q.kind == "duration" for q in quantities))


def free_shipping_alone(found: list[Found], conditions, cues: list[CueMatch], text: str, f: str,
                        lo: int, hi: int, quantities: list[Quantity], condition: Quantity | None = None) -> None:
    """"Miễn phí vận chuyển toàn quốc": a free-shipping cue that read no amount is free shipping with no
    threshold (0 VND), once a clause, in a policy statement (not a promotion). Under an order condition on the
    line above (a flattened table row: "Đơn hàng từ 300.000VNĐ trở lên" / "Phí giao hàng: Miễn phí") its
    threshold is that condition (none when the condition is no threshold: "Đơn hàng dưới 300.000VNĐ")."""
    read = {id(c) for fact, q, c, _, _ in found   # (a fee read elsewhere leaves it unread: "Free shipping in Hanoi, $5 elsewhere")
            if q.kind == "money" and not (c.maps.get("money") and fact == fact_config(c.maps["money"]).get("plain_elsewhere"))
            } | {id(c) for c, _ in conditions}
    for c in cues:
        fact = c.maps.get("money") if c.role == "cue" and not c.ctx else None
        if fact and fact_config(fact).get("zero_when_alone") and id(c) not in read:
            if any(id(x) in read and x.maps.get("money") == fact and x.end <= c.start and labels(x, f, c.start)
                   for x in cues):
                break   # a label's terms restate it: "Chính sách freeship: đơn từ 500k được freeship"
            if is_promotion(text, f, lo, hi, c, quantities, cues):
                break
            if condition is None:
                found.append((fact, None, c, c.start, c.end))
            elif money_fact_kept(fact, condition, c, []):   # its value from the line above, its evidence the cue
                found.append((fact, replace(condition, start=c.start, end=c.end), c, c.start, c.end))
            break


def labels(x: CueMatch, f: str, before: int) -> bool:
    """Whether cue `x` is a label: a ":" follows it before `before`, with title words at most between
    ("Chính sách freeship:", "Free shipping policy:")."""
    colon = f.find(HEADING_MARK, x.end, before)
    return x.heads or (colon >= 0 and TITLE_RE.fullmatch(f, x.end, colon) is not None)


def tier(quantities: list[Quantity], cues: list[CueMatch], f: str, lo: int, hi: int) -> Quantity | None:
    """The order condition a clause is made of, alone ("Đơn hàng từ 300.000VNĐ trở lên", "Từ 3.000.000đ",
    "Từ 2.000.000đ - 3.000.000đ"): one amount with a bound word or an order word, no other cue, nothing else
    but bullets and punctuation. It is the row label of a flattened table, an order condition whatever types
    it: its term is the heading above it or the line below it. (Bounds read.)"""
    if len(quantities) != 1 or any(c.role != "order" for c in cues):
        return None
    q = quantities[0]
    if q.kind != "money" or q.per_unit or not (q.led or q.order or q.shape in ("lower", "upper")):
        return None
    return q if _made_of([q, *cues], f, lo, hi) else None


def _made_of(spans, f: str, lo: int, hi: int) -> bool:
    """Whether f[lo:hi] holds nothing but these matches (their start, end) and `_fill`."""
    pos = lo
    for s, e in sorted((m.start, m.end) for m in spans):
        if pos < s and not _fill(f, pos, s):
            return False
        pos = max(pos, e)
    return pos >= hi or _fill(f, pos, hi)


def _fill(f: str, a: int, b: int) -> bool:
    """Whether f[a:b] holds no letter and no digit: what may stand around a tier's amount and order word (spaces,
    punctuation, bullets and icon bullets: "✅ Đơn hàng từ 300.000VNĐ trở lên" is a row label as it is without the icon)."""
    return not any(ch.isalnum() for ch in f[a:b])


def value_line(text: str) -> bool:
    """Whether a line is one quantity alone, with no cue ("30 ngày", "6 tháng"): a value waiting for its label."""
    f = fold(text)
    quantities = find_quantities(f, 0, len(f), text)
    if len(quantities) != 1 or quantities[0].kind == "bare" or find_cues(text, f, 0, len(f), quantities):
        return False
    return _made_of(quantities, f, 0, len(f))


def condition_line(text: str) -> Quantity | None:
    """The order condition a line is made of alone (`tier`), else None."""
    f = fold(text)
    quantities = find_quantities(f, 0, len(f), text)
    if len(quantities) != 1 or quantities[0].kind != "money":
        return None
    cues = find_cues(text, f, 0, len(f), quantities)
    read_all_bounds(quantities, cues, f, 0, len(f))
    mark_order_conditions(quantities, cues)
    q = tier(quantities, cues, f, 0, len(f))
    if q is not None:
        q.order = True
    return q


def same_day_alone(found: list[Found], cues: list[CueMatch]) -> None:
    """"Same-day delivery" with no number: an express delivery within 24 hours (the cue's `alone`)."""
    read = {id(c) for _, q, c, _, _ in found if q is not None and q.kind == "duration"}
    for i, c in enumerate(cues):
        if c.role == "cue" and c.alone and not c.ctx and id(c) not in read:
            if any(p.of and p.seg == c.seg for p in cues[:i]):
                break   # "Orders placed before 12 PM are processed the same day": dispatch, no delivery
            value, unit = c.alone
            q = Quantity("duration", float(value), float(value), unit, c.start, c.end, "upper", fixed=True)
            found.append((c.maps["duration"], q, c, c.start, c.end))
            break


def restatements(quantities: list[Quantity], f: str, cues: list[CueMatch] = ()) -> list[Quantity]:
    """"Bảo hành 36 tháng (3 năm)", "24-36 tháng (tối thiểu 24 tháng)": a quantity alone in brackets
    after another of its kind, with no cue between, restates it; it is dropped. So is a duration after "hoặc"/"or" as long as
    the one before it ("Trong ngày hoặc 24h": one fact, null/24 hour)."""
    out = []
    for i, q in enumerate(quantities):
        alone = f[:q.start].rstrip().endswith("(") and f[q.end:].lstrip().startswith(")")
        if alone and any(p.kind == q.kind and not any(c.role == "cue" and p.end <= c.start and c.end <= q.start for c in cues)
                         for p in quantities[:i]):
            continue   # not with a cue between: "express shipping (1-2 days) and standard shipping (3-5 days)" are two
        p = quantities[i - 1] if i else None
        if (p is not None and p.kind == q.kind == "duration" and p.end <= q.start
                and RESTATE_RE.fullmatch(f, p.end, q.start)
                and p.hi * HOURS.get(p.unit, 1.0) == q.hi * HOURS.get(q.unit, 1.0)):
            continue
        out.append(q)
    return out


def matches(found: list[Found], conditions, f: str, lo: int, hi: int, soft: list[int]) -> list[FactMatch]:
    """The facts with their values, units and qualifiers; facts with no value or no known unit are dropped."""
    out = []
    for (fact, q, cue, start, end), labels in zip(found, assign_qualifiers(f, lo, hi, found, conditions, soft)):
        vmin, vmax, unit = fact_values(fact, q) if q else (0.0, None, "VND")
        allowed = fact_config(fact).get("units")
        if allowed is not None and unit not in allowed:
            continue   # a warranty in business days is a repair time
        if unit in UNITS and (vmin is not None or vmax is not None) and start < end:
            out.append(FactMatch(fact, vmin, vmax, unit, "; ".join(labels) or None, start, end))
    return out


def clause_facts(text: str, f: str, lo: int, hi: int, ctx: BlockContext | None = None) -> list[FactMatch]:
    """The facts of one clause f[lo:hi] (f = fold(text)); `ctx` is what the block's context and earlier
    clauses say (it gains this clause's statement cues)."""
    ctx = ctx if ctx is not None else BlockContext()
    quantities = find_quantities(f, lo, hi, text)
    cues = mark_joins(frees_other(f, free_values(f, lo, hi, find_cues(text, f, lo, hi, quantities), quantities)), f)
    shipping_before, ctx.shipping_before = ctx.shipping_before, names_shipping(cues, f)   # the clause before's; this one's
    if NOT_OFFERED.search(text[lo:hi]):   # "Express Delivery: 3-5 business days (Coming Soon)": not offered yet
        ctx.prior += [c.maps["duration"] for c in cues if is_statement_cue(c)]
        return []
    quantities = outside_cues(quantities, cues)
    if not quantities and not cues:
        return []
    read_all_bounds(quantities, cues, f, lo, hi)
    subsidy_caps(quantities, cues, f)
    quantities = restatements([q for q in quantities if not is_clock(q, f)], f, cues)
    sums = worked_sums(quantities, f) if len(quantities) > 1 else ()
    example = EXAMPLE.search(f[lo:hi]) if quantities else None
    if sums or example:   # a worked sum is arithmetic; an example runs to the clause's end: no facts
        cut = lo + example.start() if example else hi
        quantities = [q for q in quantities if id(q) not in sums and q.start < cut]
    soft = soft_breaks(quantities, f, lo, hi)
    assign_segments((*quantities, *cues), soft)
    mark_order_conditions(quantities, cues)
    row_label = tier(quantities, cues, f, lo, hi)
    if row_label is not None:
        row_label.order = True   # "Từ 2.000.000đ - 3.000.000đ" under "Ship xe bến ngoài Hapu": a tier, no fee
    virtual = [replace(c, start=lo, end=lo, seg=-1, heads=True, ctx=True, bound=set()) for c in ctx.cues]
    if virtual:
        virtual = free_context(f, lo, hi, virtual, cues, quantities)
    cues = free_after_amount(f, lo, hi, cues, quantities, virtual, shipping_before)
    free_said = bool(virtual) and FREE_WORD_RE.search(f, lo, hi) is not None
    found, conditions = bind(quantities, virtual + cues, f, soft, lo, ctx, free_said, hi)
    if any(x[0] in SENT_TYPES for x in found) and REPLACEMENT_SENT.search(f, lo, hi):   # "Sản phẩm mới sẽ được gửi đến ... trong vòng 5-7 ngày"
        found = [x for x in found if x[0] not in SENT_TYPES]   # the replacement's transit (RULES.md): no term
    free_shipping_alone(found, conditions, cues, text, f, lo, hi, quantities, ctx.condition)
    same_day_alone(found, cues)
    ctx.prior += [c.maps["duration"] for c in cues if is_statement_cue(c)]
    return matches(found, conditions, f, lo, hi, soft)
