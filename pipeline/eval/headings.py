"""Explicit-heading recovery on real HTML product descriptions (corpus `listings_html/`).

`python -m pipeline eval headings --corpus ../shared/corpus`. The answer key is read from the markup
itself, independently of the reader (BeautifulSoup over the file):
- a *heading* is an h1-h6 element of at most `HEADING_MAX_WORDS` words (SEO pages wrap whole
  paragraphs in h2), or a block element (p, div) whose visible text is all inside
  b/strong, at most `BOLD_MAX_WORDS` words and not ending like a sentence (".", "!", "…"); a bold line inside a list item (li) or a table cell is
  NOT a heading (a heading-like line inside a list is part of the list);
- its *expected level*: h-levels relative to the shallowest present (h2, h3 → 1, 2); a bold-only line
  one level below the h-heading before it (1 when none precedes it);
- its *expected parent*: the nearest heading before it with a smaller expected level (none at level 1).

Only files with at least one such heading are scored. The file goes through the whole pipeline
(`read_file` → `process`); a heading is *recovered* when an explicit section carries its text (matched in
reading order) and that section's parent section has the expected parent's text as its heading (or no
parent/only the inferred introduction, for a level-1 heading). The score per file is the share of its
headings recovered; the report gives the mean over files, the micro share, and extra explicit sections
that are no heading of the key (precision), split by source repository like the other tasks
(tests/data/splits.json "headings"; sources not listed there are reported as `other`).
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import Report

BOLD_MAX_WORDS = 14
HEADING_MAX_WORDS = 25     # an h1-h6 element longer than this is a paragraph marked up as a heading
SENTENCE_MARKS = ".!…;"    # a bold line ending like a sentence is emphasis, not a heading
_BLOCKS = ("p", "div")
_SPLITS_KEY = "headings"


@dataclass
class Heading:
    text: str
    level: int
    parent: str | None


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).strip(" :：").casefold()


def _bold_only(el) -> bool:
    from bs4 import NavigableString
    seen = False
    for s in el.find_all(string=True):
        if type(s) is not NavigableString or not s.strip():
            continue
        if not any(p.name in ("b", "strong") for p in s.parents if p is not el and p.name):
            return False
        seen = True
    return seen


def key_of(markup: str) -> list[Heading]:
    """The headings of an HTML description with their expected level and parent (see module docstring)."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(markup, "html.parser")
    raw: list[tuple[str, int | None]] = []              # (text, h-level or None for a bold line)
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", *_BLOCKS]):
        if el.find_parent(["li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"]):
            continue                                     # inside a list, a table or a heading
        text = " ".join(el.get_text(" ").split())
        if not text:
            continue
        if el.name[0] == "h" and el.name[1:].isdigit():
            if len(text.split()) <= HEADING_MAX_WORDS:     # a paragraph marked up as h2 is prose
                raw.append((text, int(el.name[1])))
        elif el.name in _BLOCKS and not el.find(_BLOCKS) and _bold_only(el) and len(text.split()) <= BOLD_MAX_WORDS \
                and text.rstrip(" )\"'”’")[-1:] not in SENTENCE_MARKS:
            raw.append((text, None))
    hs = [lv for _, lv in raw if lv]
    top = min(hs) if hs else 1
    out: list[Heading] = []
    stack: list[tuple[int, str]] = []
    last_h = 0                                           # expected level of the last h-heading
    for text, lv in raw:
        level = lv - top + 1 if lv else last_h + 1
        if lv:
            last_h = level
        while stack and stack[-1][0] >= level:
            stack.pop()
        out.append(Heading(text, level, stack[-1][1] if stack else None))
        stack.append((level, text))
    return out


def score_file(path: Path, root: Path) -> tuple[int, int, int]:
    """(headings, recovered, extra explicit sections) of one HTML file."""
    from ..readers import read_file
    from ..stages import process
    key = key_of(path.read_text(encoding="utf-8", errors="replace"))
    listing = process(next(read_file(path, root)))
    secs = listing.sections
    by_id = {s.section_id: s for s in secs}
    explicit = [s for s in secs if s.heading_source == "explicit"]
    used: set[int] = set()
    hit = 0
    for h in key:
        s = next((s for s in explicit if s.section_id not in used and _norm(s.heading or "") == _norm(h.text)), None)
        if s is None:
            continue
        used.add(s.section_id)
        parent = by_id.get(s.parent_id) if s.parent_id is not None else None
        if h.parent is None:
            ok = parent is None or parent.heading_source != "explicit"
        else:
            ok = parent is not None and _norm(parent.heading or "") == _norm(h.parent)
        hit += ok
    return len(key), hit, len(explicit) - len(used)


def html_repositories(corpus: Path) -> dict[str, str]:
    from .articles import SOURCE_LINE
    src = corpus / "SOURCES-2.md"
    out, inside = {}, False
    if src.exists():
        for line in src.read_text(encoding="utf-8").split("\n"):
            if line.startswith("## "):
                inside = line.startswith("## listings_html/")
            elif inside and (m := SOURCE_LINE.match(line)):
                out[m.group(1)] = m.group(2)
    return out


def read_splits(data_dir: Path) -> dict[str, str]:
    path = Path(data_dir) / "splits.json"
    return json.loads(path.read_text(encoding="utf-8")).get(_SPLITS_KEY, {}) if path.exists() else {}


def evaluate(data_dir: Path, corpus: Path | None = None) -> Report:
    report = Report("Explicit headings on real HTML descriptions (listings_html/)",
                    ["split", "files", "headings", "recovered", "share", "mean per file", "extra sections"])
    folder = corpus / "listings_html" if corpus else None
    if folder is None or not folder.is_dir():
        report.notes.append("needs --corpus with listings_html/; not scored")
        return report
    repos, splits = html_repositories(corpus), read_splits(data_dir)
    rows: dict[str, list] = {}
    for path in sorted(folder.glob("*.htm*")):
        n, hit, extra = score_file(path, folder)
        if not n:
            continue
        split = splits.get(repos.get(path.name, ""), "other")
        for key in (split, "all"):
            r = rows.setdefault(key, [0, 0, 0, 0, 0.0])
            r[0] += 1; r[1] += n; r[2] += hit; r[3] += extra; r[4] += hit / n
    for key in sorted(rows, key=lambda k: (k == "all", k)):
        f, n, hit, extra, share_sum = rows[key]
        report.rows.append([key, f, n, hit, hit / n, share_sum / f, extra])
    report.notes.append("heading = h1-h6 or a bold-only p/div line (not inside li/td); recovered = an explicit "
                        "section with its text whose parent is the expected one; extra = explicit sections "
                        "that are no heading of the key")
    return report


def failures(corpus: Path, data_dir: Path, split: str = "dev") -> list[str]:
    """Headings not recovered, per file, for one split (design on dev only)."""
    from ..readers import read_file
    from ..stages import process
    folder = corpus / "listings_html"
    repos, splits = html_repositories(corpus), read_splits(data_dir)
    out = []
    for path in sorted(folder.glob("*.htm*")):
        if splits.get(repos.get(path.name, ""), "other") != split:
            continue
        key = key_of(path.read_text(encoding="utf-8", errors="replace"))
        if not key:
            continue
        listing = process(next(read_file(path, folder)))
        got = [(s.level, s.heading_source, s.heading, s.parent_id) for s in listing.sections]
        out.append(f"{path.name}: key {[(h.level, h.text[:40], (h.parent or '')[:20]) for h in key]}\n  got {got}")
    return out
