"""`python -m pipeline schema`: the output contract, from the code: the data dictionary of every table
(Markdown or JSON) or the JSON Schema of an exported record."""
from __future__ import annotations

import argparse
import json
import sys

FORMATS = ("markdown", "json", "jsonschema")


def dictionary_json() -> dict:
    """Every table's columns (name, Arrow type, nullable, description), as JSON."""
    from pipeline.contract.schema import SCHEMA_VERSION, TABLES
    return {"schema_version": SCHEMA_VERSION, "tables": {
        name: {"description": schema.metadata[b"description"].decode(),
               "columns": [{"name": f.name, "type": str(f.type), "nullable": f.nullable,
                            "description": f.metadata[b"description"].decode()} for f in schema]}
        for name, schema in TABLES.items()}}


def cmd_schema(args) -> int:
    if args.format == "jsonschema":
        from pipeline.runner.export import schema_text
        sys.stdout.write(schema_text())
    elif args.format == "json":
        print(json.dumps(dictionary_json(), indent=2, ensure_ascii=False))
    else:
        from pipeline.contract.schema import data_dictionary
        print(data_dictionary())
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "schema", help="print the output contract: the data dictionary (Markdown, JSON) or the export's JSON Schema",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Print the output contract, generated from the code (pipeline/contract/):\n"
                    "  markdown    every table's columns with type and description (the README's data dictionary)\n"
                    "  json        the same as JSON: {schema_version, tables: {name: {description, columns}}}\n"
                    "  jsonschema  the JSON Schema (2020-12) of one `export --format jsonl` record; the shipped\n"
                    "              pipeline/contract/export.schema.json is exactly this (`make export-schema`)",
        epilog="examples:\n"
               "  python -m pipeline schema > dictionary.md\n"
               "  python -m pipeline schema --format json | jq '.tables.catalog.columns[].name'\n"
               "  python -m pipeline schema --format jsonschema > pipeline/contract/export.schema.json")
    p.add_argument("--format", choices=FORMATS, default="markdown", help="what to print (default: markdown)")
    p.set_defaults(func=cmd_schema)
