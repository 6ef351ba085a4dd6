"""Listing text → blocks (headings, bullets, paragraphs, table rows) with exact character offsets.

HTML inputs arrive with their structure as hints; plain text is read line by line: Markdown '#',
numbered, ALL-CAPS, Title Case and colon-ended short lines are headings, lines led by a bullet glyph
are bullets. Scraped descriptions often come as one long line where separators ('=====', '»', '•',
'✔', emoji) are the only structure: such lines are cut at those separators. Finally a paragraph whose
sentences are partly policy and partly product copy is cut at sentence ends, so no block straddles the
policy/description boundary. Offsets always slice back: `text[b.char_start:b.char_end] == b.text`.
"""
from __future__ import annotations

import functools
import re

from .lexicon import load
from .normalize import fold
from .records import Block, Listing

BULLET = re.compile(r"^(?:[-*+•●○◦▪▫■□►▸▶➤➢→⇒✓✔✅☑❖◆◇★☆♦✿❀❥♥❤✨🔸🔹🔶🔷👉⭐💥🌟✪➜➔»]|\d{1,2}[.)](?!\d)|[a-z][.)]\s)\s*")
MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
NUMBERED_HEADING = re.compile(r"^(?:(\d{1,2}(?:\.\d{1,2})*)[.)]?|[IVX]{1,4}\.|(?:bước|phần|chương|step|part)\s+\d{1,2}\s*[:.]?)\s+\S", re.I)
# Inline separators inside one long line: horizontal rules, or a bullet/emoji glyph after a space.
INLINE_SEP = re.compile(r"[=\-_*~]{3,}|\s(?=[»•●▪►✔✓✅❖★☆➤👉🔸🔹⭐💥🌟✨❤♥])")
# " - " / " + " used as bullets inside one line: a separator when a capital or digit follows and the line
# has two or more of them (an English dash aside is followed by lower case).
INLINE_DASH = re.compile(r"\s+[-+]\s+(?=[^\W_])")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[^\W\d_a-zđ]|\d)")
TERMINAL = ".!?…;,"
LONG_LINE = 200


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def _is_title_case(words: list[str]) -> bool:
    alpha = [w for w in words if w[:1].isalpha()]
    return len(alpha) >= 2 and sum(w[0].isupper() for w in alpha) / len(alpha) >= 0.75


@functools.cache
def _known_headings() -> frozenset[str]:
    return frozenset(fold(h) for zone in load("zones")["headings"].values() for h in zone)


def _known_heading(text: str) -> bool:
    return fold(text).strip(" :.-#*").strip() in _known_headings()


def _line_kind(line: str, next_line: str | None) -> tuple[str, int | None]:
    m = MD_HEADING.match(line)
    if m:
        return "heading", len(m.group(1))
    words = line.split()
    short = len(words) <= 12 and len(line) <= 90
    open_end = line.rstrip()[-1:] not in TERMINAL
    # "1. Giới thiệu" / "Bước 2:" / "II." open a section when body text (not another item) follows.
    if short and open_end and (m := NUMBERED_HEADING.match(line)) and next_line is not None \
            and not NUMBERED_HEADING.match(next_line) and not BULLET.match(next_line):
        return "heading", None  # numbering depth is a style, not a source level; sections reads it
    if BULLET.match(line):
        return "bullet", None
    if short and (_known_heading(line) or line.rstrip().endswith(":") and len(words) <= 8):
        return "heading", None
    if short and open_end and (_is_caps(line) or _is_title_case(words)):
        return "heading", None
    if (len(words) <= 8 and open_end and next_line is not None
            and len(next_line) >= max(100, 3 * len(line)) and not BULLET.match(next_line)):
        return "heading", None
    return "paragraph", None


def _strip(text: str, spans) -> list[tuple[int, int]]:
    """Spans with surrounding whitespace removed; empty ones dropped."""
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


_NEWLINE = re.compile("\n")


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-empty lines as stripped (start, end) spans."""
    return _cut(text, 0, len(text), _NEWLINE)


def _cut(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Split text[start:end] at the matches of `pattern`, dropping separators and empty pieces."""
    pieces, pos = [], start
    for m in pattern.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    return _strip(text, pieces)


def _cut_at(text: str, start: int, end: int, matches: list[re.Match]) -> list[tuple[int, int]]:
    """Split text[start:end] at the given separator matches."""
    bounds = [start] + [x for m in matches for x in (m.start(), m.end())] + [end]
    return _strip(text, zip(bounds[::2], bounds[1::2]))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Cheap sentence cut (punctuation then a capital or digit), for segmentation only."""
    return _cut(text, start, len(text) if end is None else end, SENTENCE_END)


def _split_mixed(text: str, start: int, end: int, is_policy) -> list[tuple[int, int]]:
    """Cut a paragraph into runs of sentences that agree on being policy or not."""
    if not is_policy(text[start:end]):  # no cue anywhere: nothing to separate
        return [(start, end)]
    sents = sentence_spans(text, start, end)
    if len(sents) < 2:
        return [(start, end)]
    flags = [is_policy(text[s:e]) for s, e in sents]
    if len(set(flags)) == 1:
        return [(start, end)]
    runs, run_start = [], sents[0][0]
    for i in range(1, len(sents)):
        if flags[i] != flags[i - 1]:
            runs.append((run_start, sents[i - 1][1]))
            run_start = sents[i][0]
    runs.append((run_start, sents[-1][1]))
    return runs


def segment(listing: Listing) -> Listing:
    """Fill `listing.blocks` from its text (and HTML hints when present)."""
    from .zones import is_policy_text  # zones owns the cue words; imported late to keep modules independent

    text = listing.text
    if listing.hints:
        spans = [(s, e, kind, level) for s, e, kind, level in listing.hints]
    else:
        lines = []
        for s, e in _lines(text):
            if e - s > LONG_LINE and INLINE_SEP.search(text, s, e):
                pieces = _cut(text, s, e, INLINE_SEP)
            else:
                pieces = [(s, e)]
            for ps, pe in pieces:
                dashes = [m for m in INLINE_DASH.finditer(text, ps, pe)
                          if not text[m.end()].islower()] if pe - ps > LONG_LINE else []
                if len(dashes) >= 2:
                    lines.extend(_cut_at(text, ps, pe, dashes))
                else:
                    lines.append((ps, pe))
        spans = []
        for i, (s, e) in enumerate(lines):
            nxt = text[lines[i + 1][0]:lines[i + 1][1]] if i + 1 < len(lines) else None
            kind, level = _line_kind(text[s:e], nxt)
            spans.append((s, e, kind, level))
    blocks: list[Block] = []
    for s, e, kind, level in spans:
        pieces = _split_mixed(text, s, e, is_policy_text) if kind in ("paragraph", "bullet") else [(s, e)]
        for ps, pe in pieces:
            blocks.append(Block(block_id=len(blocks), kind=kind, level=level, text=text[ps:pe],
                                char_start=ps, char_end=pe))
    listing.blocks = blocks
    return listing
