"""`python -m pipeline schema`: the data dictionary of every output table (Markdown, from the contract)."""
from __future__ import annotations


def cmd_schema(args) -> int:
    from pipeline.contract.schema import data_dictionary
    print(data_dictionary())
    return 0



def register(sub) -> None:
    p = sub.add_parser("schema", help="print the data dictionary of every output table (Markdown)")
    p.set_defaults(func=cmd_schema)

