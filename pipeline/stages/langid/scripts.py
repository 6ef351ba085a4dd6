"""Non-Latin scripts that name one candidate language (Hangul, kana, Thai).
"""
from __future__ import annotations

from .tokens import CANDIDATE_LANGS, CFG


def _script_table(cfg: dict) -> list[tuple[str, list[tuple[int, int]]]]:
    return [(v["lang"], [(int(a), int(b)) for a, b in v["ranges"]]) for v in cfg.get("scripts", {}).values()]


_SCRIPTS = _script_table(CFG)


def script_lang(letters: str) -> str | None:
    """The candidate language whose script has most of `letters` (non-Latin letters only), if any."""
    counts: dict[str, int] = {}
    for ch in letters:
        cp = ord(ch)
        for lang, ranges in _SCRIPTS:
            if any(a <= cp <= b for a, b in ranges):
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    return lang if n * 2 > len(letters) and lang in CANDIDATE_LANGS else None
