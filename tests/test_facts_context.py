"""Policy facts in context (issue 13): real lines copied from DEV-split documents of the labelled
policy set (tests/data/policy_sentences_context.jsonl; each line names its document under `source`,
see tests/data/README_policy_sentences_context.md), with the heading / lead-in line the pipeline gives
them; and the context a block gets from the blocks above it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.contract.records import Block
from pipeline.stages.facts import block_context, extract_facts

DATA = Path(__file__).resolve().parent / "data"
CASES = [json.loads(line) for line in (DATA / "policy_sentences_context.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def _key(t, lo, hi, unit):
    return t, None if lo is None else float(lo), None if hi is None else float(hi), unit


@pytest.mark.parametrize("case", CASES, ids=[c["note"][:40] for c in CASES])
def test_real_dev_lines_give_their_labelled_facts(case):
    got = extract_facts(case["text"], case["context"])
    assert sorted((_key(m.fact_type, m.value_min, m.value_max, m.unit) for m in got), key=str) == \
        sorted((_key(*f) for f in case["facts"]), key=str), case["source"]
    for m in got:   # evidence slices back out of the line, never out of its context
        assert case["text"][m.start:m.end].strip()


def test_the_context_matters():
    """Without its lead-in a list line states nothing; with it, the fact of the lead-in."""
    line, lead = "Ví điện tử (MoMo, ZaloPay): 1-2 ngày làm việc", "Thời gian hoàn tiền:"
    assert extract_facts(line) == []
    assert [(m.fact_type, m.value_min, m.value_max) for m in extract_facts(line, [lead])] == [("refund_time", 1, 2)]
    assert [m.fact_type for m in extract_facts(line, ["Thời gian giao hàng:"])] == ["delivery_time"]


def _blocks(lines: list[tuple[str, str]]) -> list[Block]:
    out, pos = [], 0
    for i, (kind, text) in enumerate(lines):
        out.append(Block(i, kind, text, pos, pos + len(text), zone="policy"))
        pos += len(text) + 1
    return out


# pol-ellabags-1.txt and pol-deanearby-1.txt (dev), as the segmenter cuts them.
ELLA = _blocks([("heading", "VẬN CHUYỂN VÀ GIAO NHẬN"), ("paragraph", "Thời gian giao hàng:"),
                ("paragraph", "Khoảng thời gian giao hàng của ELLA BAGS sẽ không cố định."),
                ("paragraph", "Đối với khách hàng ở Hà Nội: 1 - 2 ngày"),
                ("paragraph", "Đối với khách hàng ở các tỉnh và thành phố khác: 3 - 4 ngày")])
DEAN = _blocks([("heading", "Shipping & Returns"), ("heading", "Shipping:"),
                ("paragraph", "All orders are processed within 2–3 business days. Delivery times may vary "
                              "depending on your location:"),
                ("paragraph", "New Zealand: 2–4 business days"), ("paragraph", "Australia: 5–7 business days"),
                ("heading", "Rest of World: 7–14 business days"), ("heading", "Returns:"),
                ("paragraph", "If a refund is approved, it will be processed back to your original payment "
                              "method within 5–10 business days.")])


def test_block_context_reads_the_lead_in_across_its_list():
    assert block_context(ELLA, 4) == ["VẬN CHUYỂN VÀ GIAO NHẬN", "Thời gian giao hàng:"]
    assert block_context(DEAN, 5)[-1].endswith("depending on your location:")
    # "Rest of World: 7–14 business days" is a "label: value" line, not a heading
    assert block_context(DEAN, 7) == ["Shipping & Returns", "Shipping:", "Returns:"]


def test_policy_facts_stage_uses_the_context():
    from pipeline.contract.records import Listing
    from pipeline.stages.facts import extract_policy_facts
    text = "\n".join(b.text for b in DEAN)
    listing = Listing(doc_id="x", source="x.txt", format="txt", title=None, text=text, blocks=DEAN)
    got = {(f.fact_type, f.value_min, f.value_max, f.unit) for f in extract_policy_facts(listing).facts}
    assert got == {("delivery_time", 2, 4, "business_day"), ("delivery_time", 5, 7, "business_day"),
                   ("delivery_time", 7, 14, "business_day"), ("refund_time", 5, 10, "business_day")}
    for f in listing.facts:
        assert text[f.char_start:f.char_end] == f.evidence


@pytest.mark.parametrize("text, expected", [
    # one statement, one fact (the combined types of the lexicon)
    ("Trả hàng/Hoàn tiền trong 7 ngày theo chính sách Shopee Mall", [("return_window", None, 7, "day")]),
    ("Return/refund within 30 days", [("return_window", None, 30, "day")]),
    ("Exchange or refund within 48 hours", [("return_window", None, 48, "hour")]),
    ("Đổi hàng trong 7 ngày", [("exchange_window", None, 7, "day")]),
    # promotions are not policies
    ("FREESHIP", []), ("Nhập mã FREESHIP", []), ("Tặng voucher freeship", []),
    ("Mua 2 bộ trở lên free ship", []),
    ("Miễn phí vận chuyển toàn quốc", [("free_shipping_threshold", 0, None, "VND")]),
    # unknown forms
    ("Orders over 400K are shipped free", [("free_shipping_threshold", 400000, None, "VND")]),
    ("Most orders ship within 24 hours", []),
    ("Delivered in 3-5 business days", [("delivery_time", 3, 5, "business_day")]),
    ("You will receive your order in 5-7 days", [("delivery_time", 5, 7, "day")]),
    ("Damage must be reported within 48 hours of delivery", [("return_window", None, 48, "hour")]),
    ("Damage must be reported within 48 hours of delivery for a free replacement",
     [("exchange_window", None, 48, "hour")]),
    ("Delivery takes 3 days at the earliest", [("delivery_time", 3, None, "day")]),
    ("Same-day delivery in Hanoi", [("express_delivery", None, 24, "hour")]),
    ("Giao hàng trong ngày", [("delivery_time", None, 24, "hour")]),
    ("Giao hỏa tốc trong ngày", [("express_delivery", None, 24, "hour")]),
    ("Bảo hành lên đến 10 năm", [("warranty_period", 10, 10, "year")]),
    ("Returns within 5-10 days", [("return_window", 5, 10, "day")]),
])
def test_statement_forms(text, expected):
    assert [(m.fact_type, m.value_min, m.value_max, m.unit) for m in extract_facts(text)] == expected


PIECES = ["Thời gian giao hàng:", "Phí ship:", "Chính sách đổi trả", "Refunds:", "Nội thành: 1-2 ngày",
          "trong vòng 3 ngày kể từ khi nhận hàng", "xử lý", "freeship", "mã", "Đơn từ 500K", "(3 năm)",
          "trong ngày", "same-day", "2 dây", "03 (ba) ngày", "hoặc", "/", ":", "\n", ".", "12 tháng"]
texts = st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(texts, max_size=3), texts)
def test_properties_hold_with_any_context(text, context, following):
    for m in extract_facts(text, context, following):
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end].strip()
        if m.value_min is not None and m.value_max is not None:
            assert m.value_min <= m.value_max
        assert m.value_min is not None or m.value_max is not None
