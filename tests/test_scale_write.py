"""The write path's fast paths equal their reference: `clean_text`'s prefilters (bidi regex instead of
str.translate, the colon check before the script-URL pattern) and the part files' encoding options."""
from __future__ import annotations

import html
import re

import pyarrow.parquet as pq
from hypothesis import given, settings, strategies as st

from pipeline.contract import catalog
from pipeline.runner.write import FREE_TEXT_COLUMNS, to_table, write_part

_BIDI_TABLE = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def reference_clean_text(text: str) -> str:
    """clean_text as it was written before the prefilters (every pattern on every text)."""
    cleaned = catalog._SCRIPT_URL.sub("", catalog._MARKUP.sub("", html.unescape(text) if "&" in text else text))
    cleaned = cleaned.translate(_BIDI_TABLE)
    if cleaned == text:
        return text
    lines = (re.sub(r"[ \t]{2,}", " ", line).strip() for line in cleaned.split("\n"))
    return "\n".join(line for line in lines if line)


PIECES = ["javascript:alert(1)", "JavaScript:x", "VBSCRIPT:y", "javaſcript:z", "jav\u0131script:q", "data:text/html;base64,AA",
          "DATA:image/png,xx", "data: không", "script:", ":", "a:b", "\u202e", "\u2066x\u2069", "<b>", "</p>",
          "<script>x</script>", "&lt;i&gt;", "&amp;", "Đổi trả 7 ngày", "  ", "\n", "\t", "ſ", "K"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=12))
def test_clean_text_equals_the_reference(parts):
    text = "".join(parts)
    assert catalog.clean_text(text) == reference_clean_text(text)


def test_clean_text_on_real_descriptions(seed_listing):
    raw = "\n".join(b.text for b in seed_listing.blocks if b.zone == "description")
    assert len(raw) > 1000 and catalog.clean_text(raw) == reference_clean_text(raw)
    for attack in ("Xem javascript:alert(1) ngay", "Ảnh data:text/html;base64,PHNjcmlwdD4= đây", "a\u202eb"):
        assert catalog.clean_text(raw + attack) == reference_clean_text(raw + attack)


def test_free_text_columns_have_no_dictionary_nor_statistics(tmp_path, seed_listing):
    from pipeline.runner.write import rows_for
    rows = rows_for([seed_listing], [])
    table = to_table("blocks", rows["blocks"])
    write_part(table, tmp_path / "blocks.parquet")
    pf = pq.ParquetFile(tmp_path / "blocks.parquet")
    assert pf.read().equals(table)   # the same rows
    rg = pf.metadata.row_group(0)
    cols = {rg.column(i).path_in_schema: rg.column(i) for i in range(rg.num_columns)}
    assert "text" in FREE_TEXT_COLUMNS
    assert cols["text"].statistics is None and not cols["text"].has_dictionary_page
    assert cols["doc_id"].statistics is not None and cols["doc_id"].statistics.has_min_max
    assert cols["zone"].has_dictionary_page
