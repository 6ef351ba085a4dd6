"""Quality flags for a listing's description, each with the numbers behind it.

- description_genre: `empty` (no blocks with words at all), `boilerplate_only` (blocks, but none in the
  description zone: nothing but shop policy, marketplace boilerplate, contact lines), `article` (long
  advice-style prose with few product attributes), else `product_copy`; read on the description's body
  blocks (its headings only when it has nothing else). The signals are kept:
  `genre_attribute_hits` (spec patterns: attribute names, sizes with units, prices; lexicon/quality.toml)
  and `genre_prose_score` (mean words per paragraph x share of second-person/advice words x 100; the
  words are matched with their diacritics, so Vietnamese "bán" (sell) is not "bạn" (you)). An article
  needs min_words words, min_mean_words per paragraph, a prose score of min_prose_score and fewer than
  max_attributes_per_100_words attribute hits per 100 words. `genre_reason` (a column of documents and
  catalog) spells out the numbers that decided.
- keyword stuffing: the most repeated phrase of 4+ tokens (English words, Vietnamese syllables) with at
  least two non-stop-words, grown left and right while every occurrence shares the next token, counted
  without overlaps. Flagged when it is far above the natural rate measured on real product copy (the
  thresholds and the measurement are in lexicon/quality.toml). One counting pass over the tokens plus
  work proportional to the occurrences of the winning phrase: linear in the text.
- language mismatch: the description's language differs from the policy zone's (majority by
  characters) or the title's. A title counts as agreeing with a Vietnamese description when it carries
  Vietnamese letters (mixed titles like "Bộ mô hình ONE PIECE THOUSAND SUNNY" are Vietnamese listings with
  an English product name).
"""
from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np

from pipeline.contract.records import Listing, Quality, majority_lang
from pipeline.lexicon import load
from pipeline.text.fold import VI_LETTERS, fold, match_form
from pipeline.text.phrases import PhraseSet, union
from pipeline.text.words import TOKEN, stopwords, word_tokens

PARAGRAPH_MIN_WORDS = 5   # shorter blocks (headings, one-word lines) are not paragraphs


@functools.cache
def _lex():
    lex = load("quality")
    return {
        # One pass over the folded text for all attribute patterns.
        "attributes": re.compile(union(lex["attribute_patterns"])),
        "advice": PhraseSet(lex["advice_words"]),
        "genre": lex["genre"],
        "stuffing": lex["stuffing"],
    }


# ------------------------------------------------------------------ genre

@functools.lru_cache(maxsize=8192)
def _block_signals(text: str) -> tuple[int, int]:
    """Attribute hits and advice words of one block. Cached: shop boilerplate repeats across listings."""
    lex = _lex()
    form, folded = match_form(text)            # cached by the zones stage; folded unless Vietnamese
    return len(lex["attributes"].findall(form if folded else fold(text))), lex["advice"].count(text)


def genre_signals(desc_texts: list[str], word_counts: list[int] | None = None) -> dict:
    """Words, paragraphs, mean words per paragraph, attribute hits, advice share and prose score."""
    n_words = 0
    n_advice = 0
    hits = 0
    para_words = []
    for k, t in enumerate(desc_texts):
        w = word_counts[k] if word_counts is not None else len(TOKEN.findall(t))
        n_words += w
        if w >= PARAGRAPH_MIN_WORDS:
            para_words.append(w)
        block_hits, block_advice = _block_signals(t)
        hits += block_hits
        n_advice += block_advice
    paragraphs = len(para_words) or max(1, len(desc_texts))
    mean_words = (sum(para_words) or n_words) / paragraphs
    share = n_advice / max(1, n_words)
    return {"words": n_words, "paragraphs": paragraphs, "mean_words": round(mean_words, 1),
            "attribute_hits": hits, "attributes_per_100": round(hits * 100 / max(1, n_words), 2),
            "advice_share": round(share, 4), "prose_score": round(mean_words * share * 100, 2)}


def genre(desc_texts: list[str], has_other_zones: bool,
          word_counts: list[int] | None = None) -> tuple[str, int, float, str]:
    """(genre, attribute hits, prose score, reason)."""
    cfg = _lex()["genre"]
    s = genre_signals(desc_texts, word_counts)
    if s["words"] == 0:
        g = "boilerplate_only" if has_other_zones else "empty"
        why = "no description words" + ("; other zones only" if has_other_zones else "; no text")
        return g, 0, 0.0, f"{g}: {why}"
    checks = [
        (s["words"] >= cfg["min_words"], f"{s['words']} words {'>=' if s['words'] >= cfg['min_words'] else '<'} {cfg['min_words']}"),
        (s["mean_words"] >= cfg["min_mean_words"], f"{s['mean_words']} words/paragraph"),
        (s["prose_score"] >= cfg["min_prose_score"], f"prose score {s['prose_score']} (advice share {s['advice_share']})"),
        (s["attributes_per_100"] < cfg["max_attributes_per_100_words"], f"{s['attribute_hits']} attribute hits ({s['attributes_per_100']}/100 words)"),
    ]
    is_article = all(ok for ok, _ in checks)
    g = "article" if is_article else "product_copy"
    shown = [txt for ok, txt in checks] if is_article else [txt for ok, txt in checks if not ok]
    return g, s["attribute_hits"], s["prose_score"], f"{g}: " + "; ".join(shown)


# ------------------------------------------------------------------ keyword stuffing

def _top_gram(words: list[str | None], n: int, min_content: int) -> list[int]:
    """Positions of the most repeated n-gram with min_content non-stop words that stays within a block (None
    separates blocks), ties going to the one read first; [] when no such gram repeats. Each n-gram is one
    int64: a Counter over word tuples costs more, mostly in the garbage collector, on long texts."""
    # Each token as the index of its first occurrence; an n-gram as those indices in base len(words).
    size, last = len(words), len(words) - n + 1
    first_seen: dict[str | None, int] = {}
    ids = np.fromiter(map(first_seen.setdefault, words, range(size)), dtype=np.int64, count=size)
    keys = ids[:last]
    for j in range(1, n):
        if size ** (j + 1) >= 2 ** 63:             # would overflow: renumber the shorter grams 0..size-1 first
            keys = np.unique(keys, return_inverse=True)[1]
        keys = keys * size + ids[j:last + j]
    # Content words weigh 1, stop words 0, separators -n: a gram qualifies when its words weigh min_content
    # or more, which a gram crossing blocks never does.
    stop = stopwords()
    content_ids = [i for w, i in first_seen.items() if w is not None and w not in stop]
    weight = np.where(ids == first_seen[None], -n, np.isin(ids, content_ids))
    ok = np.convolve(weight, np.ones(n, dtype=np.int64), "valid") >= min_content
    # Qualifying is a property of the gram, so counting qualifying positions only leaves their counts as they
    # are; most_common keeps ties in reading order.
    counts = Counter(keys[ok].tolist())
    best, top = counts.most_common(1)[0] if counts else (None, 0)
    return np.flatnonzero(keys == best).tolist() if top >= 2 else []


def stuffing(texts: list[str], tokens: list[tuple[str, ...]] | None = None) -> tuple[str | None, int, float, int]:
    """(phrase, non-overlapping count, count per 1,000 words, words). Phrases never cross blocks."""
    cfg = _lex()["stuffing"]
    n = int(cfg["min_words"])
    words: list[str | None] = []
    for k, t in enumerate(texts):
        words.extend(tokens[k] if tokens is not None else word_tokens(t))
        words.append(None)                      # block separator
    total = len(words) - len(texts)
    if total < n:
        return None, 0, 0.0, total
    pos = _top_gram(words, n, int(cfg["min_content_words"]))
    if not pos:
        return None, 0, 0.0, total
    length = n
    # Grow while every occurrence continues (or is preceded) by the same token.
    while all(p + length < len(words) for p in pos):
        nxt = {words[p + length] for p in pos}
        if len(nxt) != 1 or None in nxt:
            break
        length += 1
    while all(p > 0 for p in pos):
        prv = {words[p - 1] for p in pos}
        if len(prv) != 1 or None in prv:
            break
        pos = [p - 1 for p in pos]
        length += 1
    count, last_end = 0, -1
    for p in pos:                               # non-overlapping occurrences
        if p >= last_end:
            count += 1
            last_end = p + length
    phrase = " ".join(words[pos[0]:pos[0] + length])
    return phrase, count, round(count * 1000 / total, 2), total


# ------------------------------------------------------------------ language mismatch

def _agrees(title: str, title_lang: str, desc_lang: str) -> bool:
    if title_lang in ("und", desc_lang):
        return True
    return desc_lang == "vi" and bool(VI_LETTERS.search(title))


def assess_quality(listing: Listing) -> Listing:
    desc = [b for b in listing.blocks if b.zone == "description"]
    policy = [b for b in listing.blocks if b.zone == "policy"]
    texts = [b.text for b in desc]
    tokens = [word_tokens(t) for t in texts]
    # Genre reads the body (headings are labels, not prose), or the headings when there is nothing else.
    body = [k for k, b in enumerate(desc) if b.kind != "heading"] or list(range(len(desc)))
    g, hits, prose, reason = genre([texts[k] for k in body],
                                   has_other_zones=any(TOKEN.search(b.text) for b in listing.blocks),
                                   word_counts=[len(tokens[k]) for k in body])
    phrase, count, per_1k, _ = stuffing(texts, tokens)
    cfg = _lex()["stuffing"]
    desc_lang = majority_lang(desc) if desc else "und"
    policy_lang = majority_lang(policy) if policy else None
    title_lang = listing.title_lang   # the langid stage's
    mismatch = desc_lang != "und" and (
        (policy_lang not in (None, "und", desc_lang))
        or (title_lang is not None and not _agrees(listing.title, title_lang, desc_lang)))
    listing.quality = Quality(
        description_genre=g,
        genre_attribute_hits=hits,
        genre_prose_score=prose,
        stuffing_phrase=phrase,
        stuffing_count=count,
        stuffing_per_1k_words=per_1k,
        keyword_stuffing=count >= cfg["min_count"] and per_1k >= cfg["min_per_1k_words"],
        title_lang=title_lang,
        policy_lang=policy_lang,
        lang_mismatch=mismatch,
        description_lang=desc_lang,
        genre_reason=reason,
    )
    return listing
