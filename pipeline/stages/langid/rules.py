"""The decision: word evidence on a bounded sample first, langdetect only for what is left; cached.
"""
from __future__ import annotations

import functools
import unicodedata

from .detector import PRIOR, factory_for, run_langdetect
from .scripts import script_lang
from .tokens import (
    CANDIDATE_LANGS, CFG, FIELDS, LD_SAMPLE, LETTER_RE, LangResult, MASK, NOT_LATIN, QUARTERS, RULES,
    SHIFT, WEIGHTS, packed_counts,
)


def _sample(text: str, limit: int) -> str:
    """At most `limit` characters from the start of `text`, cut back to a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit + 1)
    if cut < 0:
        cut = max(text.rfind("\n", limit // 2, limit + 1), text.rfind("\t", limit // 2, limit + 1))
    return text[: cut if cut > 0 else limit]


_CODE_MAX_WORDS = int(RULES.get("code_max_words", 2))
_EN_DEFAULT_MAX = int(RULES.get("en_default_max_words", 0))
_EN_DEFAULT_PROB = float(RULES.get("en_default_prob", 0.55))
_WINDOWS = tuple(int(x) for x in CFG["features"].get("windows", [400]))
_EARLY_POINTS = float(CFG["features"].get("early_min_points", 6.0))
_EARLY_RATIO = float(CFG["features"].get("early_ratio", 3.0))


def _confidence(win: float, lose: float) -> float:
    return round(min(0.999, max(0.5, (win + 0.5) / (win + lose + 1.0))), 4)


(_S_N, _S_MARKED, _S_SYL, _S_OTHER, _S_EN, _S_STOP, _S_AMB, _S_FREQ, _S_CODES, _S_FOREIGN, _S_OTHER_FW,
 _S_OTHER_ACC, _S_VI, _S_EN_PTS) = (SHIFT[f] for f in FIELDS)
_VI_MARKED_Q = round(WEIGHTS["vi_marked"] * QUARTERS)
_RATIO, _MIN_Q = WEIGHTS["ratio"], WEIGHTS["min_points"] * QUARTERS
_EARLY_MIN_Q = _EARLY_POINTS * QUARTERS


def _decide(sample: str, text: str, final: bool) -> LangResult | None:
    """Decision on one sample of `text`; None (when not `final`) means: look at a longer sample."""
    if not sample.isascii() and not unicodedata.is_normalized("NFC", sample):
        sample = unicodedata.normalize("NFC", sample)
    low = sample.lower()
    total = packed_counts(low)
    n = (total >> _S_N) & MASK
    foreign = (total >> _S_FOREIGN) & MASK
    vi_q = (total >> _S_VI) & MASK
    en_q = (total >> _S_EN_PTS) & MASK
    marked = (total >> _S_MARKED) & MASK
    en = (total >> _S_EN) & MASK
    if not final:
        if n == 0 or foreign:
            return None
        ratio, min_q = _EARLY_RATIO, _EARLY_MIN_Q
    else:
        if n == 0:
            if (total >> _S_CODES) & MASK:
                return LangResult("und", 0.9, "codes")
            if LETTER_RE.search(low):  # only units, single letters, vowel-less abbreviations
                return LangResult("und", 0.8, "too-short")
            return LangResult("und", 1.0, "no-letters")
        if ((total >> _S_CODES) & MASK and n <= _CODE_MAX_WORDS
                and not (marked or en or (total >> _S_FREQ) & MASK or (total >> _S_SYL) & MASK >= 2)):
            return LangResult("und", 0.8, "codes")
        if foreign:
            letters = "".join(LETTER_RE.findall(low))
            non_latin = "".join(NOT_LATIN.findall(letters))
            if len(non_latin) * 2 > len(letters):
                lang = script_lang(non_latin)
                if lang:
                    return LangResult(lang, 0.99, "script")
                return _fallback(text)
        ratio, min_q = _RATIO, _MIN_Q
    third = ((total >> _S_OTHER_FW) & MASK) + ((total >> _S_OTHER_ACC) & MASK)
    if third >= 2 and third * 3 >= n:  # much of another language's function words or accented words
        return _fallback(text) if final else None
    # Without diacritics, Vietnamese is nearly all syllables; a block with many words that are not (and
    # a few short ones that are: "muy", "mi") is something else.
    plain_vi_ok = marked or (total >> _S_SYL) & MASK >= ((total >> _S_OTHER) & MASK) + third
    if vi_q >= min_q and vi_q >= ratio * en_q and plain_vi_ok:
        reason = "vi-letters" if marked * _VI_MARKED_Q * 2 >= vi_q else "vi-syllables"
        return LangResult("vi", _confidence(vi_q / QUARTERS, en_q / QUARTERS), reason)
    if en_q >= min_q and en_q >= ratio * vi_q and (en or (total >> _S_AMB) & MASK):
        return LangResult("en", _confidence(en_q / QUARTERS, vi_q / QUARTERS), "en-words")
    if not final:
        return None
    third = third or foreign
    if not third:
        if marked and not (total >> _S_STOP) & MASK and vi_q >= en_q:
            # Vietnamese words framing English names or nouns, with no English grammar words around them.
            return LangResult("vi", _confidence(vi_q / QUARTERS, en_q / QUARTERS), "vi-mixed")
        if not marked and plain_vi_ok and vi_q > en_q and vi_q >= min_q:
            # langdetect's vi profile is trained on text with diacritics and under-rates plain Vietnamese.
            return LangResult("vi", _confidence(vi_q / QUARTERS, en_q / QUARTERS), "vi-syllables")
        if vi_q == 0 and n <= _EN_DEFAULT_MAX:
            if en:  # English words, too few points for en-words ("Size")
                return LangResult("en", max(_EN_DEFAULT_PROB, _confidence(en_q / QUARTERS, 0.0)), "en-words")
            return LangResult("en", _EN_DEFAULT_PROB, "en-default")
    return _fallback(text, vi_en=not third)


def _detect_uncached(text: str) -> LangResult:
    last = len(_WINDOWS) - 1
    for i, limit in enumerate(_WINDOWS):
        final = i == last or len(text) <= limit
        result = _decide(_sample(text, limit), text, final)
        if result is not None:
            return result
    raise AssertionError("the last window always decides")  # pragma: no cover


def _fallback(text: str, vi_en: bool = False) -> LangResult:
    """langdetect on a lowercased bounded sample; between vi and en only when nothing suggests a third
    language (the block's words were all Vietnamese, English or unknown plain-ASCII words)."""
    sample = _sample(text, LD_SAMPLE).lower()
    if vi_en and "vi" in CANDIDATE_LANGS and "en" in CANDIDATE_LANGS:
        result = run_langdetect(sample, factory_for("vi-en"), fast=True, prior=None)
        if result.reason == "langdetect":
            return LangResult(result.lang, result.prob, "langdetect-vi-en")
        return result
    return run_langdetect(sample, factory_for("candidates"), fast=True, prior=PRIOR)


_CACHE_SIZE = int(CFG["cache"].get("size", 8192))
_CACHE_MAX_KEY = int(CFG["cache"].get("max_key_chars", 4000))
_detect_cached = functools.lru_cache(maxsize=_CACHE_SIZE)(_detect_uncached)


def detect(text: str) -> LangResult:
    """Language of one text block. Never raises; deterministic; rules first, langdetect last."""
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if len(text) <= _CACHE_MAX_KEY:
            return _detect_cached(text)
        return _detect_uncached(text)
    except Exception:  # noqa: BLE001 - a block's language must never stop a batch
        return LangResult("und", 0.0, "error")


def cache_clear() -> None:
    """Forget cached results (for benchmarks and tests)."""
    _detect_cached.cache_clear()
