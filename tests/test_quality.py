"""Quality flags: genre, keyword stuffing and language mismatch, each with the numbers behind it."""
from __future__ import annotations

import json
import random
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st
from conftest import DATA

from pipeline.readers import FieldMap, listing_from_record, read_file
from pipeline.stages.quality import assess_quality, genre, stuffing
from pipeline.contract.records import Block, Listing
from pipeline.contract.schema import QUALITY
from pipeline.stages import process

EN_PARAGRAPH = ("This insulated bottle keeps drinks cold for a full day and hot for twelve hours. The lid seals "
                "tightly, the powder coating resists scratches, and the wide mouth takes ice cubes easily.")
VI_PARAGRAPH = ("Bình giữ nhiệt giữ lạnh cả ngày và giữ nóng mười hai tiếng. Nắp vặn kín, lớp sơn tĩnh điện "
                "chống trầy xước, miệng bình rộng nên dễ cho đá viên vào.")
VI_POLICY = "Miễn phí vận chuyển cho đơn hàng từ 500K. Đổi trả trong 7 ngày nếu sản phẩm lỗi."


def _records() -> list[Listing]:
    out = []
    for line in (DATA / "corpus_sample.jsonl").read_text(encoding="utf-8").splitlines():
        rec = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in json.loads(line).items()}
        out.append(process(listing_from_record(rec, rec["id"], "jsonl", FieldMap())))
    return out


def _listing(title: str | None, text: str) -> Listing:
    return process(Listing(doc_id="t", source="t", format="txt", title=title, text=text))


def test_quality_has_every_schema_column(seed_listing):
    assert {f.name for f in QUALITY} <= set(seed_listing.quality.as_dict())


def test_sample_is_an_article_with_keyword_stuffing_and_a_language_mismatch(seed_listing):
    q = seed_listing.quality
    assert q.description_genre == "article"
    assert q.genre_attribute_hits == 0 and q.genre_prose_score >= 200
    assert q.genre_reason.startswith("article:") and q.genre_article_probability > 0.9
    assert q.stuffing_phrase == "signs you will get the job after interview"
    assert q.stuffing_count == 10 and q.stuffing_per_1k_words == pytest.approx(3.35, abs=0.05)
    assert q.keyword_stuffing is True
    assert (q.description_lang, q.policy_lang, q.title_lang) == ("en", "vi", None)
    assert q.lang_mismatch is True


def test_real_product_records_are_product_copy_without_stuffing():
    listings = _records()
    assert len(listings) == 5
    for l in listings:
        q = l.quality
        assert q.description_genre == "product_copy", (l.source, q.genre_reason)
        assert q.keyword_stuffing is False and q.stuffing_count < 8
        assert q.lang_mismatch is False and q.title_lang == "vi" and q.policy_lang == "vi"
    specs = next(l for l in listings if l.source == "tiki-217726166")
    assert specs.quality.genre_attribute_hits >= 3


def test_english_description_under_a_vietnamese_title_is_a_mismatch():
    q = _listing("Bình giữ nhiệt inox 500ml", EN_PARAGRAPH).quality
    assert (q.description_lang, q.title_lang, q.lang_mismatch) == ("en", "vi", True)
    q = _listing("Bình giữ nhiệt inox 500ml", VI_PARAGRAPH + "\n" + VI_POLICY).quality
    assert (q.description_lang, q.policy_lang, q.lang_mismatch) == ("vi", "vi", False)
    # A Vietnamese title carrying an English product name still agrees with a Vietnamese description.
    q = _listing("Mô hình lắp ráp ONE PIECE THOUSAND SUNNY Commemorative color Ver FILM RED", VI_PARAGRAPH).quality
    assert q.lang_mismatch is False
    # An English description under a Vietnamese shop policy disagrees with the policy zone.
    q = _listing(None, VI_POLICY + "\n" + EN_PARAGRAPH).quality
    assert (q.description_lang, q.policy_lang, q.lang_mismatch) == ("en", "vi", True)


def test_stuffing_counts_the_grown_phrase_without_overlaps():
    vocab = ["river", "stone", "lamp", "garden", "violin", "copper", "meadow", "pencil", "harbor", "ladder", "orbit", "velvet", "canyon", "marble", "thunder", "pepper", "saddle", "lantern", "cobalt", "walnut"]
    rng = random.Random(0)
    filler = [" ".join(rng.sample(vocab, 9)) + "." for _ in range(40)]
    texts = []
    for i, f in enumerate(filler):
        texts.append(f)
        if i % 4 == 0:
            texts.append("Buy the best waterproof hiking boots for winter today.")
    phrase, count, per_1k, words = stuffing(texts)
    assert phrase == "buy the best waterproof hiking boots for winter today" and count == 10
    assert per_1k == pytest.approx(count * 1000 / words, abs=0.01)
    listing = Listing("s", "s", "txt", None, "\n".join(texts),
                      blocks=[Block(i, "paragraph", t, 0, 0, lang="en", zone="description") for i, t in enumerate(texts)])
    assert assess_quality(listing).quality.keyword_stuffing is True
    # "a b a b a b a b": the 4-token phrase occurs at 0, 2 and 4; without overlaps that is twice.
    assert stuffing(["gấu bông gấu bông gấu bông gấu bông"])[:2] == ("gấu bông gấu bông", 2)
    assert stuffing(["no repeated phrase in this short line at all"]) [:2] == (None, 0)


def test_natural_text_is_not_stuffed():
    listing = process(next(read_file(DATA / "articles" / "en-choosing-a-mattress.md", DATA / "articles")))
    q = listing.quality
    assert q.keyword_stuffing is False and q.stuffing_count < 4


def test_genre_edge_cases():
    assert genre([], has_other_zones=True)[0] == "boilerplate_only"
    assert genre([], has_other_zones=False)[0] == "empty"
    assert genre(["...", "—"], has_other_zones=False)[0] == "empty"
    q = _listing("Khủng long", "Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào "
                 "loại sản phẩm, hình thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác như phí vận "
                 "chuyển, phụ phí hàng cồng kềnh.").quality
    assert q.description_genre == "boilerplate_only" and q.genre_reason.startswith("boilerplate_only")
    # Vietnamese advice words are matched with their diacritics: "bán" (sell) is not "bạn" (you).
    g, _, prose, _, _ = genre(["Shop bán hàng chính hãng, bàn giao tận nơi, bản đẹp " * 5], has_other_zones=False)
    assert prose == 0.0 and g == "product_copy"


def test_advice_prose_is_an_article_and_attribute_heavy_prose_is_not():
    advice = ("If you are nervous before an interview, you should prepare your stories, and you should "
              "practise them aloud until you can tell each one in two minutes without notes. ") * 6
    g, _, prose, p, why = genre([advice] * 6, has_other_zones=False)
    assert g == "article" and prose >= 200 and p >= 0.5 and "P(article)" in why and "advice share" in why
    specs = advice + " Size: 30 cm, weight 2 kg, material cotton, colour black, capacity 500 ml. " * 3
    assert genre([specs] * 6, has_other_zones=False)[0] == "product_copy"


def _top_gram_by_tuples(words, n, min_content):
    """The obvious reference: a Counter over word tuples, most frequent first, ties in reading order."""
    from collections import Counter
    from pipeline.text.words import stopwords as _stopwords
    grams = Counter(zip(*(words[i:] for i in range(n))))
    for gram in sorted((g for g, c in grams.items() if c >= 2), key=grams.__getitem__, reverse=True):
        if None not in gram and sum(w not in _stopwords() for w in gram) >= min_content:
            return [i for i, w in enumerate(words) if w == gram[0] and tuple(words[i:i + n]) == gram]
    return []


def test_gram_counting_with_int_keys_matches_counting_word_tuples():
    from pipeline.stages.quality import _top_gram
    rng = random.Random(3)
    vocab = ["the", "of", "and", "river", "stone", "lamp", "gấu", "bông", "là", "và", None]   # None: block end
    for _ in range(2000):
        pool = vocab[:rng.randint(2, len(vocab))]
        words = [rng.choice(pool) for _ in range(rng.randint(4, 60))] + [None]
        n, min_content = rng.choice([2, 3, 4, 5]), rng.choice([0, 1, 2, 3])
        assert _top_gram(words, n, min_content) == _top_gram_by_tuples(words, n, min_content), (words, n)
    # 60,000 tokens: base-60,001 keys for 4-grams would overflow int64, so the keys are renumbered first.
    words = [f"w{rng.randrange(3000)}" for _ in range(60000)] + [None]
    for at in range(0, 60000, 5000):
        words[at:at + 6] = ["buy", "cheap", "red", "shoes", "now", "today"]
    assert _top_gram(words, 4, 2) == _top_gram_by_tuples(words, 4, 2) == list(range(0, 60000, 5000))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["áo", "đẹp", "giá", "rẻ", "và", "của", "the", "cotton", "size", "xl"]),
                         max_size=30), min_size=1, max_size=5),
       st.integers(3, 5))
def test_top_gram_equals_counting_every_gram_in_reading_order(blocks, n):
    # Reference: every n-gram inside one block with >= 2 content words, counted in a Counter (insertion order
    # breaks ties: the gram read first); its positions when it repeats.
    from collections import Counter
    from pipeline.stages.quality import _top_gram
    from pipeline.text.words import stopwords
    words = [w for b in blocks for w in (*b, None)]
    if len(words) - len(blocks) < n:
        return
    stop = stopwords()
    counts: Counter = Counter()
    for i in range(len(words) - n + 1):
        gram = tuple(words[i:i + n])
        if None not in gram and sum(w not in stop for w in gram) >= 2:
            counts[gram] += 1
    best, top = counts.most_common(1)[0] if counts else (None, 0)
    want = [i for i in range(len(words) - n + 1) if tuple(words[i:i + n]) == best] if top >= 2 else []
    assert _top_gram(words, n, 2) == want
