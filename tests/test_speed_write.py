"""The write path's prefilters (issue 16, speed25): `clean_text` looks for each bidi control by `in` before
the class runs; every one of them, anywhere in a real description, is still removed as the class removes it."""
from __future__ import annotations

from pipeline.contract import catalog


def test_every_bidi_control_is_still_removed(seed_listing):
    raw = "\n".join(b.text for b in seed_listing.blocks if b.zone == "description")
    assert not raw.isascii() and len(catalog._BIDI_CHARS) == 9
    for c in catalog._BIDI_CHARS:
        assert catalog._BIDI.fullmatch(c)
        for text in (c + raw, raw[:500] + c + raw[500:], raw + c, f"Free ship{c} 7 days"):
            assert catalog.clean_text(text) == catalog.clean_text(text.replace(c, "")) != text
    assert catalog.clean_text(raw) is raw   # nothing to remove: the text itself
