"""Spans (start, end) into a text: trimming, cutting at separators, lines, and a cheap sentence cut.

Offsets always slice back: `text[s:e]` is the piece, surrounding whitespace removed.
"""
from __future__ import annotations

import re

# Punctuation ending a sentence, closing quotes/brackets, space, then a capital (or digit) opening the next.
ROUGH_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[^\W\d_a-zđ]|\d)")
_NEWLINE = re.compile("\n")


def strip_spans(text: str, spans) -> list[tuple[int, int]]:
    """Spans with surrounding whitespace removed; empty ones dropped.

    >>> strip_spans("  ab  \\n c ", [(0, 6), (6, 7), (7, 10)])
    [(2, 4), (8, 9)]
    """
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def cut(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Split text[start:end] at the matches of `pattern`, dropping separators and empty pieces."""
    pieces, pos = [], start
    for m in pattern.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    return strip_spans(text, pieces)


def cut_at(text: str, start: int, end: int, matches: list[re.Match]) -> list[tuple[int, int]]:
    """Split text[start:end] at the given separator matches."""
    bounds = [start] + [x for m in matches for x in (m.start(), m.end())] + [end]
    return strip_spans(text, zip(bounds[::2], bounds[1::2]))


def lines(text: str) -> list[tuple[int, int]]:
    """Non-empty lines as stripped (start, end) spans.

    >>> lines("a\\n\\n  b c \\n")
    [(0, 1), (5, 8)]
    """
    return cut(text, 0, len(text), _NEWLINE)


def rough_sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Cheap sentence cut (punctuation then a capital or digit), for segmentation only (sentences proper
    are `pipeline.text.sentences`).

    >>> rough_sentence_spans("Đổi trả 7 ngày. Áo đẹp. vải tốt")
    [(0, 15), (16, 31)]
    """
    return cut(text, start, len(text) if end is None else end, ROUGH_SENTENCE_END)
