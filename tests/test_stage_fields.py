"""Each stage changes only the Listing fields it declares (`pipeline.stages.STAGES[...].writes`): every
stage runs on varied listings (the sample, corpus records, generated text) and the fields before and after
are compared."""
from __future__ import annotations

import copy
import json
from dataclasses import fields, is_dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, SEED
from pipeline.contract.records import Listing
from pipeline.readers import FieldMap, listing_from_record, read_file
from pipeline.stages import DECLARED, STAGES, run_stage
from pipeline.text.normalize import normalize


def changed(before: Listing, after: Listing) -> set[str]:
    """Fields that differ: 'name', or 'name.attr' when a list of records kept its length."""
    out = set()
    for f in fields(Listing):
        a, b = getattr(before, f.name), getattr(after, f.name)
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and a and is_dataclass(a[0]):
            for x, y in zip(a, b):
                out |= {f"{f.name}.{g.name}" for g in fields(x) if getattr(x, g.name) != getattr(y, g.name)}
        elif a != b:
            out.add(f.name)
    return out


def allowed(name: str, writes: frozenset[str]) -> bool:
    return name in writes or name.split(".")[0] in writes


def check_listing(listing: Listing) -> None:
    for stage in DECLARED:
        before = copy.deepcopy(listing)
        listing = run_stage(stage, listing)
        extra = {f for f in changed(before, listing) if not allowed(f, stage.writes)}
        assert not extra, f"stage {stage.name} changed undeclared fields {sorted(extra)} of {listing.source}"


def corpus_listings():
    fields_ = FieldMap()
    for name in ("corpus_sample.jsonl", "zone_records.jsonl"):
        for i, line in enumerate(open(DATA / name, encoding="utf-8")):
            record = json.loads(line)
            record = record.get("record", record)
            rec = listing_from_record(record, f"{name}#{i + 1}", "jsonl", fields_)
            if isinstance(rec, Listing):
                yield rec


def test_declarations_name_real_fields():
    names = {f.name for f in fields(Listing)}
    for stage in STAGES.values():
        for field in stage.reads | stage.writes:
            assert field.split(".")[0] in names, (stage.name, field)


def test_the_sample_and_corpus_records():
    listings = [next(read_file(SEED, SEED.parent)), *corpus_listings()]
    assert len(listings) > 20
    for listing in listings:
        check_listing(listing)


PIECES = st.sampled_from(list("abc ĐđÀàƠơ ỆệÂ 12.,:;-•#*\n\n|()!? ") + [
    "Chính sách đổi trả", "Mô tả sản phẩm", "miễn phí ship đơn từ 300k", "giao hàng 2-3 ngày",
    "Bảo hành 12 tháng", "Return within 30 days", "THÔNG TIN SẢN PHẨM", "1. Chất liệu", "- Cotton 100%",
    "Hotline: 0901"])
TEXT = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.one_of(st.none(), st.sampled_from(["Áo thun", "T-SHIRT", ""])))
def test_generated_text(text, title):
    text = normalize(text)
    if not text.strip():
        return
    check_listing(Listing(doc_id="x", source="gen", format="txt", title=title or None, text=text))


def test_a_stage_that_writes_more_is_caught():
    import pytest
    from pipeline.stages import Stage

    def sneaky(listing):
        listing.title = "changed"
        return listing

    listing = next(read_file(SEED, SEED.parent))
    before = copy.deepcopy(listing)
    after = run_stage(Stage("sneaky", reads=set(), writes={"blocks"}, run=sneaky), listing)
    assert changed(before, after) == {"title"}
    with pytest.raises(AssertionError):
        assert not {f for f in changed(before, after) if not allowed(f, frozenset({"blocks"}))}
