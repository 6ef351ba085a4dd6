"""Where top-level sections start in a heading-less text: features per paragraph gap, a fitted scorer, a
decision rule. Pure functions over a list of paragraph strings and a language code.

A *paragraph* is one string; a string of two or more lines is read as a list (one item a line), the way
`units.units_of` makes one unit of a run of bullets. Gap i (1 <= i < n) sits between
paragraph i-1 and paragraph i; a boundary at i means paragraph i opens a top-level section.

Evidence for gap i (`FEATURES`, in this order; all cheap: one regex pass per paragraph, Counters):
- lexical cohesion, TextTiling-style (Hearst 1997): cosine of content-term counts of the two paragraphs
  either side (`sim_win`), of the two adjacent paragraphs (`sim_adj`), and the depth of the gap below the
  similarity peaks on either side, raw and as a z-score within the article. Terms: lower-case words minus
  stop words (lexicon/sections.toml), English lightly stemmed; Vietnamese syllables plus syllable pairs.
- length shape, in words (Vietnamese: syllables): log length of the paragraph before, the paragraph and
  the one after, each relative to the article's median; a short paragraph before longer ones
  (`lead_in`: log of its length over the median of the next three; `short_before_long`; `short_lead`:
  under half the median paragraph and followed by one at least the median); the change in length from
  the paragraph before (`rel_prev`); a paragraph shorter than both neighbours (`local_min`).
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
import math
import re
from collections import Counter
from pathlib import Path
from statistics import median

import numpy as np

from pipeline.lexicon import LEXICON_DIR, load, load_linear_model
from pipeline.text.words import word_tokens

WEIGHTS_FILE = LEXICON_DIR / "boundary_weights.json"

WORD = re.compile(r"[^\W_]+")
BULLET = re.compile(r"^\s*(?:[-*+•▪►✓✔·]|\d{1,3}[.)])\s+")
NUMBERED = re.compile(r"^\s*(?:#\s*)?(\d{1,2})(?:[.)/:]|\s*[-–—]\s)\s*\S")
ROMAN = re.compile(r"^\s*[IVX]{1,4}[.)]\s+\S")
SENT_END = re.compile(r"[.!?…](?:[\"'”’)\]]*)(?:\s|$)")
FINAL_MARKS = ".!?…;"

FEATURES = (
    "sim_win", "sim_adj", "depth", "depth_z",
    "len_prev", "len_cur", "len_next", "lead_in", "short_before_long", "rel_prev", "local_min", "short_lead",
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
    return load_linear_model(path or WEIGHTS_FILE, FEATURES, "scripts/train_boundaries.py")


# ------------------------------------------------------------------ per-paragraph evidence

_TERM: dict[str, str] = {}            # English token -> stemmed content term ("" when not one)


def _stem(w: str) -> str:
    for suf in ("ings", "ing", "ies", "es", "s", "ed", "ly"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def _tokens(text: str) -> list[str]:
    """Lower-case runs of letters and digits (Vietnamese: syllables): `reference_tokens`, read off the shared
    `word_tokens` of each line (cached: the section stage counted the same blocks' words, and a list's unit
    is its items' lines joined): no token crosses a line, and `word_tokens` differs only by joining two runs
    across one apostrophe, so a token holding one is split there."""
    out: list[str] = []
    for line in text.split("\n") if "\n" in text else (text,):
        if "'" in line or "’" in line:   # tokens hold no space: joined by spaces, cut at the apostrophes too
            out.extend(" ".join(word_tokens(line)).replace("’", " ").replace("'", " ").split())
        else:
            out.extend(word_tokens(line))
    return out


def reference_tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _terms(toks: list[str], vi: bool, stop: frozenset) -> dict:
    """Content-term counts of a paragraph's tokens: stop words and numbers dropped; English lightly stemmed;
    Vietnamese syllables plus pairs of consecutive content syllables."""
    if vi:
        kept = [t for t in toks if t not in stop and not t.isdigit()]
        c = Counter(kept)
        c.update(zip(kept, kept[1:]))
        return c
    for t in set(toks).difference(_TERM):
        _TERM[t] = _stem(t) if len(t) > 2 and t not in stop and not t.isdigit() and t.isalpha() else ""
    c = Counter(map(_TERM.__getitem__, toks))
    c.pop("", None)
    if len(_TERM) > 200_000:
        _TERM.clear()
    return c


def _dot(a: dict, b: dict) -> float:
    common = a.keys() & b.keys()
    return float(sum(a[k] * b[k] for k in common)) if common else 0.0


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
    toks = _tokens(text)          # the same tokens as the stripped text's; cached for a block's text
    words = len(toks)
    opening = _opening(t[:200])
    first = _first_sentence(t[:400] if not is_list else lines[0][:400])
    last_char = t.rstrip(" \t\"'”’)*_")[-1:] if t else ""
    colon = last_char in (":", "：")
    head = t[:120]
    caps = head.isupper() and sum(c.isalpha() for c in head) >= 3
    heading_like = not is_list and 0 < words <= 14 and (last_char not in FINAL_MARKS or last_char == "?") \
        and len(lines) == 1
    title = False
    if heading_like:
        cap_words = [w for w in t.split() if w[:1].isalpha()]
        title = len(cap_words) >= 2 and sum(w[0].isupper() for w in cap_words) >= 0.7 * len(cap_words)
    question = "?" in first and first.rstrip(" \t\"'”’)*_").endswith("?") or (
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
        lex["continuation"].match(opening) is not None, _terms(toks, lang == "vi", lex["stop"]),
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
    # Window sums are never built: dot products of paragraphs up to two apart give every window cosine.
    D = [[0.0, 0.0, 0.0, 0.0] for _ in range(n)]        # D[i][d] = T[i] . T[i+d]
    for i in range(n):
        D[i][0] = float(sum(v * v for v in T[i].values()))
        for d in (1, 2, 3):
            if i + d < n:
                D[i][d] = _dot(T[i], T[i + d])
    sims, adj = [], []
    for i in range(1, n):
        L = (i - 1,) if i < 2 else (i - 2, i - 1)
        R = (i,) if i + 1 >= n else (i, i + 1)
        num = sum(D[a][b - a] for a in L for b in R)
        nl = sum(D[min(a, b)][abs(a - b)] for a in L for b in L)
        nr = sum(D[min(a, b)][abs(a - b)] for a in R for b in R)
        sims.append(num / math.sqrt(nl * nr) if num and nl and nr else 0.0)
        na, nb = D[i - 1][0], D[i][0]
        adj.append(D[i - 1][1] / math.sqrt(na * nb) if na and nb and D[i - 1][1] else 0.0)
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
    rows = []
    for k in range(g):
        i = k + 1
        c, p = P[i], P[i - 1]
        nxt = P[i + 1] if i + 1 < n else None
        ahead = sorted(W[i + 1:i + 4])
        mid = (ahead[0] + ahead[1]) / 2 if len(ahead) == 2 else ahead[len(ahead) // 2] if ahead else 1
        lead_in = math.log(W[i] / mid) if ahead else 0.0
        rows.append((
            sims[k], adj[k], depth[k], (depth[k] - dm) / dsd,
            logW[i - 1], logW[i], logW[i + 1] if i + 1 < n else 0.0, lead_in,
            float(W[i] < W[i - 1] and bool(ahead) and W[i] < 0.6 * mid),
            logW[i] - logW[i - 1],
            float(i + 1 < n and W[i] < W[i - 1] and W[i] < W[i + 1]),
            float(i + 1 < n and not c[1] and W[i] < 0.5 * med and W[i + 1] >= med),
            c[2], p[2], c[3], c[4] and c[2], c[5], p[5],
            c[6], p[6],
            c[7], float(c[7] and c[8] == 1), p[7], c[9], c[10],
            c[11], c[12], c[13],
            c[1], p[1], bool(nxt and nxt[1]),
            i / n, i == 1, i == n - 1, log_n, vi,
        ))
    return np.array(rows, dtype=float)


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


def keeps_grouped_outline(starts: dict[int, int], min_groups: int = 2, min_points: int = 3,
                          share: float = 0.6) -> bool:
    """Whether a rule-based outline ({unit index: level}, level 1 = group, 2 = point) is a regular
    lead-in/points organization worth keeping over the model's top level: at least `min_groups` level-1
    sections holding `min_points` or more points each, and such sections at least `share` of all level-1
    ones (the sample listing's genre: short lead-ins, each over several long points). On the dev articles
    this never holds; the model decides there."""
    order = sorted(starts)
    tops = [k for k, i in enumerate(order) if starts[i] == 1]
    if not tops:
        return False
    rich = 0
    for t, k in enumerate(tops):
        end = tops[t + 1] if t + 1 < len(tops) else len(order)
        rich += sum(1 for i in order[k + 1:end] if starts[i] == 2) >= min_points
    return rich >= min_groups and rich >= share * len(tops)


def merge_outline(starts: dict[int, int], paragraphs: list[str], lang: str, model: dict | None = None,
                  decided: list[tuple[int, int]] = ()) -> dict[int, int]:
    """The rule-based outline with its top level chosen by the model: unit 0 and the model's boundaries
    are level 1; the rules' other starts (points, and groups the model did not keep) are level 2. A
    regular grouped outline (`keeps_grouped_outline`) is returned unchanged. Inside a `decided` stretch
    [a, b) (a long run of prose paragraphs with no structural evidence, which the rules cut by lexical
    cohesion over the whole stretch) the rules' cuts stand: there the model's per-gap scores rest on its
    priors (length of the article, position), and taking every gap above the threshold over-segments."""
    if keeps_grouped_outline(starts):
        return dict(starts)
    inside = lambda i: any(a < i < b for a, b in decided)
    top = {i for i in boundaries(paragraphs, lang, model) if not inside(i)} | {0}
    top |= {i for i in starts if starts[i] == 1 and inside(i)}
    out = {i: 2 for i in starts if i not in top}
    out.update({i: 1 for i in top})
    return out
