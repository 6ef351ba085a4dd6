"""Labels of inferred sections: the leading clause of a paragraph, or the keys of a 'key: value' list.
"""
from __future__ import annotations

from pipeline.text.styles import BULLET_LEAD

from .lexicon import KEY_VALUE, LABEL_END, section_rules


def label(text: str) -> str:
    """Leading clause of a text (bullet glyphs dropped), at most `label_words` words."""
    text = text.strip()
    lead = BULLET_LEAD.match(text)   # anchored at the start: what sub(count=1) removed, without its scan
    if lead is not None:
        text = text[lead.end():]
    n = int(section_rules()["label_words"])
    clause = text
    for m in LABEL_END.finditer(text):
        if len(text[: m.start()].split()) >= 2:
            clause = text[: m.start()]
            break
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
