"""`python -m pipeline eval`: precision, recall and accuracy per task on the labelled sets in tests/data."""
from __future__ import annotations

import importlib
import inspect
import sys
import time
from pathlib import Path

from pipeline.eval import DATA_DIR, SPLITS, TASKS
from pipeline.eval.perturb import PERTURB_HELP, PERTURB_NAMES


def cmd_eval(args) -> int:
    corpus = args.corpus if args.corpus and args.corpus.exists() else None
    if args.corpus and corpus is None:
        print(f"note: corpus folder {args.corpus} not found; labelled sets only", file=sys.stderr)
    unknown = set(args.tasks) - set(TASKS)
    if unknown:
        print(f"error: unknown task(s) {sorted(unknown)}; choose from {', '.join(TASKS)}", file=sys.stderr)
        return 2
    for task in args.tasks or TASKS:
        t0 = time.perf_counter()
        module = importlib.import_module(f"pipeline.eval.{task}")
        params = inspect.signature(module.evaluate).parameters
        if args.perturb != "none" and "perturb" not in params:
            print(f"note: {task} has no --perturb; scored as written", file=sys.stderr)
        if args.zones != "predicted" and "zones" not in params:
            print(f"note: {task} has no --zones; scored as always", file=sys.stderr)
        if "zones" in params:
            report = module.evaluate(args.data, corpus, split=args.split, perturb=args.perturb, zones=args.zones)
        elif "perturb" in params:
            report = module.evaluate(args.data, corpus, split=args.split, perturb=args.perturb)
        elif "split" in params:
            report = module.evaluate(args.data, corpus, split=args.split)
        else:
            if args.split != "all":
                print(f"note: {task} has no --split; scored as always", file=sys.stderr)
            report = module.evaluate(args.data, corpus)
        print(report.render())
        print(f"  ({time.perf_counter() - t0:.1f}s)\n")
    return 0


# What each task scores (`pipeline eval --help` lists them all; a test checks every task of TASKS is named).
TASK_HELP = {
    "policy": "policy facts and zones on whole real documents (tests/data/policy_labels; needs --corpus): "
              "precision/recall/F1 per fact type, dev and test",
    "facts": "policy facts on labelled sentences (tests/data/policy_sentences.jsonl): precision/recall per fact type",
    "langid": "block language: accuracy vs plain seeded langdetect per kind of line, the fast path's agreement",
    "zones": "zones on hand-labelled spans of real records; zone and language statistics with --corpus",
    "sections": "section boundaries on articles whose headings were stripped (tests/data/articles; with --corpus "
                "the corpus articles' top-level boundaries, dev and test, per language, beside the baselines "
                "every paragraph, none and evenly spaced with the true count) and the sentence cuts' agreement "
                "with the full spaCy pipeline",
    "headings": "explicit-heading recovery (h1-h6 and bold-only lines, nested with their parent) on real HTML "
                "descriptions (needs --corpus with listings_html/), dev and test",
    "genre": "description genre, article vs product_copy, per split and class with balanced accuracy, beside "
             "the majority baseline and the replaced rule (needs --corpus)",
    "article_terms": "articles state no shop's terms: policy blocks and facts (every one wrong) on the corpus articles "
                     "per split and language, as pasted paragraphs and as raw files, and the guard: a dev shop "
                     "policy block above a dev article keeps all its facts (needs --corpus)",
}


def register(sub) -> None:
    import argparse
    import textwrap
    tasks = "\n".join(textwrap.fill(TASK_HELP.get(t, ""), 100, initial_indent=f"  {t:9s} ",
                                     subsequent_indent=" " * 12) for t in TASKS)
    p = sub.add_parser("eval", help="print precision/recall/accuracy per task on the labelled sets",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Score each task on the labelled sets in tests/data (and, with --corpus, on the "
                                   "open corpus: dev and test splits printed apart, test only to score).",
                       epilog=f"tasks:\n{tasks}")
    p.add_argument("tasks", nargs="*", metavar="TASK",
                   help=f"which tasks (default all: {', '.join(TASKS)})")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="labelled sets folder (default tests/data)")
    p.add_argument("--corpus", type=Path, default=None,
                   help="open corpus folder (articles/, listings_html/, products.jsonl), e.g. ../shared/corpus")
    p.add_argument("--split", choices=SPLITS, default="all",
                   help="which split of the whole-document sets to score (policy): dev to tune on without printing "
                        "test, test only to score, all both, dev first (default all)")
    p.add_argument("--perturb", choices=PERTURB_NAMES, default="none", metavar="NAME",
                   help="rewrite each whole document and its labelled lines the same way, facts labels kept "
                        f"(policy; metamorphic test of how the rules generalize): {PERTURB_HELP} (default none)")
    p.add_argument("--zones", choices=("predicted", "gold"), default="predicted",
                   help="which zones the policy facts are read from (policy): predicted, the zones stage's (default), "
                        "or gold, the labelled ones (each block takes the zone of the labelled lines it holds: policy "
                        "when any of them is, else its first line's; a block no labelled line reaches keeps its "
                        "predicted zone), the predicted-zones F1 printed beside: the gap is the zones' share of the "
                        "facts' loss, the rest the grammar's")
    p.set_defaults(func=cmd_eval)
