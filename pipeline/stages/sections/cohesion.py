"""Lexical cohesion: content terms, cosine similarity and TextTiling depth scores (Hearst 1997).
"""
from __future__ import annotations

import bisect
import functools
from collections import Counter
from itertools import pairwise
from statistics import mean, pstdev
import math

from pipeline.text.sentences import nlp_for, tokenizer_for
from pipeline.text.words import stopwords

from .lexicon import section_rules


def _stem(w: str) -> str:
    for suf in ("ings", "ing", "ies", "es", "s", "ed", "ly"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


@functools.lru_cache(maxsize=4)
def _special_cases(lang: str) -> frozenset[str]:
    return frozenset(tokenizer_for(lang).rules)


def alpha_tokens(texts: list[str], lang: str) -> list[list[str]]:
    """The lower-cased alphabetic tokens of each text, as spaCy's tokenizer gives them
    (`reference_alpha_tokens`; tests compare the two), without tokenizing plain words.

    spaCy's tokenizer cuts a text at whitespace and tokenizes each run of non-space characters on its own;
    whitespace tokens are never alphabetic. A run of letters alone that is not a special case ("Dont",
    "cannot") is one token: no prefix, suffix or infix rule splits letters from letters. Only the other runs
    ("hàng.", "(size", "don't") go through the tokenizer, joined by single spaces into one string per text.
    """
    tok = tokenizer_for(lang)
    special = _special_cases(lang)
    pieces: list[list[str | int]] = []     # per text: a token, or the index of a run left to the tokenizer
    rest: list[str] = []                   # per text: its runs left to the tokenizer, joined by spaces
    starts: list[list[int]] = []           # per text: where each of those runs starts in the joined string
    for text in texts:
        mine: list[str | int] = []
        slow: list[str] = []
        at: list[int] = []
        pos = 0
        for run in text.split():
            if run.isalpha() and run not in special:
                mine.append(run.lower())
            else:
                mine.append(len(slow))
                slow.append(run)
                at.append(pos)
                pos += len(run) + 1
        pieces.append(mine)
        rest.append(" ".join(slow))
        starts.append(at)
    out = []
    for mine, doc, at in zip(pieces, tok.pipe(rest), starts):
        if not at:
            out.append(mine)
            continue
        by_run: list[list[str]] = [[] for _ in at]
        for t in doc:
            if t.is_alpha:
                by_run[bisect.bisect_right(at, t.idx) - 1].append(t.lower_)
        toks: list[str] = []
        for p in mine:
            if isinstance(p, str):
                toks.append(p)
            else:
                toks.extend(by_run[p])
        out.append(toks)
    return out


def reference_alpha_tokens(texts: list[str], lang: str) -> list[list[str]]:
    """`alpha_tokens` read off spaCy's tokenizer over each whole text."""
    return [[t.lower_ for t in doc if t.is_alpha] for doc in nlp_for(lang).tokenizer.pipe(texts)]


def content_terms(texts: list[str], lang: str) -> list[Counter]:
    """Content terms per text: spaCy tokens minus stop words; English stemmed, Vietnamese syllables + pairs."""
    stop = stopwords()
    out = []
    for toks in alpha_tokens(texts, lang):
        if lang == "en":
            out.append(Counter(_stem(t) for t in toks if len(t) > 2 and t not in stop))
        else:
            c = Counter(t for t in toks if t not in stop)
            c.update(f"{a} {b}" for a, b in pairwise(toks) if a not in stop and b not in stop)
            out.append(c)
    return out


def cosine(a: Counter, b: Counter) -> float:
    if len(a) > len(b):
        a, b = b, a
    num = sum(v * b.get(k, 0) for k, v in a.items())
    den = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return num / den if den else 0.0


def depth_scores(counts: list[Counter], window: int = 2) -> list[float]:
    """TextTiling depth for each gap between consecutive units (len(counts) - 1 values)."""
    sims = []
    for i in range(1, len(counts)):
        left, right = Counter(), Counter()
        for c in counts[max(0, i - window):i]:
            left.update(c)
        for c in counts[i:i + window]:
            right.update(c)
        sims.append(cosine(left, right))
    # Peaks on either side, in two linear passes.
    n = len(sims)
    lpeak, rpeak = [0.0] * n, [0.0] * n
    for i, s in enumerate(sims):
        lpeak[i] = max(s, lpeak[i - 1]) if i and sims[i - 1] >= s else s
    for i in range(n - 1, -1, -1):
        s = sims[i]
        rpeak[i] = max(s, rpeak[i + 1]) if i + 1 < n and sims[i + 1] >= s else s
    return [(lpeak[i] - s) + (rpeak[i] - s) for i, s in enumerate(sims)]


def tiling_boundaries(texts: list[str], lang: str) -> set[int]:
    """Indices i where TextTiling says a new topic starts at texts[i] (i >= 1)."""
    if len(texts) < 3:
        return set()
    depths = depth_scores(content_terms(texts, lang))
    cutoff = mean(depths) + section_rules()["tiling_sd"] * pstdev(depths)
    return {i + 1 for i, d in enumerate(depths) if d > cutoff and d > 0}
