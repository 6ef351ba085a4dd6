"""Section-boundary recovery on tests/data/articles: strip the headings, infer them back, score.

Each article (Markdown or an HTML fragment, with real headings) is cut into *paragraph units* the way
tests/data/articles/README.md defines them: Markdown blocks separated by blank lines, HTML `<p>` and
`<ul>`/`<ol>` elements (a whole list is one unit). Headings are dropped; the gold boundaries are the unit
indices at which a heading started (deduplicated, index 0 dropped), with the heading's level.

The heading-less text then goes through the real pipeline pieces: HTML through
`pipeline.ingest.html_to_text` (heading hints removed), Markdown as plain text; `pipeline.segment` cuts
blocks, `pipeline.langid.detect` labels them, and `pipeline.sections.infer_outline` (what
`build_sections` runs on a description without headings) predicts section starts with levels. A
predicted start is mapped to the unit that holds it; one that falls inside a unit (between two of its
blocks) can match no gold boundary and counts as a false positive. If the segmenter calls a line of
the heading-less text a heading, that block is treated as a paragraph here and counted in the notes.

Scores (micro-averaged over articles in the `overall` row, macro F1 in the notes):
- `all`: level-agnostic; any predicted start against any gold boundary;
- `top`: only top-level boundaries: gold headings of the article's highest level after its title
  (h2 under an h1 title) against predicted level-1 starts.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from . import Report, prf

MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
BLANK = re.compile(r"\n[ \t]*\n")


@dataclass
class Article:
    name: str
    lang_hint: str
    text: str                      # heading-less text fed to the pipeline
    hints: list                    # HTML hints without headings (empty for Markdown)
    units: list[tuple[int, int]]   # char spans of the paragraph units in `text`
    gold: dict[int, int]           # unit index -> heading level of the boundary (smallest level wins)


def _from_markdown(name: str, raw: str) -> Article:
    chunks = [c.strip() for c in BLANK.split(raw)]
    pieces, gold, pending = [], {}, []
    for chunk in chunks:
        if not chunk:
            continue
        m = MD_HEADING.match(chunk)
        if m:
            pending.append(len(m.group(1)))
            continue
        if pending:
            gold[len(pieces)] = min(pending)
            pending = []
        pieces.append(chunk)
    text, units, pos = [], [], 0
    for p in pieces:
        units.append((pos, pos + len(p)))
        text.append(p)
        pos += len(p) + 2
    return Article(name, name[:2], "\n\n".join(text), [], units, gold)


def _from_html(name: str, raw: str) -> Article:
    from ..ingest import html_to_text
    full, hints = html_to_text(raw)
    pieces: list[tuple[str, str]] = []  # (text, kind) for the kept blocks
    unit_of: list[int] = []
    gold, pending, prev_kind = {}, [], None
    n_units = 0
    for s, e, kind, level in hints:
        if kind == "heading":
            pending.append(level or 6)
            prev_kind = "heading"
            continue
        new_unit = not (kind in ("bullet", "row") and prev_kind == kind)
        if new_unit:
            if pending:
                gold[n_units] = min(pending)
                pending = []
            n_units += 1
        pieces.append((full[s:e], kind))
        unit_of.append(n_units - 1)
        prev_kind = kind
    text, new_hints, units, pos = [], [], [], 0
    for (piece, kind), u in zip(pieces, unit_of):
        new_hints.append((pos, pos + len(piece), kind, None))
        if u == len(units):
            units.append((pos, pos + len(piece)))
        else:
            units[u] = (units[u][0], pos + len(piece))
        text.append(piece)
        pos += len(piece) + 1
    return Article(name, name[:2], "\n".join(text), new_hints, units, gold)


def load_articles(data_dir: Path) -> list[Article]:
    from ..normalize import normalize
    folder = data_dir / "articles" if (data_dir / "articles").is_dir() else data_dir
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.lower() == "readme.md" or path.suffix not in (".md", ".html", ".htm"):
            continue
        raw = normalize(path.read_text(encoding="utf-8"))
        out.append(_from_html(path.name, raw) if path.suffix != ".md" else _from_markdown(path.name, raw))
    return out


def predict(article: Article) -> tuple[dict[int, int], int, int]:
    """Predicted boundaries {unit index: level} (-1 for a start inside a unit), #segmenter headings, #blocks."""
    from ..langid import detect
    from ..records import Listing
    from ..sections import _majority_lang, infer_outline
    from ..segment import segment

    listing = segment(Listing(doc_id=article.name, source=article.name, format="txt", title=None,
                              text=article.text, hints=list(article.hints)))
    blocks = listing.blocks
    n_heading = 0
    for b in blocks:
        if b.kind == "heading":
            b.kind, b.level = "paragraph", None
            n_heading += 1
        r = detect(b.text)
        b.lang, b.lang_prob, b.lang_reason = r.lang, r.prob, r.reason
        b.zone = "description"
    pred: dict[int, int] = {}
    fake = -1
    for bi, level in infer_outline(blocks, _majority_lang(blocks), article.text):
        cs = blocks[bi].char_start
        u = next((k for k, (s, e) in enumerate(article.units) if s <= cs < e), None)
        if u is None or article.units[u][0] != cs:
            pred[fake] = level          # inside a unit: matches nothing
            fake -= 1
        elif u > 0:
            pred[u] = min(level, pred.get(u, level))
    return pred, n_heading, len(blocks)


def _score(pred: set[int], gold: set[int]) -> tuple[int, int, int]:
    return len(pred & gold), len(pred - gold), len(gold - pred)


def evaluate(data_dir: Path, corpus: Path | None = None) -> Report:
    articles = load_articles(data_dir)
    report = Report("Section boundaries (headings stripped, then inferred)",
                    ["article", "units", "gold", "pred", "P", "R", "F1", "top_gold", "top_P", "top_R", "top_F1"])
    tot = [0, 0, 0]
    tot_top = [0, 0, 0]
    f1s = []
    n_heading = 0
    t0 = time.perf_counter()
    for art in articles:
        pred, nh, _ = predict(art)
        n_heading += nh
        gold = set(art.gold) - {0}
        levels = [lv for u, lv in art.gold.items() if u > 0]
        top = min(levels) if levels else 1
        gold_top = {u for u in gold if art.gold[u] == top}
        pred_all = set(pred)
        pred_top = {u for u, lv in pred.items() if lv == 1}
        c = _score(pred_all, gold)
        ct = _score(pred_top, gold_top)
        p, r, f = prf(*c)
        tp_, tr_, tf_ = prf(*ct)
        f1s.append(f)
        tot = [a + b for a, b in zip(tot, c)]
        tot_top = [a + b for a, b in zip(tot_top, ct)]
        report.rows.append([art.name, len(art.units), len(gold), len(pred_all), p, r, f,
                            len(gold_top), tp_, tr_, tf_])
    p, r, f = prf(*tot)
    tp_, tr_, tf_ = prf(*tot_top)
    report.rows.append(["overall (micro)", sum(len(a.units) for a in articles), tot[0] + tot[2],
                        tot[0] + tot[1], p, r, f, tot_top[0] + tot_top[2], tp_, tr_, tf_])
    elapsed = time.perf_counter() - t0
    report.notes += [
        f"all = level-agnostic boundaries; top = top-level headings (h2 under the title) vs predicted level 1.",
        f"macro F1 (all) = {sum(f1s) / max(1, len(f1s)):.3f}; baseline 'every paragraph starts a section' "
        f"F1 = {_every_gap_f1(articles):.3f}.",
        f"segmenter heading blocks in the heading-less text (scored as paragraphs): {n_heading}.",
        f"{len(articles)} articles in {elapsed * 1000:.0f} ms (segment + langid + inference).",
    ]
    if corpus is not None:
        report.notes.append("the open corpus has no gold section boundaries; it is not used here.")
    return report


def _every_gap_f1(articles: list[Article]) -> float:
    tp = fp = fn = 0
    for a in articles:
        gold = set(a.gold) - {0}
        pred = set(range(1, len(a.units)))
        t, p_, n = _score(pred, gold)
        tp, fp, fn = tp + t, fp + p_, fn + n
    return prf(tp, fp, fn)[2]


if __name__ == "__main__":
    import sys
    from . import DATA_DIR
    print(evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_DIR).render())
