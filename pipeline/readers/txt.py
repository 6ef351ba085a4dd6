"""Plain text (.txt, .text, .md): one listing per file; segmentation reads Markdown headings and bullets."""
from __future__ import annotations

from typing import Iterator

from pipeline.contract.records import Listing, Reject

from .records import make_listing


def read(text: str, rel: str, size: int, fields) -> Iterator[Listing | Reject]:
    yield make_listing(rel, "txt", None, None, text, size, is_html=False)
