"""Description genre (`documents.description_genre`): SEO/advice articles vs real product copy.

`python -m pipeline eval genre --corpus ../shared/corpus`. Gold by where the text comes from:
- `article`: every article of the corpus `articles/` (blog posts, guides, listicles, reviews), read as
  `pipeline.eval.articles` reads them (headings stripped, one block a paragraph) — what a seller pastes;
- `product_copy`: every `listings_html/` description (through the whole pipeline, its description zone)
  and every `products.jsonl` description (Tiki records, one block a line).
Split by source like the other tasks (tests/data/splits.json "genre": the articles' repositories as in
"articles", the Tiki batches as in "policy", the HTML repositories as in "headings"). Accuracy per split
and per gold class, beside the trivial baseline (the majority class of the split, always).
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from . import Report

_SPLITS_KEY = "genre"


def _splits(data_dir: Path) -> dict[str, str]:
    path = Path(data_dir) / "splits.json"
    return json.loads(path.read_text(encoding="utf-8")).get(_SPLITS_KEY, {}) if path.exists() else {}


def examples(corpus: Path):
    """(source, gold, predicted genre) of every labelled text of the corpus."""
    from pipeline.stages.quality import genre
    from .articles import load
    from .headings import html_repositories
    for a in load(corpus):
        yield a.repo, "article", genre(a.paragraphs, has_other_zones=False)[0]
    folder = corpus / "listings_html"
    if folder.is_dir():
        from ..readers import read_file
        from ..stages import process
        repos = html_repositories(corpus)
        for path in sorted(folder.glob("*.htm*")):
            listing = process(next(read_file(path, folder)))
            yield repos.get(path.name, path.name), "product_copy", listing.quality.description_genre
    products = corpus / "products.jsonl"
    if products.exists():
        for row in products.read_text(encoding="utf-8").splitlines():
            rec = json.loads(row)
            batch = rec["source"].rsplit("/", 1)[-1].split(".")[0]          # "...:data/batch_1.json@..."
            lines = [t for t in unicodedata.normalize("NFC", rec["description_text"]).split("\n") if t.strip()]
            yield f"tiki:{batch}", "product_copy", genre(lines, has_other_zones=False)[0]


def evaluate(data_dir: Path, corpus: Path | None = None) -> Report:
    report = Report("Description genre (article vs product_copy)",
                    ["split", "gold", "n", "accuracy", "majority baseline"])
    if corpus is None or not (corpus / "articles").is_dir():
        report.notes.append("needs --corpus with articles/ (and listings_html/, products.jsonl); not scored")
        return report
    splits = _splits(data_dir)
    rows: dict[tuple[str, str], list[int]] = {}
    for source, gold, pred in examples(corpus):
        split = splits.get(source, "other")
        # 'empty' / 'boilerplate_only' are not 'article': for product copy they count as right.
        ok = pred == "article" if gold == "article" else pred != "article"
        for key in ((split, gold), (split, "all")):
            r = rows.setdefault(key, [0, 0])
            r[0] += 1
            r[1] += ok
    for split in sorted({s for s, _ in rows}):
        counts = {g: rows[(split, g)][0] for g in ("article", "product_copy") if (split, g) in rows}
        majority = max(counts.values()) / rows[(split, "all")][0]
        for gold in ("article", "product_copy", "all"):
            if (split, gold) in rows:
                n, ok = rows[(split, gold)]
                base = (1.0 if counts.get(gold, 0) == max(counts.values()) else 0.0) if gold != "all" else majority
                report.rows.append([split, gold, n, ok / n, base])
    report.notes.append("majority baseline: always the split's most frequent class; balanced accuracy is the "
                        "mean of the article and product_copy rows")
    return report
