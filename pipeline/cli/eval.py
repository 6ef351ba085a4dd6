"""`python -m pipeline eval`: precision, recall and accuracy per task on the labelled sets in tests/data."""
from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from pipeline.eval import DATA_DIR, TASKS


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
        report = module.evaluate(args.data, corpus)
        print(report.render())
        print(f"  ({time.perf_counter() - t0:.1f}s)\n")
    return 0


def register(sub) -> None:
    p = sub.add_parser("eval", help="print precision/recall/accuracy per task on the labelled sets",
                       description="Score each task on the labelled sets in tests/data: policy facts "
                                   "(precision/recall per fact type), language (accuracy vs plain langdetect, "
                                   "and the fast path's agreement with it), zones (accuracy on labelled spans "
                                   "of real records; corpus statistics with --corpus), section boundaries "
                                   "(precision/recall/F1 on articles whose headings were stripped) and the sentence "
                                   "cuts' agreement with the full spaCy pipeline.")
    p.add_argument("tasks", nargs="*", metavar="TASK",
                   help=f"which tasks (default all: {', '.join(TASKS)})")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="labelled sets folder (default tests/data)")
    p.add_argument("--corpus", type=Path, default=None,
                   help="open corpus folder with products.jsonl for whole-corpus statistics (e.g. ../shared/corpus)")
    p.set_defaults(func=cmd_eval)
