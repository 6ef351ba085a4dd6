"""Stage 5 policy facts: pipeline/facts.py with lexicon/facts.toml."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.contract import kinds
from pipeline.stages import facts
from pipeline.stages.facts import FactMatch, extract_facts

DATA = Path(__file__).resolve().parent / "data"
LABELLED = DATA / "policy_sentences.jsonl"
FACT_TYPES = set(kinds.FACT_TYPES)   # the registry
UNITS = set(kinds.UNITS)


def triples(text: str) -> list[tuple]:
    """(fact_type, value_min, value_max, unit) of every fact, in order."""
    return [(m.fact_type, m.value_min, m.value_max, m.unit) for m in extract_facts(text)]


def only(text: str) -> tuple:
    found = triples(text)
    assert len(found) == 1, (text, found)
    return found[0]


# --------------------------------------------------------------------------------------------
# The five seed lines, exactly.
# --------------------------------------------------------------------------------------------
SEED = ("Chính Sách Vận Chuyển Và Đổi Trả Hàng\n"
        "Miễn phí vận chuyển mọi đơn hàng từ 500K\n"
        "- Phí ship mặc trong nước 50K\n"
        "- Thời gian nhận hàng 2-3 ngày trong tuần\n"
        "- Giao hàng hỏa tốc trong 24h\n"
        "- Hoàn trả hàng trong 30 ngày nếu không hài lòng\n"
        "Mô tả sản phẩm")


def test_seed_lines_give_exact_facts():
    got = extract_facts(SEED)
    assert [(m.fact_type, m.value_min, m.value_max, m.unit, m.qualifier) for m in got] == [
        ("free_shipping_threshold", 500000, None, "VND", "all orders"),
        ("shipping_fee", 50000, 50000, "VND", "domestic"),
        ("delivery_time", 2, 3, "day", "weekdays"),
        ("express_delivery", None, 24, "hour", None),
        ("return_window", None, 30, "day", "if not satisfied"),
    ]
    assert [SEED[m.start:m.end] for m in got] == [
        "Miễn phí vận chuyển mọi đơn hàng từ 500K",
        "Phí ship mặc trong nước 50K",
        "Thời gian nhận hàng 2-3 ngày",
        "Giao hàng hỏa tốc trong 24h",
        "Hoàn trả hàng trong 30 ngày",
    ]


@pytest.mark.parametrize("line", SEED.splitlines()[1:6])
def test_each_seed_line_alone_gives_one_fact(line):
    got = extract_facts(line)
    assert len(got) == 1
    assert got[0].start < got[0].end and line[got[0].start:got[0].end].strip()


# --------------------------------------------------------------------------------------------
# The conventions of each fact type.
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Free shipping on orders over $50", ("free_shipping_threshold", 50, None, "USD")),
    ("Miễn phí vận chuyển toàn quốc", ("free_shipping_threshold", 0, None, "VND")),
    ("freeship mọi đơn", ("free_shipping_threshold", 0, None, "VND")),
    ("Miễn phí ship đơn trên 300k", ("free_shipping_threshold", 300000, None, "VND")),
    ("Tặng freeship cho đơn hàng có giá trị từ 199.000 ₫", ("free_shipping_threshold", 199000, None, "VND")),
    ("phí ship 20-30k", ("shipping_fee", 20000, 30000, "VND")),
    ("Shipping $4.99", ("shipping_fee", 4.99, 4.99, "USD")),
    ("Phí ship đồng giá 25k toàn quốc", ("shipping_fee", 25000, 25000, "VND")),
    ("giao trong 3 ngày", ("delivery_time", None, 3, "day")),
    ("Delivery within 3 days", ("delivery_time", None, 3, "day")),
    ("Giao hàng 3-5 ngày làm việc", ("delivery_time", 3, 5, "business_day")),
    ("Thời gian giao hàng từ 2 đến 4 tuần", ("delivery_time", 2, 4, "week")),
    ("Giao hàng 2 ngày", ("delivery_time", 2, 2, "day")),
    ("Delivery takes at least 2 days", ("delivery_time", 2, None, "day")),
    ("Thời gian giao tối thiểu 2 ngày", ("delivery_time", 2, None, "day")),
    ("Giao hàng hoả tốc trong 30 phút", ("express_delivery", None, 0.5, "hour")),
    ("Express shipping: 1-2 days", ("express_delivery", 1, 2, "day")),
    ("30-day returns", ("return_window", None, 30, "day")),
    ("Đổi trả trong 7 ngày", ("return_window", None, 7, "day")),
    ("Đổi 1-1 trong 7 ngày", ("exchange_window", None, 7, "day")),
    ("1 đổi 1 trong 30 ngày", ("exchange_window", None, 30, "day")),
    ("Exchange within 14 days", ("exchange_window", None, 14, "day")),
    ("hoàn tiền trong 3-5 ngày làm việc", ("refund_time", 3, 5, "business_day")),
    ("Refunds are processed within 5-7 business days.", ("refund_time", 5, 7, "business_day")),
    ("bảo hành 12 tháng", ("warranty_period", 12, 12, "month")),
    ("bảo hành 2 năm", ("warranty_period", 2, 2, "year")),
    ("warranty up to 24 months", ("warranty_period", 24, 24, "month")),   # RULES.md: "lên đến 10 năm" = 10/10
    ("This item comes with a 12-month manufacturer warranty", ("warranty_period", 12, 12, "month")),
])
def test_fact_conventions(text, expected):
    assert only(text) == expected


@pytest.mark.parametrize("text, qualifier", [
    ("Phí ship nội thành 20k", "inner city"),
    ("Miễn phí vận chuyển toàn quốc", "nationwide"),
    ("Đổi trả 7 ngày không cần lý do", "no reason needed"),
    ("Bảo hành 12 tháng lỗi nhà sản xuất", "manufacturer defect"),
    ("Đổi trả trong 7 ngày nếu còn nguyên tem", "seal intact"),
    ("Returns accepted within 30 days if not satisfied", "if not satisfied"),
])
def test_qualifiers(text, qualifier):
    (fact,) = extract_facts(text)
    assert fact.qualifier == qualifier


def test_qualifiers_go_to_their_own_amount():
    got = extract_facts("Phí ship nội thành 20k, ngoại thành 30k")
    assert [(m.value_min, m.qualifier) for m in got] == [(20000, "inner city"), (30000, "suburbs")]


# --------------------------------------------------------------------------------------------
# Forms of money and durations.
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("amount, value, unit", [
    ("500K", 500000, "VND"), ("500k", 500000, "VND"), ("500.000đ", 500000, "VND"),
    ("500,000 VNĐ", 500000, "VND"), ("500.000 ₫", 500000, "VND"), ("500 nghìn", 500000, "VND"),
    ("500 ngàn", 500000, "VND"), ("1tr", 1000000, "VND"), ("1 triệu", 1000000, "VND"),
    ("1,5 triệu", 1500000, "VND"), ("1tr5", 1500000, "VND"), ("2 củ", 2000000, "VND"),
    ("30.000 đồng", 30000, "VND"), ("30000 VND", 30000, "VND"), ("30.000", 30000, "VND"),
    ("$4.99", 4.99, "USD"), ("10 USD", 10, "USD"), ("US$ 12", 12, "USD"),
])
def test_money_forms(amount, value, unit):
    assert only(f"Phí vận chuyển {amount}") == ("shipping_fee", value, value, unit)


@pytest.mark.parametrize("duration, value, unit", [
    ("24h", 24, "hour"), ("48 giờ", 48, "hour"), ("2 tiếng", 2, "hour"), ("30 phút", 0.5, "hour"),
    ("3 ngày", 3, "day"), ("3 ngày làm việc", 3, "business_day"), ("2 tuần", 2, "week"),
    ("12 tháng", 12, "month"), ("2 năm", 2, "year"), ("6 hours", 6, "hour"), ("7 days", 7, "day"),
    ("5 business days", 5, "business_day"), ("5 working days", 5, "business_day"),
    ("3 weeks", 3, "week"), ("18 months", 18, "month"), ("2 years", 2, "year"),
    ("two years", 2, "year"), ("bảy ngày", 7, "day"), ("12th", 12, "month"),
])
def test_duration_forms(duration, value, unit):
    fact, lo, hi, got_unit = only(f"Thời gian giao hàng {duration}")
    assert (fact, lo, hi, got_unit) == ("delivery_time", value, value, unit)


@pytest.mark.parametrize("written, lo, hi", [
    ("2-3 ngày", 2, 3), ("2 – 3 ngày", 2, 3), ("2~3 ngày", 2, 3), ("từ 2 đến 3 ngày", 2, 3),
    ("2 tới 3 ngày", 2, 3), ("2 to 3 days", 2, 3), ("between 2 and 3 days", 2, 3),
    ("trong vòng 3 ngày", None, 3), ("trong 3 ngày", None, 3), ("within 3 days", None, 3),
    ("up to 3 days", None, 3), ("tối đa 3 ngày", None, 3), ("không quá 3 ngày", None, 3),
    ("từ 3 ngày trở lên", 3, None), ("trên 3 ngày", 3, None), ("over 3 days", 3, None),
    ("at least 3 days", 3, None), ("tối thiểu 3 ngày", 3, None), ("3 ngày", 3, 3),
])
def test_ranges_and_bounds(written, lo, hi):
    assert only(f"Thời gian giao hàng {written}") == ("delivery_time", lo, hi, "day")


def test_money_range_takes_the_multiplier_of_its_end():
    assert only("phí ship 15-20k tuỳ khu vực") == ("shipping_fee", 15000, 20000, "VND")
    assert only("Phí giao hàng: 20.000đ - 40.000đ") == ("shipping_fee", 20000, 40000, "VND")


def test_one_for_one_is_not_a_range():
    for text in ("Đổi 1-1 trong 7 ngày", "đổi 1-1 7 ngày", "1 đổi 1 trong 7 ngày",
                 "BẢO HÀNH 6 THÁNG, 1 ĐỔI 1 TRONG 7 NGÀY"):
        got = triples(text)
        assert ("exchange_window", None, 7, "day") in got, text
        assert not any(lo == 1 for _, lo, _, _ in got), text


# --------------------------------------------------------------------------------------------
# Spellings: no diacritics, capitals, decomposed input, tone placement.
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Miễn phí vận chuyển đơn từ 500k",
    "mien phi van chuyen don tu 500k",
    "MIỄN PHÍ VẬN CHUYỂN ĐƠN TỪ 500K",
    unicodedata.normalize("NFC", unicodedata.normalize("NFD", "Miễn phí vận chuyển đơn từ 500k")),
])
def test_spellings_of_free_shipping(text):
    assert only(text) == ("free_shipping_threshold", 500000, None, "VND")


@pytest.mark.parametrize("text", ["Giao hàng hỏa tốc trong 2h", "Giao hàng hoả tốc trong 2h",
                                  "GIAO HÀNG HOẢ TỐC TRONG 2H", "giao hang hoa toc trong 2h"])
def test_tone_placement_and_case(text):
    got = extract_facts(text)
    assert [(m.fact_type, m.value_max, m.unit) for m in got] == [("express_delivery", 2, "hour")]
    assert text[got[0].start:got[0].end].lower().startswith("giao")


def test_evidence_offsets_hold_for_decomposed_then_composed_text():
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", "Bảo hành điện tử 12 tháng"))
    (fact,) = extract_facts(text)
    assert text[fact.start:fact.end] == "Bảo hành điện tử 12 tháng"


def test_accents_tell_apart_words_that_fold_alike():
    # "đối với" (regarding) and "đôi" (pair) fold to "doi" like "đổi" (exchange).
    assert triples("Bảo hành 3 tháng đối với động cơ") == [("warranty_period", 3, 3, "month")]


# --------------------------------------------------------------------------------------------
# Several facts in one sentence.
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Đổi trả trong 7 ngày, bảo hành 12 tháng",
     [("return_window", None, 7, "day"), ("warranty_period", 12, 12, "month")]),
    ("Giao hàng 2 ngày - Đổi trả 30 ngày - Bảo hành 1 năm",
     [("delivery_time", 2, 2, "day"), ("return_window", None, 30, "day"), ("warranty_period", 1, 1, "year")]),
    ("Đổi trả 7 ngày bảo hành 12 tháng",
     [("return_window", None, 7, "day"), ("warranty_period", 12, 12, "month")]),
    ("Bảo hành: 24 tháng cho động cơ, 12 tháng cho phụ kiện",
     [("warranty_period", 24, 24, "month"), ("warranty_period", 12, 12, "month")]),
    ("Đổi trả và bảo hành trong 3 ngày",   # RULES.md: the window null/N and the warranty N/N
     [("return_window", None, 3, "day"), ("warranty_period", 3, 3, "day")]),
    ("Free shipping on all orders over $35. Standard shipping $5.99. Express 1-2 business days.",
     [("free_shipping_threshold", 35, None, "USD"), ("shipping_fee", 5.99, 5.99, "USD"),
      ("express_delivery", 1, 2, "business_day")]),
    ("Đơn hàng dưới 200k phí ship 25k, đơn từ 200k freeship",
     [("shipping_fee", 25000, 25000, "VND"), ("free_shipping_threshold", 200000, None, "VND")]),
    ("30 days free return, 1 year warranty",
     [("return_window", None, 30, "day"), ("warranty_period", 1, 1, "year")]),
    ("Bảo hành chính hãng 12 tháng + 1 đổi 1 trong 7 ngày",
     [("warranty_period", 12, 12, "month"), ("exchange_window", None, 7, "day")]),
    ("Bảo hành 12 tháng, trả góp 0% trong 6 tháng", [("warranty_period", 12, 12, "month")]),
    ("Thời gian giao hàng: Hà Nội, HCM: 1-2 ngày; các tỉnh: 3-5 ngày",
     [("delivery_time", 1, 2, "day"), ("delivery_time", 3, 5, "day")]),
    ("Hoàn tiền trong 3-5 ngày làm việc sau khi shop nhận lại hàng", [("refund_time", 3, 5, "business_day")]),
    ("Returns within 30 days; refund issued within 14 days of receiving the item.",
     [("return_window", None, 30, "day"), ("refund_time", None, 14, "day")]),
    ("Được phép đổi trả nếu không hài lòng trong vòng 3 ngày nhận hàng", [("return_window", None, 3, "day")]),
    ("Shop sẽ trả hàng sau 7-10 ngày kể từ ngày đặt hàng", [("delivery_time", 7, 10, "day")]),
    ("Bảo hành pin 12 tháng", [("warranty_period", 12, 12, "month")]),
])
def test_several_facts(text, expected):
    assert triples(text) == expected


def test_order_condition_qualifies_a_fee():
    (fee,) = extract_facts("Phí ship 30k cho đơn dưới 300k")
    assert (fee.value_min, fee.qualifier) == (30000, "orders under 300,000 VND")


# --------------------------------------------------------------------------------------------
# Not facts.
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Giá 250k", "chỉ còn 199.000đ", "giảm 50%", "giảm 20k", "Gói quà 10k", "Gift wrap $3",
    "hạn sử dụng 12 tháng", "HSD 36 tháng kể từ ngày sản xuất", "pin 24h", "24h battery",
    "Battery lasts up to 10 hours", "Mở cửa 8h-22h", "Giao hàng từ 8h đến 17h hằng ngày",
    "Đặt hàng trước 15h", "10k followers", "Size 30", "Sale 12/12", "Hotline 0909.123.456",
    "Gọi 1900 6035 để được tư vấn", "Model X200", "Giao hàng toàn quốc 63 tỉnh thành",
    "(đối với đơn hàng giao từ nước ngoài có giá trị trên 1 triệu đồng)",
    "Sản phẩm 250k, giao hàng toàn quốc", "Bé từ 6 tháng tuổi trở lên", "Phù hợp cho bé 3-5 tuổi",
    "Kem dưỡng da dùng trong 2 tháng thấy hiệu quả", "Shop có 5 năm kinh nghiệm",
    "Voucher giảm 30k phí vận chuyển", "LH để được tặng voucher giảm giá cước vận chuyển lên đến 100-200k",
    "CSKH 24/7, phản hồi trong vòng 2h", "Ngày 12 tháng 12", "Đặt trước 16h, shop gửi hàng ngay trong ngày",
    "Order by 2pm for same-day dispatch", "Shop gửi hàng trong vòng 24h sau khi nhận đơn", "Only $19.99 today, 50% off", "Save $10 on orders over $100",
    "Trọng lượng 2kg, kích thước 30x40cm", "Giao hàng 50km quanh cửa hàng", "Không đổi trả sau 7 ngày",
    "Chính Sách Vận Chuyển Và Đổi Trả Hàng", "Áo size 2T cho bé", "Thời gian sạc: 7-8h - thời gian sử dụng: 4-5h",
    "Shop phản hồi và xử lý trong 48 giờ", "7 ngày kể từ ngày khách nhận hàng", "Bảo hành trọn đời", "", "   ", "12",
    "ngày",
])
def test_not_facts(text):
    assert extract_facts(text) == []


def test_tiki_boilerplate_gives_no_fact():
    text = ("Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào loại sản phẩm, "
            "hình thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác như phí vận chuyển, phụ phí "
            "hàng cồng kềnh, thuế nhập khẩu (đối với đơn hàng giao từ nước ngoài có giá trị trên 1 triệu "
            "đồng).....")
    assert extract_facts(text) == []


# --------------------------------------------------------------------------------------------
# Properties over any text.
# --------------------------------------------------------------------------------------------
PIECES = ["phí ship", "miễn phí vận chuyển", "freeship", "bảo hành", "BH", "đổi trả", "đổi 1-1", "1 đổi 1",
          "hoàn tiền", "giao hàng", "hỏa tốc", "hoả tốc", "return", "warranty", "free shipping", "orders over",
          "đơn từ", "trong vòng", "từ", "đến", "tới", "within", "up to", "at least", "trở lên", "tối đa", "giá",
          "giảm", "pin", "nội thành", "mọi đơn", "không", "kể từ ngày nhận hàng", "2-3", "1-1", "500K", "1tr5",
          "2 củ", "500.000đ", "1,5 triệu", "$4.99", "10 USD", "24h", "30 phút", "ngày", "ngày làm việc",
          "tháng", "năm", "weeks", "8h-22h", "12/12", "0", "1", "99999999999999999999", ",", ".", "(", ")",
          "-", "~", ";", "\n", "+", "₫", "$", "đ", "k", " "]
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=30).map("".join),
).map(lambda t: unicodedata.normalize("NFC", t))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_properties_hold_for_any_text(text):
    got = extract_facts(text)          # unguarded: a bug must show here, not be swallowed
    assert [m.start for m in got] == sorted(m.start for m in got)
    for m in got:
        assert isinstance(m, FactMatch)
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end].strip()
        assert m.fact_type in FACT_TYPES and m.unit in UNITS
        assert m.value_min is not None or m.value_max is not None
        for v in (m.value_min, m.value_max):
            assert v is None or v >= 0
        if m.value_min is not None and m.value_max is not None:
            assert m.value_min <= m.value_max
        assert m.qualifier is None or (isinstance(m.qualifier, str) and m.qualifier)


def test_lexicon_is_consistent():
    lex = facts.grammar.LEX
    assert set(lex["facts"]) == FACT_TYPES
    for group in lex["cues"]:
        assert {group.get("money"), group.get("duration")} - {None} <= FACT_TYPES, group["name"]
    for group in lex["anchors"]:
        assert set(group["retype"]) | set(group["retype"].values()) <= FACT_TYPES, group["label"]
    converted = {unit: target for unit, (target, _) in lex["durations"]["convert"].items()}
    for group in lex["durations"]["units"]:
        assert converted.get(group["unit"], group["unit"]) in UNITS
    assert {c["unit"] for c in lex["money"]["currencies"]} <= UNITS


def test_fact_match_is_frozen():
    (m,) = extract_facts("bảo hành 12 tháng")
    with pytest.raises(AttributeError):
        m.value_min = 1


# --------------------------------------------------------------------------------------------
# The labelled set.
# --------------------------------------------------------------------------------------------
@pytest.mark.skipif(not LABELLED.exists(), reason="labelled set not present")
def test_labelled_set_precision_and_recall():
    from pipeline.eval import prf
    from pipeline.eval.facts import score
    counts, misses = score(LABELLED)
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    precision, recall, _ = prf(tp, fp, fn)
    assert precision >= 0.97 and recall >= 0.97, (precision, recall, misses[:10])


def test_a_run_on_list_is_read_in_bounded_pieces():
    """A 110 KB line of policy phrases with no sentence end: every fact is found, in linear time."""
    text = "Áo thun. " + "đổi trả trong 7 ngày, " * 5000
    found = extract_facts(text)
    assert len(found) == 5000 and all(text[m.start:m.end] == "đổi trả trong 7 ngày" for m in found)
