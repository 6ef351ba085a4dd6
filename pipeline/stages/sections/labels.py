"""Labels of inferred sections: the leading clause of a paragraph, or the keys of a 'key: value' list.
"""
from __future__ import annotations

import re

from pipeline.text.styles import BULLET_LEAD

from .lexicon import KEY_VALUE, LABEL_END, section_rules

# Where a text's second whitespace-separated word has begun: a prefix text[:s] splits into two or more words
# exactly when s reaches this match's end (`re`'s \s and \S are str.split's whitespace and the rest).
_TWO_WORDS = re.compile(r"\s*\S+\s+\S")


def label(text: str) -> str:
    """Leading clause of a text (bullet glyphs dropped), at most `label_words` words: `label_reference`, with
    each clause end's "two words before it" read off one match instead of splitting the text before it (tests
    compare the two)."""
    text = _unbulleted(text)
    clause = text
    two = _TWO_WORDS.match(text)
    if two is not None:
        at = two.end()
        for m in LABEL_END.finditer(text):
            if m.start() >= at:
                clause = text[: m.start()]
                break
    return _first_words(clause, text)


def label_reference(text: str) -> str:
    """`label` splitting the text before each clause end to count its words."""
    text = _unbulleted(text)
    clause = text
    for m in LABEL_END.finditer(text):
        if len(text[: m.start()].split()) >= 2:
            clause = text[: m.start()]
            break
    return _first_words(clause, text)


def _unbulleted(text: str) -> str:
    text = text.strip()
    lead = BULLET_LEAD.match(text)   # anchored at the start: what sub(count=1) removed, without its scan
    return text if lead is None else text[lead.end():]


def _first_words(clause: str, text: str) -> str:
    n = int(section_rules()["label_words"])
    words = clause.split(maxsplit=n)[:n]   # the first n words, without splitting the rest
    return " ".join(words).strip(" -•*#") or text[:60]


def list_label(items: list[str]) -> str:
    """'key: value' items → their first three keys; other lists → the first item's leading clause."""
    keys = []
    for it in items:
        m = KEY_VALUE.match(it)
        if m and len(m.group(1).split()) <= 5:
            keys.append(BULLET_LEAD.sub("", m.group(1)).strip())
    if len(keys) >= max(2, len(items) // 2):
        return ", ".join(keys[:3])
    return label(items[0])
