"""Zones of real lines copied from DEV documents of tests/data/policy_labels (sources named per case:
the repository owner/name, the corpus file under corpus/policies/). Labels follow RULES.md."""
from __future__ import annotations

import pytest

from pipeline.readers import FieldMap, listing_from_record
from pipeline.stages import process
from pipeline.stages.zones import states_window

# (source, text): contact lines that also state a policy window are policy (RULES.md, Zones).
CONTACT_WITH_WINDOW = [
    pytest.param("AmaldevCB/sogno, policies/pol-amaldevcb-sogno-2.txt",
     "If your order arrives damaged, please contact us within 48 hours of receiving your package. Provide "
     "photos of the damaged items and packaging, and we will arrange for a replacement or refund based on our "
     "Return and Refund Policy.",
     # Still open (issue 13, zones): on its own, segment cuts this paragraph after its first sentence, which
     # has only weak cues ("order") and no policy heading above it, so it stays a default description block.
     marks=pytest.mark.xfail(strict=True, reason="a lone English policy sentence with weak cues")),
    ("acetdcons-dev/mocsa, policies/pol-acetdcons-dev-mocsa-2.txt",
     "Nếu quá 5 ngày làm việc (nội thành) hoặc 7 ngày (tỉnh/thành khác) mà chưa nhận được hàng, vui lòng liên "
     "hệ hotline 0325.343.663 để được tra soát đơn hàng."),
]


def zoned(description: str):
    return process(listing_from_record({"title": "Sản phẩm", "description": description}, "t", "json",
                                       FieldMap()), until="zones")


@pytest.mark.parametrize("source,text", CONTACT_WITH_WINDOW)
def test_a_contact_line_that_states_a_window_is_policy(source, text):
    assert states_window(text), source
    blocks = zoned(text).blocks
    assert blocks and all(b.zone == "policy" for b in blocks), (source, [(b.zone, b.zone_reason) for b in blocks])
    for b in blocks:
        assert text[b.char_start:b.char_end] == b.text


@pytest.mark.parametrize("text", ["Hotline: 0901 234 567", "Zalo 0325.343.663", "Mở cửa 8h-22h mỗi ngày"])
def test_a_contact_line_without_a_policy_window_is_not_policy(text):
    assert not states_window(text)
    assert all(b.zone != "policy" for b in zoned(text).blocks)


def test_the_line_model_keeps_cue_heading_and_spec_decisions():
    text = "CHÍNH SÁCH ĐỔI TRẢ\nĐổi trả trong 7 ngày nếu sản phẩm lỗi.\nKích thước: 30 x 20 cm"
    assert [(b.zone, b.zone_reason) for b in zoned(text).blocks] == [
        ("policy", "heading"), ("policy", "cue"), ("description", "attribute")]
