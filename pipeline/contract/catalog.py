"""One catalog row per listing: the clean description and the policy facts as typed columns.

The policy columns and how they are filled are declared in the registry (`kinds.FACT_TYPES`: each fact
type's columns, with the value they pick, their kind and how several facts combine); this module only
applies them. In the shipped registry: where a listing states a fact more than once the first statement
wins (reading order), except for the shipping fee, whose lowest and highest values are both kept.
Money is exact (a Decimal at the currency's ISO 4217 decimal places) in the row's `currency`, the
currency of the listing's first money fact; money facts in another currency are not mixed in. Durations
are the numbers as stated, with the unit in the fact type's `_unit` column (the first fact that sets a
type's columns sets its unit; later facts in another unit do not combine with it).
"""
from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal

from . import kinds
from .records import Fact, Listing

# Markup that must not reach a "clean" description: a catalog may render description_text into HTML.
_MARKUP = re.compile(r"""
      <(script|style|iframe|object|embed|noscript|template|svg|math)\b[^>]*>.*?</\1\s*>   # code-bearing element, content too
    | <!--.*?(?:-->|$)                                  # a comment (or one left open)
    | </?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>         # any other tag: opening, closing or self-closing
    """, re.VERBOSE | re.DOTALL | re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""
      \b(?:java|vb)script:\S+                           # javascript:... / vbscript:... (no space after the colon)
    | \bdata:[\w.+-]+/[\w.+-]+[;,]\S*                   # data:text/html;base64,...
    """, re.VERBOSE | re.IGNORECASE)
# Unicode bidirectional embedding/override/isolate controls: they reorder how text is displayed. (A regex,
# not str.translate: translate looks every character of a non-ASCII text up in a dict, 9x slower here.)
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Its nine characters, each looked for by `in` (a memchr-like scan) before the class runs: a text without one
# (nearly all) skips it (issue 16: 0.06-0.10 -> 0.02 ms per bench description; tests/test_speed_write.py).
_BIDI_CHARS = tuple(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Every _SCRIPT_URL match has a colon right after "script" or "data" (the same IGNORECASE folding): texts
# without one skip _SCRIPT_URL, whose word-boundary alternation is tried at every position (0.3 ms a text).
_URL_COLON = re.compile(r"(?:script|data):", re.IGNORECASE)
_URL_COLON_BACK = len("script")


def _may_hold_script_url(text: str) -> bool:
    i = text.find(":")
    while i >= 0:
        if _URL_COLON.search(text, max(0, i - _URL_COLON_BACK), i + 1):
            return True
        i = text.find(":", i + 1)
    return False


def clean_text(text: str) -> str:
    """Text with no markup: HTML character references decoded once (so an escaped `&lt;script&gt;` cannot
    turn into live markup downstream), then HTML tags and comments removed (script, style and iframe elements with their
    content), javascript:/vbscript:/data: URLs removed, bidi controls removed; where something was
    removed, the spaces it leaves are collapsed and lines left empty dropped. Text without markup is
    returned unchanged.

    >>> clean_text("Áo <script>alert(1)</script> cotton <b>mềm</b>")
    'Áo cotton mềm'
    >>> clean_text('Xem <a href="javascript:alert(2)">ở đây</a> javascript:alert(3)')
    'Xem ở đây'
    >>> clean_text("Mũ &lt;script&gt;alert(4)&lt;/script&gt; kaki &amp; len")
    'Mũ kaki & len'
    >>> clean_text("size < 5 và > 3, 2<3")
    'size < 5 và > 3, 2<3'
    """
    cleaned = _MARKUP.sub("", html.unescape(text) if "&" in text else text)
    if _may_hold_script_url(cleaned):
        cleaned = _SCRIPT_URL.sub("", cleaned)
    if not cleaned.isascii() and any(c in cleaned for c in _BIDI_CHARS):
        cleaned = _BIDI.sub("", cleaned)
    if cleaned == text:
        return text
    lines = (re.sub(r"[ \t]{2,}", " ", line).strip() for line in cleaned.split("\n"))
    return "\n".join(line for line in lines if line)


@functools.cache
def _wrapper_headings() -> frozenset[str]:
    from pipeline.lexicon import load
    return frozenset(unicodedata.normalize("NFC", h).casefold() for h in load("catalog")["description"]["wrapper_headings"])


def _is_wrapper_heading(text: str) -> bool:
    return unicodedata.normalize("NFC", text).strip().rstrip(":：").strip().casefold() in _wrapper_headings()


def description_text(listing: Listing) -> str:
    """The description-zone blocks joined by newlines, without a leading wrapper heading ("Mô tả sản
    phẩm", lexicon/catalog.toml) and with no markup (`clean_text`)."""
    desc = [b for b in listing.blocks if b.zone == "description"]
    if desc and desc[0].kind == "heading" and _is_wrapper_heading(desc[0].text):
        desc = desc[1:]
    return clean_text("\n".join(b.text for b in desc))


def _pick(f: Fact, pick: str) -> float | None:
    if pick == "lower":
        return f.value_min if f.value_min is not None else f.value_max
    if pick == "upper":
        return f.value_max if f.value_max is not None else f.value_min
    if pick == "min":
        return f.value_min
    if pick == "max":
        return f.value_max
    if pick == "lower_or_zero":
        return f.value_min if f.value_min is not None else 0.0
    raise ValueError(f"unknown pick {pick!r}")


def column_value(f: Fact, col: kinds.Column):
    """The value a fact gives a column: money as an exact Decimal at its currency's decimal places,
    durations as stated; None when the fact's unit does not fit the column's kind.

    >>> f = Fact(0, "warranty_period", None, 12, "month", None, "", 0, 0, "vi")
    >>> column_value(f, kinds.Column("warranty_period", "upper", "duration", "first", ""))
    12.0
    >>> column_value(f, kinds.Column("x", "upper", "money", "first", "")) is None
    True
    >>> column_value(Fact(0, "shipping_fee", 4.99, None, "USD", None, "", 0, 0, "en"),
    ...              kinds.Column("x", "lower", "money", "min", ""))
    Decimal('4.99')
    """
    value = _pick(f, col.pick)
    unit = kinds.UNITS.get(f.unit)
    if value is None or unit is None or unit.dimension != col.unit:
        return None
    if unit.dimension == "money":
        return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-(unit.minor_units or 0)), ROUND_HALF_EVEN)
    return float(value)


@functools.cache
def _plan(types: tuple[str, ...]):
    """fact type -> (its "first" columns, its "min"/"max" columns, the row key holding its unit)."""
    return {name: (tuple(c for c in kinds.FACT_TYPES[name].columns if c.combine == "first"),
                   tuple(c for c in kinds.FACT_TYPES[name].columns if c.combine != "first"),
                   kinds.CURRENCY_COLUMN if any(c.unit == "money" for c in kinds.FACT_TYPES[name].columns)
                   else kinds.unit_column(name))
            for name in types}


def catalog_row(listing: Listing) -> dict:
    row = {"doc_id": listing.doc_id, "record_id": listing.record_id, "source": listing.source,
           "title": listing.title,
           "extra": None if listing.extra is None else json.dumps(listing.extra, ensure_ascii=False, sort_keys=True),
           "description_text": description_text(listing)}
    row[kinds.CURRENCY_COLUMN] = None
    for t in kinds.FACT_TYPES:
        row.update(dict.fromkeys(c.name for c in kinds.FACT_TYPES[t].columns))
        if kinds.unit_column(t):
            row[kinds.unit_column(t)] = None
    row["n_policy_facts"] = len(listing.facts)
    plan = _plan(tuple(kinds.FACT_TYPES))
    done: set[str] = set()   # fact types whose "first" columns are set
    for f in listing.facts:
        if f.fact_type not in plan:
            continue
        first, folded, unit_key = plan[f.fact_type]
        if unit_key and row[unit_key] is not None and row[unit_key] != f.unit:
            continue   # another currency or unit than the one this row's columns are in
        if first and f.fact_type not in done:
            values = [column_value(f, c) for c in first]
            if any(v is not None for v in values):
                done.add(f.fact_type)
                row.update(zip((c.name for c in first), values))
                if unit_key:
                    row[unit_key] = f.unit
        for c in folded:
            v = column_value(f, c)
            if v is not None:
                old = row[c.name]
                row[c.name] = v if old is None else (min(old, v) if c.combine == "min" else max(old, v))
                if unit_key:
                    row[unit_key] = f.unit
    if listing.quality is not None:
        row.update(listing.quality.as_dict())   # description_lang and the quality flags
    return row
