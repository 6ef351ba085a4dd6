"""Where top-level sections start in a heading-less text: features per paragraph gap, a fitted scorer, a
decision rule. Pure functions over a list of paragraph strings and a language code.

A *paragraph* is one string; a string of two or more lines is read as a list (one item a line), the way
`pipeline.sections.units_of` makes one unit of a run of bullets. Gap i (1 <= i < n) sits between
paragraph i-1 and paragraph i; a boundary at i means paragraph i opens a top-level section.

Evidence for gap i (`FEATURES`, in this order; all cheap: one regex pass per paragraph, Counters):
- lexical cohesion, TextTiling-style (Hearst 1997): cosine of content-term counts of the two paragraphs
  either side (`sim_win`), of the two adjacent paragraphs (`sim_adj`), and the depth of the gap below the
  similarity peaks on either side, raw and as a z-score within the article. Terms: lower-case words minus
  stop words (lexicon/sections.toml), English lightly stemmed; Vietnamese syllables plus syllable pairs.
- length shape, in words (Vietnamese: syllables): log length of the paragraph before, the paragraph and
  the one after, each relative to the article's median; a short paragraph before longer ones
  (`lead_in`: log of its length over the median of the next three).
- a paragraph that reads like a heading (`head_cur`, `head_prev`): short, no final sentence mark, not a
  list; ALL-CAPS, Title Case, ends with ":" or "?" as their own features.
- numbered or ordinal openings ("1.", "Step 2", "Bước 1", "Thứ nhất", "First", "Another") and their
  value (the first of a series), discourse cues at the start of the paragraph: topic shift, conclusion,
  continuation (elaboration, contrast, reference back: evidence against a boundary) — lexicon/boundaries.toml.
- question-form lead-ins: a first sentence that is a question (ends with "?", or holds a question word
  with a "?").
- lists: the paragraph or the one before is a list; the one before ends with ":" (it introduces this one).
- position: relative position, first and last gap, log of the article's length (a prior on density).

The scorer is a logistic regression over standardized features (weights, means, scales, the threshold
and the minimum gap in lexicon/boundary_weights.json, fitted by scripts/train_boundaries.py on the dev
split of real articles). `boundaries` keeps the gaps whose probability reaches the threshold, strongest
first, dropping any within `min_gap` paragraphs of one already kept (non-maximum suppression): the number
of sections follows from the scores, not from a fixed count.
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from pathlib import Path
from statistics import median

import numpy as np

from pipeline.lexicon import LEXICON_DIR, load

WEIGHTS_FILE = LEXICON_DIR / "boundary_weights.json"

TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
WORD = re.compile(r"[^\W_]+")
BULLET = re.compile(r"^\s*(?:[-*+•▪►✓✔·]|\d{1,3}[.)])\s+")
NUMBERED = re.compile(r"^\s*(?:#\s*)?(\d{1,2})(?:[.)/:]|\s*[-–—]\s)\s*\S")
ROMAN = re.compile(r"^\s*[IVX]{1,4}[.)]\s+\S")
SENT_END = re.compile(r"[.!?…](?:[\"'”’)\]]*)(?:\s|$)")
FINAL_MARKS = ".!?…;"

FEATURES = (
    "sim_win", "sim_adj", "depth", "depth_z",
    "len_prev", "len_cur", "len_next", "lead_in", "short_before_long",
    "head_cur", "head_prev", "caps_cur", "title_cur", "colon_cur", "colon_prev",
    "question_cur", "question_prev",
    "num_cur", "num_one", "num_prev", "ordinal_first", "ordinal_later",
    "shift_cur", "conclusion_cur", "continuation_cur",
    "list_cur", "list_prev", "list_next",
    "pos", "first_gap", "last_gap", "log_n", "vi",
)


# ------------------------------------------------------------------ lexicon

def _phrases(words) -> re.Pattern:
    alts = sorted({w.lower() for w in words}, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(a) for a in alts) + r")(?![^\W_])")


@functools.cache
def _lex() -> dict:
    lex = load("boundaries")
    stop = load("sections")["stopwords"]
    return {
        "stop": frozenset(stop),
        "first": _phrases(lex["ordinal"]["first"]),
        "later": _phrases(lex["ordinal"]["later"]),
        "shift": _phrases(lex["shift"]["openers"]),
        "conclusion": _phrases(lex["conclusion"]["openers"]),
        "continuation": _phrases(lex["continuation"]["openers"]),
        "question": re.compile(r"(?<![^\W_])(?:" + "|".join(
            re.escape(w) for w in sorted(lex["question"]["words"], key=len, reverse=True)) + r")(?![^\W_])"),
        "numbered": re.compile(r"^(?:" + "|".join(re.escape(w) for w in lex["numbered"]["words"])
                               + r")\s*#?\s*(\d{1,2})(?![^\W_])"),
    }


@functools.cache
def load_model(path: str | None = None) -> dict:
    """The fitted model: {"features", "mean", "scale", "weights", "bias", "threshold", "min_gap", ...}."""
    with open(path or WEIGHTS_FILE, encoding="utf-8") as fh:
        model = json.load(fh)
    if list(model["features"]) != list(FEATURES):
        raise ValueError("boundary_weights.json was fitted on other features: re-run scripts/train_boundaries.py")
    model["_w"] = np.asarray(model["weights"], dtype=float) / np.asarray(model["scale"], dtype=float)
    model["_b"] = float(model["bias"]) - float(np.dot(model["_w"], np.asarray(model["mean"], dtype=float)))
    return model


# ------------------------------------------------------------------ per-paragraph evidence

def _stem(w: str) -> str:
    for suf in ("ings", "ing", "ies", "es", "s", "ed", "ly"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def _terms(text: str, lang: str, stop: frozenset) -> Counter:
    toks = TOKEN.findall(text.lower())
    if lang == "vi":
        c = Counter(t for t in toks if t not in stop)
        c.update(f"{a} {b}" for a, b in zip(toks, toks[1:]) if a not in stop and b not in stop)
        return c
    return Counter(_stem(t) for t in toks if len(t) > 2 and t not in stop)


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    num = sum(v * b.get(k, 0) for k, v in a.items())
    if not num:
        return 0.0
    return num / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _first_sentence(text: str) -> str:
    m = SENT_END.search(text)
    return text[: m.end()] if m else text


def _opening(text: str) -> str:
    """The paragraph's first line, lower-case, without a list marker or leading punctuation."""
    line = text.lstrip().split("\n", 1)[0]
    line = BULLET.sub("", line, count=1)
    return line.lstrip(" \t\"'“‘([*_-–—").lower()


def _paragraph(text: str, lang: str, lex: dict) -> tuple:
    """(words, is_list, heading_like, caps, title, colon, question, num, num_value, ordinal_first,
    ordinal_later, shift, conclusion, continuation, terms)."""
    t = text.strip()
    lines = [ln for ln in t.split("\n") if ln.strip()]
    is_list = len(lines) >= 2
    words = len(WORD.findall(t))
    opening = _opening(t)
    first = _first_sentence(t if not is_list else lines[0])
    last_char = t.rstrip(" \t\"'”’)*_")[-1:] if t else ""
    colon = last_char in (":", "：")
    letters = [c for c in t if c.isalpha()]
    caps = bool(letters) and len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    toks = t.split()
    cap_words = [w for w in toks if w[:1].isalpha()]
    title = len(cap_words) >= 2 and sum(w[0].isupper() for w in cap_words) >= 0.7 * len(cap_words)
    heading_like = not is_list and 0 < words <= 14 and (last_char not in FINAL_MARKS or last_char == "?") \
        and len(lines) == 1
    question = first.rstrip(" \t\"'”’)*_").endswith("?") or (
        "?" in first and lex["question"].search(first.lower()) is not None)
    m = NUMBERED.match(t) or lex["numbered"].match(opening)
    num = bool(m) or bool(ROMAN.match(t))
    num_value = int(m.group(1)) if m else 0
    if is_list and NUMBERED.match(t):
        num = False                                   # a numbered list, not a numbered opening
    return (
        max(1, words), is_list, heading_like, caps, title, colon, question, num, num_value,
        lex["first"].match(opening) is not None, lex["later"].match(opening) is not None,
        lex["shift"].match(opening) is not None, lex["conclusion"].match(opening) is not None,
        lex["continuation"].match(opening) is not None, _terms(t, lang, lex["stop"]),
    )


# ------------------------------------------------------------------ per-gap features

def features(paragraphs: list[str], lang: str) -> np.ndarray:
    """Feature matrix, one row per gap (shape (max(0, n-1), len(FEATURES))), in `FEATURES` order."""
    n = len(paragraphs)
    if n < 2:
        return np.zeros((0, len(FEATURES)))
    lex = _lex()
    vi = lang == "vi"
    P = [_paragraph(p, "vi" if vi else "en", lex) for p in paragraphs]
    W = [p[0] for p in P]
    T = [p[14] for p in P]
    med = median(W)
    logmed = math.log(med)

    # Cohesion: window of two paragraphs either side of each gap; depth below the peaks on either side.
    sims, adj = [], []
    for i in range(1, n):
        left = T[i - 1] + T[i - 2] if i >= 2 else T[i - 1]
        right = T[i] + T[i + 1] if i + 1 < n else T[i]
        sims.append(_cosine(left, right))
        adj.append(_cosine(T[i - 1], T[i]))
    g = len(sims)
    lpeak, rpeak = sims[:], sims[:]
    for k in range(1, g):
        if sims[k - 1] >= sims[k]:
            lpeak[k] = max(sims[k], lpeak[k - 1])
    for k in range(g - 2, -1, -1):
        if sims[k + 1] >= sims[k]:
            rpeak[k] = max(sims[k], rpeak[k + 1])
    depth = [(lpeak[k] - s) + (rpeak[k] - s) for k, s in enumerate(sims)]
    dm = sum(depth) / g
    dsd = math.sqrt(sum((d - dm) ** 2 for d in depth) / g) or 1.0

    logW = [math.log(w) - logmed for w in W]
    log_n = math.log(n)
    X = np.empty((g, len(FEATURES)))
    for k in range(g):
        i = k + 1
        c, p = P[i], P[i - 1]
        nxt = P[i + 1] if i + 1 < n else None
        ahead = W[i + 1:i + 4]
        lead_in = math.log(W[i] / median(ahead)) if ahead else 0.0
        X[k] = (
            sims[k], adj[k], depth[k], (depth[k] - dm) / dsd,
            logW[i - 1], logW[i], logW[i + 1] if i + 1 < n else 0.0, lead_in,
            float(W[i] < W[i - 1] and ahead != [] and W[i] < 0.6 * median(ahead)),
            c[2], p[2], c[3], c[4] and c[2], c[5], p[5],
            c[6], p[6],
            c[7], float(c[7] and c[8] == 1), p[7], c[9], c[10],
            c[11], c[12], c[13],
            c[1], p[1], bool(nxt and nxt[1]),
            i / n, i == 1, i == n - 1, log_n, vi,
        )
    return X


# ------------------------------------------------------------------ scores and decisions

def scores(paragraphs: list[str], lang: str, model: dict | None = None) -> np.ndarray:
    """Probability that each gap 1..n-1 opens a top-level section (array of n-1 values)."""
    model = model or load_model()
    X = features(paragraphs, lang)
    if not len(X):
        return np.zeros(0)
    z = X @ model["_w"] + model["_b"]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def choose(probs, threshold: float, min_gap: int = 1) -> list[int]:
    """Gap indices (1-based paragraph indices) kept from the probabilities of gaps 1..n-1: those reaching
    `threshold`, strongest first, none within `min_gap` paragraphs of one kept before. Sorted."""
    probs = np.asarray(probs, dtype=float)
    order = sorted((k for k in range(len(probs)) if probs[k] >= threshold), key=lambda k: (-probs[k], k))
    kept: list[int] = []
    for k in order:
        if all(abs(k - j) >= min_gap for j in kept):
            kept.append(k)
    return sorted(k + 1 for k in kept)


def boundaries(paragraphs: list[str], lang: str, model: dict | None = None) -> list[int]:
    """Indices (1 <= i < n) of the paragraphs that open a top-level section, sorted and unique."""
    model = model or load_model()
    if len(paragraphs) < 2:
        return []
    return choose(scores(paragraphs, lang, model), float(model["threshold"]), int(model["min_gap"]))
