"""Metamorphic perturbations for `eval policy --perturb NAME`: rewrite a document as real sellers also
write it, leaving its facts unchanged.

Each perturbation is a pure function of a text. The policy scorer applies the same one to a document's
text (the listing as read, before any stage runs) and to each of its labelled lines, and keeps the fact
labels: a fact written without Vietnamese diacritics, in capitals, with its unit glued to its number, with
its amount in another common money form or with another dash in its range is the same fact. A drop in
the score under a perturbation is a form the rules do not generalize to. Every perturbation works line by
line (it never joins or splits lines), so a labelled line, perturbed, is still found in the perturbed text.

The forms are ones seen in real listings of the corpus (products.jsonl, policies/): "30ngay", "7 NGÀY",
"500K", "500.000 VNĐ", "2–3 ngày", "khong dau", "✅ Bảo hành 12 tháng".
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


def unaccent(text: str) -> str:
    """Vietnamese written without diacritics (telex-less typing): marks dropped, "đ" as "d"; idempotent.

    >>> unaccent("Đổi trả trong vòng 7 ngày, phí ship 30.000đ")
    'Doi tra trong vong 7 ngay, phi ship 30.000d'
    >>> unaccent(unaccent("Bảo hành 12 tháng")) == unaccent("Bảo hành 12 tháng")
    True
    """
    s = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


_WORD_RE = re.compile(r"\S+")


def mixed(text: str) -> str:
    r"""Diacritics dropped on every second word of each line, as a seller typing on a phone half-marks a
    line ("Bảo hanh 12 thang, đổi tra trong 7 ngay").

    >>> mixed("Bảo hành 12 tháng\nĐổi trả trong 7 ngày")
    'Bảo hanh 12 thang\nĐổi tra trong 7 ngày'
    """
    def line(text_line: str) -> str:
        words = iter(range(len(text_line)))
        return _WORD_RE.sub(lambda m: unaccent(m.group()) if next(words) % 2 else m.group(), text_line)
    return "\n".join(line(t) for t in text.split("\n"))


def upper(text: str) -> str:
    """Every line in capitals ("ĐỔI TRẢ TRONG 7 NGÀY"), as banners and headings are written.

    >>> upper("Giao hàng 2-3 ngày")
    'GIAO HÀNG 2-3 NGÀY'
    """
    return text.upper()


# Units and money words sellers glue to their number ("30ngày", "24h", "500k"), as written (any case).
GLUED_WORDS = ("ngày", "ngay", "giờ", "gio", "tiếng", "tieng", "tuần", "tuan", "tháng", "thang", "năm", "nam",
               "phút", "phut", "h", "days?", "hours?", "hrs?", "weeks?", "months?", "years?", "mins?", "minutes?",
               "k", "đ", "d", "vnđ", "vnd", "đồng", "dong", "triệu", "trieu", "tr", "nghìn", "nghin", "ngàn", "ngan")
_GLUED_RE = re.compile(rf"""
    (?<=\d)                                       # after a digit
    [ \t\u00a0]+                                  # the space(s) sellers leave out
    (?=(?:{"|".join(GLUED_WORDS)})(?![^\W\d_]))   # before a whole unit or money word
""", re.VERBOSE | re.IGNORECASE)


def glued(text: str) -> str:
    """No space between a number and its unit or money word: "30 ngày" -> "30ngày", "500 k" -> "500k".

    >>> glued("Đổi trả 30 ngày, phí 30.000 đ, giao 2 - 3 days, 2 sản phẩm")
    'Đổi trả 30ngày, phí 30.000đ, giao 2 - 3days, 2 sản phẩm'
    """
    return _GLUED_RE.sub("", text)


_MONEY_RE = re.compile(r"""
    (?<![\w.,])(?P<lead>\d{1,3})                  # the thousands: 30 / 500
    (?:
        [.,]000 ?(?:vnđ|vnd|đồng|đ|₫)(?![^\W\d_])  # written in full: 30.000đ, 500,000 VNĐ, 30.000 đồng
      | [ ]?k(?![^\W\d_])                          # or with k: 30k, 500K
    )
""", re.VERBOSE | re.IGNORECASE)


def money(text: str) -> str:
    """A VND amount in thousands written the other common way: "30.000đ" -> "30K", "500k" -> "500.000 VNĐ".

    >>> money("Phí ship 30.000đ, đơn từ 500k, 1.250.000đ, 4K")
    'Phí ship 30K, đơn từ 500.000 VNĐ, 1.250.000đ, 4.000 VNĐ'
    >>> money(money("ship 30.000đ"))
    'ship 30.000 VNĐ'
    """
    def swap(m: re.Match) -> str:
        written = m.group()
        return f"{m['lead']}.000 VNĐ" if written[-1] in "kK" else f"{m['lead']}K"
    return _MONEY_RE.sub(swap, text)


_DASH_RE = re.compile(r"(?<=\d)( ?)-( ?)(?=\d)|(?<=\d)( ?)–( ?)(?=\d)")


def dash(text: str) -> str:
    """A range's hyphen as an en dash and an en dash as a tilde: "2-3 ngày" -> "2–3 ngày", "2–3" -> "2~3".

    >>> dash("Giao 2-3 ngày, 3 – 5 ngày, 0909-123-456")
    'Giao 2–3 ngày, 3 ~ 5 ngày, 0909–123–456'
    """
    return _DASH_RE.sub(lambda m: f"{m[1]}–{m[2]}" if m[1] is not None else f"{m[3]}~{m[4]}", text)


BULLET = "✅ "   # the icon sellers put before their lines and headings ("✅ Bảo hành: 6 tháng")


def bullet(text: str) -> str:
    r"""An icon bullet before every line that is not blank: "✅ Đổi trả trong 7 ngày".

    >>> bullet("Chính sách bảo hành\n\nBảo hành 12 tháng")
    '✅ Chính sách bảo hành\n\n✅ Bảo hành 12 tháng'
    """
    return "\n".join(BULLET + line if line.strip() else line for line in text.split("\n"))


# The perturbations `eval policy --perturb` chooses from, declared once (the CLI reads the names).
PERTURBATIONS: dict[str, Callable[[str], str]] = {
    "none": lambda text: text,
    "unaccent": unaccent,
    "mixed": mixed,
    "upper": upper,
    "glued": glued,
    "money": money,
    "dash": dash,
    "bullet": bullet,
}
PERTURB_HELP = ("none as written; unaccent without Vietnamese diacritics; mixed without them on every second "
                "word of a line; upper in capitals; glued with no space "
                "between a number and its unit (30ngày, 500k); money with a VND amount in thousands written the "
                "other way (30.000đ <-> 30K); dash with a range's hyphen as an en dash, an en dash as a tilde; "
                "bullet with an icon before every line")


# ------------------------------------------------------------------ another input format
# A format perturbation writes a document's lines as one file of another format, as scrapers and shops deliver
# listings, for the pipeline's own reader of that format to read: the words are unchanged, only how the
# lines are marked up is. The rule for each line is fixed by how the line is written, never by its label.

@dataclass(frozen=True)
class Rendering:
    """A document's lines as the content of one file with `suffix` (`render(lines, title)`)."""
    suffix: str
    render: Callable[[list[str], str], str]


HEADING_LOOK_WORDS = 10   # a line that looks like a heading is at most this many words (and marked, below)
# Numbered as a heading is: "1. ", "2) ", "2.1 ", "2.1. ", "II. ", "Bước 2:".
_NUMBERED_LOOK = re.compile(r"""
    ^(?:
        \d{1,2}(?:\.\d{1,2})+\.?    # 2.1  2.1.
      | \d{1,2}[.)]                # 1.  2)
      | [IVX]{1,4}\.               # II.
      | bước\ \d{1,2}:?            # Bước 2:
    )\s""", re.VERBOSE | re.IGNORECASE)


def heading_look(line: str) -> str | None:
    """How `html_list` marks a line up when it looks like a heading: "h3" when it is short and numbered or in
    capitals, "strong" when it is short and ends with ":", else None (a list item).

    >>> heading_look("1. Chính sách đổi trả"), heading_look("2.1 Điều kiện"), heading_look("BẢO HÀNH"), heading_look("Lưu ý:")
    ('h3', 'h3', 'h3', 'strong')
    >>> heading_look("Đổi trả trong 7 ngày."), heading_look("Giao hàng toàn quốc")
    (None, None)
    """
    if len(line.split()) > HEADING_LOOK_WORDS or line.rstrip()[-1:] in ".!?;,":
        return None
    if _NUMBERED_LOOK.match(line) or (any(c.isalpha() for c in line) and line == line.upper()):
        return "h3"
    return "strong" if line.rstrip().endswith(":") else None


def _esc(line: str) -> str:
    return html.escape(line, quote=False)


def html_paragraphs(lines: list[str], title: str = "") -> str:
    """One <p> per line.

    >>> html_paragraphs(["Đổi trả 7 ngày", "Phí ship < 30K & hơn"])
    '<html><body>\\n<p>Đổi trả 7 ngày</p>\\n<p>Phí ship &lt; 30K &amp; hơn</p>\\n</body></html>\\n'
    """
    return "<html><body>\n" + "".join(f"<p>{_esc(t)}</p>\n" for t in lines) + "</body></html>\n"


def html_breaks(lines: list[str], title: str = "") -> str:
    """The lines joined by <br> inside one <div>, no newline in the markup (a scraped description).

    >>> html_breaks(["Bảo hành 12 tháng", "Đổi trả 7 ngày"])
    '<div>Bảo hành 12 tháng<br>Đổi trả 7 ngày</div>'
    """
    return "<div>" + "<br>".join(_esc(t) for t in lines) + "</div>"


def html_list(lines: list[str], title: str = "") -> str:
    """Lines that look like headings (`heading_look`) as <h3> or as a <p><strong>, the others as <li> of a
    <ul> between them.

    >>> html_list(["CHÍNH SÁCH", "Đổi trả 7 ngày", "Lưu ý:", "Giữ hóa đơn"])
    '<h3>CHÍNH SÁCH</h3>\\n<ul>\\n<li>Đổi trả 7 ngày</li>\\n</ul>\\n<p><strong>Lưu ý:</strong></p>\\n<ul>\\n<li>Giữ hóa đơn</li>\\n</ul>\\n'
    """
    out, in_list = [], False
    for t in lines:
        look = heading_look(t)
        if look and in_list:
            out.append("</ul>\n")
        if look == "h3":
            out.append(f"<h3>{_esc(t)}</h3>\n")
        elif look == "strong":
            out.append(f"<p><strong>{_esc(t)}</strong></p>\n")
        else:
            out.append(("" if in_list else "<ul>\n") + f"<li>{_esc(t)}</li>\n")
        in_list = look is None
    return "".join(out) + ("</ul>\n" if in_list else "")


def jsonl_record(lines: list[str], title: str = "") -> str:
    r"""A JSON Lines record, the text in "description" (its newlines escaped, as JSON writes them).

    >>> jsonl_record(["Bảo hành 12 tháng", "Đổi trả 7 ngày"], "Áo")
    '{"id": "doc", "title": "Áo", "description": "Bảo hành 12 tháng\\nĐổi trả 7 ngày"}\n'
    """
    return json.dumps({"id": "doc", "title": title, "description": "\n".join(lines)}, ensure_ascii=False) + "\n"


def jsonl_html_record(lines: list[str], title: str = "") -> str:
    """A JSON Lines record whose "description" is HTML, one <p> per line (as shops' APIs give it)."""
    return jsonl_record(["".join(f"<p>{_esc(t)}</p>" for t in lines)], title)


def jsonl_bold_record(lines: list[str], title: str = "") -> str:
    r"""A JSON Lines record whose "description" is plain lines (joined by newlines) with the lines that look like
    headings (`heading_look`) in <strong>, as a scraper's text field keeps a shop's bold.

    >>> jsonl_bold_record(["BẢO HÀNH", "12 tháng"])
    '{"id": "doc", "title": "", "description": "<strong>BẢO HÀNH</strong>\\n12 tháng"}\n'
    """
    return jsonl_record([f"<strong>{_esc(t)}</strong>" if heading_look(t) else _esc(t) for t in lines], title)


def csv_row(lines: list[str], title: str = "") -> str:
    r"""A CSV file of one row under the header id,title,description (the newlines inside the quoted field).

    >>> csv_row(["Phí ship: 30.000đ, miễn phí từ 500K", "Đổi trả 7 ngày"], "Áo")
    'id,title,description\r\ndoc,Áo,"Phí ship: 30.000đ, miễn phí từ 500K\nĐổi trả 7 ngày"\r\n'
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "description"])
    writer.writerow(["doc", title, "\n".join(lines)])
    return out.getvalue()


# The format perturbations `eval policy --perturb` chooses from beside PERTURBATIONS, declared once.
FORMAT_PERTURBATIONS: dict[str, Rendering] = {
    "txt": Rendering(".txt", lambda lines, title="": "\n".join(lines) + "\n"),
    "html_p": Rendering(".html", html_paragraphs),
    "html_br": Rendering(".html", html_breaks),
    "html_list": Rendering(".html", html_list),
    "jsonl": Rendering(".jsonl", jsonl_record),
    "jsonl_html": Rendering(".jsonl", jsonl_html_record),
    "jsonl_bold": Rendering(".jsonl", jsonl_bold_record),
    "csv": Rendering(".csv", csv_row),
}
FORMAT_HELP = ("; and in another format, the labelled lines written as one file its reader reads: txt one a line "
               "(the control the others compare with); html_p one <p> each; html_br joined by <br> in one <div>; "
               "html_list as <li> items, short numbered or capital lines as <h3>, colon-ended ones as <strong>; "
               "jsonl in a JSON Lines record's description; jsonl_html the same holding html_p's markup; jsonl_bold "
               "the same as plain lines with html_list's headings in <strong>; csv in a CSV row's description")
PERTURB_NAMES = (*PERTURBATIONS, *FORMAT_PERTURBATIONS)   # every --perturb choice
PERTURB_HELP += FORMAT_HELP


def perturbation(name: str) -> Callable[[str], str]:
    """The text perturbation called `name` (identity for a format perturbation, which changes no words; a
    ValueError naming the choices for any other name)."""
    if name in FORMAT_PERTURBATIONS:
        return PERTURBATIONS["none"]
    if name not in PERTURBATIONS:
        raise ValueError(f"perturbation must be one of {', '.join(PERTURB_NAMES)}, not {name!r}")
    return PERTURBATIONS[name]


def remap(text: str, transform: Callable[[str], str], offsets: list[int]) -> list[int]:
    """Offsets into `text` as offsets into `transform(text)`: the length of the transformed prefix (exact at
    line starts and ends, where the hints of a listing's structure sit, since transforms work line by line)."""
    return [len(transform(text[:o])) for o in offsets]
