"""Description genre (`documents.description_genre`): SEO/advice articles vs real product copy.

`python -m pipeline eval genre --corpus ../shared/corpus`. Gold by where the text comes from, and every
text goes through the whole pipeline (`pipeline.stages.process`), so the genre is read as
`documents.description_genre` is — on the description zone, shop boilerplate and policy lines set apart:
- `article`: every article of the corpus `articles/` (blog posts, guides, listicles, reviews), read as
  `pipeline.eval.articles` reads them (headings stripped, paragraphs separated by a blank line) and
  pasted as a plain-text listing — what a seller pastes;
- `product_copy`: every `listings_html/` description (an HTML listing) and every `products.jsonl`
  description (a Tiki record, as the jsonl reader maps it).
Split by source like the other tasks (tests/data/splits.json "genre": the articles' repositories as in
"articles", the Tiki batches as in "policy", the HTML repositories as in "headings"). Accuracy per split
and per gold class, balanced accuracy (the mean of the two classes), beside the trivial baseline (the
majority class of the split, always) and the rule that came before the model (`old_rule`, kept here for
the comparison only). `scripts/train_genre.py` fits the model on the dev rows of `examples`.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from . import Report

_SPLITS_KEY = "genre"

# The hand-set rule the model replaced (lexicon/quality.toml before issue 14), for the comparison row only.
OLD_RULE = {"min_words": 300, "min_mean_words": 40, "min_prose_score": 200, "max_attributes_per_100_words": 1.0}


def splits(data_dir: Path) -> dict[str, str]:
    path = Path(data_dir) / "splits.json"
    return json.loads(path.read_text(encoding="utf-8")).get(_SPLITS_KEY, {}) if path.exists() else {}


def old_rule(signals: dict) -> bool:
    """True when the replaced rule called the description an article."""
    r = OLD_RULE
    return (signals["words"] >= r["min_words"] and signals["mean_words"] >= r["min_mean_words"]
            and signals["prose_score"] >= r["min_prose_score"]
            and signals["attributes_per_100"] < r["max_attributes_per_100_words"])


def examples(corpus: Path):
    """(source, gold, processed Listing) of every labelled text of the corpus, in a fixed order."""
    from ..contract.records import Listing
    from ..readers import FieldMap, listing_from_record, read_file
    from ..stages import process
    from .articles import load
    from .headings import html_repositories
    for a in load(corpus):
        text = unicodedata.normalize("NFC", "\n\n".join(a.paragraphs))
        yield a.repo, "article", process(Listing(doc_id=a.name, source=a.name, format="txt", title=None, text=text))
    folder = corpus / "listings_html"
    if folder.is_dir():
        repos = html_repositories(corpus)
        for path in sorted(folder.glob("*.htm*")):
            yield repos.get(path.name, path.name), "product_copy", process(next(read_file(path, folder)))
    products = corpus / "products.jsonl"
    if products.exists():
        for row in products.read_text(encoding="utf-8").splitlines():
            rec = json.loads(row)
            batch = rec["source"].rsplit("/", 1)[-1].split(".")[0]          # "...:data/batch_1.json@..."
            rec = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in rec.items()}
            listing = listing_from_record(rec, rec["id"], "jsonl", FieldMap())
            if isinstance(listing, Listing):
                yield f"tiki:{batch}", "product_copy", process(listing)


def evaluate(data_dir: Path, corpus: Path | None = None) -> Report:
    from ..stages.quality import genre_inputs, genre_signals
    report = Report("Description genre (article vs product_copy)",
                    ["split", "gold", "n", "model", "old rule", "majority baseline"])
    if corpus is None or not (corpus / "articles").is_dir():
        report.notes.append("needs --corpus with articles/ (and listings_html/, products.jsonl); not scored")
        return report
    split_of = splits(data_dir)
    rows: dict[tuple[str, str], list[int]] = {}
    for source, gold, listing in examples(corpus):
        split = split_of.get(source, "other")
        pred = listing.quality.description_genre == "article"
        old = old_rule(genre_signals(**genre_inputs(listing)))
        # 'empty' / 'boilerplate_only' are not 'article': for product copy they count as right.
        want = gold == "article"
        for key in ((split, gold), (split, "all")):
            r = rows.setdefault(key, [0, 0, 0])
            r[0] += 1
            r[1] += pred == want
            r[2] += old == want
    for split in sorted({s for s, _ in rows}):
        counts = {g: rows[(split, g)][0] for g in ("article", "product_copy") if (split, g) in rows}
        majority = max(counts.values()) / rows[(split, "all")][0]
        for gold in ("article", "product_copy", "all"):
            if (split, gold) in rows:
                n, ok, ok_old = rows[(split, gold)]
                base = (1.0 if counts.get(gold, 0) == max(counts.values()) else 0.0) if gold != "all" else majority
                report.rows.append([split, gold, n, ok / n, ok_old / n, base])
        if len(counts) == 2:
            per = [rows[(split, g)] for g in ("article", "product_copy")]
            report.rows.append([split, "balanced", sum(r[0] for r in per),
                                sum(r[1] / r[0] for r in per) / 2, sum(r[2] / r[0] for r in per) / 2, 0.5])
    report.notes.append("model = documents.description_genre (lexicon/genre_weights.json, fitted on dev by "
                        "scripts/train_genre.py); old rule = the hand-set thresholds it replaced; majority baseline: "
                        "always the split's most frequent class; balanced = mean of the article and product_copy rows")
    return report
