"""Quantities: numbers with a multiplier, currency or duration unit, ranges and bound words, read on
the folded text (see the package docstring for the grammar).
"""
from __future__ import annotations

from dataclasses import dataclass
import math
import re
import unicodedata

from pipeline.text.fold import fold

from .grammar import (
    AND_KEYS, ARTICLES, ATOM_RE, CLOCK, CLOCK_AFTER_RE, CLOCK_LEFT_RE, CLOCK_UNITS, CUR_AFTER, CUR_BEFORE, DATE_AFTER_RE,
    DATE_BEFORE_RE, DAY_PHRASE, DAY_PHRASE_RE, DUR_UNIT, FREQUENCY_RE, FREQUENCY_WHOLE, FOREIGN_CODE_RE, FOREIGN_CODE_AFTER_RE, FOREIGN_DOLLAR_RE, LEFT_RE, LINK_RE, LINK_WINDOW, MODIFIER_ONLY, MULT_WRITTEN, WORDS_WRITTEN, OWN_SIGNS, PER_UNIT_RE, UNIT_WRITTEN, LEX, LOWER_KEYS, MIN_VND, MULT, OPENER_BEFORE_RE, RANGE_SEP_RE, RIGHT_RE,
    UPPER_KEYS, WORDS, phrase_key,
)


@dataclass(slots=True)
class Quantity:
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
    fixed: bool = False        # a duration written as a phrase ("trong ngày"): its bound is its own
    per_unit: bool = False     # an amount per unit ("3.000đ/bình"): a rate


def _number(s: str) -> float | None:
    """A number as written (folded text): "." or "," before exactly three digits groups thousands,
    otherwise it is a decimal mark; with both, the last one is decimal. Number words come from the lexicon.

    >>> _number("500.000"), _number("1,000,000"), _number("4.99"), _number("1,5"), _number("1.234,56")
    (500000.0, 1000000.0, 4.99, 1.5, 1234.56)
    >>> _number("1.2.3") is None
    True
    """
    if s in WORDS:
        return WORDS[s]
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


def _atom(m: re.Match, text: str | None = None) -> Quantity | None:
    value = _number(m["num"])
    if value is None or not math.isfinite(value):
        return None
    if m["unit"]:
        if text is not None:
            written = text[m.start("unit"):m.end("unit")].lower()
            if written != fold(written) and written not in UNIT_WRITTEN:
                return None   # "áo 2 dây" (straps) folds to "2 day"
        unit = phrase_key(m["unit"])
        if unit in MODIFIER_ONLY and value != 1 and not _modifies(m):
            return None   # "áo 2 day," (unaccented "2 dây", two straps), but "30 day returns"
        return Quantity("duration", value, value, DUR_UNIT[unit], m.start(), m.end(), clock_form=unit in CLOCK_UNITS)
    if m["num"] in ARTICLES:
        return None   # "a"/"an" is one only before a unit: unaccented "Bàn ghế ăn — 5 năm" is no range
    if m["num"] in WORDS:   # number words only count before a unit or as a range start
        if text is not None:
            written = text[m.start("num"):m.end("num")].lower()
            if written != fold(written) and written not in WORDS_WRITTEN:
                return None   # "Bàn ghế ăn — 5 năm" folds to "an — 5": no range from one
        return None if m["pre"] else Quantity("bare", value, value, None, m.start(), m.end())
    if foreign_currency(m.string, m.start("num") if m["pre"] else m.start(), m.end()):
        return None   # "₹3,000", "€9.99", "PHP 299.00", "S$60", "$50 AUD": a currency the contract cannot hold
    cur = CUR_BEFORE.get(phrase_key(m["pre"] or "")) or CUR_AFTER.get(phrase_key(m["cur"] or m["cur2"] or ""))
    mult = None
    if m["mult"] and text is not None:
        written = text[m.start("mult"):m.end("mult")].lower()
        if written != fold(written) and written not in MULT_WRITTEN:
            return None   # "2024 cụ thể" folds to "2024 cu": no million
    if m["mult"]:
        mult = MULT[phrase_key(m["mult"])]
        if m["frac"]:   # 1tr5 = 1.5 triệu, 1tr25 = 1.25 triệu
            value += float("0." + m["frac"])
        value *= mult
        cur = cur or "VND"
    if not cur and re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", m["num"]) and not m.string.startswith("+", m.end()):
        cur = LEX["money"]["bare_thousands_currency"]   # "30.000": an amount when a fee cue claims it
        # ("25,000+ pin codes" is a count)
    if cur == "VND" and mult is None and 0 < value < MIN_VND:
        return None   # "phí ship 30d" (thirty days), "trong 3D", "80.00đ": no amount of a few đồng
    return Quantity("money" if cur else "bare", value, value, cur, m.start(), m.end(), mult=mult)


MODIFIED_WORD_RE = re.compile(r"[ \-]*[a-z]")   # a word right after a unit: the one it modifies


def _modifies(m: re.Match) -> bool:
    """Whether the unit of a duration atom modifies a word after it ("30 day returns") or is hyphenated to
    its number ("30-day"): how an English singular unit after a plural number is written.

    >>> [_modifies(ATOM_RE.search(s)) for s in ("30 day returns", "30-day", "ao 2 day, cac", "2 day")]
    [True, True, False, False]
    """
    f = m.string
    return "-" in f[m.end("num"):m.start("unit")] or MODIFIED_WORD_RE.match(f, m.end(), m.end() + 3) is not None


def foreign_currency(f: str, start: int, end: int) -> bool:
    """Whether the number at f[start:end] is written with a currency the contract cannot hold: a currency
    sign other than its own right before or after it, a foreign code before or after it, or another
    country's dollar ("s$60").

    >>> foreign_currency("below ₹3,000", 7, 12), foreign_currency("€9.99", 1, 5), foreign_currency("php 299.00", 4, 10)
    (True, True, True)
    >>> foreign_currency("over s$60", 7, 9), foreign_currency("$50 aud", 1, 3), foreign_currency("nz$ 80", 4, 6)
    (True, True, True)
    >>> foreign_currency("$25", 1, 3), foreign_currency("30.000₫", 0, 6), foreign_currency("(25", 1, 3)
    (False, False, False)
    >>> foreign_currency("us$50", 3, 5), foreign_currency("$50 usd", 1, 3), foreign_currency("over $50", 6, 8)
    (False, False, False)
    """
    before = f[max(0, start - 2):start].rstrip()[-1:]
    after = f[end:end + 1]
    signs = [ch for ch in (before, after) if ch and unicodedata.category(ch) == "Sc" and ch not in OWN_SIGNS]
    return (bool(signs) or bool(FOREIGN_CODE_RE.search(f, max(0, start - 6), start))
            or bool(FOREIGN_DOLLAR_RE.search(f, max(0, start - 4), start))
            or bool(FOREIGN_CODE_AFTER_RE.match(f, end)))


THOUSAND = 1000
THOUSANDS_RE = re.compile(r"\d{1,3}[.,]000(?![.,]?\d)")   # an amount written in whole thousands: 120.000


def _merge_range(a: Quantity, b: Quantity, f: str) -> Quantity | None:
    """'2-3 ngày', '20-30k', 'từ 2 đến 4 tuần', '$20-$30', 'between 3 and 5 days': a range, or None.
    A bare start too small to be an amount borrows the thousands its end is written in ("từ 100 đến
    120.000 VNĐ" is "100-120k").

    >>> [(q.lo, q.hi) for q in find_quantities("ship tu 100 den 120.000 vnd, 20-30k, 2-3 ngay", 0, 45)]
    [(100000.0, 120000.0), (20000.0, 30000.0), (2.0, 3.0)]
    """
    sep = RANGE_SEP_RE.fullmatch(f, a.end, b.start)
    if not sep or b.kind == "bare" or a.kind not in ("bare", b.kind) or (a.kind != "bare" and a.unit != b.unit):
        return None
    if phrase_key(sep[0]) in AND_KEYS and not OPENER_BEFORE_RE.search(f, max(0, a.start - 12), a.start):
        return None
    lo = a.lo * b.mult if a.kind == "bare" and b.mult else a.lo
    if (a.kind == "bare" and not b.mult and b.unit == "VND" and lo < MIN_VND and lo * THOUSAND < b.hi
            and THOUSANDS_RE.match(f, b.start)):
        lo *= THOUSAND   # "100 đến 120.000 VNĐ": the start is in thousands too
    if lo >= b.hi:
        return None   # "1-1" (one-for-one exchange) is no range
    return Quantity(b.kind, lo, b.hi, b.unit, a.start, b.end, "range", clock_form=b.clock_form, mult=b.mult)


def find_quantities(f: str, lo: int, hi: int, text: str | None = None) -> list[Quantity]:
    """Money amounts and durations in f[lo:hi] (f folded, `text` the original when known: a unit written
    with marks must be a form as written), ranges merged; dates and bare numbers dropped.

    >>> [(q.kind, q.lo, q.hi, q.unit) for q in find_quantities("phi ship 20-30k, giao 2 ngay", 0, 28)]
    [('money', 20000.0, 30000.0, 'VND'), ('duration', 2.0, 2.0, 'day')]
    >>> [(q.kind, q.lo, q.unit) for q in find_quantities("$4.99 hoac 1tr5", 0, 15)]
    [('money', 4.99, 'USD'), ('money', 1500000.0, 'VND')]
    >>> [(q.shape, q.hi, q.unit) for q in find_quantities("giao hang trong ngay", 0, 20)]
    [('upper', 24.0, 'hour')]
    >>> [q.kind for q in find_quantities("phi ship 30d, 80.00d", 0, 20)]   # a few dong are no amount
    []
    >>> [(q.lo, q.hi) for q in find_quantities("mo cua 8h-22h, giao tu 24h den 48h", 0, 34)]
    [(24.0, 48.0)]
    """
    atoms = [q for m in ATOM_RE.finditer(f, lo, hi) if (q := _atom(m, text))]
    out: list[Quantity] = []
    i = 0
    while i < len(atoms):
        merged = _merge_range(atoms[i], atoms[i + 1], f) if i + 1 < len(atoms) else None
        if merged:
            a = atoms[i]
            # "8h-22h", "từ 8h đến 17h": hours written on both ends from dawn on are opening hours;
            # "từ 24h đến 48h" ends past midnight: a duration.
            if not (a.clock_form and merged.clock_form and a.lo >= CLOCK["earliest_opening_hour"]
                    and merged.hi <= CLOCK["latest_closing_hour"]):
                out.append(merged)
            i += 2
            continue
        if atoms[i].kind != "bare" and not _is_date(atoms[i], f):
            out.append(atoms[i])
        i += 1
    out = _without_frequencies(out, f)
    for m in DAY_PHRASE_RE.finditer(f, lo, hi):   # "giao hàng trong ngày": within 24 hours
        if not any(q.start < m.end() and m.start() < q.end for q in out):
            hours, unit = DAY_PHRASE[phrase_key(m[0])]
            out.append(Quantity("duration", hours, hours, unit, m.start(), m.end(), "upper", fixed=True))
    for q in out:
        q.per_unit = q.kind == "money" and bool(PER_UNIT_RE.match(f, q.end))
    out.sort(key=lambda q: q.start)
    return out


def _without_frequencies(qs: list[Quantity], f: str) -> list[Quantity]:
    """The quantities but a frequency: a duration followed by "a week", "trong tuần" ("We deliver 7 days a week",
    "Giao hàng 7 ngày trong tuần": the whole week) and the period after it ("a week" reads as one week)."""
    spans = [(q.start, m.end()) for q in qs if q.kind == "duration" and q.unit in FREQUENCY_RE
             and (m := FREQUENCY_RE[q.unit].match(f, q.end))
             and (m["every"] or q.lo == q.hi == FREQUENCY_WHOLE.get(phrase_key(m["period"])))]
    if not spans:
        return qs
    return [q for q in qs if not any(a <= q.start < b for a, b in spans)]


def _is_date(q: Quantity, f: str) -> bool:
    """'ngày 12 tháng 12', 'tháng 12 năm 2024': a calendar date, not a period."""
    return q.kind == "duration" and bool(DATE_BEFORE_RE.search(f, max(0, q.start - 8), q.start)
                                         or DATE_AFTER_RE.match(f, q.end))


def read_bounds(q: Quantity, f: str, floor: int, ceiling: int) -> None:
    """Bound words around a quantity, not reaching into a cue (floor/ceiling)."""
    if q.fixed:
        return
    left = LEFT_RE.search(f, max(floor, q.start - 30), q.start)
    if left is None:
        link = LINK_RE.search(f, max(floor, q.start - LINK_WINDOW), q.start)
        if link is not None:   # "tối thiểu là 20k": the bound word before the link word
            left = LEFT_RE.search(f, max(floor, link.start() - 30), link.start())
    if left and left["lower_money"] and q.kind != "money":
        left = None   # "Quá 03 ngày": a window passed, no bound
    if left:
        q.start, q.led = left.start(), True
        word = phrase_key(left[0].rstrip(" :"))
        if q.shape != "range":   # a range opener alone ("từ 500K") is a lower bound
            q.shape = ("upper" if word in UPPER_KEYS else "lower" if word in LOWER_KEYS or left["lower_money"]
                       else q.shape)
    right = RIGHT_RE.match(f, q.end, ceiling)
    if right and q.shape != "range":
        q.shape = "upper" if right["upper"] else "lower"
        q.end = right.end()


def is_clock(q: Quantity, f: str) -> bool:
    """'trước 17h', 'lúc 9 giờ': a time of day, not a duration; after "sau" only an afternoon hour ('Đơn hàng sau
    17h sẽ được giao vào ngày hôm sau' is a cut-off, 'nhận hàng sau 2h' a duration)."""
    if not (q.kind == "duration" and q.shape != "range" and q.clock_form):
        return False
    if CLOCK_LEFT_RE.search(f, max(0, q.start - 12), q.start):
        return True
    lo, hi = CLOCK["after_hours"]
    return lo <= q.lo <= hi and bool(CLOCK_AFTER_RE.search(f, max(0, q.start - 12), q.start))
