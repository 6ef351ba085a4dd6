"""Quality flags for a listing's description, each with the numbers behind it.

- description_genre: `empty` (no blocks with words at all), `boilerplate_only` (blocks, but none in the
  description zone: nothing but shop policy, marketplace boilerplate, contact lines), `article` (an SEO or
  advice article pasted as a description), else `product_copy`; read on the description's body blocks (its
  headings only when it has nothing else). A logistic regression (lexicon/genre_weights.json, fitted on the
  dev split of real articles and real product descriptions by scripts/train_genre.py) reads GENRE_FEATURES:
  length, attribute hits per 100 words (spec patterns: attribute names, sizes with units, prices;
  lexicon/quality.toml), advice/second-person words per 100 words (matched with their diacritics, so
  Vietnamese "bán" (sell) is not "bạn" (you)), mean words per paragraph, the share of blocks that ask a
  question. Article when
  `genre_article_probability` reaches the model's threshold and the description has [genre] min_words words.
  Kept beside the decision: `genre_article_probability`, `genre_attribute_hits`, `genre_prose_score` (mean
  words per paragraph x advice share x 100, a signal for readers, no longer a threshold) and `genre_reason`
  (the probability and the three signals that moved it most, each with its number and direction).
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
from collections import Counter
from itertools import compress, islice

import numpy as np

from pipeline.contract.records import Listing, Quality, majority_lang
from pipeline.lexicon import load
from pipeline.text.fold import VI_LETTERS
# The genre signals live in the text layer (text.articles reads them too); scripts/train_genre.py sets this
# module's `genre_model` (and text.genre's) to a neutral one while it fits.
from pipeline.text.genre import GENRE_FEATURES, article_probability, genre_model, genre_signals
from pipeline.text.words import TOKEN, stopwords, word_tokens


@functools.cache
def _lex():
    lex = load("quality")
    return {
        "genre": lex["genre"],
        "stuffing": lex["stuffing"],
    }


# ------------------------------------------------------------------ genre

def genre(desc_texts: list[str], has_other_zones: bool,
          word_counts: list[int] | None = None) -> tuple[str, int, float, float, str]:
    """(genre, attribute hits, prose score, article probability, reason)."""
    s = genre_signals(desc_texts, word_counts)
    if s["words"] == 0:
        g = "boilerplate_only" if has_other_zones else "empty"
        why = "no description words" + ("; other zones only" if has_other_zones else "; no text")
        return g, 0, 0.0, 0.0, f"{g}: {why}"
    m = genre_model()
    p = article_probability(s["features"], m)
    min_words = _lex()["genre"]["min_words"]
    long_enough = s["words"] >= min_words
    g = "article" if p >= m["threshold"] and long_enough else "product_copy"
    # The reason names the probability and the signals that pushed it most, each with its number.
    contrib = sorted(((m["_w"][i] * (s["features"][f] - m["mean"][i]), f) for i, f in enumerate(GENRE_FEATURES)),
                     key=lambda c: (-abs(c[0]), c[1]))
    shown = {"log_words": f"{s['words']} words", "attributes_per_100":
             f"{s['attribute_hits']} attribute hits ({s['attributes_per_100']}/100 words)",
             "advice_per_100": f"advice share {s['advice_share']}", "log_mean_words": f"{s['mean_words']} words/paragraph",
             "question_share": f"{s['questions']} question blocks"}
    parts = [f"P(article) {p:.3f} {'>=' if p >= m['threshold'] else '<'} {m['threshold']}"]
    if not long_enough:
        parts.append(f"{s['words']} words < {min_words}")
    for c, f in contrib[:3]:
        label = shown.get(f) or f"{f} {round(s['features'][f], 3)}"
        parts.append(f"{label} ({'+' if c >= 0 else '-'})")
    parts.append(f"prose score {s['prose_score']}")
    return g, s["attribute_hits"], s["prose_score"], round(p, 4), f"{g}: " + "; ".join(parts)


# ------------------------------------------------------------------ keyword stuffing

def _top_gram(words: list[str | None], n: int, min_content: int) -> list[int]:
    """Positions of the most repeated n-gram with min_content non-stop words that stays within a block (None
    separates blocks), ties going to the one read first; [] when no such gram repeats: `_top_gram_reference`
    (tests compare the two), cheaper on a listing's few thousand tokens.

    Every n-gram is counted by one Counter over word tuples, built in C (the runner runs a unit with the
    collector off, so the tuples cost no collections); a dict keeps its keys in the order first met, so
    walking the grams that repeat in that order and keeping only a strictly larger count leaves a tie to the
    gram read first. Qualifying (content words weigh 1, stop words 0, a block end -n) is a property of the
    gram, so only the repeated grams are weighed, and the winner's positions are found by `list.index`."""
    size = len(words)
    if size < n:
        return []
    counts = Counter(zip(*[islice(words, j, None) for j in range(n)]))
    stop = stopwords()
    best, top = None, 1
    for gram in compress(counts, map((1).__lt__, counts.values())):   # the grams that repeat, first met first
        c = counts[gram]
        if c > top and sum(-n if w is None else w not in stop for w in gram) >= min_content:
            best, top = gram, c
    if best is None:
        return []
    pos: list[int] = []
    head, last, i = best[0], size - n, -1
    while True:
        try:
            i = words.index(head, i + 1)
        except ValueError:
            break
        if i > last:
            break
        if tuple(words[i:i + n]) == best:
            pos.append(i)
    return pos


def _top_gram_reference(words: list[str | None], n: int, min_content: int) -> list[int]:
    """`_top_gram` by numpy: each n-gram one int64 (the fast path before stop 30: cheaper than tuples while
    the collector ran during a unit)."""
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
    content = np.zeros(size, dtype=np.int64)    # by first-occurrence index: 1 for a content word
    content_words = first_seen.keys() - stop   # a set difference in C, not a loop over the words
    content_words.discard(None)
    content[list(map(first_seen.__getitem__, content_words))] = 1
    weight = np.where(ids == first_seen[None], -n, content[ids])
    ok = np.convolve(weight, np.ones(n, dtype=np.int64), "valid") >= min_content
    # Qualifying is a property of the gram, so counting qualifying positions only leaves their counts as they
    # are. The most frequent gram, ties to the one whose first qualifying position comes first (reading order).
    grams = keys[ok]
    if not len(grams):
        return []
    uniq, first, counts = np.unique(grams, return_index=True, return_counts=True)
    top = int(counts.max())
    if top < 2:
        return []
    tied = counts == top
    best = uniq[tied][np.argmin(first[tied])]
    return np.flatnonzero(keys == best).tolist()


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


def genre_inputs(listing: Listing, tokens: list[tuple[str, ...]] | None = None) -> dict:
    """The arguments of `genre_signals` for a processed listing: its description's body blocks (headings are
    labels, not prose; the headings when there is nothing else) and their word counts."""
    desc = [b for b in listing.blocks if b.zone == "description"]
    if tokens is None:
        tokens = [word_tokens(b.text) for b in desc]
    body = [k for k, b in enumerate(desc) if b.kind != "heading"] or list(range(len(desc)))
    return {"desc_texts": [desc[k].text for k in body], "word_counts": [len(tokens[k]) for k in body]}


def assess_quality(listing: Listing) -> Listing:
    desc = [b for b in listing.blocks if b.zone == "description"]
    policy = [b for b in listing.blocks if b.zone == "policy"]
    texts = [b.text for b in desc]
    tokens = [word_tokens(t) for t in texts]
    g, hits, prose, prob, reason = genre(has_other_zones=any(TOKEN.search(b.text) for b in listing.blocks),
                                         **genre_inputs(listing, tokens))
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
        genre_article_probability=prob,
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
