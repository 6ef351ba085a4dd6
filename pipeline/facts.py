"""Stage 5: normalized policy facts (shipping, delivery, returns, warranty) from policy-zone text.

`extract_facts(text)` is a pure function: it reads one NFC text and returns `FactMatch`es sorted by
start, each with `text[start:end]` as evidence. Cue words and patterns are data in
`lexicon/facts.toml` (Vietnamese and English side by side); this module applies them, compiled once.

Grammar, matched on `fold(text)` (lowercase, no diacritics, same length, so offsets carry over):

* quantity = [bound] atom [range-separator atom] [bound-after]
    atom   = [currency] number [multiplier [digits]] [currency]    money: 500K, 1tr5, 500.000đ, $4.99
           | number [-] unit                                        duration: 24h, 30-day, 3 ngày làm việc
  A bare number before a range separator borrows the multiplier of the one after ("20-30k"). "." or
  "," followed by exactly three digits groups thousands ("500.000"), otherwise it is a decimal mark
  ("1,5 triệu", "$4.99"). Hours written on both ends from dawn on ("8h-22h"), clock times ("trước
  17h") and dates ("ngày 12 tháng 12") are not durations; "1-1" (one-for-one) is not a range.
* bound = upper ("trong vòng", "within", "tối đa") or lower ("từ", "over", "at least", "trở lên");
  an opener of a range ("từ 2 đến 4 tuần") is part of the range.
* clause = text between hard breaks (sentence ends, newlines, bullets); clauses are independent. A
  clause is cut into segments at soft breaks (commas, semicolons, brackets, spaced dashes).
* cue = a lexicon phrase with a role, longest match first: a fact cue says which fact an amount or a
  duration becomes ("phí ship" -> shipping_fee; "giao hàng" -> delivery_time); a negative cue (price,
  discount, battery, shelf life, tax, opening hours) blocks; an order word ("đơn hàng", "orders") makes
  the amount after it a condition; an anchor ("kể từ ngày nhận hàng", "of delivery") hides the cue
  words inside it. A cue after "không"/"no" is negative; one right after a discount word is a discount.
* binding: a quantity takes the nearest usable cue of its segment, a tie going to the cue before it;
  a cue after it counts only if it leads no quantity of its own ("30-day returns", but not the
  "bảo hành" of "đổi trả 7 ngày bảo hành 12 tháng"), and a bound word makes it look back ("đổi trả
  nếu lỗi trong vòng 3 ngày nhận hàng"). Weak cues (handling verbs) count only when no other cue is in
  the segment. With no cue in its segment a quantity may continue an earlier segment's cue: when that
  cue already read one ("nội thành 20K, ngoại thành 30K"), heads a list ("Thời gian giao hàng: HN: 1-2
  ngày"), or the quantity opens its segment or has a bound word. Cues joined by a conjunction share
  the quantity ("Đổi trả và bảo hành trong 3 ngày"). A negative cue as the winner means no fact.
* fact: an order amount is a free-shipping threshold (or a qualifier of a fee: "orders under 300,000
  VND"); an anchor right after a period may retype it (a refund period counted from delivery is the
  return window; a "return" counted from the order date is a delivery), and a delivery within a few
  hours is express. A free-shipping cue that read no amount gives 0 VND.
* values: a range gives min and max, an upper bound max only, a lower bound min only; a bare number
  follows its fact type (windows are upper bounds, thresholds lower bounds, the rest exact). Minutes
  are reported in hours.
* qualifier: lexicon phrases of the clause, each given to the nearest fact (own segment first; after
  "đối với"/"for" to the fact before it), labels joined by "; ".

Why character regexes over the folded text rather than spaCy's Matcher/PhraseMatcher/SpanRuler: the
quantities that carry the facts do not come out as tokens we could pattern over: spaCy keeps "1tr5",
"500.000đ", "24h", "30k" and "30-day" whole but splits "2-3", so number, multiplier and unit would
have to be re-split inside tokens anyway; its Vietnamese tokenizer needs pyvi (a word segmenter) on
top; and diacritic-free, mis-toned or capitalised Vietnamese would need a custom NORM per token,
where `fold` gives one same-length string whose regex offsets are offsets in the original. Cue
phrases are compiled into one trie-shaped regex, so a block costs a few regex passes: far faster
than building a spaCy Doc per block on millions of blocks.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.contract.kinds import UNITS
from pipeline.lexicon import load
from pipeline.text.fold import fold
from pipeline.text.phrases import WORD_END, WORD_START, alternation, trie


@dataclass(frozen=True, slots=True)
class FactMatch:
    fact_type: str
    value_min: float | None
    value_max: float | None
    unit: str            # VND, USD, hour, day, business_day, week, month, year
    qualifier: str | None
    start: int           # offsets into the `text` argument; text[start:end] is the evidence
    end: int


# --------------------------------------------------------------------------------------------
# Compiling the lexicon (once, at import).
# --------------------------------------------------------------------------------------------
_LEX = load("facts")
_B = WORD_START   # word start on folded text (folded Vietnamese letters are ASCII)
_E = WORD_END     # word end


def _key(phrase: str) -> str:
    """Lookup key of a phrase or of matched text: folded, without the separators a phrase may vary in."""
    return re.sub(r"[\s\-_/]+", "", fold(phrase))


def _alt(phrases) -> str:
    """Whole-word alternation of phrases (a trie: see `pipeline.text.phrases.trie`)."""
    return trie(phrases)


def _forms(forms) -> str:
    """Unit/currency forms inside the quantity regex: spaces as optional whitespace, no word check."""
    return "(?:" + alternation({fold(f) for f in forms}, space=r"\s*") + ")"


class _Role(NamedTuple):
    """What a phrase of the cue regex does."""
    kind: str                        # "cue" | "neg" | "order" | "anchor" | "neutral"
    name: str
    maps: tuple = ()                 # cue: (quantity kind, fact type) pairs; neg: (kind, None) pairs
    weak: bool = False               # cue: only when no other cue of the kind is in the segment
    prefix_blocks: bool = False      # neg: turns a cue right after it into a discount on it
    object_after_cue: bool = False   # neg: right after a cue it is the cue's object ("bảo hành pin")
    retype: tuple = ()               # anchor: (fact type, new fact type) pairs


def _build_cues():
    """One regex for every cue-like phrase; a match is looked up by its key to find its role."""
    roles: dict[str, _Role] = {}
    phrases: list[str] = []

    def add(phrase, role):
        k = _key(phrase)
        if roles.get(k, role) != role:
            raise ValueError(f"facts.toml: {phrase!r} is both {roles[k].name!r} and {role.name!r}")
        roles[k] = role
        phrases.append(phrase)

    for g in _LEX["cues"]:
        maps = tuple((kind, g[kind]) for kind in ("money", "duration") if g.get(kind))
        role = _Role("cue" if maps else "neutral", g["name"], maps, weak=bool(g.get("weak")))
        for p in g["phrases"]:
            add(p, role)
    for g in _LEX["negatives"]:
        role = _Role("neg", g["name"], tuple((k, None) for k in g["kinds"]),
                     prefix_blocks=bool(g.get("prefix_blocks")), object_after_cue=bool(g.get("object_after_cue")))
        for p in g["phrases"]:
            add(p, role)
    for p in _LEX["orders"]["phrases"]:
        add(p, _Role("order", "order value"))
    for g in _LEX["anchors"]:
        for p in g["phrases"]:
            add(p, _Role("anchor", g["label"], retype=tuple(g["retype"].items())))
    return re.compile(f"(?=({_alt(phrases)}))"), roles


_CUE_RE, _CUE_ROLES = _build_cues()
_FACTS = _LEX["facts"]
_ORDER_GAP = int(_LEX["orders"]["max_gap"])

_QUALIFIERS = {**{label: ps for label, ps in _LEX["qualifiers"].items()},
               **{g["label"]: g["phrases"] for g in _LEX["anchors"]}}
_QUAL_LABEL = {_key(p): label for label, ps in _QUALIFIERS.items() for p in ps}
_QUAL_RE = re.compile(f"(?=({_alt(p for ps in _QUALIFIERS.values() for p in ps)}))")

_WORDS = {fold(w): float(v) for w, v in _LEX["numbers"]["words"]}
_MULT = {_key(f): float(m["factor"]) for m in _LEX["money"]["multipliers"] for f in m["forms"]}
_CUR_AFTER = {_key(f): c["unit"] for c in _LEX["money"]["currencies"] for f in c["after"]}
_CUR_BEFORE = {_key(f): c["unit"] for c in _LEX["money"]["currencies"] for f in c["before"]}
_DUR_UNIT = {_key(f): u["unit"] for u in _LEX["durations"]["units"] for f in u["forms"]}
_CONVERT = {k: (v[0], float(v[1])) for k, v in _LEX["durations"]["convert"].items()}
# Words whose folded form is also another word: they count only as written, or with no marks at all.
_STRICT = {_key(w): {w.lower(), fold(w)} for w in _LEX["clauses"]["strict"]}
_CLOCK = _LEX["clock"]
_CLOCK_UNITS = {_key(f) for f in _CLOCK["units"]}

_ATOM_RE = re.compile(
    r"(?<![a-z0-9.,$₫])"
    rf"(?:(?P<pre>{_forms(_CUR_BEFORE)})\s?)?"
    rf"(?P<num>\d+(?:[.,]\d+)*|{_forms(_WORDS)}{_E})"
    rf"(?:[\s-]*(?P<unit>{_forms(f for u in _LEX['durations']['units'] for f in u['forms'])}){_E}"
    rf"|\s*(?P<mult>{_forms(f for m in _LEX['money']['multipliers'] for f in m['forms'])})(?P<frac>\d{{1,3}})?{_E}"
    rf"(?:\s*(?P<cur>{_forms(_CUR_AFTER)}){_E})?"
    rf"|\s*(?P<cur2>{_forms(_CUR_AFTER)}){_E}"
    rf"|{_E})"
)
_RANGE_SEP_RE = re.compile(rf"\s*{_alt(_LEX['ranges']['separators'])}\s*")
_AND_KEYS = {_key(w) for w in _LEX["ranges"]["needs_opener"]}
_OPENER_BEFORE_RE = re.compile(rf"{_alt(_LEX['ranges']['openers'])}\s*$")
_bounds = _LEX["bounds"]
_LEFT_RE = re.compile(
    rf"(?:(?P<opener>{_alt(_LEX['ranges']['openers'])})|(?P<upper>{_alt(_bounds['upper_before'])})"
    rf"|(?P<lower>{_alt(_bounds['lower_before'])}))[\s:]*$")
_after_words = [w for w in _bounds["lower_after"] if w[0].isalnum()]
_after_signs = [w for w in _bounds["lower_after"] if not w[0].isalnum()]   # "$49+": attached only
_RIGHT_RE = re.compile(rf"(?P<upper>\s*{_alt(_bounds['upper_after'])})"
                       rf"|(?P<lower>\s*{_alt(_after_words)}|{_alt(_after_signs)})")
_UPPER_KEYS = {_key(p) for p in _bounds["upper_before"]}
_LOWER_KEYS = {_key(p) for p in _bounds["lower_before"]}
_DATE_BEFORE_RE = re.compile(rf"{_alt(_LEX['dates']['before'])}\s*$")
_DATE_AFTER_RE = re.compile(_LEX["dates"]["after_pattern"])
_CLOCK_LEFT_RE = re.compile(rf"{_alt(_CLOCK['before'])}\s*$")
_NEGATOR_RE = re.compile(rf"{_alt(_LEX['clauses']['negators'])}[\s\-]*$")
_CONJ_RE = re.compile(rf"\s*(?:,|{_alt(_LEX['clauses']['conjunctions'])})\s*")

# Hard breaks; a '.' between digits is a number (500.000, $4.99), not a sentence end.
_HARD_RE = re.compile("|".join([re.escape(c) for c in _LEX["clauses"]["hard"]] + [r"\.(?!\d)", r"(?<!\d)\."]))
# A comma between digits is a number too (500,000).
_SOFT_RE = re.compile("|".join(rf"(?<!\d){re.escape(c)}|{re.escape(c)}(?!\d)" if c in ",，" else re.escape(c)
                               for c in _LEX["clauses"]["soft"]))
_HEADING = _LEX["clauses"]["heading_mark"]
_QUAL_LINK_RE = re.compile(rf"{_alt(_LEX['qualifier_links']['before'])}\s*$")
_SEG_LEAD_RE = re.compile(r"[\W_]*")   # only punctuation/space between a segment start and a quantity


def _phrases(regex: re.Pattern, f: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Non-overlapping phrase matches in f[lo:hi], longer ones first: "được giao hàng miễn phí" is a
    free-shipping cue, though "được giao" starts earlier. (`regex` is a lookahead: every start.)"""
    found = sorted(((m.start(), m.end(1)) for m in regex.finditer(f, lo, hi)),
                   key=lambda se: (se[0] - se[1], se[0]))
    taken: list[tuple[int, int]] = []
    for s, e in found:
        if all(e <= ts or te <= s for ts, te in taken):
            taken.append((s, e))
    return [(s, e, f[s:e]) for s, e in sorted(taken)]


# --------------------------------------------------------------------------------------------
# Quantities.
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Quantity:
    kind: str                  # "money" | "duration" | "bare" (a number waiting to join a range)
    lo: float
    hi: float
    unit: str | None
    start: int
    end: int
    shape: str = "exact"       # "exact" | "range" | "upper" | "lower"
    clock_form: bool = False   # written with "h"/"giờ", so it may be a time of day
    mult: float | None = None  # money multiplier written on it, lent to a bare range start ("20-30k")
    led: bool = False          # a bound word or range opener stands before it
    order: bool = False        # an order-value condition ("đơn từ 500K")
    seg: int = 0


def _number(s: str) -> float | None:
    if s in _WORDS:
        return _WORDS[s]
    marks = re.findall(r"[.,]", s)
    if not marks:
        return float(s)
    groups = re.split(r"[.,]", s)
    if len(set(marks)) == 1:
        if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))          # 500.000 / 1,000,000: thousands
        return float(s.replace(",", ".")) if len(marks) == 1 else None   # 1,5 / 4.99: decimal
    last = max(s.rfind("."), s.rfind(","))         # 1.234,56 / 1,234.56: the last mark is decimal
    return float(re.sub(r"[.,]", "", s[:last]) + "." + s[last + 1:])


def _atom(m: re.Match) -> _Quantity | None:
    value = _number(m["num"])
    if value is None or not math.isfinite(value):
        return None
    if m["unit"]:
        return _Quantity("duration", value, value, _DUR_UNIT[_key(m["unit"])], m.start(), m.end(),
                         clock_form=_key(m["unit"]) in _CLOCK_UNITS)
    if m["num"] in _WORDS:   # number words only count before a unit or as a range start
        return None if m["pre"] else _Quantity("bare", value, value, None, m.start(), m.end())
    cur = _CUR_BEFORE.get(_key(m["pre"] or "")) or _CUR_AFTER.get(_key(m["cur"] or m["cur2"] or ""))
    mult = None
    if m["mult"]:
        mult = _MULT[_key(m["mult"])]
        if m["frac"]:   # 1tr5 = 1.5 triệu, 1tr25 = 1.25 triệu
            value += float("0." + m["frac"])
        value *= mult
        cur = cur or "VND"
    if not cur and re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", m["num"]):
        cur = _LEX["money"]["bare_thousands_currency"]   # "30.000": an amount when a fee cue claims it
    return _Quantity("money" if cur else "bare", value, value, cur, m.start(), m.end(), mult=mult)


def _merge_range(a: _Quantity, b: _Quantity, f: str) -> _Quantity | None:
    """'2-3 ngày', '20-30k', 'từ 2 đến 4 tuần', '$20-$30', 'between 3 and 5 days': a range, or None."""
    sep = _RANGE_SEP_RE.fullmatch(f, a.end, b.start)
    if not sep or b.kind == "bare" or a.kind not in ("bare", b.kind) or (a.kind != "bare" and a.unit != b.unit):
        return None
    if _key(sep[0]) in _AND_KEYS and not _OPENER_BEFORE_RE.search(f, max(0, a.start - 12), a.start):
        return None
    lo = a.lo * b.mult if a.kind == "bare" and b.mult else a.lo
    if lo >= b.hi:
        return None   # "1-1" (one-for-one exchange) is no range
    return _Quantity(b.kind, lo, b.hi, b.unit, a.start, b.end, "range", clock_form=b.clock_form, mult=b.mult)


def _quantities(f: str, lo: int, hi: int) -> list[_Quantity]:
    atoms = [q for m in _ATOM_RE.finditer(f, lo, hi) if (q := _atom(m))]
    out: list[_Quantity] = []
    i = 0
    while i < len(atoms):
        merged = _merge_range(atoms[i], atoms[i + 1], f) if i + 1 < len(atoms) else None
        if merged:
            a = atoms[i]
            # "8h-22h", "từ 8h đến 17h": hours written on both ends from dawn on are opening hours.
            if not (a.clock_form and merged.clock_form and a.lo >= _CLOCK["earliest_opening_hour"]):
                out.append(merged)
            i += 2
            continue
        if atoms[i].kind != "bare" and not _is_date(atoms[i], f):
            out.append(atoms[i])
        i += 1
    return out


def _is_date(q: _Quantity, f: str) -> bool:
    """'ngày 12 tháng 12', 'tháng 12 năm 2024': a calendar date, not a period."""
    return q.kind == "duration" and bool(_DATE_BEFORE_RE.search(f, max(0, q.start - 8), q.start)
                                         or _DATE_AFTER_RE.match(f, q.end))


def _read_bounds(q: _Quantity, f: str, floor: int, ceiling: int) -> None:
    """Bound words around a quantity, not reaching into a cue (floor/ceiling)."""
    left = _LEFT_RE.search(f, max(floor, q.start - 30), q.start)
    if left:
        q.start, q.led = left.start(), True
        word = _key(left[0].rstrip(" :"))
        if q.shape != "range":   # a range opener alone ("từ 500K") is a lower bound
            q.shape = "upper" if word in _UPPER_KEYS else "lower" if word in _LOWER_KEYS else q.shape
    right = _RIGHT_RE.match(f, q.end, ceiling)
    if right and q.shape != "range":
        q.shape = "upper" if right["upper"] else "lower"
        q.end = right.end()


def _is_clock(q: _Quantity, f: str) -> bool:
    """'trước 17h', 'lúc 9 giờ': a time of day, not a duration."""
    return (q.kind == "duration" and q.shape != "range" and q.clock_form
            and bool(_CLOCK_LEFT_RE.search(f, max(0, q.start - 12), q.start)))


# --------------------------------------------------------------------------------------------
# Cues.
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Cue:
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

    def takes(self, kind: str) -> bool:
        return self.role in ("cue", "neg") and kind in self.maps


def _overlaps(items, s: int, e: int) -> list:
    """Items (sorted, non-overlapping, with .start/.end) that overlap [s, e)."""
    i = bisect.bisect_left(items, e, key=lambda x: x.start)
    out = []
    while i > 0 and items[i - 1].end > s:
        i -= 1
        out.append(items[i])
    return out


def _cues(text: str, f: str, lo: int, hi: int, cores: list[_Quantity]) -> list[_Cue]:
    out: list[_Cue] = []
    for s, e, phrase in _phrases(_CUE_RE, f, lo, hi):
        key = _key(phrase)
        role = _CUE_ROLES[key]
        if key in _STRICT and text[s:e].lower() not in _STRICT[key]:
            continue   # "đối với" / "đôi" are not "đổi"
        if role.kind != "anchor" and any(not (s <= q.start and q.end <= e) for q in _overlaps(cores, s, e)):
            continue   # a cue cut by a number is a misreading ("3 ngày làm việc từ" ≠ "làm việc từ")
        prev = out[-1] if out else None
        right_after = prev is not None and not f[prev.end:s].strip()
        if role.kind == "neutral":
            continue   # it only hides the cue words inside it ("thay đổi" is no exchange)
        if role.kind == "neg" and role.object_after_cue and right_after and prev.role == "cue":
            continue   # "bảo hành pin 12 tháng": what the warranty covers, not a battery life
        cue = _Cue(role.kind, dict(role.maps), s, e, weak=role.weak, prefix_blocks=role.prefix_blocks,
                   retype=dict(role.retype))
        if role.kind == "cue":
            if _NEGATOR_RE.search(f, max(0, s - 12), s):   # "không đổi trả", "non-returnable"
                cue = _Cue("neg", dict.fromkeys(("money", "duration")), s, e)
            elif right_after and prev.prefix_blocks:
                cue = _Cue("neg", dict(prev.maps), s, e)   # "giảm giá cước vận chuyển 20K": a discount
        cue.heads = f.startswith(_HEADING, e) or f.startswith(" " + _HEADING, e)
        out.append(cue)
    return out


def _nearest_cue(q: _Quantity, cues: list[_Cue], quantities: list[_Quantity], f: str,
                 soft: list[int], lo: int) -> tuple[_Cue | None, bool]:
    """(cue, in the same segment?) for a quantity of the clause, or (None, False)."""
    same = [c for c in cues if c.seg == q.seg]
    usable = [c for c in same if c.takes(q.kind)]
    if any(not c.weak for c in usable):   # "phản hồi và xử lý trong 48 giờ" is no handling time
        usable = [c for c in usable if not c.weak]
    before = [c for c in usable if c.start <= q.start]
    after = []
    for c in usable:
        if c.start < q.end:
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
        return (b if q.led or q.start - b.end <= a.start - q.end else a), True
    if before or after:
        return (before[-1] if before else after[0]), True
    # Nothing in the segment: a cue of an earlier segment continues into this one when it already
    # had a quantity of this kind (", ngoại thành 30K") or heads a list ("Phí ship: Hà Nội, HCM: 20K"),
    # or when the quantity opens the segment (", 12 tháng cho phụ kiện") or has a bound word
    # (", trong vòng 48h").
    earlier = [c for c in cues if c.seg < q.seg and c.takes(q.kind)]
    used = [c for c in earlier if q.kind in c.bound and c.seg == earlier[-1].seg]
    if used:
        return used[-1], False
    earlier = [c for c in earlier if not c.weak] or earlier
    seg_start = soft[q.seg - 1] + 1 if q.seg else lo
    if earlier and (q.led or earlier[-1].heads or _SEG_LEAD_RE.fullmatch(f, seg_start, q.start)):
        return earlier[-1], False
    return None, False


# --------------------------------------------------------------------------------------------
# Facts.
# --------------------------------------------------------------------------------------------
def _values(fact: str, q: _Quantity) -> tuple[float | None, float | None, str]:
    conf = _FACTS[fact]
    if conf.get("always_lower"):
        lo, hi = q.lo, None
    elif q.shape == "range":
        lo, hi = q.lo, q.hi
    else:
        shape = conf["bare"] if q.shape == "exact" else q.shape
        lo = q.lo if shape in ("exact", "lower") else None
        hi = q.hi if shape in ("exact", "upper") else None
    unit = q.unit
    if unit in _CONVERT:   # 30 phút -> 0.5 hour
        unit, div = _CONVERT[unit]
        lo, hi = (None if lo is None else round(lo / div, 4)), (None if hi is None else round(hi / div, 4))
    return lo, hi, unit


def _retype(fact: str, q: _Quantity, cues: list[_Cue]) -> str:
    """What a period is counted from (an anchor right after it) and how short it is can change the
    fact: a refund counted from receipt is a return window; a delivery within hours is express."""
    for c in cues:
        if c.role == "anchor" and c.seg == q.seg and 0 <= c.start - q.end <= 40:
            fact = c.retype.get(fact, fact)
            break
    limit = _FACTS[fact].get("express_within_hours")
    unit, div = _CONVERT.get(q.unit, (q.unit, 1.0))   # minutes count in hours
    if limit and unit == "hour" and q.hi / div <= limit:
        fact = "express_delivery"
    return fact


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"


def extract_facts(text: str) -> list[FactMatch]:
    """Policy facts in `text` (NFC), sorted by start. Never raises: an unreadable text gives []."""
    try:
        return _extract(text)
    except Exception:   # a pipeline over millions of blocks must not stop on one odd block
        return []


def _extract(text: str) -> list[FactMatch]:
    if not text:
        return []
    f = fold(text)
    out: list[FactMatch] = []
    lo = 0
    for m in [*_HARD_RE.finditer(f), None]:   # clauses are independent
        hi = m.start() if m else len(f)
        for a, b in _bounded(f, lo, hi):
            out.extend(_clause_facts(text, f, a, b))
        lo = hi + 1
    out.sort(key=lambda fm: (fm.start, fm.end, fm.fact_type))
    return out


_MAX_CLAUSE = 1000


def _bounded(f: str, lo: int, hi: int):
    """A clause longer than _MAX_CLAUSE characters (a run-on list with no sentence end) is read in pieces
    cut at its last comma (else space) before the limit: matching within a clause is quadratic."""
    while hi - lo > _MAX_CLAUSE:
        cut = f.rfind(",", lo + 1, lo + _MAX_CLAUSE)
        if cut < 0:
            cut = f.rfind(" ", lo + 1, lo + _MAX_CLAUSE)
        if cut < 0:
            yield lo, lo + _MAX_CLAUSE
            lo += _MAX_CLAUSE
            continue
        yield lo, cut
        lo = cut + 1
    if hi > lo:
        yield lo, hi


def _clause_facts(text: str, f: str, lo: int, hi: int) -> list[FactMatch]:
    quantities = _quantities(f, lo, hi)
    cues = _cues(text, f, lo, hi, quantities)
    # An amount written inside a cue ("ship 0đ") is part of the cue.
    quantities = [q for q in quantities
                  if not any(c.start <= q.start and q.end <= c.end for c in _overlaps(cues, q.start, q.end))]
    if not quantities and not cues:
        return []
    for i, q in enumerate(quantities):
        j = bisect.bisect_left(cues, q.start, key=lambda c: c.start)
        floor = max([lo] + [c.end for c in cues[max(0, j - 2):j] if c.end <= q.start])
        ceiling = min([hi] + [c.start for c in cues[j:j + 1]] + [r.start for r in quantities[i + 1:i + 2]])
        _read_bounds(q, f, floor, ceiling)
    quantities = [q for q in quantities if not _is_clock(q, f)]
    spans = [(q.start, q.end) for q in quantities]
    soft = [m.start() for m in _SOFT_RE.finditer(f, lo, hi)
            if not any(s <= m.start() < e or s < m.end() <= e for s, e in spans)]
    for item in (*quantities, *cues):
        item.seg = bisect.bisect_right(soft, item.start)
    for q in quantities:   # "đơn hàng (có giá trị) từ 500K": a condition on the order
        prev = [c for c in cues if c.seg == q.seg and c.end <= q.start]
        q.order = (q.kind == "money" and bool(prev) and prev[-1].role == "order"
                   and q.start - prev[-1].end <= _ORDER_GAP)

    found: list[tuple[str, _Quantity | None, _Cue, int, int]] = []   # fact, quantity, cue, span
    conditions: list[tuple[_Cue, _Quantity]] = []
    for q in quantities:
        cue, same_seg = _nearest_cue(q, cues, quantities, f, soft, lo)
        if cue is None or cue.role != "cue":
            continue
        cue.bound.add(q.kind)
        # "Đổi trả và bảo hành trong 3 ngày": cues joined by a conjunction share the quantity.
        group = [cue]
        for c in reversed(cues[:cues.index(cue)]):
            if c.role != "cue" or not c.takes(q.kind) or not _CONJ_RE.fullmatch(f, c.end, group[-1].start):
                break
            group.append(c)
        seen = set()
        for c in group:
            fact = _retype(c.maps[q.kind], q, cues)
            if q.kind == "money" and _FACTS[fact].get("always_lower"):
                # A threshold is an order value or a lower bound ("từ 500K"); "dưới 300K" is the other
                # side of it and "freeship tối đa 30K" a cap on the subsidy.
                if q.shape == "upper" or not (q.order or q.shape in ("lower", "range")):
                    continue
            elif q.order:
                if _FACTS[fact].get("order_condition"):   # "phí ship 30K cho đơn dưới 300K"
                    conditions.append((c, q))
                continue
            if fact not in seen:
                seen.add(fact)
                # Evidence runs from the cue to the quantity, unless another quantity stands between.
                lo_, hi_ = min(c.end, q.end), max(c.start, q.start)
                alone = not same_seg or any(lo_ <= r.start and r.end <= hi_ for r in quantities)
                start, end = (q.start, q.end) if alone else (min(c.start, q.start), max(c.end, q.end))
                found.append((fact, q, c, start, end))

    read = {id(c) for _, q, c, _, _ in found if q.kind == "money"} | {id(c) for c, _ in conditions}
    for c in cues:   # "Miễn phí vận chuyển toàn quốc": free shipping with no threshold (once a clause)
        fact = c.maps.get("money") if c.role == "cue" else None
        if fact and _FACTS[fact].get("zero_when_alone") and id(c) not in read:
            found.append((fact, None, c, c.start, c.end))
            break

    out = []
    for (fact, q, cue, start, end), labels in zip(found, _qualifiers(f, lo, hi, found, conditions, soft)):
        vmin, vmax, unit = _values(fact, q) if q else (0.0, None, "VND")
        if unit in UNITS and (vmin is not None or vmax is not None) and start < end:
            out.append(FactMatch(fact, vmin, vmax, unit, "; ".join(labels) or None, start, end))
    return out


def _qualifiers(f: str, lo: int, hi: int, found, conditions, soft: list[int]) -> list[list[str]]:
    """Each qualifier phrase goes to the nearest fact of the clause, its own segment first; a tie
    goes to the fact after it ("nội thành 20K")."""
    labels: list[list[str]] = [[] for _ in found]
    if not found:
        return labels
    items = [(s, e, _QUAL_LABEL[_key(phrase)]) for s, e, phrase in _phrases(_QUAL_RE, f, lo, hi)]
    for cue, q in conditions:   # an order condition on a fee: "orders under 300,000 VND"
        word = {"upper": "under", "lower": "over"}.get(q.shape, "of")
        items.append((q.start, q.end, f"orders {word} {_fmt(q.lo)} {q.unit}"))
    places = [((q.start, q.end) if q else (cue.start, cue.end), cue) for _, q, cue, _, _ in found]
    for s, e, label in sorted(items):
        seg = bisect.bisect_right(soft, s)
        linked = bool(_QUAL_LINK_RE.search(f, max(lo, s - 12), s))   # "... đối với nội thành"
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
