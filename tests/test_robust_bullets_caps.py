"""Zones and facts that hold when a listing is written with icon bullets before its lines ("✅ Miễn phí vận
chuyển đơn từ 300k") or in capitals ("👉 ĐỔI TRẢ TRONG 7 NGÀY"), both common on Vietnamese marketplaces
(issue 13, robust36).

Real inputs: lines and whole documents of the labelled DEV split (tests/data/policy_labels, sources named in
RULES.md, split in splits.json), read as plain text, their labelled lines joined, as `pipeline eval policy`
reads them without the corpus; rewritten by pipeline.eval.perturb's `bullet` and `upper` (and any icon of
the kinds sellers use in place of its "✅")."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from fact_cases import facts_of
from pipeline.contract.records import Listing
from pipeline.eval.perturb import bullet, upper
from pipeline.eval.policy import fact_key, load, read_listings, split_of
from pipeline.stages.segment import segment
from pipeline.text.styles import ICON_LEAD, written_in_capitals

# Icons sellers put before their lines (check marks, pointing hands, stars, arrows, dingbat numbers, emoji).
ICONS = ("✅", "✔", "✔️", "☑", "👉", "⭐", "⭐️", "✪", "➣", "➤", "❶", "🔥", "📦", "💥", "🎁", "➡️")
# DEV pages (tsevending, web-bstore) whose facts were lost under an icon before every line or in capitals:
# their numbered headings ("1. Phạm vi cung cấp dịch vụ") were no headings behind an icon, and in capitals
# every short line was one.
ICON_DOCS = ("policies/pol-tsevending-1.txt",)
CAPS_DOCS = ("policies/pol-tsevending-1.txt", "policies/pol-lullubelle-1.txt")


def _dev_docs(names):
    split = split_of(DATA)
    docs = [d for d in load(DATA) if split[d["group"]] == "dev" and d["doc"] in names]
    assert len(docs) == len(names)
    return docs


def _text(doc) -> str:
    return "\n".join(line["text"] for line in doc["lines"])


def _kinds(text: str) -> list[str]:
    listing = segment(Listing(doc_id="x", source="x.txt", format="txt", title=None, text=text))
    return [b.kind for b in listing.blocks]


def _facts(docs, change) -> dict[str, set]:
    rewritten = [{**d, "lines": [{**line, "text": change(line["text"])} for line in d["lines"]]} for d in docs]
    listings = read_listings(rewritten, None)
    return {d["doc"]: {fact_key(f.fact_type, f.value_min, f.value_max, f.unit) for f in listings[d["doc"]].facts}
            for d in docs}


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(ICONS))
def test_an_icon_before_a_numbered_heading_leaves_it_a_heading(icon):
    # pol-tsevending-1 (dev): a numbered heading over its body; an icon is a bullet's mark, not its words
    lines = ["3. Thời gian giao hàng & lắp đặt",
             "Máy bán hàng tự động có sẵn kho: 3–5 ngày làm việc sau khi ký hợp đồng và thanh toán đặt cọc"]
    assert ICON_LEAD.match(f"{icon} {lines[0]}")
    assert _kinds("\n".join(f"{icon} {t}" for t in lines)) == ["heading", "bullet"]
    assert _kinds("\n".join(lines))[0] == "heading"


def test_a_whole_dev_page_behind_icons_keeps_the_facts_under_its_numbered_headings():
    # "✅ 3. Thời gian giao hàng & lắp đặt" types the durations under it as delivery times, as without the icon
    # (its region lines under "1." the line model still reads apart: two more facts, not yet kept)
    docs = _dev_docs(ICON_DOCS)
    kept = {("delivery_time", 3.0, 5.0, "business_day"), ("delivery_time", 15.0, 30.0, "day"),
            ("delivery_time", 15.0, 45.0, "day"), ("free_shipping_threshold", 0.0, None, "VND")}
    assert kept <= _facts(docs, lambda t: t)[ICON_DOCS[0]]
    assert kept <= _facts(docs, bullet)[ICON_DOCS[0]]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(ICONS))
def test_a_label_behind_an_icon_still_types_its_replacement_term(icon):
    # tiki-217726101 (dev): "Bảo hành:" labels the replacement term after it, an icon before it or not
    line = "Bảo hành: Đổi mới ắc quy trong vòng 6 tháng"
    assert facts_of(f"{icon} {line}") == facts_of(line) == [("warranty_period", 6.0, 6.0, "month")]


def test_a_document_in_capitals_has_no_more_headings_than_as_written():
    # case marks nothing there: its short lines ("SỐ LƯỢNG VÀ TRỌNG LƯỢNG THIẾT BỊ", "LUZELLEC4@GMAIL.COM") are no
    # headings for their capitals (nor for being in Title Case, as every line in capitals is)
    for doc in _dev_docs(CAPS_DOCS):
        text = _text(doc)
        assert written_in_capitals([t for t in upper(text).split("\n") if t.strip()])
        assert _kinds(upper(text)).count("heading") <= _kinds(text).count("heading")


def test_a_whole_dev_page_in_capitals_keeps_its_facts():
    docs = _dev_docs(CAPS_DOCS)
    assert _facts(docs, upper) == _facts(docs, lambda t: t)


def test_a_document_with_a_few_lines_in_capitals_keeps_them_headings():
    # the dev pages as written: a heading in capitals ("QUYỀN LỢI BẢO HÀNH", web-bstore) stays one
    doc = _dev_docs(("policies/pol-web-bstore-1.txt",))[0]
    text = _text(doc)
    assert not written_in_capitals([t for t in text.split("\n") if t.strip()])
    assert _kinds(text)[0] == "heading"
