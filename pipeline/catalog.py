"""One catalog row per listing: the clean description and the policy facts as typed columns.

Where a listing states a fact more than once the first statement wins (reading order), except for the
shipping fee, whose lowest and highest values are both kept. Durations are converted to the column's
unit (business days count as days; a month is 30 days, a year 365; a week 7).
"""
from __future__ import annotations

from .records import Listing

DAYS = {"hour": 1 / 24, "day": 1, "business_day": 1, "week": 7, "month": 30, "year": 365}
MONTHS = {"hour": 1 / 720, "day": 1 / 30, "business_day": 1 / 30, "week": 7 / 30, "month": 1, "year": 12}
HOURS = {unit: days * 24 for unit, days in DAYS.items()}


def _conv(value: float | None, unit: str, table: dict[str, float]) -> float | None:
    if value is None or unit not in table:
        return None
    return round(value * table[unit], 4)


def catalog_row(listing: Listing) -> dict:
    desc = [b for b in listing.blocks if b.zone == "description"]
    row = {
        "doc_id": listing.doc_id, "source": listing.source, "title": listing.title,
        "description_text": "\n".join(b.text for b in desc),
        "free_shipping_threshold_vnd": None, "shipping_fee_vnd": None, "shipping_fee_vnd_max": None,
        "delivery_days_min": None, "delivery_days_max": None, "express_hours": None, "return_days": None,
        "exchange_days": None, "refund_days": None, "warranty_months": None,
        "n_policy_facts": len(listing.facts),
    }

    def first(col: str, value) -> None:
        if row[col] is None and value is not None:
            row[col] = value

    for f in listing.facts:
        upper = f.value_max if f.value_max is not None else f.value_min
        if f.fact_type == "free_shipping_threshold" and f.unit == "VND":
            first("free_shipping_threshold_vnd", f.value_min if f.value_min is not None else 0.0)
        elif f.fact_type == "shipping_fee" and f.unit == "VND":
            lo = f.value_min if f.value_min is not None else f.value_max
            row["shipping_fee_vnd"] = lo if row["shipping_fee_vnd"] is None else min(row["shipping_fee_vnd"], lo)
            row["shipping_fee_vnd_max"] = upper if row["shipping_fee_vnd_max"] is None else max(row["shipping_fee_vnd_max"], upper)
        elif f.fact_type == "delivery_time" and row["delivery_days_min"] is None and row["delivery_days_max"] is None:
            row["delivery_days_min"] = _conv(f.value_min, f.unit, DAYS)
            row["delivery_days_max"] = _conv(f.value_max, f.unit, DAYS)
        elif f.fact_type == "express_delivery":
            first("express_hours", _conv(upper, f.unit, HOURS))
        elif f.fact_type == "return_window":
            first("return_days", _conv(upper, f.unit, DAYS))
        elif f.fact_type == "exchange_window":
            first("exchange_days", _conv(upper, f.unit, DAYS))
        elif f.fact_type == "refund_time":
            first("refund_days", _conv(upper, f.unit, DAYS))
        elif f.fact_type == "warranty_period":
            first("warranty_months", _conv(upper, f.unit, MONTHS))
    row.update(listing.quality)  # description_lang and the quality flags
    return row
