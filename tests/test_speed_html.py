"""The HTML reader's light tree gives what BeautifulSoup's tree gives (no timings here: `make bench` measures).

`html_to_text` walks a light tree built from the same parser BeautifulSoup drives with html.parser;
`html_to_text_reference` walks BeautifulSoup's own tree. They must give the same text and hints on every
HTML file of the tests (real pages: their sources are named in the READMEs beside them) and on generated
tag soup: unclosed and stray end tags, void tags closed or not, string containers (script, style, rt,
template), comments, CDATA, doctypes, entities and character references, tables nested in cells.
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from pipeline.readers.html import html_to_text, html_to_text_reference
from pipeline.text.normalize import decode

TESTS = Path(__file__).parent
TAGS = ["p", "div", "b", "strong", "i", "span", "h1", "h2", "h3", "h6", "li", "ul", "ol", "table", "tbody", "tr",
        "td", "th", "br", "hr", "img", "pre", "textarea", "script", "style", "rt", "rp", "template", "nav",
        "section", "a", "figure", "figcaption", "blockquote", "em"]
PIECES = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"<{t}/>"),
    st.sampled_from(TAGS).map(lambda t: f'<{t} class="x" id=y>'),
    st.sampled_from(["<!-- c -->", "<![CDATA[cd]]>", "<!DOCTYPE html>", "<?pi x?>", "&amp;", "&nbsp;", "&#150;",
                     "&#x1F600;", "&bogus;", "&lt;b&gt;", "&", "<", ">", "\n", "  ", "\t", "\u00a0", " | ",
                     "Đổi trả 7 ngày", "Giao hàng", "Size M", "A", "</", "<b", "x=1"]),
    st.text(st.sampled_from("ab \n<>&;/"), max_size=5),
)


def same(markup: str) -> None:
    assert html_to_text(markup) == html_to_text_reference(markup), markup


def test_the_light_tree_equals_beautifulsoup_on_every_html_file_of_the_tests():
    files = sorted(p for p in TESTS.rglob("*") if p.suffix.lower() in (".html", ".htm"))
    assert len(files) >= 10
    for path in files:
        same(decode(path.read_bytes())[0])


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_light_tree_equals_beautifulsoup_on_tag_soup(markup):
    same(markup)


def test_cells_read_cdata_and_nested_cells_as_beautifulsoup_does():
    for markup in ("<table><tr><td>a<![CDATA[b]]>c</td><td><table><tr><td>in</td></tr></table></td></tr></table>",
                   "<tr><td>x<!--no-->y</td><th><script>s</script>h</th></tr>",
                   "<h2>Thông số<br>kỹ thuật</h2><p><b>Bảo hành</b></p><p>12 tháng</p>"):
        same(markup)
