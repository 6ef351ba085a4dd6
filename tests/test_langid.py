"""Tests for pipeline.langid: rules, und for codes, determinism, accuracy on the labelled lines, robustness."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lexicon import load
from pipeline.stages import langid
from pipeline.stages.langid import CANDIDATE_LANGS, LangResult, detect, detect_plain

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "tests" / "data" / "langid_lines.jsonl"

# From the seed listing (shared/seed/000_80d7723cb6c526a9.txt): its Vietnamese shipping/returns policy
# lines and one of its English paragraphs.
SEED_VI = [
    "Chính Sách Vận Chuyển Và Đổi Trả Hàng",
    "Miễn phí vận chuyển mọi đơn hàng từ 500K",
    "- Phí ship mặc trong nước 50K",
    "- Thời gian nhận hàng 2-3 ngày trong tuần",
    "- Giao hàng hỏa tốc trong 24h",
    "- Hoàn trả hàng trong 30 ngày nếu không hài lòng",
    "Mô tả sản phẩm",
]
SEED_EN = (
    "The moments during and immediately following your interview are often rich with telling signals. "
    "These initial interactions can provide the first strong hints about your standing as a candidate."
)
SEED_EN_LONG = (
    "The job interview process is a crucible of anticipation, a nerve-wracking gauntlet that culminates in "
    "the agonizing wait for a decision. While no crystal ball can definitively predict the outcome, there "
    "are indeed palpable signs you will get the job after interview. Recognizing these indicators can "
    "transform the anxious post-interview period into one of hopeful expectation. From the interviewer's "
    "body language to the specific questions asked and the nature of the follow-up, understanding these "
    "subtle and not-so-subtle cues can provide valuable insight into whether you’ve successfully navigated "
    "the hiring process and are poised to receive that coveted job offer."
)

CAPS = [
    ("SHIPPING AND RETURNS", "en"),
    ("PRODUCT DESCRIPTION", "en"),
    ("WHAT'S IN THE BOX", "en"),
    ("CARE INSTRUCTIONS", "en"),
    ("THÔNG TIN SẢN PHẨM", "vi"),
    ("CHÍNH SÁCH ĐỔI TRẢ", "vi"),
    ("HƯỚNG DẪN SỬ DỤNG", "vi"),
    ("QUY CÁCH ĐÓNG GÓI", "vi"),
    ("GIAO HANG TOAN QUOC", "vi"),
]

NO_DIACRITICS = [
    "mien phi van chuyen toan quoc",
    "doi tra trong 7 ngay neu san pham loi",
    "san pham chinh hang, bao hanh 12 thang",
    "Thoi gian giao hang tu 2 den 5 ngay lam viec",
    "chat lieu cotton thoang mat, tham hut mo hoi",
    "Cam on quy khach da ung ho shop",
    "size tu 40-60kg",
    "#gaubong #quatang #dochoithongminh",
]

CODES = [
    "SKU: 123456",
    "Model: C51071",
    "Hotline: 0358331086",
    "TOY-HCM2108-LEGO91998-06",
    "31 x 16 x 48 cm",
    "199.000đ",
    "1.250.000 VND",
    "$19.99",
    "(+84) 28 3822 1234",
    "EN 61000-3-2:2014",
    "12V 7A * 1PCS",
    "2024",
    "-50%",
    "★★★★☆ 4.5",
    "🔥🔥🔥",
    "----------------",
    "",
]

# Decided by the word rules alone: these must never need langdetect.
COMMON = SEED_VI + [SEED_EN, SEED_EN_LONG] + [t for t, _ in CAPS] + NO_DIACRITICS + CODES + [
    "Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành.",
    "Chất liệu: Cotton",
    "Xuất xứ: Việt Nam",
    "Material: 100% cotton",
    "Warranty: 12 months",
    "Free shipping",
    "Add to cart",
    "Size: M, L, XL",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    langid.cache_clear()
    yield
    langid.cache_clear()


def test_seed_vietnamese_policy_lines_are_vi():
    for line in SEED_VI:
        result = detect(line)
        assert result.lang == "vi", (line, result)
        assert result.reason.startswith("vi-")


def test_seed_english_paragraphs_are_en():
    for text in (SEED_EN, SEED_EN_LONG):
        result = detect(text)
        assert result.lang == "en", result
        assert result.reason == "en-words"
        assert result.prob > 0.8


@pytest.mark.parametrize("text,lang", CAPS)
def test_all_caps_headings(text, lang):
    assert detect(text).lang == lang


@pytest.mark.parametrize("text", NO_DIACRITICS)
def test_vietnamese_without_diacritics(text):
    result = detect(text)
    assert result.lang == "vi", result
    assert result.reason in {"vi-syllables", "vi-letters"}


@pytest.mark.parametrize("text", CODES)
def test_numbers_and_codes_are_und_with_a_reason(text):
    result = detect(text)
    assert result.lang == "und", result
    assert result.reason in {"codes", "no-letters", "too-short"}


# Real Tiki url_key slugs and product codes (corpus products.jsonl; the records are named in
# tests/data/langid_lines.jsonl): a hyphenated slug with an id at its end is Vietnamese, a code stays und.
SLUGS = ["tranh-xep-hinh-tia-sang-guong-thu-tia-sang-2035-manh-ghep-p1391347",
         "do-choi-lego-technic-xe-tai-cong-trinh-42147-p214009046", "goi-bong-hinh-bo-vang-p83193652",
         "ao-thun-nam-co-tron-size-l"]
HYPHENATED_CODES = ["SKU-12345-XL", "AB12-CD", "RX-78-2", "WT-213ORG-M-M", "DL70-6898-1", "BMW-Z4", "12v-7ah",
                    "TOY-HCM2108-LEGO91998-06"]


@pytest.mark.parametrize("text", SLUGS)
def test_a_vietnamese_slug_is_vi(text):
    assert detect(text).lang == "vi"
    assert detect(text) == detect(text.replace("-", " "))  # read like its words


@pytest.mark.parametrize("text", HYPHENATED_CODES)
def test_a_hyphenated_product_code_stays_und(text):
    assert (detect(text).lang, detect(text).reason) == ("und", "codes")


def test_short_english_labels_with_values_are_en():
    for text in ("Age: 3+", "Weight: 250 g", "Capacity: 1.8 liters", "Dimensions: 20 x 30 x 15 cm", "Red"):
        assert detect(text).lang == "en", text


def test_vietnamese_fields_with_values_are_vi():
    for text in ("Tuổi: 3+", "Tải trọng:70kg", "Khối lượng: 200g", "+4 tuổi", "Freeship đơn từ 99K"):
        assert detect(text).lang == "vi", text


def test_mixed_vietnamese_frame_with_english_names_is_vi():
    assert detect("Flame Red + Gói quà").lang == "vi"
    assert detect("Shop sẵn size 80/1m/1m2").lang == "vi"


def test_decomposed_and_tone_placement_variants():
    for text in ("Hoà bình, giao hàng toàn quốc", "Hòa bình, giao hàng toàn quốc"):
        assert detect(unicodedata.normalize("NFD", text)).lang == "vi"
        assert detect(text).lang == "vi"


def test_other_scripts_and_languages():
    assert detect("아주 좋은 제품입니다").lang == "ko"
    assert detect("これはとても良い製品です").lang == "ja"
    assert detect("สินค้าคุณภาพดีมาก").lang == "th"
    assert detect("Le produit est livré dans une boîte en carton avec une notice.").lang == "fr"
    assert detect("El producto es muy bueno y llegó rápido a mi casa.").lang == "es"


def test_common_cases_never_call_langdetect(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("langdetect called")

    monkeypatch.setattr(langid.rules, "_fallback", boom)
    monkeypatch.setattr(langid.rules, "run_langdetect", boom)
    for text in COMMON:
        result = detect(text)
        assert result.reason != "error", text


def test_long_blocks_are_sampled():
    long_vi = " ".join(SEED_VI) * 40
    assert len(long_vi) > 3000
    assert detect(long_vi).lang == "vi"
    assert detect(SEED_EN_LONG * 5).lang == "en"


def test_interface():
    result = detect("Miễn phí vận chuyển")
    assert isinstance(result, LangResult)
    with pytest.raises(AttributeError):
        result.lang = "en"  # frozen
    assert "vi" in CANDIDATE_LANGS and "en" in CANDIDATE_LANGS
    assert tuple(load("langid")["langdetect"]["candidate_langs"]) == CANDIDATE_LANGS
    plain = detect_plain("The quick brown fox jumps over the lazy dog")
    assert plain.lang == "en" and plain.reason == "langdetect"
    assert detect_plain("12345").lang == "und"


def test_never_raises_on_odd_input():
    for text in (None, 123, b"bytes", "\x00\x01\x02", "\ud800", "a" * 10000, " " * 5000):
        result = detect(text)  # type: ignore[arg-type]
        assert isinstance(result, LangResult)
        assert 0.0 <= result.prob <= 1.0


# ------------------------------------------------------------------------------------------ determinism
FALLBACK_TEXTS = [
    "Le produit est livré dans une boîte en carton avec une notice.",
    "Pink Cupcake",
    "SIZE TRUNG",
    "LINK N LEARN – WONDERFUL PLANET GIÚP TRẺ:",
    "Очень хороший продукт",
    "这是一个非常好的产品",
]


def test_same_result_twice_and_with_cache():
    for text in COMMON + FALLBACK_TEXTS:
        first = detect(text)
        assert detect(text) == first
        langid.cache_clear()
        assert detect(text) == first


def test_same_result_with_fresh_factories(monkeypatch):
    before = [detect(t) for t in FALLBACK_TEXTS]
    langid.cache_clear()
    monkeypatch.setattr(langid.detector, "_factories", {})
    after = [detect(t) for t in FALLBACK_TEXTS]
    assert before == after
    assert any(r.reason.startswith("langdetect") for r in after)


def test_same_result_in_a_fresh_process():
    code = (
        "import json, sys; from pipeline.stages.langid import detect\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([[r.lang, r.prob, r.reason] for r in map(detect, texts)]))\n"
    )
    texts = COMMON + FALLBACK_TEXTS
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(REPO))
        proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True,
                              text=True, cwd=REPO, env=env, timeout=120, check=True)
        outputs.append(json.loads(proc.stdout))
    here = [[r.lang, r.prob, r.reason] for r in map(detect, texts)]
    assert outputs[0] == outputs[1] == here


def test_fast_detector_matches_langdetect():
    """_FastDetector gives exactly the probabilities of langdetect's own Detector on the same profiles."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = langid.detector.factory_for("candidates")
    langid.rules._fallback("warm up")  # builds the fast detector class
    texts = FALLBACK_TEXTS + SEED_VI + [SEED_EN.lower(), "size trung", "miniature dollhouse.", "x"]

    def run(detector, text, prior):
        if prior:
            detector.set_prior_map(prior)
        detector.append(text)
        try:
            return [(lang.lang, lang.prob) for lang in detector.get_probabilities()]
        except LangDetectException:
            return "no features"

    for text in texts:
        for prior in (None, langid.detector.PRIOR):
            assert run(langid.detector._DetectorClass(factory), text, prior) == run(factory.create(), text, prior)


# ------------------------------------------------------------------------------------------ accuracy
def _labelled():
    if not LABELLED.exists():
        pytest.skip("tests/data/langid_lines.jsonl is missing")
    with open(LABELLED, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_accuracy_on_labelled_lines():
    rows = _labelled()
    assert len(rows) >= 100
    ours = sum(detect(r["text"]).lang == r["lang"] for r in rows) / len(rows)
    plain = sum(detect_plain(r["text"]).lang == r["lang"] for r in rows) / len(rows)
    assert ours >= 0.99, ours
    assert ours >= plain, (ours, plain)


def test_accuracy_per_kind_not_below_plain():
    rows = _labelled()
    kinds: dict[str, list[int]] = {}
    for r in rows:
        tally = kinds.setdefault(r["kind"], [0, 0, 0])
        tally[0] += detect(r["text"]).lang == r["lang"]
        tally[1] += detect_plain(r["text"]).lang == r["lang"]
        tally[2] += 1
    for kind, (ours, plain, total) in kinds.items():
        assert ours >= plain, (kind, ours, plain, total)


# ------------------------------------------------------------------------------------------ properties
VI_ALPHABET = list(
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "AĂÂĐÊÔƠƯ0123456789 ,.:;-/#%+()'’\n"
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gives_a_result(text):
    result = detect(text)
    assert isinstance(result, LangResult)
    assert 0.0 <= result.prob <= 1.0
    assert result.lang in CANDIDATE_LANGS or result.lang in {"und", "en", "vi"}
    assert result.reason and result.reason != "error"
    assert detect(text) == result


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VI_ALPHABET, max_size=300))
def test_vietnamese_alphabet_text_gives_a_result(text):
    result = detect(text)
    assert 0.0 <= result.prob <= 1.0
    assert result.reason != "error"
    langid.cache_clear()
    assert detect(text) == result


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_plain_never_raises(text):
    result = detect_plain(text)
    assert 0.0 <= result.prob <= 1.0
