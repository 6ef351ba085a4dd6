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

import codecs
import functools
import json
import math
import re
from collections import Counter

import numpy as np

from pipeline.contract.records import Listing, Quality, majority_lang
from pipeline.lexicon import LEXICON_DIR, load
from pipeline.text.fold import VI_LETTERS, fold, match_form
from pipeline.text.phrases import PhraseSet, union
from pipeline.text.words import TOKEN, stopwords, word_tokens

PARAGRAPH_MIN_WORDS = 5   # shorter blocks (headings, one-word lines) are not paragraphs


try:   # google-re2 (a dependency; README "Dependencies" says why): a DFA, 2.6-3x cheaper on these patterns
    import re2 as _re2
except ImportError:   # pragma: no cover - without it every text takes `re`
    _re2 = None

# `re`'s \s on ASCII text; RE2's leaves out \v and \x1c-\x1f (\w, \d and \b are the same on ASCII).
_RE_SPACE = r"[\t\n\x0b\f\r \x1c-\x1f]"


def re2_source(pattern: str) -> str | None:
    r"""The pattern for RE2 with the meaning `re` gives it on ASCII text: each \s outside a character class
    spelled out as `re`'s class; None where that cannot be said (\s inside a class, \S) or the line-end
    rules of ^ and $ differ.

    >>> re2_source(r"\d+\s?(?:cm|[.,])")
    '\\d+[\\t\\n\\x0b\\f\\r \\x1c-\\x1f]?(?:cm|[.,])'
    >>> re2_source(r"[\s,]") is None, re2_source(r"^a") is None
    (True, True)
    """
    if "^" in pattern or "$" in pattern:
        return None
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            esc = pattern[i:i + 2]
            if esc == r"\S" or (esc == r"\s" and in_class):
                return None
            out.append(_RE_SPACE if esc == r"\s" else esc)
            i += 2
            continue
        if not in_class and ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":      # a ']' first in a class is a literal
                out.append("[]")
                i += 2
                continue
        elif in_class and ch == "]":
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


class _NoStandIn(Exception):
    """A character with no ASCII stand-in (a decimal digit outside ASCII: `re`'s \\d takes it)."""


def _stand_in(exc: UnicodeEncodeError) -> tuple[str, int]:
    """Codec error handler: each non-ASCII character as an ASCII one that every part of a `_stand_in_safe`
    pattern treats alike: whitespace as '\\x1f' (\\s), other word characters as '_' (\\w, not \\d), the
    rest as '\\x00' (neither)."""
    out = []
    for ch in exc.object[exc.start:exc.end]:
        if ch.isspace():
            out.append("\x1f")
        elif ch.isdecimal():
            raise _NoStandIn(ch)
        elif ch.isalnum():
            out.append("_")
        else:
            out.append("\x00")
    return "".join(out), exc.end


codecs.register_error("pipeline-ascii-stand-in", _stand_in)
# Parts of a pattern that could tell a stand-in from the character it stands for: '_', a control character or
# any character written by an escape (\x5f), a non-ASCII character, inline flags (IGNORECASE matches the
# Kelvin sign with 'k'). A pattern holding none of them only asks of a non-ASCII character whether it is \w,
# \d or \s (it matches no literal and no ASCII range), which its stand-in answers alike.
_STAND_IN_UNSAFE = re.compile(r"""
      _                       # the stand-in of word characters
    | [\x00-\x1f\x7f-\U0010ffff]  # control characters (two stand-ins among them), anything not ASCII
    | \\[xuUN0-7]               # an escape that can spell any character
    | \(\?(?!:)                 # inline flags and every other (?...) group but (?:...)
""", re.VERBOSE)


def _stand_in_safe(pattern: str) -> bool:
    return _STAND_IN_UNSAFE.search(pattern) is None


class HitCounter:
    """How many non-overlapping matches `re` finds of one pattern (`reference_count`), counted by RE2 on
    ASCII text (`re2_source`: the same meaning there) and by `re` when RE2 cannot take the pattern. Text that
    is not ASCII goes to RE2 too with each non-ASCII character replaced by an ASCII stand-in of the same
    class (`_stand_in`; one character each, so matches keep their places), when the pattern cannot tell the
    two apart (`_stand_in_safe`). RE2's own match call is used directly (`_count_bytes`, 2-5x cheaper than
    its Python wrapper's match objects); tests compare with `re` on real blocks and on generated text."""

    def __init__(self, pattern: str):
        self.pattern = re.compile(pattern)
        self.fast = None
        source = re2_source(pattern) if _re2 is not None else None
        if source is not None:
            try:
                self.fast = _re2.compile(source)
            except Exception:   # noqa: BLE001 - syntax RE2 lacks (lookarounds, backreferences): `re` alone
                self.fast = None
        # The wrapper's compiled RE2 object and its unanchored mode; None (the wrapper's finditer) if a
        # google-re2 release moves them.
        regexp = getattr(self.fast, "_regexp", None)
        anchor = getattr(getattr(getattr(_re2, "_re2", None), "RE2", None), "Anchor", None)
        self._match = regexp.Match if regexp is not None and anchor is not None else None
        self._unanchored = getattr(anchor, "UNANCHORED", None)
        self._stand_in = self.fast is not None and _stand_in_safe(pattern)

    def reference_count(self, text: str) -> int:
        return len(self.pattern.findall(text))

    def count(self, text: str) -> int:
        if self.fast is None:
            return self.reference_count(text)
        if text.isascii():
            data = text.encode("ascii")
        elif self._stand_in:
            try:
                data = text.encode("ascii", "pipeline-ascii-stand-in")
            except _NoStandIn:
                return self.reference_count(text)
        else:
            return self.reference_count(text)
        if self._match is None:
            return sum(1 for _ in self.fast.finditer(data))
        n = self._count_bytes(data)
        return self.reference_count(text) if n is None else n

    def _count_bytes(self, data: bytes) -> int | None:
        """Non-overlapping matches in ASCII bytes, one RE2 call each; None at an empty match (where `re` and
        RE2 step on differently)."""
        match, unanchored, end = self._match, self._unanchored, len(data)
        pos = count = 0
        while True:
            s, e = match(unanchored, data, pos, end)[0]
            if s < 0:
                return count
            if e == s:
                return None
            count += 1
            pos = e


@functools.cache
def _lex():
    lex = load("quality")
    return {
        # One pass over the folded text for all attribute patterns.
        "attributes": HitCounter(union(lex["attribute_patterns"])),
        "advice": PhraseSet(lex["advice_words"]),
        "genre": lex["genre"],
        "stuffing": lex["stuffing"],
    }


# ------------------------------------------------------------------ genre

# The signals the genre model reads, in the order of lexicon/genre_weights.json (scripts/train_genre.py).
GENRE_FEATURES = (
    "log_words",            # log(1 + description words)
    "attributes_per_100",   # product-attribute hits per 100 words (lexicon/quality.toml attribute_patterns)
    "advice_per_100",       # second-person / advice words per 100 words (lexicon/quality.toml advice_words)
    "log_mean_words",       # log(1 + mean words per paragraph)
    "question_share",       # share of the body blocks that ask a question ('?'): question lead-ins, FAQ
)
# Chosen by leave-one-source-out CV on dev (scripts/train_genre.py; backward elimination from a wider set,
# issue 14). Tried and left out: numbers per 100 words (CV balanced accuracy 0.980 with it and without the
# question share, 0.983 with the question share and without numbers), the language (every product description
# of the corpus is Vietnamese, so it only learns the corpus's make-up), the share of list items and of
# headings, the share of words in full-sentence paragraphs, stop-word density, sentences per paragraph and
# first-person plural words ("we", "chúng ta"): each lowered the CV score.
GENRE_WEIGHTS_FILE = LEXICON_DIR / "genre_weights.json"
QUESTION_MARKS = ("?", "？")


@functools.cache
def genre_model(path: str | None = None) -> dict:
    """The fitted logistic regression (lexicon/genre_weights.json), folded into raw-feature weights."""
    with open(path or GENRE_WEIGHTS_FILE, encoding="utf-8") as fh:
        model = json.load(fh)
    if list(model["features"]) != list(GENRE_FEATURES):
        raise ValueError("genre_weights.json was fitted on other features: re-run scripts/train_genre.py")
    w = np.asarray(model["weights"], dtype=float) / np.asarray(model["scale"], dtype=float)
    model["_w"] = w
    model["_b"] = float(model["bias"]) - float(np.dot(w, np.asarray(model["mean"], dtype=float)))
    return model


@functools.lru_cache(maxsize=8192)
def _block_signals(text: str) -> tuple[int, int, bool]:
    """Attribute hits, advice words and whether it asks a question, of one block. Cached: shop boilerplate
    repeats across listings."""
    lex = _lex()
    form, folded = match_form(text)            # cached by the zones stage; folded unless Vietnamese
    return (lex["attributes"].count(form if folded else fold(text)), lex["advice"].count(text),
            any(q in text for q in QUESTION_MARKS))


def genre_signals(desc_texts: list[str], word_counts: list[int] | None = None) -> dict:
    """Words, paragraphs, mean words per paragraph, attribute hits, advice share, prose score and the
    model's features (GENRE_FEATURES)."""
    n_words = n_advice = hits = questions = 0
    para_words = []
    for k, t in enumerate(desc_texts):
        w = word_counts[k] if word_counts is not None else len(TOKEN.findall(t))
        n_words += w
        if w >= PARAGRAPH_MIN_WORDS:
            para_words.append(w)
        block_hits, block_advice, block_question = _block_signals(t)
        hits += block_hits
        n_advice += block_advice
        questions += block_question
    paragraphs = len(para_words) or max(1, len(desc_texts))
    mean_words = (sum(para_words) or n_words) / paragraphs
    share = n_advice / max(1, n_words)
    per_100 = 100 / max(1, n_words)
    features = {
        "log_words": math.log1p(n_words),
        "attributes_per_100": hits * per_100,
        "advice_per_100": n_advice * per_100,
        "log_mean_words": math.log1p(mean_words),
        "question_share": questions / max(1, len(desc_texts)),
    }
    return {"words": n_words, "paragraphs": paragraphs, "mean_words": round(mean_words, 1),
            "attribute_hits": hits, "attributes_per_100": round(hits * per_100, 2),
            "advice_share": round(share, 4), "prose_score": round(mean_words * share * 100, 2),
            "questions": questions, "features": features}


def article_probability(features: dict) -> float:
    """P(article) of the fitted model for one description's GENRE_FEATURES."""
    m = genre_model()
    x = np.fromiter((features[f] for f in GENRE_FEATURES), dtype=float, count=len(GENRE_FEATURES))
    z = float(np.clip(m["_b"] + x @ m["_w"], -30, 30))
    return 1.0 / (1.0 + math.exp(-z))


def genre(desc_texts: list[str], has_other_zones: bool,
          word_counts: list[int] | None = None) -> tuple[str, int, float, float, str]:
    """(genre, attribute hits, prose score, article probability, reason)."""
    s = genre_signals(desc_texts, word_counts)
    if s["words"] == 0:
        g = "boilerplate_only" if has_other_zones else "empty"
        why = "no description words" + ("; other zones only" if has_other_zones else "; no text")
        return g, 0, 0.0, 0.0, f"{g}: {why}"
    m = genre_model()
    p = article_probability(s["features"])
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
