"""Description → sections (explicit or inferred) and sentences.

Explicit sections
-----------------
Heading blocks come from `pipeline.segment` (HTML h1-h6, Markdown '#', numbered "1." / "2)" / "I." /
"Bước 1:", ALL-CAPS and bold-only short lines, colon-ended and short title lines followed by body text).
Levels: a heading whose source gives a level (h1-h6, '#') keeps it, shifted so the highest one present
is 1. Other headings are nested by *style* the way word processors' outline views do it: a style not
seen yet nests one level below the heading it follows; a style seen before goes back to its level
(styles: ALL-CAPS, Roman numeral, numbered with its depth "1." / "1.1", step "Bước 1", plain). So
"THÔNG TIN SẢN PHẨM", "1. Chất liệu", "2. Kích thước", "HƯỚNG DẪN SỬ DỤNG", "Bước 1: ..." gives
1, 2, 2, 1, 2. A run of three or more consecutive headings of one style with no body between them
(ALL-CAPS selling points, one per line) is body text, not a stack of empty sections. Text before the
first heading is an inferred level-1 section. A description whose only heading is its first block ("Mô tả sản
phẩm", "Product description", a title) is wrapped by it as one level-1 section; the structure inferred
for the body then nests under it (groups at level 2, points at level 3).

Inferred sections (no headings, or headings stripped upstream)
--------------------------------------------------------------
The description is first cut into *units*: a paragraph, or a whole enumeration (a run of bullet or
table-row blocks, or of two or more short "key: value" lines typed without bullets; pieces of one line
that the segmenter split stay one unit). Lengths are counted in words (Vietnamese: syllables).
Descriptions under `min_infer_words` words or three units stay one section. Then, in reading order:

- lead-ins open level-1 *groups*: a paragraph much shorter than what follows (under `lead_in_ratio` x
  the larger of the median of the next three units and the median paragraph, and shorter than the next
  unit); not the short tail of a list, not right after another lead-in, not a colon-ended introducer of a
  list. Lead-ins are a document's shortest paragraphs: when the candidates' lengths fall into two tiers
  (a jump of `lead_in_tier_gap` x, at least two below it) the longer tier are short continuations.
  What comes before the first group is the introduction (its own level-1 section).
- points (level 2): inside a group every paragraph opens a point except a *continuation*: a paragraph
  shorter than `continuation_ratio` x the one before it (elaborations run shorter than the paragraph that
  opened the point), one whose first sentence carries an additive connective ("also", "cũng", "ngoài
  ra"), or one after a paragraph ending with ':'. A paragraph ending with ':' that introduces a list
  opens a point whatever its length.
- enumerations: a list introduced by the paragraph before it (ending with ':', a lead-in, or a paragraph
  under `intro_short_ratio` x the median paragraph) or whose items are full sentences belongs to that
  paragraph; a list of short items with no introducer (specifications, box contents) is a level-1
  section of its own. A paragraph after a list that is shorter than `tail_ratio` x the median paragraph
  (or opens with a connective) is the list's tail; otherwise it opens a new section (a point inside a
  group, level 1 after a stand-alone list). A lead-in that introduces a list closes its group after the
  list and its tail.
- outside groups (product copy: sections of several paragraphs of similar length) a paragraph opens a
  level-1 section when it is clearly longer than the one before (`opener_ratio`: sections open with
  their fullest paragraph) or introduces a list.
- lexical cohesion: a level-1 stretch of at least `tiling_min_units` paragraphs that structure left
  undivided is cut by TextTiling (Hearst 1997): cosine similarity of content terms (spaCy tokens, stop
  words removed; English words lightly stemmed, Vietnamese syllables plus syllable pairs) in a window of
  two paragraphs either side of each gap; a gap's depth is how far its similarity sits below the peaks on
  either side; depths above mean + `tiling_sd` x sd are boundaries. Between the short paragraphs of
  product copy and how-to articles cohesion is weak (on tests/data/articles the depth alone ranks gold
  boundaries at chance level, AUC about 0.5, see `python -m pipeline eval sections`), so it is kept for
  long stretches where it has enough text to work with and structure has nothing to say.
- a conclusion is a level-1 section: a last paragraph that opens with a concluding phrase ("In
  conclusion", "Tóm lại"); or, in a description organized in two or more groups, a last point whose
  content terms are at least as close to an earlier group as to its own group (a conclusion sums up, a
  point develops its group's topic).

All numbers and word lists live in lexicon/sections.toml; no rule names the words of an article.
Inferred sections are labelled with the leading clause of their first paragraph (up to the first comma,
colon or sentence end after at least two words, at most `label_words` words); a list section whose items
are "key: value" lines is labelled with its first three keys ("Capacity, Power, Temperature range").

Counts: `n_paragraphs` counts body blocks (paragraphs, bullets, rows: a list of five bullets is five),
`n_words` every word of the section's text including its heading (Vietnamese: syllables),
`reading_minutes` = n_words / reading speed of the section's language (lexicon: 230 words, 260 syllables).

Sentences come from spaCy blank pipelines with a sentencizer, cached per language ('en' for English,
'xx' otherwise: the blank 'vi' tokenizer needs pyvi, and without it the sentencizer never fires). Each
block is parsed on its own (`nlp.pipe`), so bullets and line breaks end sentences; a list marker the
sentencizer cut off ("1.", "a)") stays with its item. Sentence starts are read with `Doc.to_array`.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import mean, median, pstdev

import spacy
from spacy.attrs import IDX, SENT_START

from .cues import PhraseSet
from .lexicon import load
from .records import Block, Listing, Section, Sentence
from .segment import _strip

WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
LABEL_END = re.compile(r"[,:;.!?…(]|\s[-–—]\s")
MD_HEADING = re.compile(r"^(#{1,6})\s+")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)[.)]?\s")
ROMAN = re.compile(r"^[IVXLC]{1,5}[.)]\s")
STEP = re.compile(r"^(?:bước|phần|chương|mục|step|part|chapter)\s+\d", re.IGNORECASE)
BULLET_LEAD = re.compile(r"^(?:[^\w\s]{1,3}|\d{1,2}[.)]|[IVXLC]{1,4}[.)])\s*(?=\w)")
KEY_VALUE = re.compile(r"^\W*([^:：|]{1,40}?)\s*[:：]\s*\S")
SENTENCE_END = ".!?…"
MARKER_ONLY = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,5}|[A-Za-z])[.)]$")
USE_BOUNDARY_MODEL = True   # issue 14: False gives the rule-based top level alone (pipeline.eval.boundaries "today")


@functools.cache
def nlp_for(lang: str):
    """Blank spaCy pipeline with a sentencizer: 'en' for English, 'xx' for everything else."""
    nlp = spacy.blank("en" if lang == "en" else "xx")
    nlp.add_pipe("sentencizer")
    return nlp


@functools.cache
def _lex() -> dict:
    lex = load("sections")
    return {
        "stop": frozenset(lex["stopwords"]),
        "speed": lex["reading_speed"],
        "conclusion": PhraseSet(lex["conclusion"]["openers"]),
        "connectives": PhraseSet(lex["continuation"]["connectives"]),
        **{k: float(v) for k, v in lex["inference"].items()},
    }


def _stopwords() -> frozenset[str]:
    return _lex()["stop"]


def _reading_speed(lang: str) -> float:
    speeds = _lex()["speed"]
    return float(speeds.get(lang, speeds["default"]))


@functools.lru_cache(maxsize=1024)
def word_tokens(text: str) -> tuple[str, ...]:
    """Lower-case words, an apostrophe joining two ("don't"); Vietnamese syllables are words. Cached (for a
    listing's worth of blocks: the tokens are big) because sections and quality read the same blocks."""
    return tuple(TOKEN.findall(text.lower()))


@functools.lru_cache(maxsize=8192)
def count_words(text: str) -> int:
    """Runs of letters and digits ("don't" is two); Vietnamese syllables count one each. Read off the shared
    `word_tokens` when lower-casing kept the text's length (it then keeps every character a letter or not)."""
    if len(text.lower()) != len(text):
        return len(WORD.findall(text))
    tokens = word_tokens(text)
    joined = " ".join(tokens)
    return len(tokens) + joined.count("'") + joined.count("’")


# ------------------------------------------------------------------ labels

def label(text: str) -> str:
    """Leading clause of a text (bullet glyphs dropped), at most `label_words` words."""
    text = BULLET_LEAD.sub("", text.strip(), count=1)
    n = int(_lex()["label_words"])
    clause = text
    for m in LABEL_END.finditer(text):
        if len(text[: m.start()].split()) >= 2:
            clause = text[: m.start()]
            break
    words = clause.split()[:n]
    return " ".join(words).strip(" -•*#") or text[:60]


def list_label(items: list[str]) -> str:
    """'key: value' items → their first three keys; other lists → the first item's leading clause."""
    keys = []
    for it in items:
        m = KEY_VALUE.match(it)
        if m and len(m.group(1).split()) <= 5:
            keys.append(BULLET_LEAD.sub("", m.group(1)).strip())
    if len(keys) >= max(2, len(items) // 2):
        return ", ".join(keys[:3])
    return label(items[0])


def _heading_text(block: Block) -> str:
    return MD_HEADING.sub("", block.text).strip().strip("*_").strip().rstrip(":：").strip()


# ------------------------------------------------------------------ units

@dataclass(slots=True)
class Unit:
    first: int                # index of its first block
    last: int                 # index of its last block (inclusive)
    kind: str                 # paragraph | list
    texts: list[str] = field(default_factory=list)
    words: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def _is_item_line(b: Block) -> bool:
    """A short 'key: value' line ("Trọng lượng: 25kg", "Material: cotton"): a list item typed without a bullet."""
    m = KEY_VALUE.match(b.text)
    return m is not None and len(m.group(1).split()) <= 5 and count_words(b.text) <= 25


def units_of(blocks: list[Block], text: str | None = None) -> list[Unit]:
    """Paragraphs, and enumerations as one unit each: runs of bullet or row blocks, and runs of two or more
    short 'key: value' lines. Pieces of one line (when `text` is given) stay together."""
    kinds = ["list" if b.kind in ("bullet", "row") else "paragraph" for b in blocks]
    items = [b.kind in ("bullet", "row") or _is_item_line(b) for b in blocks]
    for i, b in enumerate(blocks):
        if kinds[i] == "paragraph" and items[i] and (
                (i > 0 and items[i - 1] and blocks[i - 1].kind == b.kind)
                or (i + 1 < len(blocks) and items[i + 1] and blocks[i + 1].kind == b.kind)):
            kinds[i] = "kv"
    units: list[Unit] = []
    for i, b in enumerate(blocks):
        wc = count_words(b.text)
        if units:
            u, prev = units[-1], blocks[i - 1]
            same_line = text is not None and prev.char_end <= b.char_start \
                and "\n" not in text[prev.char_end:b.char_start]
            same_list = kinds[i] != "paragraph" and kinds[i - 1] == kinds[i] and prev.kind == b.kind
            if same_line or same_list:
                u.last = i
                u.texts.append(b.text)
                u.words += wc
                continue
        units.append(Unit(i, i, "paragraph" if kinds[i] == "paragraph" else "list", [b.text], wc))
    return units


# ------------------------------------------------------------------ cohesion

def _stem(w: str) -> str:
    for suf in ("ings", "ing", "ies", "es", "s", "ed", "ly"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def content_terms(texts: list[str], lang: str) -> list[Counter]:
    """Content terms per text: spaCy tokens minus stop words; English stemmed, Vietnamese syllables + pairs."""
    stop = _stopwords()
    out = []
    for doc in nlp_for(lang).tokenizer.pipe(texts):
        toks = [t.lower_ for t in doc if t.is_alpha]
        if lang == "en":
            out.append(Counter(_stem(t) for t in toks if len(t) > 2 and t not in stop))
        else:
            c = Counter(t for t in toks if t not in stop)
            c.update(f"{a} {b}" for a, b in pairwise(toks) if a not in stop and b not in stop)
            out.append(c)
    return out


def _cosine(a: Counter, b: Counter) -> float:
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
        sims.append(_cosine(left, right))
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
    cutoff = mean(depths) + _lex()["tiling_sd"] * pstdev(depths)
    return {i + 1 for i, d in enumerate(depths) if d > cutoff and d > 0}


# ------------------------------------------------------------------ inference

def _starts_with(phrases: PhraseSet, text: str) -> bool:
    m = phrases.search(text[:200])
    return m is not None and m.start() == 0


def _first_sentence(text: str) -> str:
    m = re.search(r"[.!?…](?:\s|$)", text)
    return text[: m.end()] if m else text


def _has_connective(text: str) -> bool:
    return _lex()["connectives"].search(_first_sentence(text)) is not None


def _prose_list(u: Unit) -> bool:
    return sum(t.rstrip()[-1:] in SENTENCE_END for t in u.texts) * 2 > len(u.texts)


def _shortest_tier(cands: list[int], W: list[int], gap: float) -> list[int]:
    """Lead-ins are a document's shortest paragraphs: when the candidates' lengths fall into two tiers
    (a jump of `gap` x between consecutive sorted lengths, at least two in the lower tier), the upper tier
    are short continuations, not lead-ins."""
    lengths = sorted(W[i] for i in cands)
    for k in range(1, len(lengths)):
        if k >= 2 and lengths[k] >= gap * lengths[k - 1]:
            return [i for i in cands if W[i] < lengths[k]]
    return cands


def infer_units(units: list[Unit], lang: str) -> list[tuple[int, int]]:
    """(unit index, level) of every inferred section start, in order; level 1 = group, 2 = point."""
    n = len(units)
    if n == 0:
        return []
    cfg = _lex()
    W = [max(1, u.words) for u in units]
    if n < 3 or sum(W) < cfg["min_infer_words"]:
        return [(0, 1)]                                  # too little text to have an inner structure
    paras = [W[i] for i in range(n) if units[i].kind == "paragraph"] or W
    med_para = median(paras)
    ends_colon = [u.kind == "paragraph" and u.texts[-1].rstrip().endswith((":", "：")) for u in units]

    conclusion = None
    if units[-1].kind == "paragraph" and _starts_with(cfg["conclusion"], units[-1].text):
        conclusion = n - 1

    lead_ins: list[int] = []
    for i in range(n - 1):
        if units[i].kind != "paragraph" or i == conclusion or ends_colon[i] and units[i + 1].kind == "list":
            continue                                        # (a list's introducer introduces the list)
        ref = max(median(W[i + 1:i + 4]), med_para)
        if not (W[i] < cfg["lead_in_ratio"] * ref and W[i] < W[i + 1]):
            continue
        if i > 0 and units[i - 1].kind == "list":          # the short tail of a list
            continue
        if lead_ins and lead_ins[-1] == i - 1:              # part of the same opening
            continue
        lead_ins.append(i)
    lead_ins = _shortest_tier(lead_ins, W, cfg["lead_in_tier_gap"])
    lead_set = set(lead_ins)

    starts: dict[int, int] = {0: 1}
    group: int | None = 0 if 0 in lead_set else None
    open_points = group is not None and units[1].kind == "paragraph"
    list_alone = False
    for j in range(1, n):
        u, p = units[j], units[j - 1]
        if j == conclusion:
            starts[j], group = 1, None
            continue
        if j in lead_set:
            starts[j], group = 1, j
            open_points = j + 1 < n and units[j + 1].kind == "paragraph"
            continue
        if u.kind == "list":
            introduced = p.kind == "paragraph" and (ends_colon[j - 1] or j - 1 in lead_set
                                                    or W[j - 1] < cfg["intro_short_ratio"] * med_para)
            list_alone = not (introduced or _prose_list(u) or p.kind == "list")
            if list_alone:
                starts[j], group = 1, None
            elif group is not None and not open_points:
                group = None                                 # the lead-in's own enumeration
            continue
        if p.kind == "list":
            if W[j] < cfg["tail_ratio"] * med_para or _has_connective(u.text):
                continue                                     # the list's tail
            starts[j] = 2 if (group is not None and open_points and not list_alone) else 1
            if starts[j] == 1:
                group = None
            continue
        introduces = ends_colon[j] and j + 1 < n and units[j + 1].kind == "list"
        if ends_colon[j - 1]:
            continue
        if group is not None and open_points and j - 1 == group:
            starts[j] = 2                                    # first point after the lead-in
            continue
        if not introduces and (W[j] < cfg["continuation_ratio"] * W[j - 1] or _has_connective(u.text)):
            continue
        if group is not None and open_points:
            starts[j] = 2
            continue
        if introduces or W[j] >= cfg["opener_ratio"] * W[j - 1]:
            starts[j] = 1

    # Lexical cohesion inside long level-1 stretches that structure left undivided.
    bounds = [*sorted(starts), n]
    for a, b in pairwise(bounds):
        if starts[a] == 1 and b - a >= cfg["tiling_min_units"] and all(u.kind == "paragraph" for u in units[a:b]):
            for k in tiling_boundaries([u.text for u in units[a:b]], lang):
                starts[a + k] = 1

    # A last point that reaches back to earlier groups as much as to its own concludes a description
    # organized in groups (a conclusion sums up; a point develops its group's topic).
    last = n - 1
    if conclusion is None and len(lead_ins) >= 2 and starts.get(last) == 2:
        tops = [j for j in sorted(starts) if starts[j] == 1]
        own = tops[-1]
        terms = content_terms([u.text for u in units], lang)
        def pooled(a: int, b: int) -> Counter:
            c = Counter()
            for t in terms[a:b]:
                c.update(t)
            return c
        own_sim = _cosine(terms[last], pooled(own, last))
        earlier = max((_cosine(terms[last], pooled(a, b)) for a, b in pairwise(tops)), default=0.0)
        if earlier > 0 and earlier >= own_sim:
            starts[last] = 1
    # >>> issue 14: top-level boundaries from the fitted boundary model (pipeline/stages/sections/boundaries.py)
    if USE_BOUNDARY_MODEL:
        from .stages.sections.boundaries import merge_outline
        starts = merge_outline(starts, [u.text for u in units], lang)
    # <<< issue 14
    return sorted(starts.items())


def infer_outline(blocks: list[Block], lang: str, text: str | None = None) -> list[tuple[int, int]]:
    """(block index, level) of every inferred section start; `text` (the listing text) lets pieces of one
    line stay together."""
    units = units_of(blocks, text)
    return [(units[u].first, level) for u, level in infer_units(units, lang)]


def _unit_label(unit: Unit) -> str:
    return list_label(unit.texts) if unit.kind == "list" else label(unit.texts[0])


# ------------------------------------------------------------------ explicit headings

def _style(block: Block, from_source: bool) -> tuple[str, int | None]:
    """(style, source level) of a heading block."""
    text = block.text.strip()
    m = MD_HEADING.match(text)
    if m:
        return "source", len(m.group(1))
    if from_source and block.level:
        return "source", block.level
    if m := NUMBERED.match(text):
        return f"num{m.group(1).count('.')}", None
    if ROMAN.match(text):
        return "roman", None
    if STEP.match(text):
        return "step", None
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return "caps", None
    return "plain", None


def heading_levels(headings: list[Block], from_source: bool) -> list[int]:
    """Nesting level (1 = top) of each heading, from source levels or by style (see module docstring)."""
    styles = [_style(h, from_source) for h in headings]
    src = [lv for s, lv in styles if s == "source"]
    top = min(src) if src else 1
    stack: list[tuple[str, int]] = []   # (style key, level), outermost first
    out = []
    for style, lv in styles:
        if style == "source":
            level = lv - top + 1
            key = f"h{lv}"
        else:
            key = style
            level = next((l for s, l in stack if s == key), None)
            if level is None:
                level = stack[-1][1] + 1 if stack else 1
        while stack and stack[-1][1] >= level:
            stack.pop()
        stack.append((key, level))
        out.append(level)
    return out


# ------------------------------------------------------------------ sections and sentences

def _majority_lang(blocks: list[Block]) -> str:
    weights = Counter()
    for b in blocks:
        if b.lang != "und":
            weights[b.lang] += len(b.text)
    return weights.most_common(1)[0][0] if weights else "und"


def _section_headings(desc: list[Block], from_source: bool) -> list[int]:
    """Indices of the heading blocks that head a section. A run of three or more consecutive headings of
    one style with no body between them (ALL-CAPS selling points, one per line) is body text: only the
    run's last heading is kept, and only when body text follows it."""
    idx = [i for i, b in enumerate(desc) if b.kind == "heading"]
    keep: list[int] = []
    k = 0
    while k < len(idx):
        j = k
        style = _style(desc[idx[k]], from_source)
        while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1 and _style(desc[idx[j + 1]], from_source) == style:
            j += 1
        run = idx[k:j + 1]
        if len(run) >= 3:
            last = run[-1]
            if last + 1 < len(desc) and desc[last + 1].kind != "heading":
                keep.append(last)
        else:
            keep.extend(run)
        k = j + 1
    return keep


def build_sections(listing: Listing) -> Listing:
    desc = [b for b in listing.blocks if b.zone == "description"]
    listing.sections, listing.sentences = [], []
    if not desc:
        return listing
    lang = _majority_lang(desc)
    # Outline entries: (index into desc where the section starts, level, heading, source).
    outline: list[tuple[int, int, str | None, str]] = []
    from_source = bool(listing.hints)
    headings = _section_headings(desc, from_source)
    if headings == [0] and len(desc) > 1:
        # One heading on top ("Mô tả sản phẩm", a title): it wraps the inferred structure.
        outline.append((0, 1, _heading_text(desc[0]), "explicit"))
        outline.extend(_inferred(desc, 1, lang, listing.text))
    elif headings:
        levels = heading_levels([desc[i] for i in headings], from_source)
        if headings[0] > 0:
            outline.append((0, 1, label(desc[0].text), "inferred"))
        outline.extend((i, lv, _heading_text(desc[i]), "explicit") for i, lv in zip(headings, levels))
    else:
        outline.extend(_inferred(desc, 0, lang, listing.text))
    _materialize(listing, desc, outline, set(headings))
    return listing


def _inferred(desc: list[Block], skip: int, lang: str, text: str):
    """Outline entries inferred for desc[skip:], nested `skip` levels below the top."""
    units = units_of(desc[skip:], text)
    for u, level in infer_units(units, lang):
        yield units[u].first + skip, level + skip, _unit_label(units[u]), "inferred"


def _materialize(listing: Listing, desc: list[Block], outline, headings: set[int]) -> None:
    text = listing.text
    sentences = _sentences(desc)
    sent_starts = [s[0] for s in sentences]
    words = [count_words(b.text) for b in desc]
    body = [0]                                   # prefix counts of body (non-heading) blocks
    for i in range(len(desc)):
        body.append(body[-1] + (i not in headings))
    # One pass with a stack of open sections: an entry closes those of its level or deeper (their end is
    # its start), and its parent is the innermost one still open.
    ends = [len(desc)] * len(outline)
    parents: list[int | None] = []
    open_: list[int] = []
    for k, (start, level, _, _) in enumerate(outline):
        while open_ and outline[open_[-1]][1] >= level:
            ends[open_.pop()] = start
        parents.append(open_[-1] if open_ else None)
        open_.append(k)
    for sid, (start, level, heading, source) in enumerate(outline):
        parent = parents[sid]
        blocks = desc[start:ends[sid]]
        cs, ce = blocks[0].char_start, blocks[-1].char_end
        n_words = sum(words[start:ends[sid]])
        sec_lang = _majority_lang(blocks)
        n_sent = bisect.bisect_left(sent_starts, ce) - bisect.bisect_left(sent_starts, cs)
        listing.sections.append(Section(
            section_id=sid, parent_id=parent, level=level, heading=heading, heading_source=source,
            text=text[cs:ce], char_start=cs, char_end=ce,
            n_paragraphs=body[ends[sid]] - body[start],
            n_sentences=n_sent, n_words=n_words,
            reading_minutes=round(n_words / _reading_speed(sec_lang), 2), lang=sec_lang))
    starts = [s.char_start for s in listing.sections]
    for k, (cs, ce, slang) in enumerate(sentences):
        # Innermost section: the last one that starts at or before the sentence.
        owner = max(0, bisect.bisect_right(starts, cs) - 1)
        listing.sentences.append(Sentence(section_id=owner, sentence_id=k, text=text[cs:ce], lang=slang,
                                          char_start=cs, char_end=ce))


@functools.cache
def _sentence_marks() -> frozenset[str]:
    from spacy.pipeline import Sentencizer
    return frozenset(Sentencizer.default_punct_chars)


@functools.lru_cache(maxsize=256)
def _mark_finder(present: frozenset[str]) -> re.Pattern:
    # Only the marks present: a class of all ~100 (astral ones included) makes `re` about 10x slower.
    return re.compile("[" + re.escape("".join(sorted(present))) + "]")


_WORD, _PUNCT, _MARK = 0, 1, 2
_CHUNK_END = re.compile(r"\s|\Z")
_SPACE_END = re.compile(r"\S|\Z")


@functools.cache
def _plain_tokenizer(key: str):
    """The same tokenizer without special cases: what its affix rules alone make of a chunk."""
    from spacy.tokenizer import Tokenizer
    tok = nlp_for(key).tokenizer
    return Tokenizer(tok.vocab, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                     infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)


@functools.lru_cache(maxsize=1 << 16)
def _chunk_tokens(key: str, chunk: str) -> tuple[tuple[int, int], ...] | None:
    """(offset, kind) of each token spaCy's tokenizer makes of one whitespace-free chunk. The tokenizer
    cuts text at whitespace first and treats each chunk alone, so a chunk's tokens do not depend on its
    neighbours, and chunks repeat a lot: cached. One exception, hence None: a special case found inside
    the chunk after its affixes were split ("x." in "x.No") can be dropped for an emoticon-like special
    case that straddles the space before it (": x"), so such a chunk is left to spaCy in context."""
    marks = _sentence_marks()
    tokens = nlp_for(key).tokenizer(chunk)
    if chunk not in _affix_rules(key)[2] and \
            [t.text for t in tokens] != [t.text for t in _plain_tokenizer(key)(chunk)]:
        return None
    return tuple((t.idx, _MARK if t.text in marks else _PUNCT if t.is_punct else _WORD) for t in tokens)


@functools.cache
def _affix_rules(key: str):
    """The tokenizer's prefix and suffix searches, and its special cases that end in a sentence mark."""
    tok = nlp_for(key).tokenizer
    marks = _sentence_marks()
    specials = tuple(r for r in tok.rules if r[-1:] in marks)
    return tok.prefix_search, tok.suffix_search, frozenset(tok.rules), specials, tok.token_match is None


@functools.lru_cache(maxsize=1 << 16)
def _opening_chunk_tokens(key: str, chunk: str) -> tuple[tuple[int, int], ...] | None:
    """`_chunk_tokens` for a chunk read with no mark pending, where only its marks and the tokens after
    them count. The common chunk, a word ending in its only mark ("interview." "1-7." "2023!"), is settled
    from the tokenizer's own first affix step without tokenizing: no prefix, the suffix search takes just
    the mark, so the mark is a token of its own; unless a special case ("Mr." "e.g.") ends the chunk."""
    prefix_search, suffix_search, rules, mark_specials, plain = _affix_rules(key)
    body = chunk[:-1]
    if body and plain and _sentence_marks().isdisjoint(body) and chunk not in rules \
            and not chunk.endswith(mark_specials) and not prefix_search(chunk):
        m = suffix_search(chunk)
        if m and m.start() == len(body):
            return ((len(body), _MARK),)
    return _chunk_tokens(key, chunk)


def sentence_cuts(text: str, key: str) -> list[int]:
    """Sentence starts exactly as spaCy's tokenizer + sentencizer give them; spaCy runs only for the rare
    text `cuts_without_spacy` leaves to it."""
    cuts = cuts_without_spacy(text, key)
    return cuts if cuts is not None else spacy_sentence_cuts([nlp_for(key)(text)])[0]


def cuts_without_spacy(text: str, key: str) -> list[int] | None:
    """Sentence starts as spaCy's tokenizer + sentencizer give them, without building a Doc (None in the
    rare case `_chunk_tokens` leaves to spaCy).

    The sentencizer opens a sentence at the first token after a sentence mark ("." "!" "?" "。"...) that is
    neither punctuation nor a mark; whitespace other than one plain space is a token of its own. Only the
    chunks holding a mark, and those right after it, are tokenized (cached per chunk); plain words need no
    tokenizer. Tests check the cuts against the full spaCy pipeline."""
    present = _sentence_marks().intersection(text)
    if not present:
        return [0]
    cuts = [0]
    n = len(text)
    done = 0   # text before this has been read
    for m in _mark_finder(frozenset(present)).finditer(text):
        i = m.start()
        if i < done:
            continue
        pos = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
        if not text[pos:i].isalnum():   # rarer whitespace (tab, nbsp...) may sit closer
            pos = next((j + 1 for j in range(i - 1, pos - 1, -1) if text[j].isspace()), pos)
        end = _CHUNK_END.search(text, i).start()
        found = _opening_chunk_tokens(key, text[pos:end])
        seen = False   # a mark is waiting for the token that opens the next sentence
        while True:
            if found is None:
                return None
            for off, kind in found:
                if kind == _MARK:
                    seen = True
                elif seen and kind == _WORD:
                    cuts.append(pos + off)
                    seen = False
            if not seen or end == n:
                break
            pos = _SPACE_END.search(text, end).start()
            if pos == n:
                break
            if end + 1 != pos or text[end] != " ":   # a whitespace token: not punctuation, so it opens
                cuts.append(end)
                break
            if text[pos].isalnum():                  # a chunk that starts with a word opens it
                cuts.append(pos)
                break
            end = _CHUNK_END.search(text, pos).start()
            found = _chunk_tokens(key, text[pos:end])
        done = end
    return cuts


def _spans_from_cuts(t: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for a, e in _strip(t, zip(cuts, [*cuts[1:], len(t)])):
        if spans and MARKER_ONLY.match(t, spans[-1][0], spans[-1][1]):
            spans[-1] = (spans[-1][0], e)   # "1." / "a)" / "IV." opens the item, not a sentence
        else:
            spans.append((a, e))
    return spans


def spacy_sentence_cuts(docs) -> list[list[int]]:
    """Sentence starts of spaCy docs (run through the whole pipeline, sentencizer included), read in bulk."""
    out = []
    for doc in docs:
        arr = doc.to_array([SENT_START, IDX])
        cuts = arr[arr[:, 0] == 1, 1].tolist() if len(doc) else []
        if not cuts or cuts[0] != 0:
            cuts.insert(0, 0)
        out.append(cuts)
    return out


def _sentences(blocks: list[Block]) -> list[tuple[int, int, str]]:
    """(char_start, char_end, lang) of every sentence, in reading order: spaCy's sentencizer cuts, with
    the English tokenizer for English blocks and the multi-language one for the rest."""
    out: list[tuple[int, int, str]] = []
    for b in blocks:
        cuts = sentence_cuts(b.text, "en" if b.lang == "en" else "xx")
        out.extend((b.char_start + a, b.char_start + e, b.lang) for a, e in _spans_from_cuts(b.text, cuts))
    return out
