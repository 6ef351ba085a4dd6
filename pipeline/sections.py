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

from pipeline.contract.records import Block, Listing, Section, Sentence, majority_lang
from pipeline.lexicon import load
from pipeline.text.phrases import PhraseSet
from pipeline.text.sentences import nlp_for, sentence_cuts, spans_from_cuts
from pipeline.text.styles import BULLET_LEAD, heading_style, heading_text
from pipeline.text.words import count_words, stopwords

LABEL_END = re.compile(r"[,:;.!?…(]|\s[-–—]\s")
KEY_VALUE = re.compile(r"^\W*([^:：|]{1,40}?)\s*[:：]\s*\S")
SENTENCE_END = ".!?…"


@functools.cache
def _lex() -> dict:
    lex = load("sections")
    return {
        "speed": lex["reading_speed"],
        "conclusion": PhraseSet(lex["conclusion"]["openers"]),
        "connectives": PhraseSet(lex["continuation"]["connectives"]),
        **{k: float(v) for k, v in lex["inference"].items()},
    }


def _reading_speed(lang: str) -> float:
    speeds = _lex()["speed"]
    return float(speeds.get(lang, speeds["default"]))


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
    stop = stopwords()
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
    return heading_style(block.text, block.level, from_source)


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
    lang = majority_lang(desc)
    # Outline entries: (index into desc where the section starts, level, heading, source).
    outline: list[tuple[int, int, str | None, str]] = []
    from_source = bool(listing.hints)
    headings = _section_headings(desc, from_source)
    if headings == [0] and len(desc) > 1:
        # One heading on top ("Mô tả sản phẩm", a title): it wraps the inferred structure.
        outline.append((0, 1, heading_text(desc[0].text), "explicit"))
        outline.extend(_inferred(desc, 1, lang, listing.text))
    elif headings:
        levels = heading_levels([desc[i] for i in headings], from_source)
        if headings[0] > 0:
            outline.append((0, 1, label(desc[0].text), "inferred"))
        outline.extend((i, lv, heading_text(desc[i].text), "explicit") for i, lv in zip(headings, levels))
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
        sec_lang = majority_lang(blocks)
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


def _sentences(blocks: list[Block]) -> list[tuple[int, int, str]]:
    """(char_start, char_end, lang) of every sentence, in reading order: spaCy's sentencizer cuts, with
    the English tokenizer for English blocks and the multi-language one for the rest."""
    out: list[tuple[int, int, str]] = []
    for b in blocks:
        cuts = sentence_cuts(b.text, "en" if b.lang == "en" else "xx")
        out.extend((b.char_start + a, b.char_start + e, b.lang) for a, e in spans_from_cuts(b.text, cuts))
    return out
