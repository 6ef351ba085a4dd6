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
  ngày"), or the quantity opens its segment or has a bound word. Cues joined by a conjunction (or a
  dash with nothing else between) share the quantity ("Đổi trả và bảo hành trong 3 ngày"), in a context
  line as in the clause ("7 ngày" under "Đổi trả – hoàn tiền"). A negative cue as the winner means no fact.
* fact: an order amount is a free-shipping threshold (or a qualifier of a fee: "orders under 300,000
  VND"); a line that is an order tier alone ("Từ 3.000.000đ") is an order amount, and the term on the line
  after it reads it as its condition ("Miễn phí ship …" there is free from 3,000,000, not 0); an anchor
  right after a period may retype it (a refund period counted from delivery is the return window; a "return" counted from the order date is a delivery), and a delivery within a few
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

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.contract.records import ROW_CELL_SEPARATOR as CELL, Block, Fact, Listing
from pipeline.text.fold import fold

from .binding import BlockContext, clause_facts, condition_line, is_statement_cue, value_line
from .cues import find_cues, mark_joins, names_shipping
from .grammar import (
    CONTEXT_BLOCK_MAX, CONTEXT_HEADINGS, COUNTED_FROM_RE, COUNTING_RE, EXCEEDED, EXCEEDED_TYPES, FOOTNOTE_MARKS, HARD_RE, HEADING_MARK, HEADING_MAX,
    LIST_LINE_MAX, MARK_END_RE, NOTE_MARK_RE, PROCEDURE_RE, QUESTION,
    REFUND_REMEDY, REPLACEMENT, SECTION_GAP, SOFT_RE, STANDARD, STANDARD_REACH, TAG_OPEN, TAG_RE, TAG_TYPES, URL_RE, FactMatch,
)
from .quantities import find_quantities


__all__ = ["FactMatch", "block_context", "extract_facts", "extract_facts_reference", "extract_policy_facts"]
ASIDE_RE = re.compile(r"\([^()]*\)")   # a bracketed aside of a context line
MAX_CLAUSE = 1000   # longer clauses are read in pieces: matching within a clause is quadratic
TABLE_REACH = 30   # rows of a table a data row looks up across for its header row
FACTS_MEMO = 4096   # texts `extract_facts` remembers (cleared when full)
FACTS_MEMO_TEXT = 2000   # longer texts are read each time: a shop repeats its short terms, not its articles
NAMES_FACT_CACHE = 4096   # lines remembered by `_names_fact` (a pure function of the line: each block reads
                          # the lines above it, so a listing asks about the same lines again and again)


def extract_facts(text: str, context: Sequence[str] = (), following: str = "",
                  standard: bool | Callable[[], bool] = False, preceding: str = "") -> list[FactMatch]:
    """Policy facts in `text` (NFC), sorted by start; offsets are into `text`. `context` is the text of
    the headings and the lead-in line above it, outermost first (see `block_context`); `following` the
    text after it (only read for the remedy a claim window offers); `standard` whether a standard service is
    offered beside it (a fast one in days is then the express service; a function is asked only then), as it is
    when a context line above the innermost names one;
    `preceding` the policy line right above it, whose last clause may be the subject of an elliptical free
    statement opening it (`_names_shipping`). An error is not swallowed: the stage runner turns it into a counted
    `stage_error` for the listing.

    `extract_facts_reference`, remembered (a shop's listings repeat its policy blocks): keyed on what the
    reading depends on, the text, its context, the remedy and whether the line above names the shipping; and,
    only for a text whose reading asked `standard`, its answer (an entry says so, and `standard` is then asked
    before the lookup). The facts are frozen; each call gets its own list (tests compare the two)."""
    remedy_ = remedy(text) or remedy(following)
    shipping_before = bool(preceding) and _names_shipping(preceding)
    if len(text) > FACTS_MEMO_TEXT:
        return _read_facts(text, context, remedy_, shipping_before, standard)
    memo = _facts_memo
    key = (text, tuple(context), remedy_, shipping_before)
    found = memo.get(key)
    answer: list[bool] = []   # standard's answer, once asked
    if found is _ASKS_STANDARD:
        answer.append(standard() if callable(standard) else standard)
        key = (*key, answer[0])
        found = memo.get(key)
    if found is None:
        def asked() -> bool:
            if not answer:
                answer.append(standard() if callable(standard) else standard)
            return answer[0]
        found = tuple(_read_facts(text, context, remedy_, shipping_before, asked))
        if len(memo) >= FACTS_MEMO:
            memo.clear()
        if answer and len(key) == 4:
            memo[key] = _ASKS_STANDARD
            key = (*key, answer[0])
        memo[key] = found
    return list(found)


_facts_memo: dict[tuple, tuple[FactMatch, ...] | object] = {}   # extract_facts' key -> its facts, or _ASKS_STANDARD
_ASKS_STANDARD = object()   # the entry of a text whose reading asks `standard`: its facts are under key + (answer,)


def extract_facts_reference(text: str, context: Sequence[str] = (), following: str = "",
                            standard: bool | Callable[[], bool] = False, preceding: str = "") -> list[FactMatch]:
    """`extract_facts` without its memo."""
    return _read_facts(text, context, remedy(text) or remedy(following),
                       bool(preceding) and _names_shipping(preceding), standard)


def _read_facts(text: str, context: Sequence[str], remedy_: str | None, shipping_before: bool,
                standard: bool | Callable[[], bool]) -> list[FactMatch]:
    """The reading of `extract_facts`, given the remedy of the text or the one after it and whether the line
    above names the shipping."""
    if not text:
        return []
    f = fold(text)
    if "://" in f or "www." in f:   # a web address holds no cue, no amount and no sentence end (blanked, same length)
        f = URL_RE.sub(lambda m: " " * len(m.group()), f)
    if "(" in f and any(m in f for m in FOOTNOTE_MARKS):   # a mark beside its bracketed note breaks no clause (blanked)
        f = NOTE_MARK_RE.sub(lambda m: " " * len(m.group()), f)
    if any(b in f for b in TAG_OPEN):   # a shipping tag ("[FREESHIP] Áo thun nam") states nothing (blanked, same length)
        f = TAG_RE.sub(lambda m: " " * len(m.group()) if _shipping_tag(text, f, m.start(), m.end()) else m.group(), f)
    ctx = _context(context, remedy_)
    # a standard service offered beside it, or named by a heading over it ("Giao Hàng Tiêu Chuẩn" … "Giao Hàng Nhanh"
    # over "1-2 ngày làm việc"), asked only when a fast service is stated in days
    ctx.standard = lambda: (any(STANDARD.search(line) is not None for line in context[:-1])
                            or (standard() if callable(standard) else standard))
    ctx.shipping_before = shipping_before
    out: list[FactMatch] = []
    lo = 0
    for m in [*HARD_RE.finditer(f), None]:   # clauses follow each other: a later one may read earlier cues
        hi = m.start() if m else len(f)
        if not (m and f.startswith(QUESTION, hi)):   # a question states no policy ("Shop có giao trong ngày không?")
            for a, b in _bounded(f, lo, hi):
                out.extend(clause_facts(text, f, a, b, ctx))
        lo = hi + 1
    out.sort(key=lambda fm: (fm.start, fm.end, fm.fact_type))
    return out


def _shipping_tag(text: str, f: str, a: int, b: int) -> bool:
    """Whether the bracket f[a:b] holds a cue of a shipping fact ([promotions] tag_types): a tag ("[FREESHIP]",
    "[HỎA TỐC 2H]"), as a title's, not a statement (RULES.md)."""
    return any(c.role == "cue" and (c.maps.get("money") in TAG_TYPES or c.maps.get("duration") in TAG_TYPES)
               for c in find_cues(text, f, a, b, []))


def remedy(text: str) -> str | None:
    """"replacement" when a statement offers only a replacement, "refund" when it offers a refund or a
    return, else None (words in the lexicon's [remedies])."""
    if not text:
        return None
    if REFUND_REMEDY.search(text):
        return "refund"
    return "replacement" if REPLACEMENT.search(text) else None


def _context(lines: Sequence[str], remedy_: str | None) -> BlockContext:
    """The cues of the context lines (each line's last clause: "All orders are processed within 2–3
    business days. Delivery times may vary depending on your location:"), in order. A procedure heading
    ("Quy trình bảo hành") gives none of the fact types its cues name, and withholds them from the lines
    outside it; its negative cues still block."""
    ctx = BlockContext(remedy=remedy_, condition=_condition(lines[-1]) if lines else None)
    for line in lines:
        cues, procedure = _line_cues(line)
        cues = list(cues)
        if procedure:   # steps, not terms: "chờ oder … 7 - 15 ngày" under "Quy trình bảo hành"
            withheld = {t for c in cues if c.role == "cue" for t in c.maps.values()}
            gone = lambda c: bool(withheld & set(c.maps.values()))   # noqa: E731
            ctx.cues = [replace(c, joined=False) if c.joined and gone(p) else c   # joined to a withheld cue: to none
                        for p, c in zip([None, *ctx.cues], ctx.cues) if not gone(c)]
            ctx.prior = [t for t in ctx.prior if t not in withheld]
            cues = [c for c in cues if c.role == "neg"]
        ctx.cues += cues
        ctx.prior += [c.maps["duration"] for c in cues if is_statement_cue(c)]
    return ctx


@lru_cache(maxsize=NAMES_FACT_CACHE)
def _names_shipping(line: str) -> bool:
    """Whether a line's last clause names the shipping (`cues.names_shipping`), the subject of an elliptical free
    statement on the line after it ("Phí vận chuyển: 30.000đ." over "Miễn phí với đơn hàng từ 500.000đ."; cached)."""
    f = fold(line)
    end = len(f.rstrip(" .!;"))
    return names_shipping(find_cues(line, f, _last_clause(f, end), end, []), f)


def _last_clause(f: str, end: int) -> int:
    """Where the last clause of f[:end] starts."""
    cuts = [m.end() for m in HARD_RE.finditer(f, 0, end)]
    return cuts[-1] if cuts else 0


@lru_cache(maxsize=NAMES_FACT_CACHE)
def _condition(line: str):
    """The order condition a line is made of alone (binding.condition_line; cached, read only)."""
    return condition_line(line) if len(line) <= LIST_LINE_MAX else None


@lru_cache(maxsize=NAMES_FACT_CACHE)
def _line_cues(line: str) -> tuple[tuple, bool]:
    """The fact and negative cues of a context line's last clause (not those of a bracketed aside: the
    update stamp of "THỜI GIAN GIAO HÀNG (CẬP NHẬT 18/1/2022)" blocks nothing under it), and whether it is a procedure heading
    (a pure function of the line, cached: a listing's blocks read the same lines above them again and
    again; the cues are never changed, a clause binds copies of them)."""
    f = fold(line)
    mark = MARK_END_RE.search(f) if any(m in f for m in FOOTNOTE_MARKS) else None   # "Free shipping*": the statement
    lo = _last_clause(f, mark.start() if mark else len(f.rstrip(" :")))           # is before it, its note below
    asides = [m.span() for m in ASIDE_RE.finditer(f, lo)]
    cues = [c for c in find_cues(line, f, lo, len(f), [])
            if ((c.role == "cue" and not c.weak) or c.role == "neg") and not any(a <= c.start < b for a, b in asides)]
    return tuple(mark_joins(_named_period(cues, f), f)), bool(PROCEDURE_RE.match(f, lo))


def _named_period(cues: list, f: str) -> list:
    """The cues of a context line up to what its period is counted from: after a fact cue, a "kể từ" / "tính từ"
    ([counted_from]) starts the period's start, whose cues name no term in its segment ("Thời gian giao hàng được
    tính từ khi đơn hàng được xác nhận …:" types a delivery time; its "xác nhận" blocks nothing under it)."""
    first = next((c for c in cues if c.role == "cue"), None)
    m = COUNTED_FROM_RE.search(f, first.end) if first is not None else None
    if m is None:
        return cues
    return [c for c in cues if c.start < m.end() or HEADING_MARK in f[m.end():c.start] or SOFT_RE.search(f, m.end(), c.start)]


def _is_heading(b: Block) -> bool:
    """A heading block that is not a "label: value" list line ("Rest of World: 7–14 business days"), or
    a short line with no digit and no sentence end ("💸 Miễn phí vận chuyển")."""
    t = b.text.strip()
    if b.kind == "heading":
        return not t.partition(":")[2].strip()
    return (len(t) <= HEADING_MAX and not t.endswith((".", "!", "?", ":", ";", ","))
            and not any(map(str.isdigit, t)))


def block_context(blocks: Sequence[Block], i: int) -> list[str]:
    """The context of blocks[i], outermost first: the nearest CONTEXT_HEADINGS headings above it that
    name a fact (a heading naming none, "* Đơn hàng ở các tỉnh khác", is passed over), then its lead-in
    line: the nearest line ending in ":" that names a fact, across the short lines of its list
    ("Thời gian giao hàng:" / "Nội thành: 1-2 ngày" / "Ngoại thành: 3-5 ngày"). A heading or a lead-in
    reaches only its own section: the walk up stops at a block between that is not in the policy zone and is
    no heading, no list item and no lead-in (product copy or an article after the shop's terms), or after
    more than SECTION_GAP blocks between that are no heading and name no fact (a guide pasted under a
    "Return policy" heading far above it types no "8 to 12 weeks" of its plan as a return window). A pure
    function of the blocks. A block longer than CONTEXT_BLOCK_MAX is a text of its own: no context. Last
    comes the line right above when it is an order condition alone (`binding.tier`): a flattened table row,
    "Đơn hàng từ 300.000VNĐ trở lên" over its term "Phí giao hàng: Miễn phí"; or, for a value alone on a stat
    card written value first, its label, the line after it (`_card_label`).
    """
    if len(blocks[i].text.strip()) > CONTEXT_BLOCK_MAX:   # an article pasted as one paragraph, its front matter
        return []
    lead: str | None = None
    in_list = len(blocks[i].text.strip()) <= LIST_LINE_MAX   # a lead-in reaches only across a list
    headings: list[str] = []
    gap = 0
    for j in range(i - 1, -1, -1):
        b = blocks[j]
        t = b.text.strip()
        heading = _is_heading(b)
        if (not heading and b.zone != "policy" and b.kind != "bullet"   # a zone change ends the section (product
                and not (t.endswith(":") and _names_fact(t))):          # copy after the terms); a list item or a
            break                                                       # lead-in zoned otherwise does not
        if not heading and not _names_fact(t):   # a line of the section's own terms names a fact (or is short)
            gap += 1
            if gap > SECTION_GAP:   # a run of lines naming none: another text (an article, a running plan)
                break
        if (heading or (in_list and lead is None and t.endswith(":"))) and _names_fact(t):
            if t.endswith(":") and in_list and lead is None and not headings:
                lead = b.text
            elif heading:
                headings.append(b.text)
                if len(headings) == CONTEXT_HEADINGS:
                    break
        if len(t) > LIST_LINE_MAX and not heading:
            in_list = False
    if lead is None and i and _sibling(blocks[i - 1], blocks[i]):
        lead = blocks[i - 1].text   # "Đà Nẵng, Hà Nội ...: theo lịch hẹn, thông thường 3–7 ngày làm việc" after
                                    # "TP. Hồ Chí Minh ...: phục vụ trong ngày": its list's statement
    row = [blocks[i - 1].text] if i and blocks[i - 1].zone == "policy" and _condition(blocks[i - 1].text) else []
    return headings[::-1] + ([lead] if lead is not None else []) + row + _card_label(blocks, i)


def _label(b: Block) -> bool:
    """A policy heading that names a fact ("Bảo hành phần cứng"), or a short line naming one with no quantity and no
    sentence end: a card's label with a number in its words ("1 đổi 1 lỗi NSX", segmented a paragraph)."""
    t = b.text.strip()
    return b.zone == "policy" and (_is_heading(b) or _label_line(t)) and _names_fact(t)


@lru_cache(maxsize=NAMES_FACT_CACHE)
def _label_line(t: str) -> bool:
    """A short line with no sentence end and no quantity ("1 đổi 1 lỗi NSX")."""
    if len(t) > HEADING_MAX or t.endswith((".", "!", "?", ":", ";", ",")):
        return False
    f = fold(t)
    return not find_quantities(f, 0, len(f), t)


def _card_label(blocks: Sequence[Block], i: int) -> list[str]:
    """[the label] of a stat card written value first: a value alone ("30 ngày") with a label after it ("1 đổi 1
    lỗi NSX") and none before it (the card above ends in its description: "Bảo hành lỗi phần cứng ... trong 6
    tháng ..."); a value after a label is that label's ("Bảo hành" over "12 tháng"), as the headings give it."""
    if not (i < len(blocks) - 1 and _label(blocks[i + 1]) and not (i and _label(blocks[i - 1]))):
        return []
    return [blocks[i + 1].text] if _value_alone(blocks[i].text) else []


@lru_cache(maxsize=NAMES_FACT_CACHE)
def _value_alone(text: str) -> bool:
    """binding.value_line, cached (short lines only)."""
    return len(text) <= HEADING_MAX and value_line(text)


def _labelled(t: str) -> bool:
    """A short "label: value" list line ("Nội thành: 1-2 ngày")."""
    label, colon, value = t.partition(HEADING_MARK)
    return bool(colon) and len(t) <= LIST_LINE_MAX and bool(label.strip()) and bool(value.strip())


def _sibling(prev: Block, b: Block) -> bool:
    """Whether `prev` is the list line before `b` in a list of "label: value" lines, both policy, with a
    statement cue after its colon (a region's delivery time or fee) that `b`, after its own colon, lacks."""
    t, u = prev.text.strip(), b.text.strip()
    if prev.zone != "policy" or not (_labelled(t) and _labelled(u)):
        return False
    return _states(t.partition(HEADING_MARK)[2]) and not _names_fact(u.partition(HEADING_MARK)[2])


@lru_cache(maxsize=NAMES_FACT_CACHE)
def _states(text: str) -> bool:
    """Whether a text holds a statement cue (a fact cue that says what a statement is about)."""
    f = fold(text)
    return any(is_statement_cue(c) for c in find_cues(text, f, 0, len(f), []))


@lru_cache(maxsize=NAMES_FACT_CACHE)
def _names_fact(text: str) -> bool:
    """Whether a line holds a fact cue or a negative cue (what a context line is read for)."""
    f = fold(text)
    return any((c.role == "cue" and not c.weak) or c.role == "neg" for c in find_cues(text, f, 0, len(f), []))


def _bounded(f: str, lo: int, hi: int):
    """A clause longer than MAX_CLAUSE characters (a run-on list with no sentence end) is read in pieces
    cut at its last comma (else space) before the limit: matching within a clause is quadratic."""
    while hi - lo > MAX_CLAUSE:
        cut = f.rfind(",", lo + 1, lo + MAX_CLAUSE)
        if cut < 0:
            cut = f.rfind(" ", lo + 1, lo + MAX_CLAUSE)
        if cut < 0:
            yield lo, lo + MAX_CLAUSE
            lo += MAX_CLAUSE
            continue
        yield lo, cut
        lo = cut + 1
    if hi > lo:
        yield lo, hi


def extract_policy_facts(listing: Listing) -> Listing:
    """The facts stage: `extract_facts` on every policy-zone block with its context (headings and
    lead-in line above it), offsets made listing-wide; a table row under a header row that names a fact is read
    cell by cell, each under its column's header cell (`_row_facts`). An article's or advice's blocks that may state no
    shop's terms are not in the policy zone (the zones stage's last step, `text.articles.own_blocks`)."""
    facts, exceeded, counting = [], [], []
    blocks = listing.blocks
    standard_at: dict[int, bool] = {}   # whether a policy block offers a standard service, asked only by a fast one in days

    def standard(j: int) -> bool:
        if j not in standard_at:
            standard_at[j] = blocks[j].zone == "policy" and STANDARD.search(blocks[j].text) is not None
        return standard_at[j]
    for i, b in enumerate(blocks):
        if b.zone != "policy":
            continue
        following = blocks[i + 1].text if i + 1 < len(blocks) else ""
        preceding = blocks[i - 1].text if i and blocks[i - 1].zone == "policy" else ""
        folded = None   # the block's folded text, made once when a window asks
        beside = lambda i=i: any(standard(j) for j in range(max(0, i - STANDARD_REACH),   # noqa: E731
                                                             min(len(blocks), i + STANDARD_REACH + 1)))
        head = _header_cells(blocks, i) if b.kind == "row" and CELL in b.text else None
        matches = (_row_facts(b.text, head, block_context(blocks, i), following, beside, preceding) if head else
                   extract_facts(b.text, block_context(blocks, i), following, beside, preceding))
        for m in matches:
            if m.fact_type in EXCEEDED_TYPES and folded is None:
                folded = fold(b.text)
            exceeded.append(m.fact_type in EXCEEDED_TYPES and is_exceeded(folded, m.start))
            counting.append(m.fact_type in EXCEEDED_TYPES and COUNTING_RE.match(folded, m.end) is not None)
            facts.append(Fact(block_id=b.block_id, fact_type=m.fact_type, value_min=m.value_min,
                              value_max=m.value_max, unit=m.unit, qualifier=m.qualifier,
                              evidence=b.text[m.start:m.end], char_start=b.char_start + m.start,
                              char_end=b.char_start + m.end, lang=b.lang))
    if any(exceeded) and any(f.fact_type in EXCEEDED_TYPES and not x for f, x in zip(facts, exceeded)):
        facts, counting = ([f for f, x in zip(facts, exceeded) if not x],   # a passed window restates the one stated
                           [c for c, x in zip(counting, exceeded) if not x])
    if any(counting):   # "Thời hạn 7 ngày được tính theo ...": a window of that length stated elsewhere is the fact
        stated = {(f.value_max, f.unit) for f, c in zip(facts, counting) if f.fact_type in EXCEEDED_TYPES and not c}
        facts = [f for f, c in zip(facts, counting) if not (c and (f.value_max, f.unit) in stated)]
    listing.facts = facts
    return listing


def _header_cells(blocks: Sequence[Block], i: int) -> list[str] | None:
    """The header row's cells over the table row blocks[i]: the nearest row above it, across the rows of its
    table (as many cells), that holds no digit and names a fact in a cell ("Khu vực | Phí vận chuyển | Thời gian
    giao hàng"); None when there is none."""
    cells = blocks[i].text.count(CELL)
    for j in range(i - 1, max(-1, i - 1 - TABLE_REACH), -1):
        b = blocks[j]
        if b.kind != "row" or b.text.count(CELL) != cells:
            return None
        if not any(ch.isdigit() for ch in b.text):
            heads = [h.strip() for h in b.text.split(CELL)]
            return heads if any(_names_fact(h) for h in heads if h) else None
    return None


def _row_facts(text: str, heads: list[str], context: list[str], following: str,
               standard: Callable[[], bool], preceding: str) -> list[FactMatch]:
    """The facts of a table row, each cell read under its column's header cell ("Nội thành | 20.000đ | 1-2 ngày"
    under "Khu vực | Phí vận chuyển | Thời gian giao hàng": a fee and a delivery time), offsets into the row."""
    out, pos = [], 0
    for cell, head in zip(text.split(CELL), heads):
        out.extend(replace(m, start=m.start + pos, end=m.end + pos)
                   for m in extract_facts(cell, [*context, head] if head else context, following, standard, preceding))
        pos += len(cell) + len(CELL)
    return out


def is_exceeded(f: str, start: int) -> bool:
    """Whether, in the folded block text `f`, the clause of f[start:] names the window before it as passed
    ("đã qua thời hạn đổi trả quy định (07 ngày)": lexicon [exceeded])."""
    cuts = [m.end() for m in HARD_RE.finditer(f, 0, start)]
    return EXCEEDED.search(f[cuts[-1] if cuts else 0:start]) is not None
