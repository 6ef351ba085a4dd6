"""Cue phrases of a clause with their roles, and the cue each quantity binds to.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
import bisect

from .grammar import (
    CONJ_RE, OBJECT_CONJ_RE, COUNTED_FROM_RE, CUE_RE, CUE_ROLES, FREE_AFTER_GAP, FREE_BEFORE_GAP, FREE_MAPS, FREE_NOT_AFTER_RE, FREE_SUBJECT_KEYS, FREE_SUBJECTS,
    FREE_WORD_RE, FREED_RE, FREE_AFTER_AMOUNT_GAP, FREE_BEFORE_TIER_GAP, FREE_ENDS_RE, FREE_TIER_LEAD_RE, HEADING, HEADING_MARK, NEGATOR_RE, OBJECT_LINK_RE, SEG_LEAD_RE, SOFT_RE, STRICT, phrase_key, find_phrases,
)
from .quantities import Quantity


@dataclass(slots=True)
class CueMatch:
    role: str                  # "cue" | "neg" | "order" | "anchor"
    maps: dict                 # cue: quantity kind -> fact type; neg: the kinds it blocks
    start: int
    end: int
    weak: bool = False
    prefix_blocks: bool = False
    retype: dict = field(default_factory=dict)
    seg: int = 0
    heads: bool = False        # followed by a colon: it heads the list after it
    bound: set = field(default_factory=set)   # quantity kinds read for this cue so far
    of: tuple = ()             # a processing verb: the statement types it gives its fact in
    alone: tuple = ()          # (value, unit) given when it reads no duration ("same-day")
    beyond: tuple = ()         # (hours, fact type, units) for a longer duration written in those units
    replacement_only: str = ""
    with_cues: tuple = ()      # (cue group, fact type): its fact when a cue of that group is in its clause
    ctx: bool = False          # from the block's heading or lead-in line, not from its text
    group: str = ""            # the lexicon group of a cue ("shipping fee")
    bound_word: str = ""       # "lower": the cue ends in a bound word for the quantity right after it
    before_only: bool = False  # a negative that blocks only a quantity after it
    over_object: frozenset = frozenset()   # a negative's prefix reaches these cues across an object and a conjunction
    joined: bool = False       # joined to the cue before it in its text by a conjunction (`mark_joins`)

    def takes(self, kind: str) -> bool:
        return self.role in ("cue", "neg") and kind in self.maps


def overlaps(items, s: int, e: int) -> list:
    """Items (sorted, non-overlapping, with .start/.end) that overlap [s, e)."""
    i = bisect.bisect_left(items, e, key=lambda x: x.start)
    out = []
    while i > 0 and items[i - 1].end > s:
        i -= 1
        out.append(items[i])
    return out


def find_cues(text: str, f: str, lo: int, hi: int, cores: list[Quantity]) -> list[CueMatch]:
    out: list[CueMatch] = []
    object_end = None   # end of the last product word read as what a warranty covers
    for s, e, phrase in find_phrases(CUE_RE, f, lo, hi):
        key = phrase_key(phrase)
        role = CUE_ROLES[key]
        if key in STRICT and text[s:e].lower() not in STRICT[key]:
            continue   # "đối với" / "đôi" are not "đổi"
        if role.kind != "anchor" and any(not (s <= q.start and q.end <= e) for q in overlaps(cores, s, e)):
            continue   # a cue cut by a number is a misreading ("3 ngày làm việc từ" ≠ "làm việc từ")
        prev = out[-1] if out else None
        right_after = prev is not None and not f[prev.end:s].strip()
        if role.kind == "neutral":
            continue   # it only hides the cue words inside it ("thay đổi" is no exchange)
        if role.kind == "neg" and role.object_after_cue and (
                (right_after and prev.role == "cue") or OBJECT_LINK_RE.search(f, max(lo, s - 12), s)
                or (object_end is not None and CONJ_RE.fullmatch(f, object_end, s))):
            object_end = e   # "bảo hành pin 12 tháng", "1 tháng cho pin và sạc": what the warranty covers
            continue
        cue = CueMatch(role.kind, dict(role.maps), s, e, weak=role.weak, prefix_blocks=role.prefix_blocks,
                       retype=dict(role.retype), of=role.of, alone=role.alone, beyond=role.beyond,
                       replacement_only=role.replacement_only, with_cues=role.with_cues, group=role.name,
                       bound_word=role.bound, before_only=role.before_only, over_object=role.over_object)
        if role.kind == "cue":
            if NEGATOR_RE.search(f, max(0, s - 12), s):   # "không đổi trả", "non-returnable"
                cue = CueMatch("neg", dict.fromkeys(("money", "duration")), s, e)
            elif (prev is not None and prev.prefix_blocks
                  and (right_after or (key in prev.over_object and OBJECT_CONJ_RE.fullmatch(f, prev.end, s)))
                  and ("money" in prev.maps or set(dict(role.maps)) <= set(prev.maps))):
                # "giảm giá cước vận chuyển 20K": a discount; "additional delivery time": time on top
                cue = CueMatch("neg", dict(prev.maps), s, e)
        cue.heads = f.startswith(HEADING, e) or f.startswith(" " + HEADING, e)
        out.append(cue)
    return out


def mark_joins(cues: list[CueMatch], f: str) -> list[CueMatch]:
    """Marks each cue joined to the one before it by a conjunction alone ("Đổi trả & hoàn tiền"), in the
    folded text `f` they were found in: a clause's or a context line's (whose copies the clauses read)."""
    for prev, c in zip(cues, cues[1:]):
        c.joined = CONJ_RE.fullmatch(f, prev.end, c.start) is not None
    return cues


FREE_LEAD = " -–+>#\t0123456789.)"   # what may stand before a free word opening its clause (bullets, numbers)
FREE_VALUE = "free value"   # the group of a cue made by `free_values`: a statement by its form


def free_values(f: str, lo: int, hi: int, cues: list[CueMatch], quantities: list[Quantity]) -> list[CueMatch]:
    """"Shipping within Vietnam is free", "Phí giao hàng: Miễn phí", "miễn phí dịch vụ ship": a free word
    near a shipping cue (lexicon [free_values]) makes the pair one free-shipping cue, spanning both unless
    an order amount stands between (then the free word alone, so the amount stays a quantity)."""
    words = [m for m in FREE_WORD_RE.finditer(f, lo, hi)
             if not overlaps(cues, m.start(), m.end()) and not FREE_NOT_AFTER_RE.search(f, max(lo, m.start() - 12), m.start())]
    if not words:
        return cues
    out = list(cues)
    for w in words:
        best = None
        for c in out:
            if c.role != "cue" or not (c.group in FREE_SUBJECTS or phrase_key(f[c.start:c.end]) in FREE_SUBJECT_KEYS):
                continue
            a, b = (c.end, w.start()) if c.end <= w.start() else (w.end(), c.start)
            gap = FREE_AFTER_GAP if c.end <= w.start() else FREE_BEFORE_GAP
            if not 0 <= b - a <= gap or SOFT_RE.search(f, a, b) or "\t" in f[a:b]:   # nor across table cells
                continue
            between = [q for q in quantities if a <= q.start and q.end <= b]
            if any(d is not c and d.role != "order" and a < d.end and d.start < b for d in out) or any(
                    q.kind != "money" for q in between):
                continue
            best = (c, between)
            break
        if best is None:
            continue
        c, between = best
        s, e = (w.start(), w.end()) if between else (min(c.start, w.start()), max(c.end, w.end()))
        out[out.index(c)] = CueMatch("cue", dict(FREE_MAPS), s, e, heads=c.heads, group=FREE_VALUE)
    out.sort(key=lambda c: c.start)
    return out


def frees_other(f: str, cues: list[CueMatch]) -> list[CueMatch]:
    """The cues without the free-shipping cues whose free word frees something else, written right after it ([free_values]
    frees): "vận chuyển miễn phí lắp đặt", "Giao hàng tận nơi miễn phí tư vấn", "Shipping Costs …: Free Calculator"."""
    return [c for c in cues if not (c.role == "cue" and c.maps.get("money") == FREE_MAPS["money"] and any(
        FREED_RE.match(f, w.end()) for w in FREE_WORD_RE.finditer(f, c.start, c.end)))]


def free_context(f: str, lo: int, hi: int, virtual: list[CueMatch], cues: list[CueMatch],
                 quantities: list[Quantity]) -> list[CueMatch]:
    """"Miễn phí với đơn hàng từ 5.000.000 VNĐ." under "Phí giao hàng": a clause opening with a free word
    (a bullet or label before it at most) before its first amount says its context's shipping cue is free:
    the innermost such context cue becomes a free-shipping cue (its amounts thresholds, not fees)."""
    w = FREE_WORD_RE.search(f, lo, hi)
    first = next((q.start for q in quantities if q.kind == "money"), None)
    if (w is None or first is None or w.start() > first or f[lo:w.start()].strip(FREE_LEAD)
            or overlaps(cues, w.start(), w.end())   # "Miễn phí đổi trả ...": a cue of its own
            or FREE_NOT_AFTER_RE.search(f, max(lo, w.start() - 12), w.start())):
        return virtual
    for i in range(len(virtual) - 1, -1, -1):
        c = virtual[i]
        if c.role == "cue" and c.group in FREE_SUBJECTS:
            return [*virtual[:i], replace(c, maps=dict(FREE_MAPS), group=FREE_VALUE), *virtual[i + 1:]]
    return virtual


def free_after_amount(f: str, lo: int, hi: int, cues: list[CueMatch], quantities: list[Quantity],
                      virtual: list[CueMatch], shipping_before: bool = False) -> list[CueMatch]:
    """"Phí ship 30k, đơn từ 500k miễn phí", "Đơn từ 500k: miễn phí" under "Phí vận chuyển": a free word right
    after an order amount with a lower bound (a tier said free), in a clause or under a context that names the
    shipping, makes the free word a free-shipping cue of the amount's segment: the amount is the threshold,
    not a fee (as "Phí ship đơn trên 500K: miễn phí", docs/policy-facts.md "Free with words between"); only when
    the free word ends its phrase ("đơn từ 500k miễn phí lắp đặt" frees the installation). So does a free word right before
    the order condition (an order word and its amount, `FREE_BEFORE_TIER_GAP` characters at most, no cue between)
    after a fee: "Shipping fee 30.000 VNĐ for orders under 500.000 VNĐ, free for orders from 500.000 VNĐ", or
    before an amount its bound word leads ("Shipping: $5 flat rate, free over $50"). With no shipping named in the
    clause or its context, an elliptical free statement takes its subject from the clause before when that one
    names the shipping (`shipping_before`, `names_shipping`): "Phí vận chuyển: 30.000đ. Miễn phí với đơn hàng từ 500.000đ."."""
    money = [q for q in quantities if q.kind == "money" and q.shape == "lower"]
    if not money:
        return cues
    out = list(cues)
    for w in FREE_WORD_RE.finditer(f, lo, hi):
        if overlaps(out, w.start(), w.end()) or NEGATOR_RE.search(f, max(lo, w.start() - 12), w.start()) or (
                FREE_NOT_AFTER_RE.search(f, max(lo, w.start() - 12), w.start())):
            continue   # part of a cue already ("miễn phí vận chuyển", "Phí giao hàng: Miễn phí"), or negated
        q = next((q for q in money if q.end <= w.start() and FREE_AFTER_AMOUNT_GAP.fullmatch(f, q.end, w.start())
                  and FREE_ENDS_RE.match(f[w.end():hi])), None)
        if q is None:   # ... or right before the order condition it frees: "free for orders from 500.000 VNĐ"
            q = next((q for q in money if (q.order or q.led) and 0 <= q.start - w.end() <= FREE_BEFORE_TIER_GAP
                      and FREE_TIER_LEAD_RE.fullmatch(f, w.end(), q.start)), None)
        if q is None or any(c.role in ("cue", "neg") and c.start >= min(q.end, w.end()) and c.end <= max(q.start, w.start())
                            for c in out):
            continue
        named = [c for c in [*virtual, *out] if c.role == "cue" and c.end <= min(q.start, w.start())
                 and (c.group in FREE_SUBJECTS or c.group == FREE_VALUE
                      or (not c.ctx and phrase_key(f[c.start:c.end]) in FREE_SUBJECT_KEYS))]
        if not named and not shipping_before:
            continue
        out.append(CueMatch("cue", dict(FREE_MAPS), w.start(), w.end(), seg=q.seg, group=FREE_VALUE))
    out.sort(key=lambda c: c.start)
    return out


def names_shipping(cues: list[CueMatch], f: str) -> bool:
    """Whether a clause leaves the shipping as the subject of an elliptical free statement after it: its last cue
    (of its own text, in the folded text `f`) names a fee, free shipping or the delivery as a free statement's
    subject ([free_values] subject_phrases) ("Phí vận chuyển: 30.000đ." before "Miễn phí với đơn hàng từ 500.000đ.",
    "Domestic shipping: $5 flat rate." before "Free over $50.", "Giao hàng toàn quốc." before "Miễn phí với đơn từ
    500k.")."""
    last = next((c for c in reversed(cues) if c.role in ("cue", "neg") and not c.ctx), None)
    return last is not None and last.role == "cue" and (
        last.group in FREE_SUBJECTS or last.maps.get("money") == FREE_MAPS["money"]
        or phrase_key(f[last.start:last.end]) in FREE_SUBJECT_KEYS)


def _counted_from(f: str, a: int, b: int) -> bool:
    """A "kể từ" / "since" between a quantity and a later cue: the cue says what the period is counted
    from ("trong vòng 3–5 ngày kể từ khi yêu cầu đổi trả được xác nhận"), not what it is; a colon after the "kể từ" ends
    it, the cue after the colon is the term ("Trong vòng 24 giờ kể từ khi nhận hàng: Đổi trả miễn phí")."""
    m = COUNTED_FROM_RE.search(f, a, b) if a < b else None
    return m is not None and HEADING_MARK not in f[m.end():b]


def nearest_cue(q: Quantity, cues: list[CueMatch], quantities: list[Quantity], f: str,
                 soft: list[int], lo: int) -> tuple[CueMatch | None, bool]:
    """(cue, in the same segment?) for a quantity of the clause, or (None, False)."""
    real = [c for c in cues if not c.ctx]
    same = [c for c in real if c.seg == q.seg]
    usable = [c for c in same if c.takes(q.kind)]
    if any(not c.weak for c in usable):   # "phản hồi và xử lý trong 48 giờ" is no handling time
        usable = [c for c in usable if not c.weak]
    before = [c for c in usable if c.start <= q.start]
    after = []
    for c in usable:
        if c.start < q.end or c.before_only or _counted_from(f, q.end, c.start):
            continue
        # A cue after the quantity ("30-day returns") unless it leads a quantity of its own
        # ("đổi trả 7 ngày bảo hành 12 tháng"); an order condition may precede its fee cue.
        nxt = min((d.start for d in same if d.start >= c.end), default=len(f))
        if q.order or not any(c.end <= r.start < nxt and r.seg == q.seg and c.takes(r.kind) for r in quantities):
            after.append(c)
    if before and after:
        # The nearer one, a tie going to the cue before; a bound word looks back ("đổi trả ...
        # trong vòng 3 ngày nhận hàng").
        b, a = before[-1], after[0]
        if a.role == "neg" and not f[q.end:a.start].strip():
            return a, True   # "ít nhất 2 ngày làm việc trước ngày thực hiện": a negative right after wins
        return (b if q.led or q.start - b.end <= a.start - q.end else a), True
    if before or after:
        return (before[-1] if before else after[0]), True
    # Nothing in the segment: a cue of an earlier segment continues into this one when it already
    # had a quantity of this kind (", ngoại thành 30K") or heads a list ("Phí ship: Hà Nội, HCM: 20K"),
    # or when the quantity opens the segment (", 12 tháng cho phụ kiện") or has a bound word
    # (", trong vòng 48h").
    earlier = [c for c in real if c.seg < q.seg and c.takes(q.kind)]
    used = [c for c in earlier if q.kind in c.bound and c.seg == earlier[-1].seg]
    if used:
        return used[-1], False
    earlier = [c for c in earlier if not c.weak] or earlier
    seg_start = soft[q.seg - 1] + 1 if q.seg else lo
    if earlier and (q.led or earlier[-1].heads or SEG_LEAD_RE.fullmatch(f, seg_start, q.start)):
        return earlier[-1], False
    if not earlier and (q.led or q.order or SEG_LEAD_RE.fullmatch(f, lo, q.start)):
        later = _first_cue_after(q, real, quantities, f)
        if later is not None:
            return later, False
    # No cue of its kind in the clause: the block's heading or lead-in line types it
    # ("Thời gian giao hàng:" over "Nội thành: 1-2 ngày").
    if not any(c.takes(q.kind) and not (c.before_only and c.start >= q.end) for c in real):
        ctx = [c for c in cues if c.ctx and c.takes(q.kind)]
        if ctx:
            return ctx[-1], False
    return None, False


def _first_cue_after(q: Quantity, real: list[CueMatch], quantities: list[Quantity], f: str) -> CueMatch | None:
    """A quantity that opens its clause, has a bound word or is an order amount, with no cue before it,
    takes the first cue of a later segment: "Trong vòng 3 ngày kể từ khi nhận hàng, ... hỗ trợ đổi
    trả", "orders over 400K (...) are shipped free". Not past another quantity of its kind; a negative
    right before a cue ("hỗ trợ đổi trả") is that cue's verb."""
    for i, c in enumerate(real):
        if c.start < q.end or c.seg <= q.seg or not c.takes(q.kind) or c.before_only:
            continue
        if any(q.end <= r.start < c.start and r.kind == q.kind for r in quantities):
            return None
        if c.role == "neg":
            nxt = real[i + 1] if i + 1 < len(real) else None
            if nxt is not None and nxt.role == "cue" and not f[c.end:nxt.start].strip():
                continue
            return None
        if c.weak:
            continue
        return c
    return None
