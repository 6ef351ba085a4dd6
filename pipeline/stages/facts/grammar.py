"""The lexicon (lexicon/facts.toml) compiled into the regular expressions and tables of the fact grammar,
once, at import; and the result type `FactMatch`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
import re

from pipeline.lexicon import load
from pipeline.text.fold import fold
from pipeline.text.phrases import PHRASE_GAP, WORD_END, WORD_START, PhraseSet, alternation, phrase_key, trie


@dataclass(frozen=True, slots=True)
class FactMatch:
    fact_type: str
    value_min: float | None
    value_max: float | None
    unit: str            # VND, USD, hour, day, business_day, week, month, year
    qualifier: str | None
    start: int           # offsets into the `text` argument; text[start:end] is the evidence
    end: int


# Compiling the lexicon (once, at import).
LEX = load("facts")
_B = WORD_START   # word start on folded text (folded Vietnamese letters are ASCII)
_E = WORD_END     # word end



# A space inside a cue phrase: any space, hyphen, underscore or slash, but not a tab: a phrase does not
# run across table cells ("hư hại do vận chuyển <tab> Miễn phí 100%" is no "vận chuyển miễn phí").
CUE_GAP = r"[ \u00a0\u2000-\u200b\u202f\u3000\r\f\v\-_/]*"


class AsWritten:
    """Forms as written, asked whether a matched text is one of them: every letter the text writes with a
    mark must be the form's letter at its place; a letter without marks stands for any ("ngày lam việc",
    half-marked, is "ngày làm việc"; "dây", a strap, is no "day"). Spaces and hyphens are ignored.

    >>> forms = AsWritten(["ngày làm việc", "day"])
    >>> [w in forms for w in ("ngày lam việc", "NGAY LAM VIEC", "ngày làm việc", "dây", "ngáy làm việc")]
    [True, True, True, False, False]
    """

    def __init__(self, forms):
        self._forms: dict[str, set[str]] = {}
        self._exact: set[str] = set()   # the forms as written: most texts write one (a set lookup)
        for f in forms:
            self._exact.add(f.lower())
            f = PHRASE_GAP.sub("", f.lower())
            self._forms.setdefault(fold(f), set()).add(f)

    def __contains__(self, written: str) -> bool:
        w = written.lower()
        if w in self._exact:
            return True
        w = PHRASE_GAP.sub("", w)
        return any(all(c == d or c == fold(c) for c, d in zip(w, form)) for form in self._forms.get(fold(w), ()))


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
    of: tuple = ()                   # cue: a processing verb, giving its fact only in a statement of these types
    alone: tuple = ()                # cue: (value, unit) it gives when it reads no duration ("same-day")
    beyond: tuple = ()               # cue: (hours, fact type, units) a longer duration written in those units
                                     # becomes ("giao nhanh 1-2 ngày")
    replacement_only: str = ""       # cue: its fact when the statement offers only a replacement
    with_cues: tuple = ()            # cue: (cue group, fact type) pairs: its fact when a cue of that group stands
                                     # in its clause ("the 30-day guarantee to get your refund": money back)
    bound: str = ""                  # cue: "lower" when it ends in a bound word ("giao nhanh nhất 30 phút")
    before_only: bool = False        # neg: blocks only a quantity after it ("đã sử dụng trên 3 ngày")
    over_object: frozenset = frozenset()   # neg: the cues (phrase keys) it reaches after its object and a conjunction
                                           # ("xác nhận thông tin và thời gian giao hàng"), as if right before them


def _build_cues():
    """One regex for every cue-like phrase; a match is looked up by its key to find its role."""
    roles: dict[str, _Role] = {}
    phrases: list[str] = []

    def add(phrase, role):
        k = phrase_key(phrase)
        if roles.get(k, role) != role:
            raise ValueError(f"facts.toml: {phrase!r} is both {roles[k].name!r} and {role.name!r}")
        roles[k] = role
        phrases.append(phrase)

    cue_groups = {g["name"] for g in LEX["cues"]}
    for g in LEX["cues"]:
        if not set(g.get("with_cues", {})) <= cue_groups:   # a misspelt group would silently do nothing
            raise ValueError(f"facts.toml: {g['name']!r} with_cues names no cue group: {set(g['with_cues']) - cue_groups}")
        maps = tuple((kind, g[kind]) for kind in ("money", "duration") if g.get(kind))
        role = _Role("cue" if maps else "neutral", g["name"], maps, weak=bool(g.get("weak")),
                     of=tuple(g.get("of", ())), alone=tuple(g.get("alone", ())),
                     beyond=(g["beyond_hours"], g["beyond"], frozenset(g.get("beyond_units", ()))) if g.get("beyond") else (),
                     replacement_only=g.get("replacement_only", ""), bound=g.get("bound", ""),
                     with_cues=tuple(g.get("with_cues", {}).items()))
        for p in g["phrases"]:
            add(p, role)
    for g in LEX["negatives"]:
        role = _Role("neg", g["name"], tuple((k, None) for k in g["kinds"]),
                     prefix_blocks=bool(g.get("prefix_blocks")), object_after_cue=bool(g.get("object_after_cue")),
                     before_only=bool(g.get("before_only")), over_object=frozenset(map(phrase_key, g.get("over_object", ()))))
        for p in g["phrases"]:
            add(p, role)
    for p in LEX["orders"]["phrases"]:
        add(p, _Role("order", "order value"))
    for g in LEX["anchors"]:
        for p in g["phrases"]:
            add(p, _Role("anchor", g["label"], retype=tuple(g["retype"].items())))
    return re.compile(f"(?=({trie(phrases, gap=CUE_GAP)}))"), roles


CUE_RE, CUE_ROLES = _build_cues()
_free = LEX["free_values"]
# A free word written as an amount is that amount alone: "$0" is free, "$0.99" a fee.
FREE_WORD_RE = re.compile(rf"(?:{_alt(_free['words'])})(?![.,]?\d)|(?:{_alt(_free['waived'])})(?![\s\-]*phi\b)")
FREED_RE = re.compile(rf"[ \t]+(?:\d+\s+)?{_alt(_free['frees'])}")   # right after a free word: what it frees ("miễn phí lắp đặt")
FREE_SUBJECTS = set(_free["subjects"])
FREE_SUBJECT_KEYS = {phrase_key(p) for p in _free["subject_phrases"]}
FREE_MAPS = next(dict((k, g[k]) for k in ("money", "duration") if g.get(k)) for g in LEX["cues"] if g["name"] == _free["as"])
FREE_AFTER_GAP, FREE_BEFORE_GAP = int(_free["after_gap"]), int(_free["before_gap"])
FREE_NOT_AFTER_RE = re.compile(rf"(?:{_alt(LEX['clauses']['negators'])}|{_alt(_free['not_after'])})[\s\-]*$")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
FACTS = LEX["facts"]   # how a bare quantity of each fact type reads, and its special rules


def fact_config(fact: str) -> dict:
    """The lexicon's [facts.<type>] table (empty for a fact type the lexicon does not configure)."""
    return FACTS.get(fact, {})

ORDER_GAP = int(LEX["orders"]["max_gap"])
# One statement, one fact: (types of a conjoined group that are replaced, the type they become).
COMBINE = [(frozenset(c["types"]), c["as"]) for c in LEX["combine"]]
HOURS = {k: float(v) for k, v in LEX["durations"]["hours"].items()}   # hours in one unit
LIST_LINE_MAX = int(LEX["context"]["list_line_max"])
CONTEXT_HEADINGS = int(LEX["context"]["headings"])
CONTEXT_BLOCK_MAX = int(LEX["context"]["block_max"])   # a longer block is read without context
SECTION_GAP = int(LEX["context"]["section_gap"])   # blocks naming no fact a heading's context reaches across
PROMO = PhraseSet(LEX["promotions"]["words"])
CALL_TO_ACTION = PhraseSet(LEX["promotions"]["calls_to_action"])   # "FREE SHIPPING - BUY NOW": a banner
VOUCHER = PhraseSet(LEX["promotions"]["voucher_words"])   # a voucher or code: no threshold in its clause
# A negator (and a word of need) right before a voucher word: "không cần nhập mã", "no code needed".
NEGATED_RE = re.compile(rf"(?:{_alt(LEX['clauses']['negators'])})(?:\s+(?:{_alt(LEX['promotions']['voucher_need'])}))?\s*$")
REPLACEMENT = PhraseSet(LEX["remedies"]["replacement"])
REFUND_REMEDY = PhraseSet(LEX["remedies"]["refund"])
REPAIR = PhraseSet(LEX["remedies"]["repair"])   # a repair offered: a context-typed window is the warranty
REPAIR_AS = LEX["remedies"]["repair_as"]
REPAIR_TYPES = frozenset(LEX["remedies"]["repair_types"])
REPLACEMENT_SENT = re.compile(_alt(LEX["remedies"]["sent"]))   # the shop sending the replacement: its transit is no term
SENT_TYPES = frozenset(LEX["remedies"]["sent_types"])
# anchor label -> cue groups whose window counted from it is a notice on the order, no fact
NOTICE_FROM = {g["label"]: frozenset(g.get("notice_of", ())) for g in LEX["anchors"]}
EXCEEDED = PhraseSet(LEX["exceeded"]["words"])   # a window named as passed (an exclusion's restatement)
EXCEEDED_TYPES = frozenset(LEX["exceeded"]["types"])
# right after a window's quantity: how the period is counted ("Thời hạn 7 ngày được tính theo dấu bưu điện")
COUNTING_RE = re.compile(rf"\s*(?:{_alt(LEX['exceeded']['counting_after'])})")

_QUALIFIERS = {**{label: ps for label, ps in LEX["qualifiers"].items()},
               **{g["label"]: g["phrases"] for g in LEX["anchors"]}}
QUAL_LABEL = {phrase_key(p): label for label, ps in _QUALIFIERS.items() for p in ps}
QUAL_RE = re.compile(f"(?=({_alt(p for ps in _QUALIFIERS.values() for p in ps)}))")

WORDS = {fold(w): float(v) for w, v in LEX["numbers"]["words"]}
ARTICLES = {fold(w) for w in LEX["numbers"]["articles"]}   # numbers only before a unit
MODIFIER_ONLY = {phrase_key(f) for f in LEX["durations"]["modifier_only"]}   # "2 day," is "2 dây" (straps)
WORDS_WRITTEN = AsWritten(w for w, _ in LEX["numbers"]["words"])   # "ăn" folds to "an" (one): no number
MULT = {phrase_key(f): float(m["factor"]) for m in LEX["money"]["multipliers"] for f in m["forms"]}
MIN_VND = float(LEX["money"]["min_vnd"])   # a VND amount below this (no multiplier) is no amount: "30d", "3D"
CUR_AFTER = {phrase_key(f): c["unit"] for c in LEX["money"]["currencies"] for f in c["after"]}
CUR_BEFORE = {phrase_key(f): c["unit"] for c in LEX["money"]["currencies"] for f in c["before"]}
DUR_UNIT = {phrase_key(f): u["unit"] for u in LEX["durations"]["units"] for f in u["forms"]}
# A unit written with marks must carry a form's marks ("2 dây" is two straps, not "2 day"; "ngày lam việc" is
# half-marked "ngày làm việc").
UNIT_WRITTEN = AsWritten(f for u in LEX["durations"]["units"] for f in u["forms"])
# So must a multiplier ("áp dụng từ 01/01/2024 cụ thể": "cụ" is not "củ", a million).
MULT_WRITTEN = AsWritten(f for m in LEX["money"]["multipliers"] for f in m["forms"])
# Currencies the contract cannot hold ("₹3,000", "PHP 299.00", "€9.99"): a number written with one is
# no amount (RULES.md), and not a bare VND number either. Codes from the lexicon; any currency sign but
# the contract's own counts (Unicode category "Sc", see quantities.py).
FOREIGN_CODE_RE = re.compile(rf"{_alt(LEX['money']['foreign_codes'])}\.?\s?$")
FOREIGN_CODE_AFTER_RE = re.compile(rf"\s?{_alt(LEX['money']['foreign_codes'])}")   # "$50 AUD", "1,000 THB"
FOREIGN_DOLLAR_RE = re.compile(rf"{_alt(LEX['money']['foreign_dollars'])}\$\s?$")   # "S$60", "NZ$80"
# "/bình", "/km", "per kg" after an amount, or after the other end of its range written bare ("$9-229/mo"): a rate.
PER_UNIT_RE = re.compile(rf"(?:\s*[-–]\s*\d+(?:[.,]\d+)*)?\s*(?:/|{_alt(LEX['money']['per_words'])})\s*"
                         rf"(?!{_alt(LEX['money']['per_order'])})[a-z]")
OWN_SIGNS = {f for c in LEX["money"]["currencies"] for f in c["before"] + c["after"] if len(f) == 1}
OBJECT_LINK_RE = re.compile(rf"{_alt(LEX['clauses']['object_links'])}\s*$")
HEADING_MAX = int(LEX["context"]["heading_max"])
# A procedure / how-to context line: one of the lexicon's heads after a section number, icons or spaces.
PROCEDURE_RE = re.compile(rf"[\W\d_]*{_alt(LEX['context']['procedure_heads'])}")
# A procedure word right before a cue inside a line ("hướng dẫn quy trình đổi trả trong vòng 24 giờ").
PROCEDURE_WORD_RE = re.compile(rf"{_alt(LEX['context']['procedure_words'])}\s*$")
_freq = LEX["durations"]["frequency"]
# "7 days a week": after a duration of the key unit, a frequency word and a longer period (see the lexicon)
FREQUENCY_RE = {unit: re.compile(rf"\s*(?:(?P<every>{_alt(_freq['words'])})|{_alt(_freq['whole_words'])})\s*"
                                 rf"(?P<period>{_alt(periods)})\b(?!\s*\d)")
                for unit, periods in _freq["periods"].items()}
FREQUENCY_WHOLE = {phrase_key(k): float(v) for k, v in _freq["whole"].items()}   # "7 ngày trong tuần": the whole week
# "trong ngày hoặc 24h": a joiner between two durations of one length (the second restates the first).
RESTATE_RE = re.compile(rf"\s*{_alt(LEX['durations']['restate_joiners'])}\s*")
CONVERT = {k: (v[0], float(v[1])) for k, v in LEX["durations"]["convert"].items()}
# Words whose folded form is also another word: they count only as written, or with no marks at all.
STRICT = {phrase_key(w): {w.lower(), fold(w)} for w in LEX["clauses"]["strict"]}
CLOCK = LEX["clock"]
CLOCK_UNITS = {phrase_key(f) for f in CLOCK["units"]}

_DURATION_FORMS = _forms(f for u in LEX['durations']['units'] for f in u['forms'])
_MULTIPLIER_FORMS = _forms(f for m in LEX['money']['multipliers'] for f in m['forms'])
# (The forms are escaped by the alternation builder, so VERBOSE leaves them alone.)
ATOM_RE = re.compile(rf"""
    (?<![a-z0-9.,$₫])                                         # not inside a number or a word
    (?<!\d/)                                                 # nor a date or a fraction: 01/2024, 24/7
    (?:(?P<pre>{_forms(CUR_BEFORE)})\s?)?                      # currency before: $ 4.99
    (?P<num>\d+(?:[.,]\d+)*|{_forms(WORDS)}{_E})                # 500.000 / 4.99 / a number word
    (?:
        (?:\s*\([a-z\s]{{1,30}}\))?                            # the number spelled out: 03 (ba) ngày
        [\s-]*(?P<unit>{_DURATION_FORMS}){_E}                  # a duration: 24h, 30-day, 3 ngày
      | \s*(?P<mult>{_MULTIPLIER_FORMS})(?P<frac>\d{{1,3}})?{_E}  # a multiplier: 500K, 1tr5...
        (?:\s*(?P<cur>{_forms(CUR_AFTER)}){_E})?               # ...and a currency: 500k đ
      | \s*(?P<cur2>{_forms(CUR_AFTER)}){_E}                    # a currency after: 500.000đ
      | {_E}                                                   # a bare number
    )
""", re.VERBOSE)
RANGE_SEP_RE = re.compile(rf"\s*{_alt(LEX['ranges']['separators'])}\s*")
AND_KEYS = {phrase_key(w) for w in LEX["ranges"]["needs_opener"]}
OPENER_BEFORE_RE = re.compile(rf"{_alt(LEX['ranges']['openers'])}\s*$")
_bounds = LEX["bounds"]
LEFT_RE = re.compile(rf"""
    (?:
        (?P<opener>{_alt(LEX['ranges']['openers'])})       # opens a range: từ 2 (đến 4)
      | (?P<upper>{_alt(_bounds['upper_before'])})         # an upper bound: trong vòng, within
      | (?P<lower>{_alt(_bounds['lower_before'])})         # a lower bound: từ, over, at least
      | (?P<lower_money>{_alt(_bounds['lower_before_money'])})   # ... before an amount only: quá 150k
    )[\s:]*$
""", re.VERBOSE)
# A link word between a bound word and its quantity ("tối thiểu là 20k", "minimum is $50"): looked for in a
# short window only when no bound word ends right before the quantity (LEFT_RE is then tried before it).
LINK_RE = re.compile(rf"{_alt(_bounds['links'])}[\s:]*$")
LINK_WINDOW = 8   # characters before a quantity searched for a link word
_after_words = [w for w in _bounds["lower_after"] if w[0].isalnum()]
_after_signs = [w for w in _bounds["lower_after"] if not w[0].isalnum()]   # "$49+": attached only
RIGHT_RE = re.compile(rf"""
    (?P<upper>\s*{_alt(_bounds['upper_after'])})          # an upper bound after: (3 ngày) trở lại
  | (?P<lower>
        \s*{_alt(_after_words)}                           # a lower bound word after: (500K) trở lên
      | {_alt(_after_signs)}                              # a sign attached: $49+
    )
""", re.VERBOSE)
UPPER_KEYS = {phrase_key(p) for p in _bounds["upper_before"]}
LOWER_KEYS = {phrase_key(p) for p in _bounds["lower_before"]}
COUNTED_FROM_RE = re.compile(_alt(LEX["counted_from"]["words"]))
_promo = LEX["promotions"]
_count_after_words = [w for w in _promo["count_after"] if len(w) > 1]
_count_after_signs = [re.escape(w) for w in _promo["count_after"] if len(w) == 1]
COUNT_RE = re.compile(rf"""
    {_alt(_promo['count_before'])}\s*[^\s\w]{{0,3}}\s*[a-z]{{0,3}}\.?\s*\d+  # after "từ", "over" (a sign or code
                                                                 # between): từ 03 bình, over ₹999
  | \d+\s*[a-z]{{0,8}}\s*{_alt(_count_after_words)}         # a number before "trở lên": 2 bộ trở lên
  | \d+(?:{"|".join(_count_after_signs)})                  # a sign attached: 25,000+
""", re.VERBOSE)
# "phí 10% giá trị sản phẩm": a charge as a share of a value (an amount bound after it is the share's bound).
SHARE_RE = re.compile(rf"\d+(?:[.,]\d+)?\s*%\s*{_alt(LEX['money']['share_of'])}")
# "8 sản phẩm ... từ 80.000đ": an item count before an amount (a price per item, no order value).
ITEM_COUNT_RE = re.compile(rf"\d+\s*{_alt(_promo['item_words'])}")
# "shipping an item over $75": an item word right before a bound amount names the item's value, no fee.
ITEM_VALUE_RE = re.compile(rf"{_alt(_promo['item_words'])}\s+(?:{_alt(_bounds['lower_before'])}\s*)?$")
STARTS_AFTER_RE = re.compile(rf"{_alt(_bounds['starts_after'])}\s*$")   # "sau 7 ngày bảo hành": when it starts
STARTS_AFTER_TYPES = frozenset(_bounds["starts_after_types"])
# A clause whose condition is left to the next line: "Miễn ship vận chuyển khi mua".
FOOTNOTE_MARKS = tuple(_promo["footnote_marks"])   # "Freeship toàn quốc*": the condition is in the footnote
_MARK = "[" + "".join(map(re.escape, FOOTNOTE_MARKS)) + "]+"
# A footnote mark beside its note's own bracket is no clause break: the note is there and continues the clause.
NOTE_MARK_RE = re.compile(rf"""
    (?<=\(){_MARK}(?=\s*[^\s)])   # "Freeship (*áp dụng cho đơn từ 99k)": the mark opens the note's bracket
    | {_MARK}(?=\s*\((?!{_MARK}))   # "Freeship* (áp dụng cho đơn từ 99k)": the mark points at the bracket after it
    """, re.X)
# A footnote mark ending a line ("Free shipping*", "… toàn quốc (*)"): the line's statement is the text before it.
MARK_END_RE = re.compile(rf"\s*(?:\(\s*{_MARK}\s*\)|{_MARK})[\s:]*$")
DANGLING_RE = re.compile(rf"{_alt(_promo['dangling_ends'])}[\W_]*$")
TITLE_RE = re.compile(rf"(?:[\W\d_]|{_alt(_promo['title_words'])})*")
RETURN_TRIP = PhraseSet(_promo["return_trip"])
UNREAD_CONDITION = PhraseSet(_promo["unread_conditions"])
# what may stand between an order amount and "miễn phí": punctuation, a link word ("được miễn phí")
FREE_AFTER_AMOUNT_GAP = re.compile(rf"[\s:=\t\-–]*(?:(?:{_alt(LEX['free_values']['tier_links'])})\s*)?")
FREE_BEFORE_TIER_GAP = int(LEX["free_values"]["before_tier_gap"])   # "free for orders from 500.000 VNĐ"
FREE_TIER_LEAD_RE = re.compile(rf"""(?:   # ... with nothing between but
      [\s:\-–]                                   # spaces and dashes
    | {_alt(LEX['free_values']['tier_leads'])}    # link words ("với", "for orders", "on all")
    | {_alt(LEX['orders']['phrases'])}            # an order word ("đơn hàng", "orders")
)*""", re.VERBOSE)
FREE_ENDS_RE = re.compile(r"[^\w,;.!?(]*(?:[,;.!?(]|$)")   # ... and after it: nothing said free ("miễn phí lắp đặt")
DENIED_BEFORE_RE = re.compile(rf"(?:{_alt(_promo['denied_before'])})\s*$")   # "không hỗ trợ" + a free-shipping cue
DENIED_AFTER_RE = re.compile(rf"\s*(?:{_alt(_promo['denied_after'])})")       # a free-shipping cue + "is not available"
LIMITED_OFFER = PhraseSet(_promo["limited_offers"])   # a period, members, a first order, an app: a promotion
NAMED_MONTH_RE = re.compile(rf"{_alt(_promo['month_openers'])}\s*\d{{1,2}}(?![\d/.,])")   # "trong tháng 12": a period
_DATE = r"(?<![\d/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])"   # 15/11, 31/12/2023 (not a fraction of a longer number)
DATE_SPAN_RE = re.compile(rf"{_DATE}\s*(?:{_alt(_promo['date_span_joiners'])})\s*(?:ngay\s*)?{_DATE}")   # a period
MENTION = PhraseSet(_promo["mentions"])   # free shipping talked about (advice to sellers), not offered
MENTION_OPEN_RE = re.compile(rf"[\W\d_]*(?:{_alt(_promo['mention_openers'])})\b")
LEVEL_AFTER_RE = re.compile(rf"\s*(?:{_alt(_promo['level_after'])})")   # "the free shipping mark": a level named
REFER_BEFORE_RE = re.compile(rf"{_alt(_promo['refer_before'])}\s+$")   # "this free shipping offer": one stated elsewhere
QUOTES = "\"“”"   # a cue in quotation marks is mentioned, not stated
# A bracketed tag ([promotions] tag_brackets): an opening bracket, at most tag_max characters with no bracket, its closing one.
TAG_OPEN = "".join(b[0] for b in _promo["tag_brackets"])
TAG_RE = re.compile("|".join(rf"{re.escape(b[0])}[^{re.escape(TAG_OPEN)}{re.escape(b[1])}\n]{{1,{int(_promo['tag_max'])}}}"
                             rf"{re.escape(b[1])}" for b in _promo["tag_brackets"]))
TAG_TYPES = frozenset(_promo["tag_types"])   # the fact types whose cue makes a bracket a shipping tag
DEDUCTED = PhraseSet(LEX["money"]["deducted"])   # a fee deducted from a refund: no order's shipping fee
# Between two amounts of a worked sum: an operator alone, or a dash in a chain that holds one.
OPERATOR_RE = re.compile(rf"\s*(?:{'|'.join(re.escape(o) for o in LEX['money']['operators'])})\s*")
STANDARD = PhraseSet(LEX["context"]["standard_service"])   # a standard service offered beside a fast one
STANDARD_REACH = int(LEX["context"]["standard_reach"])
EXAMPLE = PhraseSet([p for g in LEX["negatives"] if g.get("clause_wide") for p in g["phrases"]])   # to the clause's end
URL_RE = re.compile(rf"(?:{'|'.join(re.escape(u) for u in LEX['context']['url_starts'])})[^\s()<>]+")
# Durations written without a number ("trong ngày"): the phrase and its (max, unit).
_day_phrases = LEX["durations"]["phrases"]
DAY_PHRASE = {phrase_key(f): (float(d["max"]), d["unit"]) for d in _day_phrases for f in d["forms"]}
DAY_PHRASE_RE = re.compile(rf"(?:{_alt(f for d in _day_phrases for f in d['forms'])})"
                           rf"(?!\s*(?:\d|{_alt(LEX['durations']['phrases_not_before'])}))")
DATE_BEFORE_RE = re.compile(rf"{_alt(LEX['dates']['before'])}\s*$")
DATE_AFTER_RE = re.compile(LEX["dates"]["after_pattern"])
CLOCK_LEFT_RE = re.compile(rf"{_alt(CLOCK['before'])}\s*$")
CLOCK_AFTER_RE = re.compile(rf"{_alt(CLOCK['after'])}\s*$")
NOT_OFFERED = PhraseSet(LEX["clauses"]["not_offered"])   # "(Coming Soon)": a service not offered yet, no term
NEGATOR_RE = re.compile(rf"{_alt(LEX['clauses']['negators'])}[\s\-]*$")
CONJ_RE = re.compile(rf"\s*(?:,|{_alt(LEX['clauses']['conjunctions'])})\s*")
# A return cue after a free-shipping cue, a conjunction (and a free word: "free" said again) alone between: a second
# offer, not the return's shipping ("Free shipping and free returns on all orders", "Miễn phí vận chuyển và đổi trả cho
# mọi đơn hàng"; `binding.is_promotion`).
ALSO_FREE_RE = re.compile(rf"\s*(?:{_alt(LEX['clauses']['conjunctions'])})\s*(?P<again>(?:{_alt(_free['words'])})\s*)?")
# An object of one or two words and a conjunction between a negative and a cue (`over_object`): " thông tin và ".
OBJECT_CONJ_RE = re.compile(rf"\s+[a-z]+(?:\s+[a-z]+)?\s*(?:{_alt(LEX['clauses']['conjunctions'])})\s*")

# Hard breaks; a '.' between digits is a number (500.000, $4.99), not a sentence end, nor is one that abbreviates a
# currency code before its number ("Rs. 999", "Rs.999": the amount stays in the clause of its cue). The codes are
# looked behind only once a '.' matched (tried at every position, they made the pass 12x slower).
_CODE_DOT = "|".join(rf"(?<=\b{re.escape(c)}\.)" for c in LEX["money"]["foreign_codes"])
HARD_RE = re.compile("|".join([re.escape(c) for c in LEX["clauses"]["hard"]]
                              + [rf"(?:\.(?!\d)|(?<!\d)\.)(?!(?:{_CODE_DOT})\s?\d)"]))
# A comma between digits is a number too (500,000).
SOFT_RE = re.compile("|".join(rf"(?<!\d){re.escape(c)}|{re.escape(c)}(?!\d)" if c in ",，" else re.escape(c)
                               for c in LEX["clauses"]["soft"]))
HEADING = LEX["clauses"]["heading_mark"]
HEADING_MARK = HEADING.strip()
QUESTION = LEX["clauses"]["question_mark"]
QUAL_LINK_RE = re.compile(rf"{_alt(LEX['qualifier_links']['before'])}\s*$")
# Only punctuation/space between a segment start and a quantity, or a hedge ("(thông thường là 12 tháng)",
# ", usually 3-5 days": lexicon [clauses] hedges) with its link word.
# ... or an area it names (", ngoại thành 25k", ", các tỉnh khác 30k": lexicon [clauses] area_leads and the area qualifiers).
_AREAS = [*LEX["clauses"]["area_leads"], *(p for q in LEX["clauses"]["area_qualifiers"] for p in LEX["qualifiers"][q])]
SEG_LEAD_RE = re.compile(rf"[\W_]*(?:(?:{_alt(LEX['clauses']['hedges'])})[\W_]*(?:(?:{_alt(LEX['bounds']['links'])})[\W_]*)?"
                         rf"|(?:{_alt(_AREAS)})[\W_]*)?")


def find_phrases(regex: re.Pattern, f: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Non-overlapping phrase matches in f[lo:hi], longer ones first: "được giao hàng miễn phí" is a
    free-shipping cue, though "được giao" starts earlier. (`regex` is a lookahead: every start.)"""
    found = sorted(((m.start(), m.end(1)) for m in regex.finditer(f, lo, hi)),
                   key=lambda se: (se[0] - se[1], se[0]))
    taken: list[tuple[int, int]] = []
    for s, e in found:
        if all(e <= ts or te <= s for ts, te in taken):
            taken.append((s, e))
    return [(s, e, f[s:e]) for s, e in sorted(taken)]
