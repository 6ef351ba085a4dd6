"""The commands of `python -m pipeline`, one module each: run, stage (ingest and the per-stage commands),
export, eval, bench, schema. Each has `register(subparsers)` and its `cmd_*` function."""
