"""Listing text → blocks (headings, bullets, paragraphs, table rows) with exact character offsets.

HTML inputs arrive with their structure as hints; plain text is read line by line: Markdown '#',
numbered, ALL-CAPS, Title Case and colon-ended short lines are headings, lines led by a bullet glyph
are bullets. Scraped descriptions often come as one long line where separators ('=====', '»', '•',
'✔', emoji) are the only structure: such lines are cut at those separators. Finally a paragraph whose
sentences are partly policy and partly product copy is cut at sentence ends, so no block straddles the
policy/description boundary. Offsets always slice back: `text[b.char_start:b.char_end] == b.text`.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from pipeline.contract.records import Block, Listing
from pipeline.text.cues import is_policy_text
from pipeline.text.spans import cut, cut_at, lines, rough_sentence_spans
from pipeline.text.line_kinds import line_kind
from pipeline.text.styles import written_in_capitals

# Inline separators inside one long line: horizontal rules, or a bullet/emoji glyph after a space.
SEP_GLYPHS = "»•●▪►✔✓✅❖★☆➤👉🔸🔹⭐💥🌟✨❤♥"
INLINE_SEP = re.compile(rf"[=\-_*~]{{3,}}|\s(?=[{SEP_GLYPHS}])")
# " - " / " + " used as bullets inside one line: a separator when a capital or digit follows and the line
# has two or more of them (an English dash aside is followed by lower case).
INLINE_DASH = re.compile(r"\s+[-+]\s+(?=[^\W_])")
LONG_LINE = 200            # lines longer than this are cut at inline separators


def may_have_inline_sep(text: str, start: int, end: int) -> bool:
    """False when INLINE_SEP cannot match in text[start:end]; a few substring finds instead of the expression
    (most long lines hold no separator). A rule needs a glyph, or a run of three of '=-_*~': with none of '=_*~'
    present, that run is '---'."""
    return (any(text.find(c, start, end) >= 0 for c in "=_*~") or text.find("---", start, end) >= 0
            or any(text.find(g, start, end) >= 0 for g in SEP_GLYPHS))


class SepIndex:
    """`may_have_inline_sep` for every line of one text from one look at the whole text: where each of its
    needles (the glyphs, '=_*~', '---') occurs, found once, then a line asks whether one lies inside it. Equal
    to `may_have_inline_sep` (tests compare the two); cheaper because a text has many long lines and most of
    the 27 needles occur nowhere in it."""

    def __init__(self, text: str):
        chars, dashes = [], []
        for needle in "=_*~" + SEP_GLYPHS:
            i = text.find(needle)
            while i >= 0:
                chars.append(i)
                i = text.find(needle, i + 1)
        i = text.find("---")
        while i >= 0:   # overlapping occurrences too: "----" holds one at each of its first two places
            dashes.append(i)
            i = text.find("---", i + 1)
        chars.sort()
        self._chars, self._dashes = chars, dashes

    def may_have(self, start: int, end: int) -> bool:
        """may_have_inline_sep(text, start, end): a needle starts at or after `start` and ends by `end`."""
        chars, dashes = self._chars, self._dashes
        i = bisect_left(chars, start)
        if i < len(chars) and chars[i] < end:
            return True
        i = bisect_left(dashes, start)
        return i < len(dashes) and dashes[i] + 3 <= end


_SIGN_SPACE = re.compile(r"[-+]\s")   # led by a character class, which `re` scans for fast (INLINE_DASH is led by \s+)


def may_have_inline_dashes(text: str, start: int, end: int) -> bool:
    """False when INLINE_DASH cannot match twice in text[start:end]: each match holds its own '-' or '+'
    followed by whitespace (and such pairs cannot overlap, so findall counts them all)."""
    return (text.count("-", start, end) + text.count("+", start, end) >= 2
            and len(_SIGN_SPACE.findall(text, start, end)) >= 2)


def _split_mixed(text: str, start: int, end: int, is_policy) -> list[tuple[int, int]]:
    """Cut a paragraph into runs of sentences that agree on being policy or not."""
    if not is_policy(text[start:end]):  # no cue anywhere: nothing to separate
        return [(start, end)]
    sents = rough_sentence_spans(text, start, end)
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


def _cut_line(text: str, s: int, e: int, seps: list) -> list[tuple[int, int]]:
    """One line of `text` as the lines it holds: a long one cut at inline separators, then at ' - ' bullets
    (`seps` holds the text's SepIndex once a long line asked for it)."""
    if e - s <= LONG_LINE:   # most lines: neither cut applies to a line this short
        return [(s, e)]
    pieces = [(s, e)]
    seps[0] = seps[0] or SepIndex(text)
    if seps[0].may_have(s, e) and INLINE_SEP.search(text, s, e):
        pieces = cut(text, s, e, INLINE_SEP)
    out = []
    for ps, pe in pieces:
        dashes = [m for m in INLINE_DASH.finditer(text, ps, pe)
                  if not text[m.end()].islower()] \
            if pe - ps > LONG_LINE and may_have_inline_dashes(text, ps, pe) else []
        if len(dashes) >= 2:
            out.extend(cut_at(text, ps, pe, dashes))
        else:
            out.append((ps, pe))
    return out


def segment(listing: Listing) -> Listing:
    """Fill `listing.blocks` from its text (and HTML hints when present). An HTML paragraph is read as a line
    of plain text is (a <p> or a <br>-ended line is how a seller's typed line arrives in HTML: "- Bảo hành 12
    tháng", "2. ĐỔI TRẢ"); the kinds the markup states (h1-h6, li, tr, a bold paragraph) stand."""
    text = listing.text
    seps: list = [None]
    # (start, end, kind, level); kind None: a line whose kind is read from its words
    if listing.hints:
        items = []
        for s, e, kind, level in listing.hints:
            if kind == "paragraph":
                items.extend((ps, pe, None, None) for ps, pe in _cut_line(text, s, e, seps))
            else:
                items.append((s, e, kind, level))
    else:
        items = [(ps, pe, None, None) for s, e in lines(text) for ps, pe in _cut_line(text, s, e, seps)]
    # In a document written in capitals case marks nothing: its lines are read in lower case, so that
    # every short line is not a heading for being in capitals (or in Title Case).
    read = [text[s:e] for s, e, _k, _l in items]
    lowered = written_in_capitals(read)
    if lowered:
        read = [t.lower() for t in read]
    spans = []
    for i, (s, e, kind, level) in enumerate(items):
        if kind is None:
            kind, level = line_kind(read[i], read[i + 1] if i + 1 < len(read) else None, lowered=lowered)
        spans.append((s, e, kind, level))
    blocks: list[Block] = []
    for s, e, kind, level in spans:
        pieces = _split_mixed(text, s, e, is_policy_text) if kind in ("paragraph", "bullet") else [(s, e)]
        for ps, pe in pieces:
            blocks.append(Block(block_id=len(blocks), kind=kind, level=level, text=text[ps:pe],
                                char_start=ps, char_end=pe))
    listing.blocks = blocks
    return listing
