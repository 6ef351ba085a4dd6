"""Blocks → zones: policy (shop terms and marketplace boilerplate), description (the product's own copy),
other (contact lines, promotions, navigation).

Scores are kept apart from the decision: `policy_score` is the weighted count of policy cue phrases in
the block's own words (lexicon/zones.toml). The decision then reads, in order:
0. a breadcrumb ("Trang chủ ✦ Chính sách giao hàng") and a separator line ("-----", "✪") are other and open
   no zone, except an icon line ("📞") over a step line ("B2: Liên hệ"), which takes the step's zone; so are
   (zones8) a page's table of contents (a run of short lines each of which starts a later block, in order),
   a form's field labels (a run of short lines, two or more of them field names: "Họ và tên", "Mã đơn
   hàng") and an enquiry line (a contact and a question, no window, no step: "Mọi thắc mắc về đổi trả, vui
   lòng liên hệ …"; zones33: or a support question, or a contact only for support), and (zones28) a contact label
   (a channel, maybe named for a service, then a colon: "Hotline Bảo Hành: 0337…", "📍 Địa chỉ bảo hành:"; zones33:
   or a bare address), which the line model does not revisit;
1. a heading that names a zone ("Chính sách đổi trả", "Mô tả sản phẩm", "Shipping & Returns") opens it
   for the blocks that follow; a heading that scores as policy opens a policy section too, and so does a
   short policy title of any segment kind ("Chính sách giao nhận", "Breakages Policy"), while a privacy title
   with no cue opens an other section (zones31);
2. (zones30) a same-as-the-picture claim with no policy cue ("Sản phẩm 100% giống mô tả"), (zones31) the
   shop's own check or packing before sending, (zones36) a claim that the goods are genuine ("… là hàng chính hãng
   100%") and a random variant sent ("Giao hàng ngẫu nhiên"), and (zones36) a "name: value" spec line in any
   section, with a bare label's value on the next line, are description (reason "attribute", kept by the model);
   (zones36) the shop telling about itself ("Shop còn có nhiều loại …") is other and support at all hours ("Hỗ
   trợ 24/7") an enquiry line, both kept; a
   numbered step of a policy section that names the contact stays in it; a shop's commitment heading outside a policy section ("SHOP CAM
   KẾT:") opens no zone and is policy when an item of its list is, else other (reason "heading", kept; read
   again after the line model); then a block whose own score reaches the threshold is policy wherever it stands
   (sellers' return lines inside a description, Tiki's closing boilerplate);
3. contact and promotion lines are other;
4. otherwise the block belongs to the section its last zone heading opened, except that a long block in a
   policy section written in another language than that section is description (policy and description
   are often in different languages); with no heading yet it is description;
5. weak-cue blocks between policy blocks (not questions: zones11), and headings whose whole section is
   policy, are policy.
The line model may not make policy of the product's long copy with no cue (model_may_make_policy, zones36).
Last, after the line model (artzones), a policy block of an article or of advice to sellers pasted as the
description (a buying guide, a review, an e-commerce guide: `text.articles.own_blocks`) that does not speak
as the shop is description (reason "article"): an article states no shop's terms (RULES.md, "Articles").
Throughout (zones37), the items of a document that is all list items are read as its lines would be in plain
text (`_read_kinds`), so a lead-in item heads its list as a lead-in line does.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import replace
from types import SimpleNamespace

from pipeline.contract.kinds import ZONE_REASONS
from pipeline.contract.records import Listing
from pipeline.lexicon import LEXICON_DIR, load
from pipeline.text.articles import own_blocks
from pipeline.text.cues import cue_counts, policy_score, policy_threshold
from pipeline.text.fold import fold, match_form
from pipeline.text.line_kinds import line_kind
from pipeline.text.phrases import PhraseSet, alternation, as_written_spans, scan_ids, scan_spans, union, written_by_fold
from pipeline.text.phrases import forms as phrase_forms
from pipeline.text.styles import CAPS_STYLE_SHARE, capitals_share_reached, is_caps, written_in_capitals
from pipeline.text.words import word_tokens


# The zone reasons the stage gives (blocks.zone_reason), as declared in contract.kinds.ZONE_REASONS: WHY.cue,
# WHY.contact_or_promo ("contact-or-promo"), ...; the stage gives no other (tests/test_zones.py).
WHY = SimpleNamespace(**{name.replace("-", "_"): name for name in ZONE_REASONS})
HEADING_LIKE_CHARS = 90      # a short line that is ALL-CAPS or ends with ':' reads like a heading
NAMED_EXACTLY_CHARS = 40     # a non-heading block this short may still be a zone name on its own
HEADING_SEARCH_WORDS = 10    # a heading this short names the zone of any zone name inside it
OTHER_LANGUAGE_CHARS = 200   # a block this long in another language than its policy section is description
MODEL_FILE = "zones_model.json"  # the line model's weights (scripts/fit_zone_model.py); rules only without it
# Rule decisions the line model does not revisit: specs, zone headings, breadcrumbs, separator lines, and
# (zones8) tables of contents, form field labels, enquiry lines and icon lines over a step.
RULES_KEPT = (WHY.attribute, WHY.heading, WHY.navigation, WHY.separator, WHY.contents, WHY.form, WHY.enquiry, WHY.icon)
ARTICLE_REASON = WHY.article   # the reason of an article's block moved out of policy, after the model (_articles)
WORDS_PREFIX_CHARS = 400     # the model's words of a longer block are read from its first ~400 characters if enough
STEP_BODY_BLOCKS = 2         # zones39: a contact step's body this short is the step's own line(s)
LINE_CACHE = 16384           # per-text results kept (rules' helpers, the model's text features); bounded memory
KEYWORD_LINE_MIN = 3         # a line of at least this many keyword tokens (half its tokens or more) is other
CUE_REVISIT_CHARS = 300      # a cue-decided block up to this long is revisited by the model (contact/question lines); longer ones keep "cue"
SHAPE_PREFIX_CHARS = 400     # shapes are read from a block's first 400 characters (families from all of it)
NEIGHBOUR_SCORE_MAX = 3      # the model sees a neighbour's cue score as 0, 1, 2 or 3+
CONTENTS_LINE_CHARS = 80     # a table of contents' entry is at most this long ...
CONTENTS_MIN_RUN = 3         # ... in a run of at least this many entries ...
CONTENTS_MIN_GAP = 3         # ... each starting a block at least this many blocks further on, those in order, apart
FORM_LINE_CHARS = 40         # a form's field label is at most this long, with no sentence end and no ": value" ...
FORM_MIN_RUN = 3             # ... in a run of at least this many such short lines ...
FORM_MIN_FIELDS = 2          # ... of which at least this many have the form shape ([model.shapes] form)
ENQUIRY_MAX_CHARS = 200      # an enquiry line (contact and question families, no duration, no list) is at most this long
CAPS_PREFIX_CHARS = 120      # ... a block read for its capitals from this many first characters
COMMITMENT_LIST_BLOCKS = 8   # zones30: a commitment heading's list is read over at most this many blocks below it ...
COMMITMENT_ITEM_CHARS = 250  # ... up to the first longer block (a paragraph; Tiki's closing one is 280-300: not an item)
COMMITMENT_BARE_WORDS = 5    # a commitment heading with no colon and not in capitals is at most this many words
NOTE_POLICY_ITEMS = 3        # zones35: a note heading is policy when one of its first items is (a later one is the shop's aside)
LONG_COPY_CHARS = 150        # zones36: the line model makes no block this long with no cue policy from description
ATTRIBUTE_VALUE_CHARS = 40    # zones36: a bare attribute label's value on the next line is at most this long
CLOSING_PREFIX_CHARS = 60    # zones34: the marketplace's closing paragraph is known by its first words


@functools.cache
def _lexicon():
    lex = load("zones")
    other_source = union(lex["other"]["patterns"])
    attrs = alternation(lex["description"]["attribute_names"])
    return {
        "headings": {zone: PhraseSet(items) for zone, items in lex["headings"].items()},
        "commitment": PhraseSet(lex["commitment"]["headings"]),
        "note": frozenset(fold(h) for h in lex["note"]["headings"]),
        "attribute": re.compile(rf"^\W*(?:{attrs})\s*[:：]", re.I),
        "threshold": policy_threshold(),
        "marketplace_closing": tuple(lex["policy"]["marketplace_closing"]),
        # Each pattern in both match forms (see text.fold.match_form): as written, and folded. The forms are
        # lower case, so no re.I (which makes these alternations twice as slow).
        "other": (re.compile(other_source), re.compile(_fold_pattern(other_source))),
        "other_phrases": PhraseSet(lex["other"]["phrases"]),
        "other_weak": PhraseSet(lex["other"]["weak_phrases"]),
        "other_max_chars": int(lex["other"]["max_chars"]),
        "window": re.compile(lex["other"]["window"], re.X),
        "breadcrumb": re.compile(lex["other"]["breadcrumb"], re.X),
        # both match forms, as "other" (the folded one for text written without diacritics)
        "contact_label": _both_forms(lex["other"]["contact_label"], re.X),
        "breadcrumb_chars": int(lex["other"]["breadcrumb_chars"]),
        # Product claims (`_product_claim`), each with the negation or condition that makes it a term: (zones30) a
        # same-as-the-picture claim, (zones31) the shop's own check or packing before sending, (zones36) a claim
        # that the goods are genuine, a random variant sent; both match forms.
        **{claim: (_both_forms(lex["description"][claim], re.X), _both_forms(lex["description"][f"{claim}_not"]))
           for claim in ("likeness", "packing", "authenticity", "random_variant")},
        # ... and the words the genuine-goods and random-variant claims need before their regexes are tried (zones36)
        **{f"{claim}_words": tuple(lex["description"][f"{claim}_words"]) for claim in ("authenticity", "random_variant")},
        # (zones31) a policy title outside the heading list, the privacy words that make it none, a privacy title
        "title": re.compile(lex["title"]["policy"], re.X),
        "title_not": re.compile(lex["title"]["policy_not"]),
        "title_chars": int(lex["title"]["max_chars"]),
        "privacy_title": re.compile(lex["title"]["other"]),
        "separator": re.compile(lex["other"]["separator"]),
        "step_line": re.compile(lex["other"]["step_line"], re.X),
        "emoji": re.compile(lex["other"]["emoji"]),
        "discounted_items": _both_forms(lex["other"]["discounted_items"], re.X),
        # (zones36) support at all hours, the shop telling about itself: other lines, kept by the model
        "support_hours": _both_forms(lex["other"]["support_hours"], re.X),
        "shop_promotion": _both_forms(lex["other"]["shop_promotion"], re.X),
        # A whole-token pattern, run once over the block's tokens one per line.
        "keyword_token": re.compile(lex["other"]["keyword_token"], re.M),
        # The line model's cue families and text shapes ([model.families], [model.shapes]): the family of
        # each phrase by its folded form (the reference's PhraseSet of them is _family_phrase_set).
        "family_of": {fold(p): f"fam={name}" for name, items in lex["model"]["families"].items() for p in items},
        # The same phrases per match form (as PhraseSet builds them), for _families' scan at candidate starts.
        "family_forms": _family_forms([p for items in lex["model"]["families"].values() for p in items]),
        # (feature, {folded?: pattern}, needs a digit, a string it needs or ""): lower-case patterns, no re.I
        # (much slower on Vietnamese text), in both match forms (zones10: "7 ngay" of an unaccented seller is a
        # duration as "7 ngày" is).
        "shapes": [(f"shape={name}", {False: re.compile(source, re.X), True: re.compile(_fold_letters(source), re.X)},
                    name in lex["model"]["digit_shapes"], lex["model"].get("shape_literals", {}).get(name, ""))
                   for name, source in lex["model"]["shapes"].items()],
    }


def _family_forms(phrases: list[str]) -> dict:
    """The family phrases for _families' scan, as PhraseSet matches them (text.phrases.as_written_spans):
    {"written": folded phrase -> its forms as written, True/False (the text writes no mark?): the ids of the
    folded phrases in the shared phrase scan (text.phrases.scan_ids), which finds them in the pass that looks
    for every other phrase of the block (speed32: no scan of their own)}. A text with no mark leaves out the
    phrases that are one marked word (zones10: _folded_family_phrases)."""
    out: dict = {"written": written_by_fold(phrases)}
    for unmarked, items in ((False, phrases), (True, _folded_family_phrases(phrases))):
        out[unmarked] = scan_ids({fold(p) for p in items})
    return out


def _fold_pattern(source: str) -> str:
    """Fold the letters of a regular expression, leaving its ASCII (escapes such as \\S) alone."""
    return "".join(fold(c) if ord(c) > 127 else c for c in source)


def _both_forms(source: str, flags: int = 0) -> dict[bool, re.Pattern]:
    """A pattern in both match forms (text.fold.match_form), by whether the form is folded."""
    return {False: re.compile(source, flags), True: re.compile(_fold_pattern(source), flags)}


def _fold_letters(source: str) -> str:
    """Fold the non-ASCII letters of a regular expression only: its signs stay ("–" in a character class would
    fold to "-" and make a range; the folded text's "–" is "-", which the shapes' classes hold beside it).

    >>> _fold_letters("[-–•]|(?:giờ|ngày|đ)")
    '[-–•]|(?:gio|ngay|d)'
    """
    return "".join(fold(c) if ord(c) > 127 and c.isalpha() else c for c in source)


@functools.lru_cache(maxsize=LINE_CACHE)
def other_hits(text: str) -> int:
    """Contact, promotion and greeting patterns in a block short enough to be such a line."""
    lex = _lexicon()
    if "#" in text or "_" in text:  # keyword_token needs one of them (lexicon: '^#\S+$|^\S+_\S+$')
        tokens = text.split()
        keywords = len(lex["keyword_token"].findall("\n".join(tokens)))
        if keywords >= KEYWORD_LINE_MIN and keywords >= len(tokens) / 2:
            return keywords
    if len(text) > lex["other_max_chars"]:
        return 0
    form, folded = match_form(text)
    return len(lex["other"][folded].findall(form)) + lex["other_phrases"].count(text)


@functools.lru_cache(maxsize=LINE_CACHE)
def is_breadcrumb(text: str) -> bool:
    """A short line of links from the site's root joined by separator glyphs ("Trang chủ ✦ Chính sách giao
    hàng", "Home → Return Policy"): navigation, whatever its last link names ([other].breadcrumb)."""
    lex = _lexicon()
    return len(text) <= lex["breadcrumb_chars"] and lex["breadcrumb"].search(fold(text)) is not None


@functools.lru_cache(maxsize=LINE_CACHE)
def is_contact_label(text: str) -> bool:
    """A contact channel, maybe named for a service, then a colon and its value ("Hotline Bảo Hành: 0337…",
    "📍 Địa chỉ bảo hành:", "Facebook: fb.com/…"): other whatever section it stands in ([other].contact_label,
    zones28), unless it states a window or its value is a term ("Điện thoại: Bảo hành 6 tháng")."""
    lex = _lexicon()
    if len(text) > lex["other_max_chars"]:
        return False
    form, folded = match_form(text)
    label = lex["contact_label"][folded].match(form)
    return (label is not None and policy_score(form[label.end():]) < lex["threshold"]
            and not states_window(text))


@functools.lru_cache(maxsize=LINE_CACHE)
def is_likeness(text: str) -> bool:
    """A claim that the product is as its pictures or description show ("Sản phẩm 100% giống mô tả", "Cam kết
    sản phẩm đúng như hình ảnh 100%", "Item is exactly as pictured"), with no policy cue, no negation, no condition
    ("không đúng mô tả" is a return condition) and no time window ("hàng được giao từ 1-5 ngày"): product copy,
    description (RULES.md: inside a commitment list "same-as-the-picture claims are `description`";
    [description].likeness, zones30)."""
    return policy_score(text) == 0 and _product_claim(text, "likeness") is not None


def is_product_claim(text: str) -> bool:
    """A claim about the product that the rules zone description wherever it stands (reason "attribute", kept by the
    model): like the picture, packed with care, genuine, a random variant sent."""
    return is_likeness(text) or is_packing(text) or is_authenticity_claim(text) or is_random_variant(text)


@functools.lru_cache(maxsize=LINE_CACHE)
def is_authenticity_claim(text: str) -> bool:
    """A claim that the goods are genuine ("… cam kết tất cả các sản phẩm là hàng chính hãng 100%!", "Camera IMOU &
    Thẻ nhớ chính hãng"), with no policy cue, no negation and no condition: product copy, description (RULES.md
    Zones: authenticity claims; [description].authenticity, zones36)."""
    form = match_form(text)[0]
    return (any(word in form for word in _lexicon()["authenticity_words"]) and policy_score(text) == 0
            and _product_claim(text, "authenticity") is not None)


@functools.lru_cache(maxsize=LINE_CACHE)
def is_packing(text: str) -> bool:
    """The shop's own check or packing of the goods before sending ("Luôn kiểm tra sản phẩm trước khi giao hàng",
    "Sản phẩm được kiểm tra kỹ càng, đóng gói chắc chắn, cẩn thận trước khi giao cho Quý khách"), with no policy
    cue outside those words, no time window, no filming or photographing and no buyer's inspection: packaging,
    description (RULES.md listings_4 / listings_5; [description].packing, zones31)."""
    claim = _product_claim(text, "packing")
    if claim is None:
        return False
    form, found = claim
    return policy_score(form[:found.start()] + " " + form[found.end():]) == 0


@functools.lru_cache(maxsize=LINE_CACHE)
def is_random_variant(text: str) -> bool:
    """The variant sent is random ("Giao hàng ngẫu nhiên, mẫu sẽ khác nhau khi giao hàng", "SHOP GIAO MẪU NGẪU
    NHIÊN"), with at most a weak cue outside those words and no return word: product copy, description (RULES.md
    listings; [description].random_variant, zones36)."""
    lower = text.lower()
    if not any(word in lower for word in _lexicon()["random_variant_words"]):
        return False
    claim = _product_claim(text, "random_variant")
    if claim is None:
        return False
    form, found = claim
    return policy_score(form[:found.start()] + " " + form[found.end():]) < _lexicon()["threshold"]



def _product_claim(text: str, name: str) -> tuple[str, re.Match] | None:
    """(the match form, the match) of the [description] claim `name` ("likeness", "packing") in a block of up to
    [other].max_chars with neither the claim's negation or condition nor a time window in it; else None."""
    lex = _lexicon()
    if len(text) > lex["other_max_chars"]:
        return None
    form, folded = match_form(text)
    claim, negation = (forms[folded] for forms in lex[name])
    found = claim.search(form)
    if found is None or negation.search(form) is not None or lex["window"].search(form) is not None:
        return None
    return form, found


@functools.lru_cache(maxsize=LINE_CACHE)
def names_discounted_items(text: str) -> bool:
    """Discounted items named as such ("Vớ thuộc chương trình giảm giá từ 50% trở lên", "các sản phẩm được giảm giá
    trên 30%", "Sale or clearance items"; [other].discounted_items): in a policy section, the condition or exclusion
    of a term, not a promotion (RULES.md agreement c4; zones33)."""
    form, folded = match_form(text)
    return _lexicon()["discounted_items"][folded].search(form) is not None


@functools.lru_cache(maxsize=LINE_CACHE)
def is_shop_promotion(text: str) -> bool:
    """The shop telling about itself ("Ngoài ra Shop còn có nhiều loại đồ chơi lắp ráp …", "Shop đang phát triển rất
    nhiều mẫu …", "Cửa hàng của chúng tôi có giá thấp, …"), with no policy cue and no final colon: a shop's slogan,
    other ([other].shop_promotion, RULES.md Zones; zones36), kept by the model and opening no zone."""
    lex = _lexicon()
    if len(text) > lex["other_max_chars"] or text.rstrip().endswith((":", "：")):
        return False
    form, folded = match_form(text)
    return lex["shop_promotion"][folded].match(form) is not None and policy_score(text) == 0


def states_window(text: str) -> bool:
    """A policy cue and a time window in one block (a contact line that states a window is policy)."""
    return policy_score(text) > 0 and bool(_lexicon()["window"].search(match_form(text)[0]))


def is_attribute_line(text: str) -> bool:
    return bool(_lexicon()["attribute"].search(match_form(text)[0]) or _lexicon()["attribute"].search(text))


def _attribute_value(label, text: str) -> bool:
    """`text` is the value of the bare attribute label above it ("- ID sản phẩm:" over "202157"): the label ends
    with its colon, and the value is a short line with no sentence end and no colon of its own (zones36)."""
    return (label.zone_reason == WHY.attribute and label.text.rstrip().endswith((":", "："))
            and _short_label(text, ATTRIBUTE_VALUE_CHARS) and ":" not in text)


@functools.lru_cache(maxsize=LINE_CACHE)
def text_shapes(text: str) -> tuple[str, ...]:
    """The line model's family and shape features of a text: the cue families it mentions (contact,
    question, navigation, care, conditions, ...) and the shapes it has (a list marker, a date, an amount, a
    duration, a breadcrumb sign, a final question mark, no letters at all)."""
    return _shapes(text, _families(text))


def text_shapes_reference(text: str) -> tuple[str, ...]:
    """text_shapes with the families read from every match of the families' PhraseSet over the whole text."""
    family_of = _lexicon()["family_of"]
    return _shapes(text, {family_of.get(fold(m.group())) for m in _family_phrase_set(phrase_forms(text)[1] is None).finditer(text)})


@functools.cache
def _family_phrase_set(folded: bool) -> PhraseSet:
    """The families' phrases as one PhraseSet (for the text matched folded, _folded_family_phrases), for the
    reference only: made on first use, so that the shared phrase scan (text.phrases.present, which every
    PhraseSet's phrases join) does not look for the family phrases too; the fast path finds them with its
    own automaton (_families), one scan (zones6)."""
    phrases = [p for items in load("zones")["model"]["families"].values() for p in items]
    return PhraseSet(_folded_family_phrases(phrases) if folded else phrases)


def _folded_family_phrases(phrases: list[str]) -> list[str]:
    """The family phrases matched in a text without diacritics (zones10): all but the single words that carry
    marks, whose folded form is another common word ("quà" gift and "quá" over are both "qua", "gọi" call and
    "gói" pack "goi", "tới" to and "tôi" I "toi", "bước" step and "buộc" bound "buoc"). Written with marks the
    word is matched as before; a phrase of several words keeps its meaning folded.

    >>> _folded_family_phrases(["quà", "quà tặng", "sale", "gọi", "liên hệ"])
    ['quà tặng', 'sale', 'liên hệ']
    """
    return [p for p in phrases if len(p.split()) > 1 or "-" in p or fold(p) == p.lower()]


def _shapes(text: str, families: set) -> tuple[str, ...]:
    lex = _lexicon()
    found = sorted(filter(None, families))
    prefix, folded = match_form(text[:SHAPE_PREFIX_CHARS])
    digits = _DIGIT.search(prefix) is not None
    return tuple(found + [name for name, patterns, needs_digit, literal in lex["shapes"]
                          if (digits or not needs_digit) and literal in prefix and patterns[folded].search(prefix)])


def _families(text: str) -> set:
    """The families of the matches of the families' PhraseSet in `text` (text_shapes_reference's set), read
    off the shared scan's occurrences of the family phrases in the folded text (text.phrases.scan_spans)."""
    lex = _lexicon()
    family_of = lex["family_of"]
    forms_ = lex["family_forms"]
    folded, written = phrase_forms(text)
    hits = scan_spans(folded, forms_[written is None])
    if hits is None:   # a lone surrogate (no input holds one): the PhraseSet itself
        return {family_of.get(fold(m.group())) for m in _family_phrase_set(written is None).finditer(text)}
    return {family_of.get(folded[s:e]) for s, e in as_written_spans(folded, written, hits, forms_["written"])}


def _next_block(blocks, i: int):
    """The block after block i as the seller wrote it, whose zone the line model reads: None at the end and above
    the marketplace's closing paragraph (`[policy].marketplace_closing`, zones34), which the seller's last line
    does not run into (its cue score is still read: without it, some plain and capitalised lines part)."""
    if i + 1 >= len(blocks) or blocks[i + 1].text.lstrip()[:CLOSING_PREFIX_CHARS].lower().startswith(
            _lexicon()["marketplace_closing"]):
        return None
    return blocks[i + 1]


_DIGIT = re.compile(r"\d")


def model_decides(block) -> bool:
    """The line model re-decides this block (after the rules): not a spec line or a zone heading
    (RULES_KEPT), not a cue-scored block longer than CUE_REVISIT_CHARS, and not a contact label (zones28)."""
    if block.zone_reason == WHY.contact_or_promo:
        return not (is_contact_label(block.text) or is_shop_promotion(block.text))
    return block.zone_reason not in RULES_KEPT and not (block.zone_reason == WHY.cue
                                                        and len(block.text) > CUE_REVISIT_CHARS)


def model_may_make_policy(block) -> bool:
    """The line model may zone this block policy: not the product's long copy, a block of LONG_COPY_CHARS or more
    with no policy cue that the rules left in the description by position (reason default or section). On dev no
    such block is policy (186 lines: 180 description, 6 other); the model read policy into unseen ones by their
    words ("mẫu giáo" folds to "giao", "thời gian chăm sóc con"). It may still make them other (zones36)."""
    return not (block.zone == "description" and block.zone_reason in (WHY.default, WHY.section)
                and block.policy_score == 0 and len(block.text) >= LONG_COPY_CHARS)


@functools.lru_cache(maxsize=LINE_CACHE)
def heading_zone(text: str) -> str | None:
    """The zone a heading names: the whole heading is a zone name, or (short headings) contains one."""
    named = _named_exactly(text)
    if named:
        return named
    headings = _lexicon()["headings"]
    if len(text.split()) <= HEADING_SEARCH_WORDS:
        found = [(m.start(), zone) for zone, phrases in headings.items() for m in [phrases.search(text)] if m]
        if found:
            return min(found)[1]
    return None


@functools.lru_cache(maxsize=LINE_CACHE)
def is_policy_title(text: str) -> bool:
    """A policy title outside the heading list (zones31, [title]): a line of up to [title].max_chars with no
    sentence end, no "name: value" and no list marker that opens with "chính sách" ("Chính sách giao nhận",
    "2.1 Chính sách trả hàng") or ends with "policy" ("Breakages Policy"), read as a heading whatever its
    segment kind; not a privacy or cookie title with no policy cue of its own ("Chính sách bảo mật", "Privacy
    Policy": RULES.md, a privacy section is other; "Chính sách bảo mật & Vận chuyển" names shipping too)."""
    lex = _lexicon()
    if not _title_line(text):
        return False
    folded = fold(text.strip())
    return lex["title"].search(folded) is not None and (lex["title_not"].search(folded) is None or policy_score(text) > 0)


@functools.lru_cache(maxsize=LINE_CACHE)
def is_privacy_title(text: str) -> bool:
    """A privacy title with no policy cue of its own and no list marker ("Chính sách bảo mật", "🔒 Bảo mật thông tin
    khách hàng", "Privacy Policy"; zones31, [title].other): it opens an other section (RULES.md policies_4), although
    the heading list reads "chính sách" in it; "Chính sách bảo mật & Vận chuyển" names shipping too and stays policy,
    and an item of a shop's commitment list ("-Bảo mật thông tin khách hàng") is no title."""
    return (_title_line(text) and policy_score(text) == 0
            and _lexicon()["privacy_title"].search(fold(text.strip())) is not None)


def _title_line(text: str) -> bool:
    """A line a title may be ([title]): a short label (up to [title].max_chars) with no list marker."""
    return _short_label(text, _lexicon()["title_chars"]) and "shape=list" not in text_shapes(text.strip())


@functools.lru_cache(maxsize=LINE_CACHE)
def _named_exactly(text: str) -> str | None:
    for zone, phrases in _lexicon()["headings"].items():
        if phrases.fullmatch(text):
            return zone
    return None


def assign_zones(listing: Listing) -> Listing:
    """The rules decide each block's zone; the line model (when its weights are present) then reads the
    rules' decisions with the block's words, heading and neighbours, and has the last word."""
    blocks = listing.blocks
    kinds = _read_kinds(blocks, listing.text)
    sections = _rule_zones(blocks, kinds)
    model = _model()
    if model is not None and blocks:
        for b, zone in zip(blocks, _model_zones(model, blocks, sections, kinds)):
            if zone is not None and zone != b.zone:
                b.zone, b.zone_reason = zone, WHY.model
        _procedure_steps(blocks)
        _follow_steps(blocks)
        _commitments(blocks)
        _notes(blocks)
        _signs(blocks)
    _articles(blocks, kinds)
    return listing


def assign_zones_reference(listing: Listing) -> Listing:
    """assign_zones written plainly (every feature built as a string, then looked up): the fast path in
    `_model_zones` must give the same zones (tests/test_zones.py compares them on real records)."""
    blocks = listing.blocks
    kinds = _read_kinds(blocks, listing.text)
    sections = _rule_zones(blocks, kinds)
    weights = _model()
    if weights is not None and blocks:
        for b, f in zip(blocks, _features(blocks, sections, weights["max_words"], kinds)):
            if not model_decides(b):
                continue
            zone = _classify(weights, f, model_may_make_policy(b))
            if zone != b.zone:
                b.zone, b.zone_reason = zone, WHY.model
        _procedure_steps(blocks)
        _follow_steps(blocks)
        _commitments(blocks)
        _notes(blocks)
        _signs(blocks)
    _articles(blocks, kinds)
    return listing


def article_zones(listing: Listing) -> Listing:
    """The last step of the zones alone (`_articles`), on the zones the listing's blocks have."""
    _articles(listing.blocks, _read_kinds(listing.blocks, listing.text))
    return listing


def _articles(blocks, kinds: list[str] | None = None) -> None:
    """A policy block that may state no shop's terms (not in `text.articles.own_blocks`: a block of an article
    in its language from the article's start on, or of advice to sellers, that does not speak as the shop)
    is description, reason ARTICLE_REASON; the shop's block above the article and the blocks in another
    language keep their zones, and so do the article's other-zone lines (contacts, promotions, separators)."""
    policy = [i for i, b in enumerate(blocks) if b.zone == "policy"]
    if not policy:
        return
    kinds = kinds or _read_kinds(blocks)   # (zones37: a list document's items read as its lines are in plain text)
    read = blocks if all(k == b.kind for k, b in zip(kinds, blocks)) else [
        replace(b, kind=k) for b, k in zip(blocks, kinds)]
    own = own_blocks(read, asked=policy)   # only the languages where a policy block could leave are read
    if own is None:
        return
    for b in blocks:
        if b.zone == "policy" and b.block_id not in own:
            b.zone, b.zone_reason = "description", ARTICLE_REASON


def zone_features(listing: Listing) -> list[list[str]]:
    """The line model's features of each block, after the rules have zoned it (for the fitting script), with
    the first [model].max_words words (the script tries its first few: `word_limits` in [model.fit])."""
    kinds = _read_kinds(listing.blocks, listing.text)
    return _features(listing.blocks, _rule_zones(listing.blocks, kinds), _model_config()["max_words"], kinds)


LIST_DOCUMENT_MIN_ITEMS = 3   # zones37: a document of at least this many unmarked list items and no paragraph ...


def _read_kinds(blocks, text: str | None = None) -> list[str]:
    """The kind the zones read each block as (zones37). A document that is one list or lists under headings, its
    lines all list items (no paragraph: "<li>Điều kiện đổi trả trong 7 ngày</li>", at least
    LIST_DOCUMENT_MIN_ITEMS items), states no structure by its lists: each item is read as its line would be in
    plain text (`text.line_kinds.line_kind`, as the segmenter reads it, with the next line), so that a lead-in item ("Thời gian giao hàng:",
    "Sản phẩm được đổi trả … nếu thuộc một trong các trường hợp sau:") or a short title over a long item heads
    what follows as the same line of a plain-text listing does, and a "• " item stays an item. A line is the
    blocks with no newline between them in `text` (the listing's; the segmenter cuts a long mixed line into
    pieces, which take the whole line's kind as in plain text); without `text` each block is a line. A document
    with a paragraph keeps its segment kinds (a list among paragraphs is one). blocks.kind is not changed."""
    kinds = [b.kind for b in blocks]
    if "paragraph" in kinds or kinds.count("bullet") < LIST_DOCUMENT_MIN_ITEMS:
        return kinds
    groups: list[list[int]] = []
    for i, b in enumerate(blocks):
        if groups and kinds[groups[-1][-1]] == b.kind and text is not None \
                and "\n" not in text[blocks[groups[-1][-1]].char_end:b.char_start]:
            groups[-1].append(i)
        else:
            groups.append([i])
    lines = [" ".join(blocks[i].text.strip() for i in g) for g in groups]
    lowered = written_in_capitals(lines)
    read = [t.lower() for t in lines] if lowered else lines
    for k, g in enumerate(groups):
        if kinds[g[0]] == "bullet":
            kind = line_kind(read[k], read[k + 1] if k + 1 < len(read) else None, lowered=lowered)[0]
            for i in g:
                kinds[i] = kind
    return kinds


def _rule_zones(blocks, kinds: list[str] | None = None) -> list[str | None]:
    """The rules' zone and reason on every block; returns the zone each block's last zone heading opened."""
    lex = _lexicon()
    current: str | None = None
    section_lang: str | None = None
    sections: list[str | None] = []
    commitments: list[int] = []
    runs = _run_lines(blocks)
    kinds = kinds or _read_kinds(blocks)
    headings, caps, caps_style = _headings(blocks, kinds)
    titled = False
    for i, b in enumerate(blocks):
        sections.append(current)
        strong, _ = cue_counts(b.text)
        b.policy_score = policy_score(b.text)
        others = other_hits(b.text)
        colon = b.text.rstrip().endswith(":")
        heading_like = kinds[i] == "heading" or (len(b.text) <= HEADING_LIKE_CHARS and (caps[i] or colon))
        named = heading_zone(b.text) if heading_like else (_named_exactly(b.text) if len(b.text) <= NAMED_EXACTLY_CHARS else None)
        if named == "policy" and caps_style and caps[i] and not colon and titled and not _named_exactly(b.text):
            named = None   # a capitalised line of a document in capitals: policy only when it is the zone's name
        titled = titled or heading_like   # (or the document's first heading: a policy page's title)
        if named is None and headings[i] and b.policy_score >= lex["threshold"] and others == 0:
            named = "policy"
        if named is None and is_policy_title(b.text):
            named = "policy"
        elif named != "other" and is_privacy_title(b.text):
            named = "other"
        if named == "other" and current == "policy" and is_contact_step(b.text):
            named = "policy"   # a step of the section's procedure, not a contact section (zones39)
        if i in runs:
            b.zone, b.zone_reason = "other", runs[i]        # contents or form: opens no zone
        elif is_breadcrumb(b.text):
            b.zone, b.zone_reason = "other", WHY.navigation   # opens no zone: the section goes on
        elif lex["separator"].match(b.text):
            b.zone, b.zone_reason = "other", WHY.separator    # likewise
        elif is_enquiry(b.text):
            b.zone, b.zone_reason = "other", WHY.enquiry      # likewise
        elif is_contact_label(b.text) or is_shop_promotion(b.text):
            b.zone, b.zone_reason = "other", WHY.contact_or_promo   # likewise (the model keeps it: model_decides)
        elif named:
            b.zone, b.zone_reason = named, WHY.heading
            current, section_lang = named, None
        elif ((others > strong and not states_window(b.text)) or (b.policy_score == 0 and len(b.text) <= lex["other_max_chars"]
                                  and lex["other_weak"].search(b.text))) \
                and not (current == "policy" and (is_step_line(b.text)
                                                  or names_discounted_items(b.text))):
            # (a numbered step of a policy section that names the contact, "Bước 1: Liên hệ Hotline …", stays in
            # its section: RULES.md agreement c1, zones31; so do the discounted items a term excludes, zones33)
            b.zone, b.zone_reason = "other", WHY.contact_or_promo
        elif is_product_claim(b.text):
            b.zone, b.zone_reason = "description", WHY.attribute   # a claim about the product (kept by the model)
        elif current != "policy" and is_commitment_heading(b.text):
            # opens no zone; its zone is read from its list after the smoothing (kept by the model)
            b.zone, b.zone_reason = "other", WHY.heading
            commitments.append(i)
        elif b.policy_score >= lex["threshold"]:
            b.zone, b.zone_reason = "policy", WHY.cue
        elif is_attribute_line(b.text) or (i and _attribute_value(blocks[i - 1], b.text)):
            # (zones36: in every section, not only a policy or other one: "- ID sản phẩm:" was policy by the model)
            b.zone, b.zone_reason = "description", WHY.attribute
        elif current == "policy" and section_lang and b.lang not in (section_lang, "und") \
                and len(b.text) > OTHER_LANGUAGE_CHARS:
            b.zone, b.zone_reason = "description", WHY.language
        elif current:
            b.zone, b.zone_reason = current, WHY.section
        else:
            b.zone, b.zone_reason = "description", WHY.default
        if current == "policy" and b.zone == "policy" and section_lang is None and kinds[i] != "heading" \
                and b.lang != "und":
            section_lang = b.lang
    _icons(blocks)
    _smooth(blocks, lex["threshold"], headings)
    for i in commitments:   # after the smoothing: a commitment heading does not join the lines around it to policy
        blocks[i].zone = _commitment_zone(blocks, i)
    return sections


_SUB_NUMBER = re.compile(r"^\W*\d{1,2}\.\d{1,2}\b")   # a sub-item's number: "2.1.", "3.2"


@functools.lru_cache(maxsize=LINE_CACHE)
def is_step_line(text: str) -> bool:
    """A numbered step of a procedure ("B2: Liên hệ", "Bước 3:"; zones.toml [other] step_line), read once per text:
    the rules, the icon lines and the procedure steps after the model all ask."""
    return _lexicon()["step_line"].match(text.lower()) is not None


def is_contact_step(text: str) -> bool:
    """A step of a procedure that names the contact: a sub-numbered or "B2:" / "Bước 2:" step line of the contact
    family ("2.1. Liên Hệ Bộ Phận Chăm Sóc Khách Hàng", "3.1. Liên Hệ Trung Tâm Bảo Hành"). Under a policy heading
    it is a step of that policy (RULES.md agreement c1: a step of a procedure that names the contact stays policy),
    where a top-level contact heading ("6. Hỗ Trợ & Liên Hệ") still opens an other section (zones39)."""
    return ((_SUB_NUMBER.match(text) is not None or is_step_line(text))
            and "fam=contact" in text_shapes(text))


@functools.lru_cache(maxsize=LINE_CACHE)
def is_commitment_heading(text: str) -> bool:
    """A shop's commitment heading ("SHOP CAM KẾT:", "Amazing Bricks cam kết:", "✪ CAM KẾT BÁN HÀNG", "Xin Cam Kết",
    "Quyền lợi của Khách hàng"; zones30): a [commitment].headings phrase in a line of up to HEADING_LIKE_CHARS with no
    sentence end, no "name: value" and no policy cue of its own ("Cam kết giao hàng nhanh chóng" is a term), that
    ends with a colon, is in capitals, or is a bare line of up to COMMITMENT_BARE_WORDS words with no list marker
    (not a claim: "Cam kết vải và bông đều là hàng loại 1", "- Cam kết chất lượng")."""
    t = text.strip()
    if not _short_label(t, HEADING_LIKE_CHARS) or policy_score(t) > 0 or _lexicon()["commitment"].search(t) is None:
        return False
    return (t.endswith((":", "：")) or is_caps(t[:CAPS_PREFIX_CHARS])
            or (len(t.split()) <= COMMITMENT_BARE_WORDS and "shape=list" not in text_shapes(t)))


def _commitment_zone(blocks, i: int, decided: bool = False) -> str:
    """The zone of the commitment heading blocks[i] (RULES.md): policy when one of the list items below it (at most
    COMMITMENT_LIST_BLOCKS blocks, up to the first block longer than COMMITMENT_ITEM_CHARS or a heading naming
    another zone) is a policy item, else other (quality slogans, same-as-the-picture claims). A policy item is a
    block with a policy cue, or, once the line model has zoned the items (`decided`, _commitments), a block zoned
    policy."""
    for b in _list_items(blocks, i):
        if policy_score(b.text) > 0 or (decided and b.zone == "policy"):
            return "policy"
    return "other"


def _list_items(blocks, i: int):
    """The list under the heading blocks[i]: at most COMMITMENT_LIST_BLOCKS blocks, up to the first block longer
    than COMMITMENT_ITEM_CHARS or a heading naming another zone."""
    for b in blocks[i + 1:i + 1 + COMMITMENT_LIST_BLOCKS]:
        if len(b.text) > COMMITMENT_ITEM_CHARS or _opens_other_zone(b):
            return
        yield b


def _opens_other_zone(block) -> bool:
    """A heading that names the description or other zone ("THÔNG TIN SẢN PHẨM:", "Liên hệ"): the end of a
    commitment list (the product's specs below it are no item of the list)."""
    t = block.text.rstrip()
    return (len(t) <= HEADING_LIKE_CHARS and (block.kind == "heading" or t.endswith((":", "："))) and
            heading_zone(t) in ("description", "other"))


def _commitments(blocks) -> None:
    """After the line model: a commitment heading (reason "heading", no zone name, a [commitment] phrase) takes
    the zone its list's items now have (_commitment_zone): policy when one of them is policy, else other."""
    for i, b in enumerate(blocks):
        if b.zone_reason == WHY.heading and heading_zone(b.text) is None and is_commitment_heading(b.text):
            b.zone = _commitment_zone(blocks, i, decided=True)


_NOTE_MARKS = re.compile(r"^[\W\d_]+|[\W_]+$")   # bullets, numbering and the colon around a note heading's words


def is_note_heading(text: str) -> bool:
    """A bare note heading: its words only a [note].headings phrase ("LƯU Ý:", "* Ghi chú:", "Note:")."""
    return len(text) <= HEADING_LIKE_CHARS and fold(_NOTE_MARKS.sub("", text)) in _lexicon()["note"]


def _notes(blocks) -> None:
    """After the line model: a bare note heading takes the zone its list holds ([note], RULES.md: a heading is zoned
    by what its section holds): policy when one of its first NOTE_POLICY_ITEMS items is, else its items' most common
    zone (ties: the first). Its items are a commitment list's (_list_items) up to the next heading-like line,
    separators aside; a note with no item keeps its zone."""
    for i, b in enumerate(blocks):
        if not is_note_heading(b.text):
            continue
        zones_ = []
        for item in _list_items(blocks, i):
            if item.kind == "heading" or item.text.rstrip().endswith((":", "：")):
                break
            if item.zone_reason != WHY.separator:
                zones_.append(item.zone)
        if zones_:
            b.zone = "policy" if "policy" in zones_[:NOTE_POLICY_ITEMS] else max(zones_, key=zones_.count)
            b.zone_reason = WHY.heading


def _headings(blocks, kinds: list[str]) -> tuple[list[bool], list[bool], bool]:
    """(which blocks are the segmenter's headings, which are ALL-CAPS where the rules read it (_caps_read),
    whether the document is written in capitals). A document is written in capitals (zones10) when
    CAPS_STYLE_SHARE of its blocks or more are (a seller's habit, or a whole listing upper-cased): the segmenter
    read its lines in lower case (robust36), so a capitalised line is no heading of its for its capitals, and
    after the document's first heading (a policy page's title) it names the policy zone only exactly
    (_rule_zones), so that a banner "HỖ TRỢ ĐỔI TRẢ NẾU DO LỖI NHÀ SẢN XUẤT" does not open a policy section over
    the product copy. No dev document has more than a third of its blocks in capitals."""
    caps = _caps_read(blocks)
    in_capitals = capitals_share_reached(caps)
    return [k == "heading" for k in kinds], caps, in_capitals


def _caps_read(blocks) -> list[bool]:
    """Whether each block's first CAPS_PREFIX_CHARS characters are in capitals, where the rules read it: a block
    longer than HEADING_LIKE_CHARS is no heading-like line, so its capitals count only toward the document's
    share (CAPS_STYLE_SHARE). The long blocks are read only when the short ones leave that share within reach;
    else they stand as not in capitals, which cannot change the answer (the document is not written in capitals
    either way). `_caps_read_reference` reads every block."""
    caps = [len(b.text) <= HEADING_LIKE_CHARS and is_caps(b.text[:CAPS_PREFIX_CHARS]) for b in blocks]
    long = [i for i, b in enumerate(blocks) if len(b.text) > HEADING_LIKE_CHARS]
    if len(blocks) >= 2 and sum(caps) + len(long) >= CAPS_STYLE_SHARE * len(blocks):
        for i in long:
            caps[i] = is_caps(blocks[i].text[:CAPS_PREFIX_CHARS])
    return caps


def _caps_read_reference(blocks) -> list[bool]:
    return [is_caps(b.text[:CAPS_PREFIX_CHARS]) for b in blocks]


def is_enquiry(text: str) -> bool:
    """A line that only asks the buyer to contact the shop with questions (RULES.md agreement c1): the contact
    and question families, no duration and no list or step marker, at most ENQUIRY_MAX_CHARS ("Mọi thắc mắc
    về chính sách đổi trả, vui lòng liên hệ:", "For any shipping-related queries, please contact us at:"); since
    zones33 also a support question asked with no contact ("Cần hỗ trợ giao hàng?") and a contact only for support
    with no strong cue ("… vui lòng liên hệ ngay với chúng tôi để được hỗ trợ kịp thời": the support family)."""
    if len(text) > ENQUIRY_MAX_CHARS:
        return False
    if "24" in text:   # (zones36) support at all hours, no strong cue: "Hỗ trợ 24/7", "Phục vụ 24/7"
        form, folded = match_form(text)
        if _lexicon()["support_hours"][folded].match(form) and cue_counts(text)[0] == 0:
            return True
    shapes = text_shapes(text)
    if "shape=duration" in shapes or "shape=list" in shapes:
        return False
    if "fam=question" in shapes:   # (zones33) asked as a question, it needs no contact: "Cần hỗ trợ giao hàng?"
        return "fam=contact" in shapes or "shape=question_mark" in shapes
    # (zones33) a contact only for support, with no strong cue: "… vui lòng liên hệ ngay … để được hỗ trợ kịp thời"
    return "fam=contact" in shapes and "fam=support" in shapes and cue_counts(text)[0] == 0


def _icons(blocks) -> None:
    """An icon line (a pictograph, no letter or digit: "📞") right over a step line ("B2: Liên hệ") takes the
    step's zone: it is the step's picture, not a separator (RULES.md: icon lines take their section's zone)."""
    for b, nxt in zip(blocks, blocks[1:]):
        if b.zone_reason == WHY.separator and is_step_line(nxt.text) and _has_pictograph(b.text):
            b.zone, b.zone_reason = nxt.zone, WHY.icon


_WORD = re.compile(r"[^\W\d_]{2}")   # two letters in a row: a word, not a number, a unit letter or an emoticon
_NUMBERING = re.compile(r"^\W*\d{1,2}(?:\.\d{1,2})*\W*$")   # a bare item or section number: "2.", "3)", "1.2"


def _signs(blocks) -> None:
    """A block with no word takes the zone of the block it heads (RULES.md: bare section numbers and icon lines take
    their section's zone; a line of unknowable zone is other; zones38): a policy one ("<3<3<3", "200k", "0.0", "w:")
    that block's zone when it is not policy, other at the end and over the marketplace's closing paragraph
    (`_next_block`), which it does not head; a bare number the segmenter cut from its item ("2." over "SHIP bù …")
    or (zones43) an emoji over a policy block ("🛡️" over "30-Day Money-Back Guarantee") policy when that block is;
    a separator glyph ("✪") is no icon."""
    for i, b in enumerate(blocks):
        if _WORD.search(b.text) is not None:
            continue   # (most blocks: a word in the first few characters)
        nxt = _next_block(blocks, i)
        if b.zone == "policy" and (nxt is None or nxt.zone != "policy"):
            b.zone, b.zone_reason = "other" if nxt is None else nxt.zone, WHY.icon
        elif b.zone != "policy" and nxt is not None and nxt.zone == "policy" and (
                _NUMBERING.match(b.text) or _lexicon()["emoji"].search(b.text)):
            b.zone, b.zone_reason = "policy", WHY.icon


def _procedure_steps(blocks) -> None:
    """After the line model: a step line ("B2: Liên hệ", "Bước 3:") whose steps before and after it (the ones that
    exist) are policy is a step of that policy procedure, and so is its body up to the next step (the "Gọi Hotline …"
    under "B2: Liên hệ"; RULES.md agreement c1: a step of a procedure that names the contact stays policy), where
    the line model read them other by their contact words (zones39). The last step's body and a body of more than
    STEP_BODY_BLOCKS blocks are not read: the shop's closing lines follow the last step."""
    steps = [i for i, b in enumerate(blocks) if is_step_line(b.text)]
    for k, i in enumerate(steps):
        around = [blocks[j].zone for j in (steps[k - 1] if k else None, steps[k + 1] if k + 1 < len(steps) else None)
                  if j is not None]
        if blocks[i].zone == "policy" or not around or any(z != "policy" for z in around):
            continue
        body = [b for b in blocks[i + 1:steps[k + 1]] if b.zone_reason != WHY.icon] if k + 1 < len(steps) else []
        if len(body) > STEP_BODY_BLOCKS:
            body = []   # a long body holds more than the step's own line (an address set under it is other: RULES.md)
        for b in [blocks[i], *body]:
            if b.zone == "other":
                b.zone, b.zone_reason = "policy", WHY.section


def _follow_steps(blocks) -> None:
    """An icon line keeps the zone of the step below it once the model has decided that step."""
    for b, nxt in zip(blocks, blocks[1:]):
        if b.zone_reason == WHY.icon:
            b.zone = nxt.zone


def _has_pictograph(text: str) -> bool:
    return any(unicodedata.category(c) == "So" for c in text)


def _short_label(text: str, limit: int) -> bool:
    """A short line with no sentence end and no "name: value" (a heading, a menu entry, a field label)."""
    t = text.strip()
    return len(t) <= limit and not t.endswith((".", "!", "?")) and not _COLON_VALUE.search(t)


_COLON_VALUE = re.compile(r"[:：]\s*\S")
_ENTRY_PREFIX = re.compile(r"^[\W\d_]*")   # numbering and bullets before a contents entry's words


def _run_lines(blocks) -> dict[int, str]:
    """{block index: "contents" | "form"} for the blocks of a table of contents or of a form's field labels.

    Contents: a run of at least CONTENTS_MIN_RUN consecutive short lines, each of which (folded, numbering
    aside) starts a block at least CONTENTS_MIN_GAP blocks further on, those blocks in the entries' order with
    at least one block between each two (the sections the entries name). Form: a run of at least FORM_MIN_RUN
    consecutive short labels of which at least FORM_MIN_FIELDS have the form shape."""
    out: dict[int, str] = {}
    n = len(blocks)
    short = [_short_label(b.text, CONTENTS_LINE_CHARS) for b in blocks]
    i = 0
    while i < n:
        if not short[i]:
            i += 1
            continue
        k = i
        while k + 1 < n and short[k + 1]:
            k += 1
        if k - i + 1 >= min(CONTENTS_MIN_RUN, FORM_MIN_RUN):
            _contents(blocks, i, k, out)
            _form(blocks, i, k, out)
        i = k + 1
    return out


def _entry(text: str) -> str:
    return _ENTRY_PREFIX.sub("", _folded(text)).strip(" :：")


def _contents(blocks, first: int, last: int, out: dict) -> None:
    """Mark the contents entries among the short lines blocks[first..last] (see _run_lines)."""
    n = len(blocks)
    keys: list[str] | None = None
    later: list[int | None] = []
    for i in range(first, last + 1):
        entry = _entry(blocks[i].text)
        found = None
        if entry:
            if keys is None:
                keys = [""] * n
            for j in range(i + CONTENTS_MIN_GAP, n):
                if not keys[j]:
                    keys[j] = _entry(blocks[j].text) or "\0"
                if keys[j] == entry or (len(entry) >= 6 and keys[j].startswith(entry)):
                    found = j
                    break
        later.append(found)
    i = 0
    while i < len(later):
        if later[i] is None:
            i += 1
            continue
        k = i
        while k + 1 < len(later) and later[k + 1] is not None and later[k + 1] >= later[k] + 2:
            k += 1
        if k - i + 1 >= CONTENTS_MIN_RUN:
            # the entries, and the short line right above them (the contents' title: "Mục lục", "Nội dung")
            for q in range(max(i - 1, 0), k + 1):
                out[first + q] = WHY.contents
        i = k + 1


def _form(blocks, first: int, last: int, out: dict) -> None:
    """Mark a run of field labels (see _run_lines) among the short lines blocks[first..last]."""
    labels = [i for i in range(first, last + 1) if _short_label(blocks[i].text, FORM_LINE_CHARS)]
    # consecutive runs of labels
    start = 0
    while start < len(labels):
        end = start
        while end + 1 < len(labels) and labels[end + 1] == labels[end] + 1:
            end += 1
        run = labels[start:end + 1]
        if len(run) >= FORM_MIN_RUN and sum("shape=form" in text_shapes(blocks[i].text) for i in run) >= FORM_MIN_FIELDS:
            for i in run:
                out.setdefault(i, WHY.form)
        start = end + 1


# ------------------------------------------------------------------ the line model

def _bucket(value: float, edges) -> int:
    """The index of the first edge above `value` (len(edges) when none is); the edges are ascending.

    >>> [_bucket(v, [20, 60]) for v in (0, 19.5, 20, 59, 60, 1000)]
    [0, 0, 1, 1, 2, 2]
    """
    return bisect_right(edges, value)


def _features(blocks, sections: list[str | None], max_words: int, kinds: list[str] | None = None) -> list[list[str]]:
    """Sparse binary features of each block: the rules' decision and reason, the section it stands in, its
    neighbours' rule zones and cue scores, its cue score, kind, language and length, the document's share of
    policy blocks, its cue families and text shapes (text_shapes) and its first `max_words` folded words."""
    lex = _lexicon()
    m = load("zones")["model"]
    n = len(blocks)
    share = sum(b.policy_score >= lex["threshold"] for b in blocks) / n
    doc = f"doc={_bucket(share, m['policy_share_edges'])}" if n >= m["share_min_blocks"] else "doc=short"
    out = []
    kinds = kinds or _read_kinds(blocks)
    for i, b in enumerate(blocks):
        prev = blocks[i - 1].zone if i else "start"
        nxt = getattr(_next_block(blocks, i), "zone", "end")
        words = _all_words(b.text, max_words)
        prev_score, next_score = _neighbour_scores(blocks, i)
        f = ["bias", doc, f"rule={b.zone}", f"why={b.zone_reason}", f"rule={b.zone}|{doc}",
             f"sec={sections[i]}", f"prev={prev}", f"next={nxt}", f"around={prev}|{nxt}",
             f"kind={kinds[i]}", f"lang={b.lang}", f"len={_bucket(len(b.text), m['length_edges'])}",
             f"score={_bucket(b.policy_score, m['score_edges'])}",
             f"others={min(other_hits(b.text), 2)}", f"colon={b.text.rstrip().endswith((':', '：'))}",
             f"pscore={prev_score}", f"nscore={next_score}"]
        f += list(text_shapes(b.text))
        f += [f"w={w}" for w in words]
        out.append(f)
    return out


def _neighbour_scores(blocks, i: int) -> tuple[int, int]:
    """The cue scores of the blocks before and after block i (0 at the ends), capped at NEIGHBOUR_SCORE_MAX."""
    prev = blocks[i - 1].policy_score if i else 0
    nxt = blocks[i + 1].policy_score if i + 1 < len(blocks) else 0
    return min(int(prev), NEIGHBOUR_SCORE_MAX), min(int(nxt), NEIGHBOUR_SCORE_MAX)


def _words(text: str, limit: int) -> list[str]:
    """The distinct folded words of a text (the first `limit`), numbers as one word. A long text is read
    from a prefix cut at a space first (the same first words), and whole only when that prefix is short of
    `limit` distinct words."""
    if len(text) > WORDS_PREFIX_CHARS:
        cut = text.rfind(" ", 0, WORDS_PREFIX_CHARS)
        if cut > 0:
            distinct = _distinct_words(word_tokens(_folded(text)[:cut]))
            if len(distinct) >= limit:
                return list(distinct)[:limit]
    return list(_distinct_words(word_tokens(_folded(text))))[:limit]


def _folded(text: str) -> str:
    """fold(text), read from the cached phrase forms the stages have made of the block (text.phrases.forms);
    a prefix of it is the fold of the text's prefix (fold keeps each character's place)."""
    return phrase_forms(text)[0]


def _distinct_words(tokens) -> dict:
    """dict.fromkeys of the tokens with numbers as "<num>" (as _all_words), deduplicated before the numbers
    are renamed: the first occurrences keep their order either way."""
    distinct = dict.fromkeys(tokens)
    if any(map(str.isdigit, distinct)):
        distinct = dict.fromkeys(["<num>" if w.isdigit() else w for w in distinct])
    return distinct


def _all_words(text: str, limit: int) -> list[str]:
    """_words read from the whole text (the reference)."""
    distinct = dict.fromkeys("<num>" if w.isdigit() else w for w in word_tokens(fold(text)))
    return list(distinct)[:limit]


@functools.cache
def _model() -> dict | None:
    """{feature: [weight per zone]} and the zones' order, from lexicon/zones_model.json (None if absent)."""
    path = LEXICON_DIR / MODEL_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    zones = data["zones"]
    weights = {f: tuple(w) for f, w in data["weights"].items()}
    # The word features by word (w=), for the fast path's lookups without building strings.
    by_word = {f[2:]: v for f, v in weights.items() if f.startswith("w=")}
    # Per-zone offsets added to every block's scores (the decision calibrated on dev cross-validation).
    offsets = tuple(data.get("offsets", (0.0,) * len(zones)))
    # The block's first words the model reads: chosen by the fitting script's CV (at most [model].max_words).
    max_words = min(int(data.get("max_words", _model_config()["max_words"])), _model_config()["max_words"])
    return {"zones": zones, "weights": weights, "zero": (0.0,) * len(zones), "w": by_word, "offsets": offsets,
            "max_words": max_words, "text": _text_tables(weights, _model_config())}


def _classify(model: dict, feats: list[str], policy_allowed: bool = True) -> str:
    zones = model["zones"]
    scores = list(model["offsets"])
    for f in feats:
        w = model["weights"].get(f)
        if w:
            for k, v in enumerate(w):
                scores[k] += v
    return _argmax(zones, scores, policy_allowed)


# The fast path: the same sum of weights as `_features` + `_classify`, in two parts. The features of a
# block's own text (its words, families and shapes, length, cue score, contact hits, final colon) are summed
# once per distinct text and cached; the context features (rules' decision, section, neighbours' zones and
# cue scores, kind, language, document share) are looked up directly. Blocks whose rule decision is kept
# (RULES_KEPT) are not scored at all.

def _model_zones(model: dict, blocks, sections: list[str | None], kinds: list[str] | None = None) -> list[str | None]:
    """The model's zone of each block it decides (None for the blocks whose rule decision is kept)."""
    lex = _lexicon()
    m = _model_config()
    n = len(blocks)
    share = sum(b.policy_score >= lex["threshold"] for b in blocks) / n
    doc = f"doc={_bucket(share, m['policy_share_edges'])}" if n >= m["share_min_blocks"] else "doc=short"
    zones = model["zones"]
    out: list[str | None] = []
    kinds = kinds or _read_kinds(blocks)
    for i, b in enumerate(blocks):
        if not model_decides(b):
            out.append(None)
        else:
            prev = blocks[i - 1] if i else None
            nxt = blocks[i + 1] if i + 1 < n else None
            context = _context_scores(
                doc, b.zone, b.zone_reason, sections[i],
                prev.zone if prev is not None else "start", getattr(_next_block(blocks, i), "zone", "end"), kinds[i],
                b.lang, min(int(prev.policy_score), NEIGHBOUR_SCORE_MAX) if prev is not None else 0,
                min(int(nxt.policy_score), NEIGHBOUR_SCORE_MAX) if nxt is not None else 0)
            scores = [c + t for c, t in zip(context, _text_scores(b.text, b.policy_score))]
            out.append(_argmax(zones, scores, model_may_make_policy(b)))
    return out


@functools.lru_cache(maxsize=LINE_CACHE)
def _context_scores(doc: str, zone: str, reason: str, section: str | None, prev: str, nxt: str, kind: str,
                    lang: str, prev_score: int, next_score: int) -> tuple:
    """The summed weights of a block's context features (the rules' decision, section, neighbours' zones
    and cue scores, kind, language, document share) with the offsets: cached per context, which recurs."""
    model = _model()
    get = model["weights"].get
    base = _add(model["offsets"], get("bias"), get(doc))
    return _add(base, get(f"rule={zone}"), get(f"why={reason}"), get(f"rule={zone}|{doc}"),
                get(f"sec={section}"), get(f"prev={prev}"), get(f"next={nxt}"),
                get(f"around={prev}|{nxt}"), get(f"kind={kind}"), get(f"lang={lang}"),
                get(f"pscore={prev_score}"), get(f"nscore={next_score}"))


def _add(total: tuple, *vectors) -> tuple:
    """`total` plus every vector that is not None, column by column."""
    return tuple(map(sum, zip(total, *filter(None, vectors))))


def _argmax(zones, scores, policy_allowed: bool = True) -> str:
    """The zone of the highest score (ties: the first zone); not policy when `policy_allowed` is False."""
    ks = range(len(zones)) if policy_allowed else [k for k, z in enumerate(zones) if z != "policy"]
    return zones[max(ks, key=lambda k: (scores[k], -k))]


@functools.lru_cache(maxsize=LINE_CACHE)
def _text_scores(text: str, score: float) -> tuple:
    """The summed weights of the features of a block's own text (cached per text)."""
    model, m = _model(), _model_config()
    by_feature, by_word = model["weights"].get, model["w"].get
    tables = model["text"]
    return _add(model["zero"], tables["len"][_bucket(len(text), m["length_edges"])],
                tables["score"][_bucket(score, m["score_edges"])], tables["others"][min(other_hits(text), 2)],
                tables["colon"][text.rstrip().endswith((":", "："))],
                *map(by_feature, text_shapes(text)), *map(by_word, _words(text, model["max_words"])))


def _text_tables(weights: dict, m: dict) -> dict:
    """The weights of the text features with few values, by value (bucket, hits, final colon): the fast
    path's lookups without building their strings."""
    return {"len": [weights.get(f"len={k}") for k in range(len(m["length_edges"]) + 1)],
            "score": [weights.get(f"score={k}") for k in range(len(m["score_edges"]) + 1)],
            "others": [weights.get(f"others={k}") for k in range(3)],
            "colon": {flag: weights.get(f"colon={flag}") for flag in (False, True)}}


@functools.cache
def _model_config() -> dict:
    return load("zones")["model"]


def _asks(text: str) -> bool:
    """A question to the buyer ("Cần hỗ trợ giao hàng?", "Have questions about your order?"): a support line,
    not a term, so a weak cue in it does not join it to the policy blocks around it (zones11). The shapes
    alone: the question mark is no family, so the families' scan is not run again."""
    return "shape=question_mark" in _shapes(text, set())


def _smooth(blocks, threshold: float, headings: list[bool]) -> None:
    for i, b in enumerate(blocks):
        if b.zone_reason not in (WHY.section, WHY.default):
            continue
        prev_policy = i > 0 and blocks[i - 1].zone == "policy"
        next_policy = i + 1 < len(blocks) and blocks[i + 1].zone == "policy"
        if b.zone != "policy" and b.policy_score > 0 and prev_policy and next_policy and not _asks(b.text):
            b.zone, b.zone_reason = "policy", WHY.neighbours
        elif headings[i] and b.zone != "policy" and next_policy:
            # An unnamed heading whose section (up to the next heading) is all policy heads that section.
            j = i + 1
            while j < len(blocks) and not headings[j] and blocks[j].zone == "policy":
                j += 1
            if j == len(blocks) or headings[j]:
                b.zone, b.zone_reason = "policy", WHY.heads_policy
