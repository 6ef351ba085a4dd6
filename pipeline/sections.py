"""Description → sections (explicit or inferred) and sentences.

Explicit sections come from heading blocks (HTML h1-h6, Markdown '#', numbered, bold-only, ALL-CAPS and
short title lines, see `segment`); heading levels nest with a stack. A heading that names the whole
description zone ("Mô tả sản phẩm", "Product description") wraps everything below it as one level-1
section.

When the description has no headings (or they were stripped upstream) the structure is inferred from
paragraphs alone, in two levels:
- groups (level 1): a *lead-in* is a paragraph much shorter than the ones that follow it (under 0.6x the
  median of the next three, and shorter than each of the next two); each lead-in opens a group. What
  comes before the first lead-in is the introduction; a last paragraph opened by a concluding phrase
  (lexicon: "In conclusion", "Tóm lại"...) is the conclusion.
- points (level 2): inside a group, paragraphs after the lead-in are points; consecutive paragraphs are
  merged into one point when lexical cohesion says they continue one topic. Cohesion is TextTiling
  (Hearst 1997) over paragraphs: the cosine similarity of content-word counts (spaCy tokens, stop words
  removed) in a window of two paragraphs either side of each gap; a gap's depth is how far its score
  sits below the peaks on either side; gaps deeper than mean - sd/2 are boundaries.
- without lead-ins, the TextTiling boundaries alone give level-1 sections (a run of fewer than four
  paragraphs stays one section).
No rule names the words of any particular article. Inferred sections are labelled with the leading
clause of their first paragraph (up to the first comma/colon/sentence end, at most 8 words).

Sentences come from spaCy blank pipelines with a sentencizer ('en' for English, 'xx' otherwise: the
blank 'vi' tokenizer without pyvi splits on spaces only, so punctuation sticks to words and the
sentencizer never fires). Each block is parsed on its own, so bullets and line breaks end sentences.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from statistics import median, mean, pstdev

import spacy

from .lexicon import load
from .records import Block, Listing, Section, Sentence
from .zones import heading_zone, _lexicon as _zone_lexicon

WORD = re.compile(r"[^\W_]+")
LABEL_END = re.compile(r"[,:;.!?…(]|\s[-–—]\s")


@functools.cache
def nlp_for(lang: str):
    nlp = spacy.blank("en" if lang == "en" else "xx")
    nlp.add_pipe("sentencizer")
    return nlp


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(load("sections")["stopwords"])


def _reading_speed(lang: str) -> float:
    speeds = load("sections")["reading_speed"]
    return float(speeds.get(lang, speeds["default"]))


def label(text: str) -> str:
    """Leading clause of a text, at most 8 words."""
    m = LABEL_END.search(text)
    clause = text[: m.start()] if m else text
    words = clause.split()[:8]
    return " ".join(words).strip(" -•*#") or text[:60]


def _heading_text(block: Block) -> str:
    return block.text.lstrip("#").strip().rstrip(":").strip()


# ------------------------------------------------------------------ cohesion

def _content_counts(texts: list[str], lang: str) -> list[Counter]:
    stop = _stopwords()
    nlp = nlp_for(lang)
    out = []
    for doc in nlp.tokenizer.pipe(texts):
        out.append(Counter(t.lower_ for t in doc if t.is_alpha and len(t) > 2 and t.lower_ not in stop))
    return out


def _cosine(a: Counter, b: Counter) -> float:
    num = sum(v * b.get(k, 0) for k, v in a.items())
    den = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return num / den if den else 0.0


def depth_scores(texts: list[str], lang: str, window: int = 2) -> list[float]:
    """TextTiling depth for each gap between consecutive texts (len(texts) - 1 values)."""
    counts = _content_counts(texts, lang)
    gaps = []
    for i in range(1, len(counts)):
        left, right = Counter(), Counter()
        for c in counts[max(0, i - window):i]:
            left.update(c)
        for c in counts[i:i + window]:
            right.update(c)
        gaps.append(_cosine(left, right))
    depths = []
    for i, s in enumerate(gaps):
        lpeak = s
        for v in reversed(gaps[:i]):
            if v < lpeak:
                break
            lpeak = v
        rpeak = s
        for v in gaps[i + 1:]:
            if v < rpeak:
                break
            rpeak = v
        depths.append((lpeak - s) + (rpeak - s))
    return depths


def tiling_boundaries(texts: list[str], lang: str) -> set[int]:
    """Indices i where a new topic starts at texts[i] (i >= 1)."""
    if len(texts) < 4:
        return set()
    depths = depth_scores(texts, lang)
    cutoff = mean(depths) - pstdev(depths) / 2
    return {i + 1 for i, d in enumerate(depths) if d > cutoff and d > 0}


# ------------------------------------------------------------------ inference

def infer_outline(texts: list[str], lang: str) -> list[tuple[int, int]]:
    """(paragraph index, level) for every inferred section start, in order."""
    n = len(texts)
    if n == 0:
        return []
    words = [len(WORD.findall(t)) for t in texts]
    conclusion = None
    openers = _conclusion_openers()
    if n >= 3 and openers.search(texts[-1]) and openers.search(texts[-1]).start() == 0:
        conclusion = n - 1
    lead_ins = []
    for i in range(n - 2):
        following = words[i + 1:i + 4]
        if words[i] < 0.6 * median(following) and words[i] < min(words[i + 1], words[i + 2]) \
                and i != conclusion:
            lead_ins.append(i)
    # A lead-in right after another lead-in is part of the same opening.
    lead_ins = [i for i in lead_ins if i - 1 not in lead_ins]
    starts: list[tuple[int, int]] = []
    if lead_ins:
        if lead_ins[0] > 0:
            starts.append((0, 1))
        tiles = tiling_boundaries(texts, lang)
        for gi, lead in enumerate(lead_ins):
            end = lead_ins[gi + 1] if gi + 1 < len(lead_ins) else (conclusion if conclusion is not None else n)
            starts.append((lead, 1))
            for j in range(lead + 1, end):
                if j == lead + 1 or j in tiles:
                    starts.append((j, 2))
    else:
        starts.append((0, 1))
        starts.extend((i, 1) for i in sorted(tiling_boundaries(texts[: conclusion or n], lang)))
    if conclusion is not None:
        starts.append((conclusion, 1))
    return starts


@functools.cache
def _conclusion_openers():
    from .cues import PhraseSet
    return PhraseSet(load("zones")["conclusion"]["openers"])


# ------------------------------------------------------------------ sections and sentences

def _majority_lang(blocks: list[Block]) -> str:
    weights = Counter()
    for b in blocks:
        if b.lang != "und":
            weights[b.lang] += len(b.text)
    return weights.most_common(1)[0][0] if weights else "und"


def build_sections(listing: Listing) -> Listing:
    desc = [b for b in listing.blocks if b.zone == "description"]
    listing.sections, listing.sentences = [], []
    if not desc:
        return listing
    lang = _majority_lang(desc)
    # Outline entries: (index into desc where the section starts, level, heading, source).
    outline: list[tuple[int, int, str | None, str]] = []
    base = 1
    body_start = 0
    if desc[0].kind == "heading" and heading_zone(desc[0].text) == "description":
        outline.append((0, 1, _heading_text(desc[0]), "explicit"))
        base, body_start = 2, 1
    headings = [i for i in range(body_start, len(desc)) if desc[i].kind == "heading"]
    if headings:
        known = [desc[i].level for i in headings if desc[i].level]
        top = min(known) if known else 1
        if headings[0] > body_start:
            outline.append((body_start, base, label(desc[body_start].text), "inferred"))
        for i in headings:
            depth = (desc[i].level - top) if desc[i].level else 0
            outline.append((i, base + max(0, depth), _heading_text(desc[i]), "explicit"))
    else:
        paras = desc[body_start:]
        for idx, level in infer_outline([b.text for b in paras], lang):
            outline.append((body_start + idx, base + level - 1, label(paras[idx].text), "inferred"))
    _materialize(listing, desc, outline, lang)
    return listing


def _materialize(listing: Listing, desc: list[Block], outline, lang: str) -> None:
    text = listing.text
    sentences = _sentences(desc)
    stack: list[tuple[int, int]] = []  # (level, section_id)
    bounds = [o[0] for o in outline] + [len(desc)]
    for sid, (start, level, heading, source) in enumerate(outline):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        # A section runs until the next section of the same or a higher level.
        end = len(desc)
        for nxt, nlevel, _, _ in outline[sid + 1:]:
            if nlevel <= level:
                end = nxt
                break
        blocks = desc[start:end]
        cs, ce = blocks[0].char_start, blocks[-1].char_end
        n_words = sum(len(WORD.findall(b.text)) for b in blocks)
        sec_lang = _majority_lang(blocks)
        listing.sections.append(Section(
            section_id=sid, parent_id=parent, level=level, heading=heading, heading_source=source,
            text=text[cs:ce], char_start=cs, char_end=ce,
            n_paragraphs=sum(1 for b in blocks if b.kind != "heading"),
            n_sentences=sum(1 for s in sentences if cs <= s[0] < ce),
            n_words=n_words, reading_minutes=round(n_words / _reading_speed(sec_lang), 2), lang=sec_lang))
        stack.append((level, sid))
    del bounds
    starts = [s.char_start for s in listing.sections]
    for k, (cs, ce, slang) in enumerate(sentences):
        # Innermost section: the last one that starts at or before the sentence.
        owner = max(i for i, st in enumerate(starts) if st <= cs) if starts and starts[0] <= cs else 0
        listing.sentences.append(Sentence(section_id=owner, sentence_id=k, text=text[cs:ce], lang=slang,
                                          char_start=cs, char_end=ce))


def _sentences(blocks: list[Block]) -> list[tuple[int, int, str]]:
    """(char_start, char_end, lang) of every sentence, in reading order."""
    out: list[tuple[int, int, str]] = []
    by_lang: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        by_lang.setdefault("en" if b.lang == "en" else "xx", []).append(i)
    found: dict[int, list[tuple[int, int]]] = {}
    for key, idxs in by_lang.items():
        for i, doc in zip(idxs, nlp_for(key).pipe(blocks[i].text for i in idxs)):
            spans = []
            for s in doc.sents:
                st = s.text.strip()
                if st:
                    a = s.start_char + (len(s.text) - len(s.text.lstrip()))
                    spans.append((a, a + len(st)))
            found[i] = spans
    for i, b in enumerate(blocks):
        for a, e in found[i]:
            out.append((b.char_start + a, b.char_start + e, b.lang))
    return out
