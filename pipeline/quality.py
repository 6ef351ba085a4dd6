"""Quality flags for a listing's description, each with the numbers behind it.

- description_genre: empty (no description), boilerplate_only (nothing but policy/other zones),
  article (long advice-style prose with few product attributes), else product_copy. The signals are
  kept: `genre_attribute_hits` (spec patterns: sizes, materials, units, prices) and `genre_prose_score`
  (mean words per paragraph x share of second-person/advice words x 100).
- keyword stuffing: the most repeated phrase of 4+ words (stop-word-only phrases skipped), extended while
  the longer phrase keeps the same count; flagged when it is far above natural repetition rates.
- language mismatch: the description's language differs from the policy zone's or the title's.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

from .langid import detect
from .lexicon import load
from .normalize import fold
from .records import Listing
from .sections import _majority_lang, _stopwords

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@functools.cache
def _lex():
    lex = load("quality")
    return {
        "attributes": [re.compile(p) for p in lex["attribute_patterns"]],
        "advice": frozenset(fold(w) for w in lex["advice_words"]),
        "stuffing": lex["stuffing"],
    }


def genre(desc_texts: list[str], has_other_zones: bool) -> tuple[str, int, float]:
    if not desc_texts:
        return ("boilerplate_only" if has_other_zones else "empty"), 0, 0.0
    folded = [fold(t) for t in desc_texts]
    hits = sum(len(p.findall(t)) for p in _lex()["attributes"] for t in folded)
    words = [w for t in folded for w in WORD.findall(t)]
    paragraphs = [t for t in desc_texts if len(t.split()) >= 5] or desc_texts
    mean_words = len(words) / len(paragraphs)
    advice = sum(1 for w in words if w in _lex()["advice"]) / max(1, len(words))
    prose = round(mean_words * advice * 100, 2)
    per_100_words = hits / max(1, len(words)) * 100
    is_article = len(words) >= 300 and mean_words >= 50 and prose >= 100 and per_100_words < 1.0
    return ("article" if is_article else "product_copy"), hits, prose


def stuffing(text: str) -> tuple[str | None, int, float]:
    cfg = _lex()["stuffing"]
    words = [w.lower() for w in WORD.findall(text)]
    n = cfg["min_words"]
    if len(words) < n:
        return None, 0, 0.0
    stop = _stopwords()
    grams = Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    best, count = None, 0
    for gram, c in grams.most_common():
        if c < 2:
            break
        if sum(w not in stop for w in gram) >= 2:
            best, count = gram, c
            break
    if best is None:
        return None, 0, 0.0
    # Extend the phrase while the longer one occurs as often.
    phrase = list(best)
    while True:
        grown = Counter(tuple(words[i:i + len(phrase) + 1]) for i in range(len(words) - len(phrase))
                        if tuple(words[i:i + len(phrase)]) == tuple(phrase))
        if not grown:
            break
        nxt, c = grown.most_common(1)[0]
        if c < count:
            break
        phrase = list(nxt)
    return " ".join(phrase), count, round(count * 1000 / len(words), 2)


def assess_quality(listing: Listing) -> Listing:
    desc = [b for b in listing.blocks if b.zone == "description"]
    policy = [b for b in listing.blocks if b.zone == "policy"]
    g, hits, prose = genre([b.text for b in desc if b.kind != "heading"],
                           has_other_zones=bool(listing.blocks))
    phrase, count, per_1k = stuffing("\n".join(b.text for b in desc))
    cfg = _lex()["stuffing"]
    desc_lang = _majority_lang(desc) if desc else "und"
    policy_lang = _majority_lang(policy) if policy else None
    title_lang = detect(listing.title).lang if listing.title else None
    others = {l for l in (policy_lang, title_lang) if l and l != "und"}
    listing.quality = {
        "description_genre": g,
        "genre_attribute_hits": hits,
        "genre_prose_score": prose,
        "stuffing_phrase": phrase,
        "stuffing_count": count,
        "stuffing_per_1k_words": per_1k,
        "keyword_stuffing": count >= cfg["min_count"] and per_1k >= cfg["min_per_1k_words"],
        "title_lang": title_lang,
        "policy_lang": policy_lang,
        "lang_mismatch": desc_lang != "und" and any(l != desc_lang for l in others),
        "description_lang": desc_lang,
    }
    return listing
