"""Top-level section boundaries on real articles with their headings stripped: P/R/F1, per split and language.

`python -m pipeline.eval.boundaries --corpus ../shared/corpus` prints, for the dev split (where the model
was designed and fitted) and the test split (only scored), boundary precision/recall/F1 *exact* and
*within one paragraph*, per language and overall, for:
- `every`: every paragraph opens a section (every gap a boundary);
- `none`: no boundary (recall 0);
- `even`: the true number of top-level boundaries, evenly spaced (knows the answer's count);
- `today`: the inference in pipeline/stages/sections/inferred.py (`infer_outline`, its level-1 starts), run on blocks
  made from the same paragraphs (one block a paragraph; a list paragraph one bullet block an item);
- `model`: pipeline/stages/sections/boundaries.py with the weights in lexicon/boundary_weights.json;
- `wired`: the inference as wired now (`infer_outline` with the model choosing its top level, the
  rules' outline kept where it is a regular lead-in/points organization).
A second table per split scores the level-2 starts (points under a top-level section, key level 2) of the
wired inference beside two baselines: every gap that is no gold top-level start, and the true number of
points evenly spaced.

Articles, paragraphs and the answer key come from `pipeline.eval.articles`; the split of each
repository from tests/data/splits.json ("articles"). Gold boundaries are the top-level ones (paragraph
index >= 1 after a heading of the article's shallowest section level). Scores are micro-averaged over
the articles' gaps: one predicted boundary matches at most one gold boundary; "within one" matches exact
hits first, then pairs one paragraph apart (in reading order).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import prf
from .articles import Article, load, read_splits, split_of

METHODS = ("every", "none", "even", "today", "model", "wired")


def matches(pred: list[int], gold: list[int], tol: int = 0) -> int:
    """Number of one-to-one matches between predicted and gold boundaries at most `tol` apart
    (exact pairs first, then the nearest ones left, in reading order)."""
    pred_left, gold_left = sorted(set(pred)), set(gold)
    tp = 0
    rest = []
    for p in pred_left:
        if p in gold_left:
            gold_left.discard(p)
            tp += 1
        else:
            rest.append(p)
    for d in range(1, tol + 1):
        still = []
        for p in rest:
            for q in (p - d, p + d):
                if q in gold_left:
                    gold_left.discard(q)
                    tp += 1
                    break
            else:
                still.append(p)
        rest = still
    return tp


def evenly(n: int, k: int) -> list[int]:
    """k boundaries evenly spaced over paragraphs 1..n-1."""
    if k <= 0 or n < 2:
        return []
    return sorted({min(n - 1, max(1, round(j * n / (k + 1)))) for j in range(1, k + 1)})


# ------------------------------------------------------------------ today's method

def _blocks(paragraphs: list[str]):
    from pipeline.contract.records import Block
    blocks, owner, pos = [], [], 0
    for k, p in enumerate(paragraphs):
        lines = [ln for ln in p.split("\n") if ln.strip()]
        kind = "bullet" if len(lines) >= 2 else "paragraph"
        for ln in (lines if kind == "bullet" else [p]):
            blocks.append(Block(block_id=len(blocks), kind=kind, text=ln, char_start=pos,
                                char_end=pos + len(ln), zone="description"))
            owner.append(k)
            pos += len(ln) + 1
        pos += 1
    return blocks, owner


def today(paragraphs: list[str], lang: str, with_model: bool = False, level: int = 1) -> list[int] | None:
    """Level-`level` starts of the rule-based inference (`with_model`: as wired, the model choosing the top
    level) as paragraph indices."""
    from pipeline.stages.sections import inferred as mod
    blocks, owner = _blocks(paragraphs)
    for b in blocks:
        b.lang = lang
    had, mod.USE_BOUNDARY_MODEL = mod.USE_BOUNDARY_MODEL, with_model
    try:
        outline = mod.infer_outline(blocks, lang, None)
    finally:
        mod.USE_BOUNDARY_MODEL = had
    return sorted({owner[bi] for bi, lv in outline if lv == level and owner[bi] > 0})


# ------------------------------------------------------------------ scoring

def predictions(article: Article, method: str, model=None) -> list[int]:
    n = len(article.paragraphs)
    if method == "every":
        return list(range(1, n))
    if method == "none":
        return []
    if method == "even":
        return evenly(n, len(article.top))
    if method == "today":
        return today(article.paragraphs, article.lang)
    if method == "wired":
        return today(article.paragraphs, article.lang, with_model=True)
    if method == "model":
        from pipeline.stages.sections.boundaries import boundaries
        return boundaries(article.paragraphs, article.lang, model)
    raise ValueError(method)


SUB_METHODS = ("every", "even", "wired")


def points(article: Article) -> list[int]:
    """Sorted indices of the level-2 section starts of the key (points under a top-level section)."""
    return sorted(i for i, lv in article.key.items() if lv == 2)


def sub_predictions(article: Article, method: str) -> list[int]:
    """Predicted level-2 starts: every gap that is no gold top-level start, the true count of points evenly
    spaced, or the wired inference's level-2 starts."""
    n = len(article.paragraphs)
    if method == "every":
        return [i for i in range(1, n) if i not in set(article.top)]
    if method == "even":
        return evenly(n, len(points(article)))
    if method == "wired":
        return today(article.paragraphs, article.lang, with_model=True, level=2)
    raise ValueError(method)


def score(articles: list[Article], preds: list[list[int]], gold_of=lambda a: a.top) -> dict[str, tuple[float, float, float]]:
    out = {}
    for name, tol in (("exact", 0), ("within1", 1)):
        tp = fp = fn = 0
        for a, p in zip(articles, preds):
            gold = gold_of(a)
            m = matches(p, gold, tol)
            tp += m
            fp += len(set(p)) - m
            fn += len(gold) - m
        out[name] = prf(tp, fp, fn)
    return out


def _table(title: str, rows: list[list]) -> str:
    cols = ["method", "lang", "articles", "gold", "pred", "P", "R", "F1", "P±1", "R±1", "F1±1"]
    cells = [[c if isinstance(c, str) else (f"{c:.3f}" if isinstance(c, float) else str(c)) for c in r]
             for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(cols)]
    line = lambda v: "  ".join(x.ljust(w) if i < 2 else x.rjust(w) for i, (x, w) in enumerate(zip(v, widths)))
    return "\n".join([f"### {title}", line(cols), line(["-" * w for w in widths]), *map(line, cells)])


def evaluate(corpus: Path, methods=METHODS, model=None, splits_shown=("dev", "test"), sub_levels: bool = True) -> str:
    arts = load(Path(corpus))
    splits = read_splits()
    out = []
    timing = {}
    for split in splits_shown:
        subset = [a for a in arts if split_of(a, splits) == split]
        if not subset:
            continue
        preds = {}
        for m in methods:
            t0 = time.perf_counter()
            preds[m] = [predictions(a, m, model) for a in subset]
            timing[m] = timing.get(m, 0.0) + time.perf_counter() - t0
        rows = []
        for m in methods:
            for lang in ("en", "vi", "all"):
                idx = [k for k, a in enumerate(subset) if lang == "all" or a.lang == lang]
                if not idx:
                    continue
                A = [subset[k] for k in idx]
                P = [preds[m][k] for k in idx]
                s = score(A, P)
                rows.append([m, lang, len(A), sum(len(a.top) for a in A), sum(len(set(p)) for p in P),
                             *s["exact"], *s["within1"]])
        out.append(_table(f"{split} split: top-level boundaries ({len(subset)} articles, "
                          f"{sum(len(a.paragraphs) for a in subset)} paragraphs)", rows))
        if sub_levels:
            rows = []
            for m in SUB_METHODS:
                P = [sub_predictions(a, m) for a in subset]
                s = score(subset, P, points)
                rows.append([m, "all", len(subset), sum(len(points(a)) for a in subset), sum(len(set(p)) for p in P),
                             *s["exact"], *s["within1"]])
            out.append(_table(f"{split} split: level-2 starts (points under a top-level section; every = each "
                              f"gap that is no gold top-level start)", rows))
    n_art = sum(1 for a in arts if split_of(a, splits) in ("dev", "test"))
    n_par = sum(len(a.paragraphs) for a in arts if split_of(a, splits) in ("dev", "test"))
    other = [a.name for a in arts if split_of(a, splits) not in ("dev", "test")]
    notes = [f"time per article (both splits, {n_art} articles, mean {n_par / max(1, n_art):.0f} paragraphs): "
             + ", ".join(f"{m} {1e3 * t / max(1, n_art):.2f} ms" for m, t in timing.items())]
    if other:
        notes.append(f"{len(other)} articles from repositories not in tests/data/splits.json left out")
    return "\n\n".join(out + ["\n".join(notes)])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.eval.boundaries", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both",
                    help="while designing, look at dev only")
    args = ap.parse_args(argv)
    if not (args.corpus / "articles").is_dir() and not any(args.corpus.glob("*.md")):
        print(f"no articles under {args.corpus}", file=sys.stderr)
        return 2
    shown = ("dev", "test") if args.split == "both" else (args.split,)
    print(evaluate(args.corpus, splits_shown=shown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
