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

import re
import unicodedata
from collections.abc import Callable


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


def perturbation(name: str) -> Callable[[str], str]:
    """The perturbation called `name` (a ValueError naming the choices for any other)."""
    if name not in PERTURBATIONS:
        raise ValueError(f"perturbation must be one of {', '.join(PERTURBATIONS)}, not {name!r}")
    return PERTURBATIONS[name]


def remap(text: str, transform: Callable[[str], str], offsets: list[int]) -> list[int]:
    """Offsets into `text` as offsets into `transform(text)`: the length of the transformed prefix (exact at
    line starts and ends, where the hints of a listing's structure sit, since transforms work line by line)."""
    return [len(transform(text[:o])) for o in offsets]
