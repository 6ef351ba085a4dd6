"""`python -m pipeline compact`: rewrite a finished output's small part files into big ones (`pipeline.runner.compact`)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.run import lock_holder, path_or_url
from pipeline.contract.kinds import PARTITIONINGS


def cmd_compact(args) -> int:
    from pipeline.runner.compact import CompactError, compact
    from pipeline.runner.write import OutputLocked
    from pipeline.readers import is_url
    from pipeline.runner.compact import compact_url
    from pipeline.runner.store import StoreError
    if args.break_lock and not is_url(args.processed):
        print(f"note: --break-lock: {args.processed} is a local folder, whose lock is an OS lock released when "
              f"its run dies; there is nothing to break", file=sys.stderr)
    try:
        if is_url(args.processed):
            m = compact_url(str(args.processed), int(args.target_mb * 2**20), args.partition_by, args.out,
                            progress=not args.quiet, staging=args.staging, break_lock=args.break_lock)
        elif is_url(args.out):
            raise CompactError(f"--out {args.out}: a local folder is compacted into a local folder; to publish "
                               f"to object storage, `run --out {args.out}` and compact that URL")
        else:
            m = compact(args.processed, int(args.target_mb * 2**20), args.partition_by, args.out,
                        progress=not args.quiet)
    except OutputLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (CompactError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if m.get("lock_broken") is not None:
        print(f"warning: removed a lock left by {lock_holder(m['lock_broken'])}", file=sys.stderr)
    c = m["compacted"]
    print(f"compacted {args.out or args.processed}/: {c['files_before']} part files -> {c['files_after']} "
          f"({', '.join(f'{k} {v}' for k, v in m['rows'].items())} rows) in {c['seconds']:.2f}s"
          + (f"; published as run {m['run_id']}" if "publish" in m else ""))
    return 0


def _target(value: str) -> float:
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size in MB, got {value!r}")
    if not mb > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {value}")
    return mb


def register(sub) -> None:
    from pipeline.runner.compact import DEFAULT_TARGET_MB, ROW_GROUP_BYTES, ROW_GROUP_ROWS
    p = sub.add_parser(
        "compact", help="rewrite a finished output's many small part files into a few big ones",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Rewrite every table of a processed folder into files of about --target-mb (a small output\n"
                    "gives one file per table) with large row groups (up to "
                    f"{ROW_GROUP_BYTES >> 20} MB of data or {ROW_GROUP_ROWS:,} rows),\n"
                    "optionally in Hive-style folders (--partition-by). The same rows; the manifest's part list\n"
                    "(what `export` reads) is rewritten. Atomic like `run`: under the output's lock, written\n"
                    "beside it and swapped in, so a killed compaction leaves the folder as it was.\n"
                    "On an output URL (s3://...) the compacted output is a new run, uploaded under\n"
                    "_runs/<run_id>/ and published by writing _latest last (under the store's _lock): readers\n"
                    "see the old run or the compacted one, never half of it.\n"
                    "The next `run` on a compacted folder says 'up to date' when nothing changed and otherwise\n"
                    "re-processes every unit (a compacted folder has no per-unit parts to reuse): to keep\n"
                    "incremental runs cheap, compact into another folder with --out.\n"
                    "Partitionings:\n" + "".join(f"  {p.name:12} {p.key}=VALUE/: {p.description}\n"
                                                 for p in PARTITIONINGS.values()) +
                    "Exit 0 on success, 2 when the folder is not a finished output (or is compacted with\n"
                    "another partitioning), 3 when a run holds it.",
        epilog="examples:\n"
               "  python -m pipeline compact --processed processed/\n"
               "  python -m pipeline compact --processed processed/ --target-mb 512 --partition-by source\n"
               "  python -m pipeline compact --processed processed/ --out lake/listings --partition-by ingest_date\n"
               "  python -m pipeline compact --processed s3://shop-data/processed\n"
               "  python -m pipeline compact --processed s3://shop-data/processed --out s3://shop-data/lake")
    p.add_argument("--processed", type=path_or_url, default=Path("processed"),
                   help="the output folder of `run` (default: processed/), or the URL a run published to "
                        "(s3://bucket/processed: its current run, as _latest names it)")
    p.add_argument("--target-mb", type=_target, default=DEFAULT_TARGET_MB, metavar="MB",
                   help="size of the files written (default %(default)s; 128-512 suits most readers)")
    p.add_argument("--partition-by", choices=tuple(PARTITIONINGS), default=None,
                   help="write Hive-style folders by this key (default: none)")
    p.add_argument("--out", type=path_or_url, default=None,
                   help="write the compacted copy here instead of replacing --processed (which then stays "
                        "incremental); a URL for a URL --processed")
    p.add_argument("--staging", type=Path, default=None, metavar="DIR",
                   help="with a URL --processed: the local folder the run is compacted in (default: the cache "
                        "`run --out URL` uses, ~/.cache/listing-pipeline/stores/<hash of the URL>)")
    p.add_argument("--break-lock", action="store_true",
                   help="with a URL --processed: remove a _lock left by a run that died on another host (as "
                        "`run --break-lock`)")
    p.add_argument("--quiet", action="store_true", help="no per-table lines")
    p.set_defaults(func=cmd_compact)
