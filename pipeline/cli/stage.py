"""The per-stage commands, JSON Lines in and out: `ingest` (raw files -> listing records) and one command
per stage (`segment`, `langid`, ... in the order of `pipeline.stages.STAGES`)."""
from __future__ import annotations

import json
import sys

from .run import add_input_args, check_raw, field_map

# The stages' names in order, as `pipeline.stages.STAGES` declares them (tests check the two agree); written
# out so that `--help` does not load the stages (and spaCy).
STAGE_NAMES = ("segment", "langid", "zones", "facts", "sections", "quality")


def cmd_ingest(args) -> int:
    from pipeline.readers import DEFAULT_MAX_BYTES, iter_files, read_file
    from pipeline.contract.records import Reject
    fields = field_map(args)
    check_raw(args.raw)
    for entry in iter_files(args.raw):
        recs = [entry] if isinstance(entry, Reject) else read_file(entry, args.raw, fields,
                                                                    args.max_bytes or DEFAULT_MAX_BYTES)
        for rec in recs:
            if isinstance(rec, Reject):
                print(f"rejected {rec.source}: {rec.reason}: {rec.message}", file=sys.stderr)
            else:
                sys.stdout.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
    return 0


def cmd_stage(args) -> int:
    from pipeline.contract.records import Listing
    from pipeline.stages import STAGES, run_stage
    stage = STAGES[args.command]
    try:
        src = open(args.input, encoding="utf-8") if args.input else sys.stdin
    except OSError as exc:
        print(f"error: --input {args.input}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for lineno, line in enumerate(src, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            print(f"error: line {lineno}: not JSON ({exc})", file=sys.stderr)
            return 2
        missing = [k for k in ("doc_id", "source", "format", "text") if not isinstance(data, dict) or k not in data]
        try:
            if missing:
                raise ValueError(f"no {', '.join(missing)}")
            listing = Listing.from_dict(data)
        except (ValueError, TypeError) as exc:
            print(f"error: line {lineno}: not a listing record ({exc}); a stage reads the records `ingest` "
                  f"writes: pipe through `ingest` first (python -m pipeline ingest --raw FILE | python -m "
                  f"pipeline {args.command})", file=sys.stderr)
            return 2
        sys.stdout.write(json.dumps(run_stage(stage, listing).to_dict(), ensure_ascii=False) + "\n")
    return 0



def register(sub) -> None:
    p = sub.add_parser("ingest", help="read the raw folder and print listing records as JSON Lines",
                       description="Read --raw and write one JSON record per listing to stdout; rejected "
                                   "inputs are reported on stderr. Pipe into a stage command.")
    add_input_args(p)
    p.set_defaults(func=cmd_ingest)


    for name in STAGE_NAMES:
        p = sub.add_parser(name, help=f"run the {name} stage on listing records (JSON Lines in and out)",
                           description=f"Read listing records (JSON Lines, from `ingest` or an earlier stage) "
                                       f"from --input or stdin, apply the {name} stage, write them to stdout. "
                                       f"Stages run in this order: {', '.join(STAGE_NAMES)}.")
        p.add_argument("--input", metavar="FILE", help="JSON Lines input (default: stdin)")
        p.set_defaults(func=cmd_stage)

