"""Articles state no shop's terms: policy blocks and facts on real articles, and the guard on shop blocks above them.

`python -m pipeline eval article_terms --corpus ../shared/corpus`. The rule (tests/data/policy_labels/RULES.md,
"Articles"): an article's text (a buying guide, a review, a how-to pasted as a description) states no shop's
terms, so every fact it gives is wrong. Two measures:
- articles: every article of the corpus `articles/`, as a listing carries it (`paragraphs`: the paragraphs of
  `pipeline.eval.articles`, headings stripped, separated by a blank line; `raw`: the Markdown file as plain
  text, front matter included), through every stage: the blocks zoned policy and the facts, per split
  (tests/data/splits.json "articles") and language. Every fact counted here is a false positive;
- guard (dev only): each DEV labelled document with labelled facts (tests/data/policy_labels) gives a shop
  policy block (its lines labelled policy, one per line) placed above a DEV article (one in the document's
  language and one in the other, chosen by the document's rank in the articles of that language sorted by
  name, so the pairs are fixed). The block alone and the pair go through every stage; the facts of the block
  alone must all be found in the pair (as (type, min, max, unit), each as often), and the article part must
  give none; the block's policy-zone blocks should stay policy in the pair (artzones: the zones move an
  article's blocks out of policy, not the shop's).
Counts only: no text and no fact of an article is printed.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

from . import SPLITS, Report

FORMS = ("paragraphs", "raw")
ARTICLE_SEPARATOR = "\n\n"   # between the shop's block and the article, as between paragraphs


def article_text(article, folder: Path, form: str) -> str:
    """An article as a listing carries it: its paragraphs (headings stripped) or its raw Markdown file."""
    if form == "paragraphs":
        return unicodedata.normalize("NFC", ARTICLE_SEPARATOR.join(article.paragraphs))
    return unicodedata.normalize("NFC", (folder / article.name).read_text(encoding="utf-8"))


def _process(doc_id: str, text: str):
    from ..contract.records import Listing
    from ..stages import process
    return process(Listing(doc_id=doc_id, source=doc_id, format="txt", title=None, text=text))


DETECTIONS = ("as article", "as advice", "not")


def detection(blocks, lang: str) -> str:
    """How pipeline.text.articles takes an article's listing: an article in its language (`article_starts`),
    else advice to sellers (`advice_language`, any language), else neither."""
    from ..text.articles import advice_language, article_starts
    if lang in article_starts(blocks):
        return DETECTIONS[0]
    return DETECTIONS[1] if advice_language(blocks) is not None else DETECTIONS[2]


def _key(f) -> tuple:
    return f.fact_type, f.value_min, f.value_max, f.unit


def shop_blocks(data_dir: Path) -> list[tuple[str, str, str]]:
    """(document, language, shop policy block text) of every DEV labelled document with labelled facts, in
    the labels' order: its lines labelled policy, one per line."""
    from .policy import load, split_of
    by_source = split_of(data_dir)
    out = []
    for doc in load(data_dir):
        if by_source.get(doc["group"]) != "dev" or not any(line.get("facts") for line in doc["lines"]):
            continue
        lines = [unicodedata.normalize("NFC", line["text"]) for line in doc["lines"] if line["zone"] == "policy"]
        out.append((doc["doc"], doc.get("lang", "vi"), "\n".join(lines)))
    return out


def guard(data_dir: Path, dev_articles: list, folder: Path) -> Report:
    """The pairs guard (see the module's docstring)."""
    report = Report("Guard: a DEV shop policy block above a DEV article keeps all its facts (pairs built from dev only)",
                    ["article", "pairs", "shop facts alone", "kept in the pair", "pairs losing a fact",
                     "facts from the article", "shop policy blocks", "moved in the pair"])
    by_lang: dict[str, list] = {}
    for a in sorted(dev_articles, key=lambda a: a.name):
        by_lang.setdefault(a.lang, []).append(a)
    rows: dict[str, list[int]] = {}
    for rank, (doc, lang, shop) in enumerate(shop_blocks(data_dir)):
        alone_listing = _process(doc, shop)
        alone = Counter(_key(f) for f in alone_listing.facts)
        alone_policy = [i for i, b in enumerate(alone_listing.blocks) if b.zone == "policy"]
        for which, langs in (("same language", [lang]), ("other language", sorted(set(by_lang) - {lang}))):
            for art_lang in langs:
                pool = by_lang.get(art_lang)
                if not pool:
                    continue
                article = pool[rank % len(pool)]
                pair = _process(doc, shop + ARTICLE_SEPARATOR + article_text(article, folder, "paragraphs"))
                cut = len(shop)
                in_shop = Counter(_key(f) for f in pair.facts if f.char_start < cut)
                row = rows.setdefault(which, [0, 0, 0, 0, 0, 0, 0])
                row[0] += 1
                row[1] += sum(alone.values())
                row[2] += sum((alone & in_shop).values())
                row[3] += (alone & in_shop) != alone
                row[4] += sum(f.char_start >= cut for f in pair.facts)
                row[5] += len(alone_policy)
                row[6] += sum(i >= len(pair.blocks) or pair.blocks[i].zone != "policy"
                              or pair.blocks[i].text != alone_listing.blocks[i].text for i in alone_policy)
    report.rows = [[which, *row] for which, row in rows.items()]
    report.notes.append("shop block: a dev labelled document's lines labelled policy; a pair loses a fact when one "
                        "of the block's own facts is missing from the pair; a shop policy block is moved when "
                        "the same block of the pair is not in the policy zone")
    return report


def evaluate(data_dir: Path, corpus: Path | None, split: str = "all") -> Report:
    """Policy blocks and facts on the corpus articles per split, language and form; the pairs guard on dev."""
    from .articles import articles_dir, load, read_splits, split_of
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    report = Report("Articles state no shop's terms: policy blocks and facts on corpus articles (every fact is wrong)",
                    ["split", "lang", "form", "articles", "blocks", "policy blocks", "facts", "articles with facts"])
    if corpus is None or not articles_dir(corpus).is_dir():
        report.notes.append("needs --corpus with articles/; not scored")
        return report
    folder = articles_dir(corpus)
    parts = ("dev", "test") if split == "all" else (split,)
    splits = read_splits(Path(data_dir) / "splits.json")
    articles = [a for a in load(corpus) if split_of(a, splits) in parts]
    counts: dict[tuple, list[int]] = {}
    by_type: dict[str, Counter] = {p: Counter() for p in parts}
    detected: dict[tuple, Counter] = {(p, a.lang): Counter() for p in parts for a in articles}
    for a in articles:
        part = split_of(a, splits)
        for form in FORMS:
            listing = _process(a.name, article_text(a, folder, form))
            row = counts.setdefault((part, a.lang, form), [0, 0, 0, 0, 0])
            row[0] += 1
            row[1] += len(listing.blocks)
            row[2] += sum(b.zone == "policy" for b in listing.blocks)
            row[3] += len(listing.facts)
            row[4] += bool(listing.facts)
            if form == "paragraphs":
                by_type[part].update(f.fact_type for f in listing.facts)
                detected[(part, a.lang)][detection(listing.blocks, a.lang)] += 1
    order = {p: i for i, p in enumerate(parts)}
    report.rows = [[part, lang, form, *row] for (part, lang, form), row
                   in sorted(counts.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], FORMS.index(kv[0][2])))]
    for part in parts:
        types = ", ".join(f"{t} {n}" for t, n in sorted(by_type[part].items())) or "none"
        report.notes.append(f"{part} facts by type (paragraphs): {types}")
    report.notes.append("")
    report.notes.append("detected (paragraphs; text.articles on the zoned blocks): " + "; ".join(
        f"{part} {lang}: " + ", ".join(f"{k} {detected[(part, lang)][k]}" for k in DETECTIONS)
        for (part, lang) in sorted(detected, key=lambda k: (order[k[0]], k[1]))))
    if "dev" in parts:
        report.notes.append("")
        report.notes += guard(data_dir, [a for a in articles if split_of(a, splits) == "dev"], folder).render().splitlines()
    return report

