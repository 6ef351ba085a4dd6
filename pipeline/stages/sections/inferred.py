"""Inferred sections: lead-ins, points, enumerations, cohesion and conclusions (see the package docstring).
"""
from __future__ import annotations

from collections import Counter
from itertools import pairwise
from statistics import median
import re

from pipeline.contract.records import Block
from pipeline.text.phrases import PhraseSet

from .boundaries import merge_outline
from .cohesion import content_terms, cosine, tiling_boundaries
from .labels import label, list_label
from .lexicon import SENTENCE_END, section_rules
from .units import Unit, units_of

# The fitted boundary model (boundaries.py) chooses the top level; False gives the hand rules alone, which
# `pipeline.eval.boundaries` scores as "today".
USE_BOUNDARY_MODEL = True


def _starts_with(phrases: PhraseSet, text: str) -> bool:
    m = phrases.search(text[:200])
    return m is not None and m.start() == 0


_FIRST_END = re.compile(r"[.!?…](?:\s|$)")


def _first_sentence(text: str) -> str:
    m = _FIRST_END.search(text)
    return text[: m.end()] if m else text


def _has_connective(text: str) -> bool:
    return section_rules()["connectives"].search(_first_sentence(text)) is not None


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
    cfg = section_rules()
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
    tiled: list[tuple[int, int]] = []                    # stretches TextTiling decided
    for a, b in pairwise(bounds):
        if starts[a] == 1 and b - a >= cfg["tiling_min_units"] and all(u.kind == "paragraph" for u in units[a:b]):
            tiled.append((a, b))
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
        own_sim = cosine(terms[last], pooled(own, last))
        earlier = max((cosine(terms[last], pooled(a, b)) for a, b in pairwise(tops)), default=0.0)
        if earlier > 0 and earlier >= own_sim:
            starts[last] = 1
    if USE_BOUNDARY_MODEL:
        starts = merge_outline(starts, [u.text for u in units], lang, decided=tiled)
    return sorted(starts.items())


def infer_outline(blocks: list[Block], lang: str, text: str | None = None) -> list[tuple[int, int]]:
    """(block index, level) of every inferred section start; `text` (the listing text) lets pieces of one
    line stay together."""
    units = units_of(blocks, text)
    return [(units[u].first, level) for u, level in infer_units(units, lang)]


def unit_label(unit: Unit) -> str:
    return list_label(unit.texts) if unit.kind == "list" else label(unit.texts[0])
