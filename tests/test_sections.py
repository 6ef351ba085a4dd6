"""Sections and sentences: the sample's inferred outline, explicit headings (HTML, Markdown, numbered and
ALL-CAPS lines), the inference rules on small cases, and section-boundary recovery on tests/data/articles."""
from __future__ import annotations

import copy
import json
import time
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st
from conftest import DATA

from pipeline.readers import FieldMap, listing_from_record, read_file
from pipeline.contract.records import Block, Listing
from pipeline.stages.sections import (
    build_sections,
    count_words,
    heading_levels,
    infer_units,
    label,
    list_label,
    tiling_boundaries,
    units_of,
)
from pipeline.stages import process

ARTICLES = DATA / "articles"

VI_NUMBERED = """THÔNG TIN SẢN PHẨM
Bình giữ nhiệt Lốc Xoáy giữ nóng và giữ lạnh suốt cả ngày, phù hợp mang đi làm, đi học và dã ngoại cuối tuần cùng gia đình, bạn bè.
1. Chất liệu
Thân bình làm từ thép không gỉ 304 hai lớp, hút chân không ở giữa, nắp nhựa PP an toàn cho sức khỏe, không mùi, dễ tháo lắp.
2. Dung tích
Dung tích 500 ml, vừa đủ cho một ngày làm việc; miệng bình rộng nên dễ cho đá viên vào và dễ vệ sinh bên trong lòng bình.
HƯỚNG DẪN SỬ DỤNG
Bước 1: Tráng bình trước lần dùng đầu tiên
Rửa sạch bình bằng nước ấm pha chút nước rửa chén, sau đó tráng lại bằng nước sôi khoảng hai phút rồi đổ đi.
Bước 2: Không dùng cho đồ uống có ga
Đồ uống có ga có thể làm bật nắp khi áp suất tăng, vì vậy chỉ nên đựng nước lọc, trà, cà phê hoặc sữa."""


def _article(name: str) -> Listing:
    return process(next(read_file(ARTICLES / name, ARTICLES)))


def _check_offsets(listing: Listing) -> None:
    text = listing.text
    for s in listing.sections:
        assert text[s.char_start:s.char_end] == s.text
    starts = [s.char_start for s in listing.sections]
    for k, sent in enumerate(listing.sentences):
        assert text[sent.char_start:sent.char_end] == sent.text and sent.text.strip() == sent.text
        assert sent.sentence_id == k
        owner = listing.sections[sent.section_id]
        assert owner.char_start <= sent.char_start and sent.char_end <= owner.char_end
        # innermost: no later section starts before the sentence
        assert all(st > sent.char_start for st in starts[sent.section_id + 1:])
    for s in listing.sections:
        inside = [x for x in listing.sentences if s.char_start <= x.char_start < s.char_end]
        assert s.n_sentences == len(inside)


def _tree(listing: Listing) -> list[tuple]:
    return [(s.heading, s.level, s.parent_id, s.heading_source) for s in listing.sections]


# ------------------------------------------------------------------ the sample listing

def test_sample_has_groups_points_and_a_conclusion(seed_listing):
    secs = seed_listing.sections
    wrapper = secs[0]
    assert (wrapper.heading, wrapper.heading_source, wrapper.level, wrapper.parent_id) == \
        ("Mô tả sản phẩm", "explicit", 1, None)
    assert wrapper.n_paragraphs == 33 and wrapper.lang == "en"
    groups = [s for s in secs if s.level == 2]
    points = [s for s in secs if s.level == 3]
    assert all(s.heading_source == "inferred" and s.parent_id == 0 for s in groups)
    # introduction, six groups of points, conclusion
    assert len(groups) == 8 and len(points) >= 20
    with_points = [g for g in groups if any(p.parent_id == g.section_id for p in points)]
    assert len(with_points) == 6
    assert all(sum(p.parent_id == g.section_id for p in points) >= 3 for g in with_points)
    for p in points:
        assert secs[p.parent_id].level == 2 and p.char_start > secs[p.parent_id].char_start
    assert groups[0].heading.startswith("The job interview process")       # introduction
    assert "Beyond the immediate actions" in [g.heading for g in groups]    # a lead-in's leading clause
    last = secs[-1]
    assert last.level == 2 and last.heading == "In conclusion" and last.n_paragraphs == 1
    assert sum(g.n_paragraphs for g in groups) == 33


def test_sample_offsets_counts_and_sentences(seed_listing):
    _check_offsets(seed_listing)
    secs = seed_listing.sections
    desc = [b for b in seed_listing.blocks if b.zone == "description"]
    assert secs[0].n_words == sum(count_words(b.text) for b in desc)
    assert secs[0].reading_minutes == pytest.approx(secs[0].n_words / 230, abs=0.01)
    assert secs[0].n_sentences == len(seed_listing.sentences) > 100
    assert {s.lang for s in seed_listing.sentences} == {"vi", "en"}   # the heading is Vietnamese
    first = seed_listing.sentences[1].text
    assert first.startswith("The job interview process") and first.endswith("decision.")


# ------------------------------------------------------------------ explicit headings

def test_html_article_keeps_its_heading_levels_and_parents():
    listing = _article("vi-pha-ca-phe-phin.html")
    _check_offsets(listing)
    tree = _tree(listing)
    assert [t[1] for t in tree] == [1, 2, 3, 3, 2, 3, 3, 2, 3, 3, 2]
    assert all(t[3] == "explicit" for t in tree)
    assert tree[0][0] == "Bí quyết pha cà phê phin ngon đúng kiểu Việt Nam tại nhà"
    assert tree[1] == ("Chuẩn bị nguyên liệu và dụng cụ", 2, 0, "explicit")
    assert tree[3] == ("Dụng cụ cần có", 3, 1, "explicit")
    assert tree[6] == ("Chiết xuất và thưởng thức", 3, 4, "explicit")
    assert tree[-1] == ("Lời kết", 2, 0, "explicit")
    tools = listing.sections[3]
    assert tools.n_paragraphs == 6          # intro, four list items, closing paragraph
    assert listing.sections[0].n_paragraphs == sum(1 for b in listing.blocks if b.kind != "heading")


def test_markdown_article_keeps_its_heading_levels_and_parents():
    listing = _article("en-houseplant-care.md")
    _check_offsets(listing)
    md = [line for line in (ARTICLES / "en-houseplant-care.md").read_text(encoding="utf-8").splitlines()
          if line.startswith("#")]
    assert [s.heading for s in listing.sections] == [line.lstrip("#").strip() for line in md]
    assert [s.level for s in listing.sections] == [len(line) - len(line.lstrip("#")) for line in md]
    by_id = {s.section_id: s for s in listing.sections}
    for s in listing.sections[1:]:
        assert by_id[s.parent_id].level == s.level - 1
    light = listing.sections[1]
    assert light.heading == "Light comes first" and light.n_paragraphs == 9   # 5 paragraphs, 4 bullets
    assert light.lang == "en" and light.reading_minutes == pytest.approx(light.n_words / 230, abs=0.01)


def test_numbered_and_caps_headings_in_a_vietnamese_description():
    listing = process(Listing(doc_id="x", source="x", format="txt", title="Bình giữ nhiệt Lốc Xoáy 500ml",
                              text=VI_NUMBERED))
    _check_offsets(listing)
    assert _tree(listing) == [
        ("THÔNG TIN SẢN PHẨM", 1, None, "explicit"),
        ("1. Chất liệu", 2, 0, "explicit"),
        ("2. Dung tích", 2, 0, "explicit"),
        ("HƯỚNG DẪN SỬ DỤNG", 1, None, "explicit"),
        ("Bước 1: Tráng bình trước lần dùng đầu tiên", 2, 3, "explicit"),
        ("Bước 2: Không dùng cho đồ uống có ga", 2, 3, "explicit"),
    ]
    material = listing.sections[1]
    # Vietnamese is counted in syllables: every whitespace-separated unit of letters or digits.
    assert material.n_words == len(material.text.split()) == 31
    assert material.reading_minutes == pytest.approx(31 / 260, abs=0.01)
    assert material.n_paragraphs == 1 and material.lang == "vi"
    assert next(s.text for s in listing.sentences if s.section_id == 1) == "1. Chất liệu"   # marker stays


def test_heading_levels_by_style():
    def h(text, level=None):
        return Block(0, "heading", text, 0, len(text), level)
    levels = heading_levels([h("GIỚI THIỆU"), h("1. Chất liệu", 1), h("1.1 Vải", 2), h("2. Màu", 1),
                             h("HƯỚNG DẪN"), h("Bước 1: Giặt")], from_source=False)
    assert levels == [1, 2, 3, 2, 1, 2]
    assert heading_levels([h("Tiêu đề", 2), h("Phụ", 3), h("In đậm"), h("Khác", 2)], from_source=True) == [1, 2, 3, 1]


def test_runs_of_caps_lines_are_not_sections():
    rec = {"title": "Gấu bông", "description_text": "Gấu bông Teddy lông xoắn mềm mại, ôm rất thích\n"
           "CHẤT LIỆU LÔNG XOẮN CAO CẤP\nBÔNG GÒN AN TOÀN TINH KHIẾT\nHÀNG CÓ SẴN\nLÀM QUÀ CHO CẶP ĐÔI MỚI CƯỚI"}
    listing = process(listing_from_record(rec, "r", "jsonl", FieldMap()))
    assert all(s.heading_source == "inferred" for s in listing.sections)
    assert len(listing.sections) == 1 and listing.sections[0].n_paragraphs == 5


def test_real_record_with_a_caps_heading():
    line = next(l for l in (DATA / "corpus_sample.jsonl").read_text(encoding="utf-8").splitlines()
                if '"tiki-41881443"' in l)
    rec = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in json.loads(line).items()}
    listing = process(listing_from_record(rec, "r", "jsonl", FieldMap()))
    _check_offsets(listing)
    info = next(s for s in listing.sections if s.heading == "THÔNG TIN SẢN PHẨM")
    assert info.heading_source == "explicit" and info.n_paragraphs == 6
    assert listing.sections[0].heading_source == "inferred" and listing.sections[0].char_start == 0


# ------------------------------------------------------------------ sentences

def test_bullets_and_line_breaks_end_sentences():
    text = "Đặc điểm nổi bật:\n- Chống nước tốt\n- Pin 5000 mAh dùng hai ngày\nSản phẩm bền. Giá tốt\nMade in Vietnam"
    listing = process(Listing(doc_id="s", source="s", format="txt", title=None, text=text))
    got = [s.text for s in listing.sentences]
    assert got == ["Đặc điểm nổi bật:", "- Chống nước tốt", "- Pin 5000 mAh dùng hai ngày", "Sản phẩm bền.",
                   "Giá tốt", "Made in Vietnam"]
    _check_offsets(listing)


# ------------------------------------------------------------------ inference rules

def _blocks(spec: list[tuple[str, int | str]]) -> list[Block]:
    """('p', n words) paragraphs, ('b', text) bullets, ('p', text) paragraphs; one per line."""
    blocks, pos = [], 0
    for i, (kind, what) in enumerate(spec):
        text = what if isinstance(what, str) else " ".join(f"w{i}x{k}" for k in range(what)) + "."
        blocks.append(Block(i, "bullet" if kind == "b" else "paragraph", text, pos, pos + len(text), lang="en",
                            zone="description"))
        pos += len(text) + 1
    return blocks


def _infer(spec, model: bool = False):
    """The hand rules' outline of synthetic paragraphs (word counts only); `model`: as wired, the fitted
    boundary model choosing the top level (it needs real words, so the rules are tested without it)."""
    from pipeline.stages.sections import inferred
    blocks = _blocks(spec)
    units = units_of(blocks)
    had, inferred.USE_BOUNDARY_MODEL = inferred.USE_BOUNDARY_MODEL, model
    try:
        return [(units[u].first, lv) for u, lv in infer_units(units, "en")]
    finally:
        inferred.USE_BOUNDARY_MODEL = had


def test_lead_ins_open_groups_and_long_paragraphs_are_points():
    spec = [("p", 80), ("p", 20), ("p", 90), ("p", 85), ("p", 30), ("p", 88), ("p", 18), ("p", 80), ("p", 84)]
    # intro; lead-in 1 -> points 2, 3 (+ short continuation 4), 5; lead-in 6 -> points 7, 8
    assert _infer(spec) == [(0, 1), (1, 1), (2, 2), (3, 2), (5, 2), (6, 1), (7, 2), (8, 2)]


def test_a_stand_alone_spec_list_is_its_own_section():
    spec = [("p", 60), ("p", 55), ("b", "Kích thước: 30 cm"), ("b", "Trọng lượng: 1 kg"), ("b", "Màu sắc: đen"),
            ("p", 58), ("p", 50)]
    assert _infer(spec) == [(0, 1), (2, 1), (5, 1)]
    assert list_label(["Kích thước: 30 cm", "Trọng lượng: 1 kg", "Màu sắc: đen"]) == \
        "Kích thước, Trọng lượng, Màu sắc"


def test_an_introduced_list_and_its_tail_stay_with_the_paragraph():
    spec = [("p", 60), ("p", 55), ("p", "Some reliable pairings for the rooms you have at home:"),
            ("b", "Bright light: cacti"), ("b", "Low light: snake plant"), ("p", 15), ("p", 70)]
    out = _infer(spec)
    assert (3, 1) not in out and (3, 2) not in out and all(i != 5 for i, _ in out)


def test_key_value_lines_form_one_enumeration():
    blocks = _blocks([("p", 40), ("p", "Trọng lượng: 25kg"), ("p", "Ắc qui: 12V7AH"), ("p", "Xuất xứ: Trung Quốc"),
                      ("p", 40)])
    assert [(u.kind, u.first, u.last) for u in units_of(blocks)] == \
        [("paragraph", 0, 0), ("list", 1, 3), ("paragraph", 4, 4)]


def test_texttiling_cuts_a_long_undivided_stretch_where_the_vocabulary_changes():
    import random
    rng = random.Random(1)
    coffee = ["coffee", "beans", "roast", "grinder", "espresso", "brew", "crema", "arabica", "robusta", "filter", "kettle", "aroma"]
    garden = ["garden", "soil", "compost", "seedlings", "watering", "tomato", "basil", "trellis", "mulch", "pots", "sunlight", "leaves"]
    texts = [" ".join(rng.choice(words) for _ in range(40)) + "." for words in [coffee] * 5 + [garden] * 5]
    assert tiling_boundaries(texts, "en") == {5}
    blocks = _blocks([("p", t) for t in texts])
    assert infer_units(units_of(blocks), "en") == [(0, 1), (5, 1)]


def test_labels_are_leading_clauses():
    assert label("Beyond the immediate actions, the very substance of your conversation matters.") == \
        "Beyond the immediate actions"
    assert label("- Rau muống: gieo hạt sau khoảng 25 ngày") == "Rau muống"
    assert len(label("one two three four five six seven eight nine ten eleven.").split()) == 8
    assert label("500 ml bottle, easy to clean") == "500 ml bottle"


def test_short_descriptions_stay_one_section():
    assert _infer([("p", 10), ("p", 4), ("p", 12)]) == [(0, 1)]


# ------------------------------------------------------------------ measured on the articles

def test_section_boundary_f1_on_the_articles():
    from pipeline.eval.sections import evaluate
    report = evaluate(DATA, None)
    rows = {r[0]: r for r in report.rows}
    overall = rows["overall (micro)"]
    p, r, f1, top_f1 = overall[4], overall[5], overall[6], overall[10]
    # The hand rules were tuned on these 14 articles (0.935); the fitted model gives up some recall here
    # for skill on unseen real articles (pipeline.eval.boundaries, dev/test splits of the corpus).
    assert f1 >= 0.85 and p >= 0.78 and r >= 0.9
    assert top_f1 >= 0.35   # 0.41 with the model, 0.8+ with the rules alone
    assert rows["en (micro)"][6] >= 0.8 and rows["vi (micro)"][6] >= 0.8
    assert overall[2] == 110 and len(report.rows) == 14 + 3


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ'’ _-.İıΣσςß0９đĐ\u0307\u0300ǅ\n")) | st.characters(), max_size=30))
def test_word_count_read_off_the_shared_tokens_counts_letter_and_digit_runs(text):
    import re
    from pipeline.text.words import count_words, word_tokens
    assert count_words.__wrapped__(text) == len(re.findall(r"[^\W_]+", text))
    assert all(t == t.lower() for t in word_tokens(text))


# ------------------------------------------------------------------ explicit headings on real HTML

HEADINGS_HTML = DATA / "headings_html"


def test_explicit_headings_of_real_html_descriptions_come_out_nested():
    from pipeline.eval.headings import key_of, score_file
    for name, expected in (("lst-genzshop-9.html", 2), ("lst-website-banhaisan-6.html", 3)):
        n, hit, _ = score_file(HEADINGS_HTML / name, HEADINGS_HTML)
        assert (n, hit) == (expected, expected), name
    key = key_of((HEADINGS_HTML / "lst-website-banhaisan-6.html").read_text(encoding="utf-8"))
    assert [h.level for h in key] == [1, 2, 2] and key[1].parent == key[0].text


def test_a_paragraph_wrapped_in_a_heading_tag_and_a_bold_line_in_a_list_are_no_sections():
    from pipeline.eval.headings import key_of
    long_h2 = "<h2>" + " ".join(["Ốc mỡ là loài ốc biển có vị ngọt và béo"] * 4) + ".</h2>"
    markup = f"<h2>Cách chọn ốc</h2><p>Chọn ốc còn sống, vỏ sáng.</p>{long_h2}<ul><li><b>Mẹo nhỏ</b></li></ul>"
    assert [h.text for h in key_of(markup)] == ["Cách chọn ốc"]
    listing = process(listing_from_record({"id": "x", "description": markup}, "x.jsonl", "jsonl", FieldMap()))
    explicit = [s.heading for s in listing.sections if s.heading_source == "explicit"]
    assert explicit == ["Cách chọn ốc"]


def test_bold_lines_in_html_are_siblings_below_the_h_heading_whatever_their_typography():
    # Real page with no h-tags: bold ALL-CAPS lines and bold mixed-case lines ("Ghi chú:") are all level 1,
    # and bold lines between list items stay headings (HTML marks list lines as li itself).
    from pipeline.eval.headings import score_file
    n, hit, extra = score_file(HEADINGS_HTML / "lst-wp-phangia2804-1.html", HEADINGS_HTML)
    assert (n, hit, extra) == (9, 9, 0)
    listing = process(next(read_file(HEADINGS_HTML / "lst-wp-phangia2804-1.html", HEADINGS_HTML)))
    explicit = [s for s in listing.sections if s.heading_source == "explicit"]
    assert {s.level for s in explicit} == {1}
    def h(text, level=None):
        return Block(0, "heading", text, 0, len(text), level)
    # bold "1. ..." after a bold heading under one h2: siblings at level 2, not nested by style
    assert heading_levels([h("Công dụng", 2), h("CÁCH DÙNG"), h("1. Rửa sạch"), h("2. Phơi khô"), h("Lưu ý", 2)],
                          from_source=True) == [1, 2, 2, 2, 1]
    # plain text keeps nesting by style
    assert heading_levels([h("CÁCH DÙNG"), h("1. Rửa sạch"), h("2. Phơi khô")], from_source=False) == [1, 2, 2]


def test_bold_sentences_inside_the_prose_are_no_sections():
    # Real page: bold lines ending with '.' between paragraphs are emphasis; the numbered h2 and h3 stay.
    from pipeline.eval.headings import score_file
    n, hit, extra = score_file(HEADINGS_HTML / "lst-website-banhaisan-3.html", HEADINGS_HTML)
    assert (n, hit, extra) == (9, 9, 0)
    markup = ("<h2>Cách chọn ốc</h2><p>Chọn ốc còn sống, vỏ sáng và</p><p><b>không có mùi lạ</b></p>"
              "<p>khi ngửi gần.</p><p><b>Ốc tươi thì vỏ bóng.</b></p><p>Bảo quản trong ngăn mát.</p>"
              "<p><b>Cách sơ chế</b></p><p>Ngâm ốc với nước vo gạo.</p>")
    listing = process(listing_from_record({"id": "x", "description": markup}, "x.jsonl", "jsonl", FieldMap()))
    assert [(s.heading, s.level) for s in listing.sections if s.heading_source == "explicit"] == \
        [("Cách chọn ốc", 1), ("Cách sơ chế", 2)]
    _check_offsets(listing)


def test_a_heading_like_line_of_plain_text_inside_a_list_is_a_line_of_the_list():
    text = ("THÔNG TIN SẢN PHẨM\nBình giữ nhiệt hai lớp, giữ nóng mười hai giờ và giữ lạnh suốt cả ngày dài.\n"
            "- Dung tích 500 ml\nMÀU SẮC ĐA DẠNG\n- Nắp nhựa PP an toàn\n- Thép không gỉ 304\n"
            "HƯỚNG DẪN SỬ DỤNG:\n- Tráng nước sôi trước khi dùng\n- Không đựng đồ uống có ga")
    listing = process(Listing(doc_id="x", source="x", format="txt", title="Bình", text=text))
    assert [s.heading for s in listing.sections if s.heading_source == "explicit"] == \
        ["THÔNG TIN SẢN PHẨM", "HƯỚNG DẪN SỬ DỤNG"]
    _check_offsets(listing)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["vi", "en", "und", "fr"]), st.integers(0, 6)), min_size=1, max_size=12),
       st.data())
def test_section_languages_read_off_prefix_sums_equal_majority_lang(spec, data):
    from pipeline.contract.records import majority_lang
    from pipeline.stages.sections import _majority_langs
    desc = [Block(k, "paragraph", "x" * n, 0, n, None, lang) for k, (lang, n) in enumerate(spec)]
    start = data.draw(st.integers(0, len(desc) - 1))
    end = data.draw(st.integers(start + 1, len(desc)))
    assert _majority_langs(desc)(start, end) == majority_lang(desc[start:end])


def _label_reference(text: str) -> str:
    """label() as it was written before its speed-up (issue 16): BULLET_LEAD.sub and a full split."""
    import pipeline.stages.sections.labels as labels
    text = labels.BULLET_LEAD.sub("", text.strip(), count=1)
    n = int(labels.section_rules()["label_words"])
    clause = text
    for m in labels.LABEL_END.finditer(text):
        if len(text[: m.start()].split()) >= 2:
            clause = text[: m.start()]
            break
    return " ".join(clause.split()[:n]).strip(" -•*#") or text[:60]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["- ", "• ", "1. ", "IV) ", "Rau", "muống", ":", ",", " ", "\n", "  ", "ab", "—",
                                 " - ", "(", "x.", "?"]) | st.text(st.characters(blacklist_categories=("Cs",)),
                                                                    max_size=4), max_size=30).map("".join))
def test_label_equals_its_reference(text):
    assert label(text) == _label_reference(text)
