"""Command line: argument parsing only; each command lives in `pipeline.cli` (one module per command).

    python -m pipeline run [--raw raw/] [--out processed/]      the whole job, Parquet out
    python -m pipeline ingest --raw raw/ > listings.jsonl       raw files -> listing records (JSON Lines)
    python -m pipeline segment < listings.jsonl > out.jsonl     one stage: records in, records out
    python -m pipeline export | eval | bench | schema           see `python -m pipeline COMMAND --help`

Installed, `listing-pipeline` is the same command (`listing-pipeline run --raw raw/`).
"""
from __future__ import annotations

import argparse
import importlib
import signal
import sys
from pathlib import Path

from . import __version__
from .runner.arrow import arrow_without_pandas

COMMANDS = ("run", "stage", "export", "compact", "eval", "bench", "schema")   # modules of pipeline.cli


def main(argv: list[str] | None = None) -> int:
    if argv is None:   # started as the command (`python -m pipeline`, `listing-pipeline`), not called by a library
        arrow_without_pandas()
    # `python -m pipeline ...` or the installed `listing-pipeline ...` console script: help names the one used.
    prog = "listing-pipeline" if Path(sys.argv[0]).name == "listing-pipeline" else "python -m pipeline"
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Vietnamese marketplace listings -> clean, typed Parquet datasets "
                    "(documents, blocks, policy_facts, sections, sentences, catalog, rejects).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"pipeline.cli.{name}").register(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt as exc:   # Ctrl-C, or SIGTERM/SIGHUP during a run: no traceback
        # We are on the way out: a further Ctrl-C must not break the interpreter's shutdown (it joins the
        # worker pool's manager thread at exit) with a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        why = str(exc) or "interrupted"
        print(f"{why}; the previous output is unchanged (a re-run resumes from the units already done)",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
