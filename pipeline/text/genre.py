"""The genre signals of a text's blocks: the cheap numbers the description-genre model reads, and its probability.

What a text's blocks say about its genre (an article pasted as a description or a product's own copy):
its words, product-attribute hits (lexicon/quality.toml attribute_patterns, counted by `HitCounter`: RE2
where it means what `re` means, `re` elsewhere), advice/second-person words, mean words per paragraph and
the share of blocks that ask a question (GENRE_FEATURES), and P(article) of the logistic regression fitted
on them (lexicon/genre_weights.json, scripts/train_genre.py). The quality stage reads them on a listing's
description (`description_genre`); `text.articles` reads them on a listing's blocks of one language, to tell
an article pasted as a description from a shop's own text before the zones end (issue 13).
"""
from __future__ import annotations

import codecs
import functools
import math
import re

import numpy as np

from pipeline.lexicon import LEXICON_DIR, load, load_linear_model
from pipeline.text.fold import forms, match_form
from pipeline.text.phrases import PhraseSet, union
from pipeline.text.words import TOKEN

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
    }


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
    return load_linear_model(path or GENRE_WEIGHTS_FILE, GENRE_FEATURES, "scripts/train_genre.py")


@functools.lru_cache(maxsize=8192)
def block_signals(text: str) -> tuple[int, int, bool]:
    """Attribute hits, advice words and whether it asks a question, of one block. Cached: shop boilerplate
    repeats across listings."""
    lex = _lex()
    form, folded = match_form(text)            # cached by the zones stage; folded unless Vietnamese
    # (the folded form of a Vietnamese text is the cached one the phrase scan made: fold(text), not folded again)
    return (lex["attributes"].count(form if folded else forms(text)[0]), lex["advice"].count(text),
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
        block_hits, block_advice, block_question = block_signals(t)
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


def article_probability(features: dict, model: dict | None = None) -> float:
    """P(article) of the fitted model (`genre_model()` unless given) for one text's GENRE_FEATURES."""
    m = model if model is not None else genre_model()
    x = np.fromiter((features[f] for f in GENRE_FEATURES), dtype=float, count=len(GENRE_FEATURES))
    # Clipped by min and max on the one value (np.clip's call on a scalar cost more than the rest together; the
    # same float); the dot product stays numpy's, whose summation order the fitted threshold was read with.
    z = min(max(float(m["_b"] + x @ m["_w"]), -30.0), 30.0)
    return 1.0 / (1.0 + math.exp(-z))


def article_probability_reference(features: dict, model: dict | None = None) -> float:
    """`article_probability` clipped by np.clip (tests compare the two)."""
    m = model if model is not None else genre_model()
    x = np.fromiter((features[f] for f in GENRE_FEATURES), dtype=float, count=len(GENRE_FEATURES))
    z = float(np.clip(m["_b"] + x @ m["_w"], -30, 30))
    return 1.0 / (1.0 + math.exp(-z))
