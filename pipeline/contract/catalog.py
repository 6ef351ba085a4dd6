"""One catalog row per listing: the clean description and the policy facts as typed columns.

The policy columns and how they are filled are declared in the registry (`kinds.FACT_TYPES`: each fact
type's columns, with the value they pick, their unit and how several facts combine); this module only
applies them. In the shipped registry: where a listing states a fact more than once the first statement
wins (reading order), except for the shipping fee, whose lowest and highest values are both kept.
Durations are converted to the column's unit (business days count as days; a month is 30 days, a year
365; a week 7), rounded to 4 decimals; money columns take facts in their own currency only.
"""
from __future__ import annotations

import functools
import json

from . import kinds
from .records import Fact, Listing


def _pick(f: Fact, pick: str) -> float | None:
    if pick == "lower":
        return f.value_min if f.value_min is not None else f.value_max
    if pick == "upper":
        return f.value_max if f.value_max is not None else f.value_min
    if pick == "min":
        return f.value_min
    if pick == "max":
        return f.value_max
    if pick == "lower_or_zero":
        return f.value_min if f.value_min is not None else 0.0
    raise ValueError(f"unknown pick {pick!r}")


def column_value(f: Fact, col: kinds.Column) -> float | None:
    """The value a fact gives a column, in the column's unit; None when the fact's unit does not fit it.

    >>> f = Fact(0, "warranty_period", None, 2, "year", None, "", 0, 0, "vi")
    >>> column_value(f, kinds.Column("warranty_months", "upper", "month", "first", ""))
    24
    >>> column_value(f, kinds.Column("x_vnd", "upper", "VND", "first", "")) is None
    True
    """
    value = _pick(f, col.pick)
    target = kinds.UNITS.get(col.unit)
    if target is not None and target.dimension == "money":   # money: the column's own currency only
        return value if f.unit == col.unit else None
    unit = kinds.UNITS.get(f.unit)
    factor = unit.factor(col.unit) if unit is not None else None
    if value is None or factor is None:
        return None
    return round(value * factor, 4)


@functools.cache
def _plan(types: tuple[str, ...]) -> dict[str, tuple[tuple[kinds.Column, ...], tuple[kinds.Column, ...]]]:
    """fact type -> (its "first" columns, its "min"/"max" columns)."""
    return {name: (tuple(c for c in kinds.FACT_TYPES[name].columns if c.combine == "first"),
                   tuple(c for c in kinds.FACT_TYPES[name].columns if c.combine != "first"))
            for name in types}


def catalog_row(listing: Listing) -> dict:
    desc = [b for b in listing.blocks if b.zone == "description"]
    row = {"doc_id": listing.doc_id, "record_id": listing.record_id, "source": listing.source,
           "title": listing.title,
           "extra": None if listing.extra is None else json.dumps(listing.extra, ensure_ascii=False, sort_keys=True),
           "description_text": "\n".join(b.text for b in desc)}
    row.update(dict.fromkeys(c.name for c in kinds.catalog_columns()))
    row["n_policy_facts"] = len(listing.facts)
    plan = _plan(tuple(kinds.FACT_TYPES))
    done: set[str] = set()   # fact types whose "first" columns are set
    for f in listing.facts:
        if f.fact_type not in plan:
            continue
        first, folded = plan[f.fact_type]
        if first and f.fact_type not in done:
            values = [column_value(f, c) for c in first]
            if any(v is not None for v in values):
                done.add(f.fact_type)
                row.update(zip((c.name for c in first), values))
        for c in folded:
            v = column_value(f, c)
            if v is not None:
                old = row[c.name]
                row[c.name] = v if old is None else (min(old, v) if c.combine == "min" else max(old, v))
    if listing.quality is not None:
        row.update(listing.quality.as_dict())   # description_lang and the quality flags
    return row
