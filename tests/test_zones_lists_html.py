"""Zones of a document that is one HTML list (zones37, issue 13).

`eval policy --perturb html_list` writes a labelled document's lines as <li> items (short numbered or capital
lines as <h3>, short colon-ended ones as <p><strong>). Every other line is then a bullet: a lead-in line and the
items it leads in, a short title over a long line, all the same kind, so no section was opened and policy items
fell to description ("default"), and the article reading (text.articles) took the short titles for body text.
The zones now read the items of a list-only document as its lines would be read in plain text
(`zones._read_kinds`), the kinds the segmenter gave (blocks.kind) unchanged.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.eval import policy
from pipeline.eval.perturb import html_list
from pipeline.readers import read_file
from pipeline.stages import process
from pipeline.stages.zones import _read_kinds

DATA = Path(__file__).resolve().parent / "data"


def _process(tmp_path: Path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return process(next(iter(read_file(path, tmp_path))))


def _zones(listing) -> dict[str, str]:
    return {b.text: b.zone for b in listing.blocks}


# corpus/policies/pol-hanori-vn-1.txt (teddyvan/hanori, dev), lines 7-12 as written: a title over a long lead-in
# line, the lead-in ("… nếu thuộc một trong các trường hợp sau:") and the cases it leads in.
HANORI = ["Điều kiện đổi trả trong 7 ngày",
          "Sản phẩm được đổi trả miễn phí trong vòng 7 ngày kể từ ngày nhận hàng nếu thuộc một trong các trường "
          "hợp sau:",
          "Sản phẩm lỗi do nhà sản xuất",
          "Giao sai mẫu mã, màu sắc so với mô tả trên gian hàng",
          "Thiếu phụ kiện đi kèm theo mô tả sản phẩm"]


def test_items_under_a_list_items_title_stay_in_its_policy_section(tmp_path):
    """As <li> items (the way html_list writes them: no line of these looks like a heading), the cases with no
    cue of their own were description by default; as the same lines of a .txt file they are in the policy
    section the title opens. Now both read the title as a heading, and the cases are policy."""
    rendered = html_list(HANORI)
    assert rendered.count("<li>") == len(HANORI)
    as_list = _process(tmp_path, "hanori.html", rendered)
    as_text = _process(tmp_path, "hanori.txt", "\n".join(HANORI) + "\n")
    assert [b.kind for b in as_list.blocks] == ["bullet"] * len(HANORI)   # the segment's kinds are kept
    assert _read_kinds(as_list.blocks)[0] == "heading"
    assert _zones(as_list) == _zones(as_text)
    assert _zones(as_list)["Giao sai mẫu mã, màu sắc so với mô tả trên gian hàng"] == "policy"
    assert _zones(as_list)["Thiếu phụ kiện đi kèm theo mô tả sản phẩm"] == "policy"


def _dev_document(name: str) -> dict:
    doc = next(d for d in policy.load(DATA) if d["doc"] == name)
    assert policy.split_of(DATA)[doc["group"]] == "dev"
    return doc


def _line_zones(doc: dict, fmt: str) -> list:
    listing = policy.read_listings([doc], None, fmt)[doc["doc"]]
    return [None if i is None else listing.blocks[i].zone for i in policy.line_blocks(doc, listing)]


def test_a_dev_page_of_lead_in_items_zones_as_its_plain_text():
    """corpus/policies/pol-tsevending-1.txt (dev), its labelled lines as html_list writes them: numbered <h3>
    headings over <li> items, the lead-ins among them too long for <strong> ("… Đội ngũ kỹ thuật tập trung tại:",
    "Chi phí … tùy thuộc vào:"). Before, the two delivery items under "1. Phạm vi cung cấp dịch vụ" were
    description (reason default); now every line has its plain-text zone, and the lead-in's second sentence,
    cut from its line by the segmenter, is read with its line (no heading of its own for its colon)."""
    doc = _dev_document("policies/pol-tsevending-1.txt")
    rendered = html_list([line["text"] for line in doc["lines"]])
    assert "<li>TSE Vending cung cấp dịch vụ" in rendered and "<h3>1. Phạm vi cung cấp dịch vụ</h3>" in rendered
    got, plain = _line_zones(doc, "html_list"), _line_zones(doc, "txt")
    assert got == plain
    by_text = dict(zip((line["text"] for line in doc["lines"]), got))
    assert by_text["TP. Hồ Chí Minh và các tỉnh lân cận (Bình Dương, Đồng Nai, Long An): phục vụ trong ngày"] == "policy"
    assert by_text["Đà Nẵng, Hà Nội và các tỉnh thành khác: theo lịch hẹn, thông thường 3–7 ngày làm việc"] == "policy"


def test_a_list_item_cut_in_two_by_the_segmenter_is_read_as_its_whole_line():
    """corpus/policies/pol-minhtuan-tashop-1.txt (dev), its three labelled lines as html_list writes them (all <li>):
    the segmenter cuts the second item ("Nhằm mang đến … tại T&A. Shop xin áp dụng chính sách đổi, trả hàng như
    sau:") at its sentence, as it cuts the plain line. Read piece by piece, the first piece was too short for the
    title "Phương thức đổi - trả hàng" to head it and the line model made it other; read as its whole line, as in
    plain text, the title is a heading and the line policy."""
    doc = _dev_document("policies/pol-minhtuan-tashop-1.txt")
    assert html_list([line["text"] for line in doc["lines"]]).count("<li>") == len(doc["lines"]) == 3
    got = _line_zones(doc, "html_list")
    assert got == _line_zones(doc, "txt")
    assert got[1] == "policy"


def test_a_dev_page_as_one_list_is_no_article(tmp_path):
    """corpus/policies/pol-ngochaiii-acquy-1.txt (dev), its labelled lines as html_list writes them: with its short
    titles ("Tiền Mặt", "Chuyển Khoản", "Huyện xa") read as list items, the article reading (text.articles) took
    the page from "(Đồ Sơn, Vĩnh Bảo, An Dương) …" on for an article and its payment and VAT terms for description
    (reason article). Read as the lines they are, the page is the shop's: those lines keep their plain-text zones."""
    doc = _dev_document("policies/pol-ngochaiii-acquy-1.txt")
    plain = policy.read_listings([doc], None, "txt")[doc["doc"]]
    as_list = policy.read_listings([doc], None, "html_list")[doc["doc"]]

    def zones(listing):
        return [None if i is None else listing.blocks[i].zone for i in policy.line_blocks(doc, listing)]
    texts = [line["text"] for line in doc["lines"]]
    got = dict(zip(texts, zones(as_list)))
    assert all(b.zone_reason != "article" for b in as_list.blocks)
    for line in ("4. Chính Sách Thanh Toán", "Thanh toán khi nhận hàng", "4.2. Hóa Đơn VAT",
                 "Thời gian xuất: 1-2 ngày làm việc"):
        assert got[line] == "policy", line
    assert sum(a != b for a, b in zip(zones(as_list), zones(plain))) <= 2


def test_a_list_among_paragraphs_keeps_its_items(tmp_path):
    """A document with a paragraph keeps its segment kinds: its <li> items stay items (a list is one there)."""
    lines = ["<p>Sản phẩm được đổi trả miễn phí trong vòng 7 ngày kể từ ngày nhận hàng.</p>",
             "<ul><li>Sản phẩm lỗi do nhà sản xuất</li><li>Giao sai mẫu mã</li><li>Thiếu phụ kiện</li></ul>"]
    listing = _process(tmp_path, "mixed.html", "".join(lines))
    kinds = [b.kind for b in listing.blocks]
    assert "paragraph" in kinds and kinds.count("bullet") == 3
    assert _read_kinds(listing.blocks) == kinds
