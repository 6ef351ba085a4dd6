"""Description → sections (explicit or inferred) and sentences.

Explicit sections
-----------------
Heading blocks come from the segment stage (HTML h1-h6, Markdown '#', numbered "1." / "2)" / "I." /
"Bước 1:", ALL-CAPS and bold-only short lines, colon-ended and short title lines followed by body text).
Which of them head a section and at which level is `explicit.py`'s (see its docstring): an h-tag over
`heading_max_words` words is a paragraph; a bold-only HTML line heads a section when it reads like a
heading (short, not ending like a sentence, not the middle of one); a heading-like line of plain text
inside a list is a line of the list. Levels: a heading whose source gives a level (h1-h6, '#') keeps it,
shifted so the highest one present is 1; in HTML a bold-only line sits one level below the h-heading
before it (the markup, not the typography, nests). In plain text headings are nested by *style* the way
word processors' outline views do it: a style not seen yet nests one level below the heading it follows;
a style seen before goes back to its level (styles: ALL-CAPS, Roman numeral, numbered with its depth
"1." / "1.1", step "Bước 1", plain). So "THÔNG TIN SẢN PHẨM", "1. Chất liệu", "2. Kích thước",
"HƯỚNG DẪN SỬ DỤNG", "Bước 1: ..." gives 1, 2, 2, 1, 2. A run of three or more consecutive headings of
one style with no body between them (ALL-CAPS selling points, one per line) is body text, not a stack of
empty sections. Text before the first heading is an inferred level-1 section. A description whose only
heading is its first block ("Mô tả sản phẩm", "Product description", a title) is wrapped by it as one
level-1 section; the structure inferred for the body then nests under it (groups at level 2, points at
level 3).

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
import itertools

from pipeline.contract.records import Block, Listing, Section, Sentence, majority_lang
from pipeline.text.sentences import sentence_cuts, spans_from_cuts
from pipeline.text.styles import heading_text
from pipeline.text.words import count_words

from .cohesion import content_terms, depth_scores, tiling_boundaries
from .explicit import heading_levels, heading_style_of, heads_section
from .inferred import infer_outline, infer_units, unit_label
from .labels import label, list_label
from .lexicon import reading_speed
from .units import Unit, units_of


__all__ = ["Unit", "build_sections", "content_terms", "count_words", "depth_scores", "heading_levels",
           "infer_outline", "infer_units", "label", "list_label", "tiling_boundaries", "units_of"]


def _section_headings(desc: list[Block], from_source: bool) -> list[int]:
    """Indices of the heading blocks that head a section (`explicit.heads_section`). A run of three or more
    consecutive headings of one style with no body between them (ALL-CAPS selling points, one per line) is
    body text: only the run's last heading is kept, and only when body text follows it."""
    idx = [i for i, b in enumerate(desc) if b.kind == "heading" and heads_section(desc, i, from_source)]
    keep: list[int] = []
    k = 0
    while k < len(idx):
        j = k
        style = heading_style_of(desc[idx[k]], from_source)
        while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1 and heading_style_of(desc[idx[j + 1]], from_source) == style:
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
        yield units[u].first + skip, level + skip, unit_label(units[u]), "inferred"


def _materialize(listing: Listing, desc: list[Block], outline, headings: set[int]) -> None:
    text = listing.text
    spans = _block_spans(desc)
    sent_starts = [b.char_start + a for b, sp in zip(desc, spans) for a, _ in sp]
    # Running totals of words and of body (non-heading) blocks: a section's counts are two differences, however
    # many sections nest over the same blocks.
    words = [0, *itertools.accumulate(count_words(b.text) for b in desc)]
    body = [0, *itertools.accumulate(i not in headings for i in range(len(desc)))]
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
    lang_of = _majority_langs(desc)
    for sid, (start, level, heading, source) in enumerate(outline):
        parent = parents[sid]
        end = ends[sid]
        cs, ce = desc[start].char_start, desc[end - 1].char_end
        n_words = words[end] - words[start]
        sec_lang = lang_of(start, end)
        n_sent = bisect.bisect_left(sent_starts, ce) - bisect.bisect_left(sent_starts, cs)
        listing.sections.append(Section(
            section_id=sid, parent_id=parent, level=level, heading=heading, heading_source=source,
            text=text[cs:ce], char_start=cs, char_end=ce,
            n_paragraphs=body[ends[sid]] - body[start],
            n_sentences=n_sent, n_words=n_words,
            reading_minutes=round(n_words / reading_speed(sec_lang), 2), lang=sec_lang))
    # Innermost section of each sentence: the last one that starts at or before it. Sections start in
    # reading order and so do sentences, so one pointer walks both (`bisect_right(starts, cs) - 1`).
    starts = [s.char_start for s in listing.sections]
    last, owner, k = len(starts) - 1, 0, 0
    out = listing.sentences
    for b, sp in zip(desc, spans):
        at, slang = b.char_start, b.lang
        for a, e in sp:
            cs, ce = at + a, at + e
            while owner < last and starts[owner + 1] <= cs:
                owner += 1
            out.append(Sentence(owner, k, text[cs:ce], slang, cs, ce))
            k += 1


def _majority_langs(desc: list[Block]):
    """`lang_of(start, end)`: `majority_lang(desc[start:end])` (the language most of the blocks' characters are
    in, ties to the one met first, 'und' aside) read off prefix sums, so nested sections do not re-count
    their blocks."""
    langs = list(dict.fromkeys(b.lang for b in desc if b.lang != "und"))
    chars = {lg: [0] for lg in langs}        # prefix sums of characters per language
    seen = {lg: [0] for lg in langs}         # prefix counts of blocks per language
    for b in desc:
        for lg in langs:
            mine = b.lang == lg
            chars[lg].append(chars[lg][-1] + (len(b.text) if mine else 0))
            seen[lg].append(seen[lg][-1] + mine)

    def lang_of(start: int, end: int) -> str:
        best, best_w, best_first = "und", -1, len(desc)
        for lg in langs:
            if seen[lg][end] == seen[lg][start]:
                continue
            w = chars[lg][end] - chars[lg][start]
            first = bisect.bisect_right(seen[lg], seen[lg][start]) - 1     # its first block at or after start
            if w > best_w or (w == best_w and first < best_first):
                best, best_w, best_first = lg, w, first
        return best
    return lang_of


@functools.lru_cache(maxsize=4096)
def _block_sentences(text: str, key: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of one block's text. Cached: a shop's boilerplate paragraphs repeat across its listings."""
    return tuple(spans_from_cuts(text, sentence_cuts(text, key)))


def _block_spans(blocks: list[Block]) -> list[tuple[tuple[int, int], ...]]:
    """Each block's sentence spans (offsets into its text), in reading order: spaCy's sentencizer cuts, with
    the English tokenizer for English blocks and the multi-language one for the rest."""
    return [_block_sentences(b.text, "en" if b.lang == "en" else "xx") for b in blocks]
