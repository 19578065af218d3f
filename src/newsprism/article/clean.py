"""Turn a ``RawDoc`` into an ``Article``: body paragraphs only, metadata inferred, nothing lost.

The cascade for scraped text:
1. Split into lines; every non-empty line is a unit.
2. Classify each unit as junk (with a reason) by general patterns of scraped pages: metadata lines
   at the head, navigation and app prompts, teaser links, photo captions with agency credits, credit
   lines, bylines, machine dumps, mastheads, image alt-text slugs, repeated title lines; link
   prompts, page stamps, share widgets, link lists, repeated slogans, and a thread of readers'
   comments from its first comment on (``comments``: by the shape of a signature, never a site).
3. Pick the title among the units before the body starts.
4. Repair paragraphs broken inside a sentence or a quotation by merging units.
5. Infer outlet, dateline, authors and publication date from what the units revealed.

Every non-empty input line ends up in the body, the title or ``removed``, which also notes input bytes
that reading replaced. HTML goes through trafilatura first; its text lines then take the same cascade
(minus title detection).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import trafilatura
from trafilatura.settings import Document

from newsprism.article.comments import (
    COMMENT,
    authors_and_times,
    comment_thread,
    furniture_reason,
    repeated_lines,
    signature,
)
from newsprism.article.credits import LEADING_CREDIT, PHOTO_CREDIT_LINE, is_credit, names_in_credit
from newsprism.article.headers import STAMP, header_cuts, is_furniture
from newsprism.article.ingest import INVALID_BYTES
from newsprism.article.ingest import content_hash as hash_of
from newsprism.article.metadata import (
    date_from_caption,
    date_from_header,
    date_from_timestamp,
    date_from_url,
    infer_published,
    is_stamp_line,
    normalize_date,
    outlet_from_url,
)
from newsprism.errors import InputError
from newsprism.records import Article, DateEvidence, RawDoc, Removed
from newsprism.text import HAS_WORD, visible

# Bump when this stage's output changes for any article: newsprism/versions.py says why.
VERSION = 11  # cleaning, metadata and the HTML path

TERMINAL = (".", "!", "?", "…", '"', "”", "’", "'", ")", "]", "»", ":", ";")
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but",
    "as", "that", "which", "who", "whose", "than", "into", "onto", "over", "under", "about", "against",
    "between", "its", "their", "his", "her", "our", "your", "my", "is", "are", "was", "were", "be",
    "been", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "must",
    "not", "no",
})  # fmt: skip

URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
COUNTER_LINE = re.compile(
    r"^[#№]?\d[\d\s.,:/|-]{0,20}(?:\s*(?:views?|comments?|shares?|likes?|reads?))?$", re.I
)
TEASER = re.compile(
    r"^(?:read more|read also|also read|more from|more on this|"
    r"related(?: coverage| articles?| stories| news| content| links| topics)?|"
    r"see also|recommended(?: for you)?|watch|listen|most read|trending(?: now)?|"
    r"latest news|top stories|editor'?s picks?|you may also like|don'?t miss)\b\s*(?:[:|»>–-].*)?$",
    re.I,
)
APP_PROMPT = re.compile(
    r"^(?:(?:follow us|download (?:our |the )?app|get (?:our |the )?app|subscribe|sign up|"
    r"share (?:this|on|via)|click here|tap here|join us on|like us on|open in app|"
    r"listen to this article|email this|"
    r"(?:this (?:article|story) )?(?:was )?(?:originally|first) (?:published|appeared))\b"
    r"|(?:tags?|topics?|filed under)\s*:"
    r"|(?:advertisement|sponsored(?: content)?|print|share|tweet|comments?(?:\s*\(?\d+\)?)?)\s*$)",
    re.I,
)
PLATFORMS = frozenset({
    "android", "ios", "facebook", "twitter", "x", "whatsapp", "telegram", "instagram", "youtube", "linkedin",
    "vk", "rss", "email", "e-mail", "reddit", "pinterest", "tiktok", "flipboard", "viber", "messenger",
    "copy link", "google play", "app store", "google news", "apple news",
})  # fmt: skip
BULLET = re.compile(r"^[•·▪►◦●■*–-]\s*")
CAPTION_CREDIT = re.compile(
    r"(?:\b[A-Z]{2,}(?:/[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)+"  # REUTERS/Jane Doe, AFP/Getty, (AP/Jane Doe)
    r"|\((?i:photo|image|picture|file photo|video)[^)]*\)"  # (Photo: AP), (Photo by X/AFP)
    r"|^(?i:image (?:copyright|caption))\b.*"  # BBC-style image furniture
    r"|\b(?i:photo|image|picture)\s*(?i:credit)?\s*:\s*[A-Z][^.:]{1,59}"  # Photo: Jane Doe
    r"|\b(?:Getty Images|AP Photo[^.]*|via Getty Images|Shutterstock))\)?\s*\.?$"
)
# Prompts to subscribe, sign up or turn the ad blocker off: the page selling itself, not the story.
PROMOTION = re.compile(
    r"\b(?:turn(?:ing)? off your ad ?blocker|(?:you are|you're|you’re) (?:using an ad ?blocker|blocking ads)"
    r"|sign(?:ing)? up (?:to|for) (?:our|the) [\w ]{0,30}newsletter|subscribe (?:today|now)\b"
    r"|(?:purchase|buy) a subscription|for unlimited access|already (?:a )?subscribe"
    r"|sign up (?:to|for) (?:get|receive)\b|^follow [\w .@&'’-]{1,40} on (?:twitter|facebook|instagram)\b"
    r"|^(?:[\w&'’-]+ ){0,4}newsletters?$)",
    re.I,
)
PROMOTION_MAX_WORDS = 40
# Whole lines of page furniture that carry no article text.
PAGE_FURNITURE = re.compile(
    r"^(?:skip to (?:main )?content|loading\.*|continue reading(?: the main story)?|supported by|"
    r"\d+\s*min(?:ute)?s? read|your browser does not support .*|this (?:article|story) is more than .* old|"
    r"our standards:.*|more from [\w\s&]{1,30}|follow @\w+.*)$",
    re.I,
)
SEPARATOR = re.compile(r"^[\W_]{3,}$")
BYLINE = re.compile(
    r"^(?i:by|posted by|written by|words by)\s+(?P<names>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)\s*$",
)
MACHINE_DUMP = re.compile(
    r'^(?:(?:string|array|object|int|bool|float)\(\d+\)|\[\s*\{|\{\s*"|<\?php|'
    r"var\s+\w+\s*=|function\s*\()"
)
COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|all rights reserved|this material may not be (?:published|reproduced))", re.I
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?\s*\.?\s*"
    r"(?:(?:\(|-LRB-\s*)(?P<paren>[A-Za-z][\w .&-]{1,30}?)(?:\)|\s*-RRB-)"
    r"|/(?P<slash>[A-Za-z][\w .&-]{1,30})/\.?)?"
    r"\s*(?P<dash>[-–—:])?\s+(?=[A-Z“\"'‘])"
)

# A headline runs from a few words to a long sentence; past 30 words it is a paragraph.
TITLE_WORDS = (3, 30)
# Labels above a headline ("All news", "World") are navigation; longer lines are not.
NAV_MAX_WORDS = 4
# Teasers, prompts and list items are short; a long line matching their first word is prose.
SHORT_LINE_WORDS = 16
ALT_TEXT_WORDS = (2, 10)
DATELINE_SEARCH_PARAGRAPHS = 3
# trafilatura falls back to whatever text a page has; a few words of menu are not an article.
MIN_HTML_ARTICLE_WORDS = 10
# A caption's credit closes it; looking only at a line's tail keeps the pattern linear on long lines.
CAPTION_TAIL_CHARS = 300
# Photo captions in Timeline17 and SemEval are under 60 words; a longer line that ends in a credit is a whole
# article scraped onto one line with its last photo's caption, and dropping it would lose the article.
CAPTION_MAX_WORDS = 60
# A page's declared date is nearly always its publication date; a dateline timestamp is surer.
PAGE_DATE_CONFIDENCE = 0.9
# Prose has a few quote marks and brackets per hundred characters; serialized data has many more.
MAX_SYMBOL_DENSITY = 0.12


@dataclass
class _Unit:
    text: str
    reason: str | None = None
    author: str | None = None
    time: str | None = None


@dataclass
class _Found:
    """Facts cleaning learns from the junk it removes, for the metadata step."""

    url: str | None = None
    masthead: str | None = None
    credits: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    dates: list[DateEvidence] = field(default_factory=list)


def clean(raw: RawDoc, reference_date: dt.date) -> Article:
    """Clean one raw document, text or HTML, into an Article.

    ``reference_date`` is the day the run treats as today: no publication date is inferred after it,
    and the year of a date known only by its month, day and weekday is looked for up to it."""
    if raw.is_html:
        return clean_html(raw.text, raw.source, reference_date, raw.given, raw.content_hash)
    return _build(raw.text.splitlines(), raw.source, raw.given, raw.content_hash, reference_date, flat=True)


def clean_html(
    html: str,
    source: str,
    reference_date: dt.date,
    given: dict[str, str | None] | None = None,
    content_hash: str | None = None,
) -> Article:
    """Extract an article page with trafilatura, then clean its text lines like scraped text."""
    given = dict(given or {})
    doc = extract_page(html, source, given.get("url"))
    if content_hash is None:
        content_hash = hash_of(html, given)
    for key, value in (("title", doc.title), ("outlet", doc.sitename), ("url", doc.url)):
        if value and not given.get(key):
            given[key] = value
    if doc.author and not given.get("authors"):
        given["authors"] = doc.author
    # The page's own date (its metadata, or what htmldate reads off the page) is strong evidence,
    # not a given: a JSONL or feed date still wins over it.
    page_date = normalize_date(doc.date, reference_date)
    found = _Found(dates=[DateEvidence(page_date, doc.date, "page metadata", PAGE_DATE_CONFIDENCE)]
                   if page_date else [])
    return _build(doc.text.splitlines(), source, given, content_hash, reference_date, flat=False, found=found)


def text_lines(lines: Sequence[str]) -> list[str]:
    """The lines cleaning sorts, each with its whitespace collapsed; blank lines (those that show
    nothing: a byte-order mark, a stray accent) only separate."""
    return [" ".join(line.split()) for line in lines if visible(line)]


def extract_page(html: str, source: str, url: str | None = None) -> Document:
    """The article text and metadata trafilatura extracts from a page; its text's lines are what
    cleaning then sorts into body and junk."""
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, url=url)
    except (ValueError, TypeError) as exc:  # trafilatura raises these on markup it cannot parse
        raise InputError(source, f"cannot parse HTML: {exc}") from exc
    if doc is None or len((doc.text or "").split()) < MIN_HTML_ARTICLE_WORDS:
        raise InputError(source, "HTML page with no article text")
    return doc


def _build(
    lines: Sequence[str],
    source: str,
    given: dict[str, str | None],
    content_hash: str,
    reference_date: dt.date,
    *,
    flat: bool,
    found: _Found | None = None,
) -> Article:
    """``flat`` text is a scrape with the page's structure gone; text from trafilatura already lost
    its navigation and layout, so its lists, code and short lines are content, and the rules that
    recognise page furniture by shape alone (list items, alt text, symbol-dense lines, the
    headline) stay off."""
    units = [_Unit(line) for line in text_lines(lines)]
    if not units:
        raise InputError(source, "no text in document")
    one_line = units[0].text if len(units) == 1 else None
    found = found or _Found()
    _mark_head(units, found)
    for unit in units:
        if unit.reason is None:
            unit.reason = _junk_reason(unit.text, found, flat)
    _mark_comments(units)
    title = given.get("title")
    if flat:
        units = _split_glued_header(units, found, titled=title is not None)
        units = _split_photo_credits(units)
        title = _mark_title(units, title)
        _mark_alt_text(units)
        _mark_repeated(units)
    elif title is not None:
        _mark_title(units, title)  # the page's own headline, printed again above its text
    paragraphs = _repair(units)
    if not paragraphs and flat and one_line is not None:
        # The shape rules tell furniture from the body around it; a text of one line (a feed's
        # snippet, a page run onto one line) has none around it, so its line is its body.
        units, title = [_Unit(one_line)], None
        paragraphs = _repair(units)
    if not any(HAS_WORD.search(p) for p in paragraphs):
        raise InputError(source, "no article body left after cleaning")
    removed = tuple(
        Removed(u.text, u.reason, u.author, u.time) for u in units if u.reason and u.reason != "title"
    )
    if given.get(INVALID_BYTES):
        # Not a line but what reading lost: a reader seeing U+FFFD in the body learns it was not the source's.
        note = f"{given[INVALID_BYTES]} invalid byte(s) replaced by U+FFFD"
        removed += (Removed(note, "encoding: invalid bytes replaced"),)
    return _with_metadata(source, given, content_hash, title, paragraphs, removed, found, reference_date)


def _mark_head(units: list[_Unit], found: _Found) -> None:
    """A URL first line and the bare counters/ids under it are metadata, not body."""
    index = 0
    if URL_LINE.match(units[0].text):
        found.url = units[0].text
        units[0].reason = "metadata: url"
        index = 1
        while index < len(units) and COUNTER_LINE.match(units[index].text):
            units[index].reason = "metadata: counter"
            index += 1


def _mark_comments(units: list[_Unit]) -> None:
    """Everything from the first of a thread of readers' comments on is not the article
    (``comments.comment_thread``); each comment line keeps its author and time when signed."""
    thread = comment_thread([u.text for u in units], [u.reason is None for u in units])
    if thread.byline is not None:
        units[thread.byline].reason = "byline"
    if thread.start is None:
        return
    signed = authors_and_times(thread.signatures, thread.start)
    for unit, (author, time) in zip(units[thread.start :], signed, strict=True):
        if unit.reason is None:
            unit.reason, unit.author, unit.time = COMMENT, author, time


def _mark_repeated(units: list[_Unit]) -> None:
    """Short unpunctuated lines a page prints more than once are its furniture."""
    for index in repeated_lines([u.text for u in units], [u.reason is None for u in units]):
        units[index].reason = "repeated furniture"


def _junk_reason(text: str, found: _Found, flat: bool) -> str | None:
    words = text.split()
    short = len(words) <= SHORT_LINE_WORDS
    bare = BULLET.sub("", text).strip(" :|").lower()
    if URL_LINE.match(text):
        found.url = found.url or text
        return "metadata: url"
    if COUNTER_LINE.match(text):
        return "metadata: counter"
    if MACHINE_DUMP.match(text) or (flat and _symbol_density(text) > MAX_SYMBOL_DENSITY):
        return "machine dump"
    if short and (TEASER.match(text) or TEASER.match(bare)):
        return "teaser link"
    if short and (APP_PROMPT.match(bare) or bare in PLATFORMS):
        return "navigation: app or share prompt"
    if short and PAGE_FURNITURE.match(text):
        return "navigation"
    if SEPARATOR.match(text):
        return "separator"
    if is_credit(text, short=short):
        found.credits.extend(names_in_credit(text))
        return "credits"
    if match := BYLINE.match(text):
        found.authors.extend(n.strip() for n in re.split(r",|\band\b|&", match["names"]) if n.strip())
        return "byline"
    if COPYRIGHT.match(text):
        return "copyright"
    if len(words) <= PROMOTION_MAX_WORDS and PROMOTION.search(text):
        return "advert: subscription prompt"
    if evidence := date_from_timestamp(text):
        found.dates.append(evidence)
        return "metadata: timestamp"
    if is_stamp_line(text) and signature(text) is None:  # a comment's signature starts its thread
        return "metadata: timestamp"
    if len(words) <= CAPTION_MAX_WORDS and PHOTO_CREDIT_LINE.match(text) and not STAMP.search(text):
        return "photo caption"  # a stamp in it is a post's header, which the header cut splits off
    if len(words) <= CAPTION_MAX_WORDS and CAPTION_CREDIT.search(text[-CAPTION_TAIL_CHARS:]):
        if evidence := date_from_caption(text):
            found.dates.append(evidence)
        return "photo caption"
    if masthead := _doubled(text):
        found.masthead = found.masthead or masthead
        return "masthead"
    if flat and BULLET.match(text) and short and not text.endswith((".", "!", "?")):
        return "list item"
    return furniture_reason(text)


def _symbol_density(text: str) -> float:
    if len(text) < 40:
        return 0.0
    return sum(ch in '{}[]"=<>;|\\' for ch in text) / len(text)


def _doubled(text: str) -> str | None:
    """A logo's text scraped twice ("Daily NewsDaily News") names the outlet."""
    compact = text.strip()
    half = len(compact) // 2
    if len(compact) >= 6 and len(compact) % 2 == 0 and compact[:half] == compact[half:]:
        return compact[:half].strip()
    return None


def _split_glued_header(units: list[_Unit], found: _Found, *, titled: bool) -> list[_Unit]:
    """A flattened page runs its headline, timestamp or highlights into the lede's line: cut them
    off where the header ends or the dateline starts, which is where the body starts
    (``headers.header_cuts``). Only the page's own header dates it; later stamps head later posts."""
    cuts = header_cuts([u.text for u in units], [u.reason is None for u in units])
    for cut in reversed(cuts):
        glued, pieces = cut.glued, []
        for index in cut.above:
            units[index].reason = "header: above the dateline"
        if glued.head:
            headline = "headline" if titled else None
            first = cut.index == min(c.index for c in cuts)
            pieces.append(_Unit(glued.head, headline if glued.headline and first else "header: highlights"))
        if glued.header:
            if cut.heads_page and (evidence := date_from_header(glued.header)):
                found.dates.append(evidence)
            pieces.append(_Unit(glued.header, "header: timestamp"))
        units = [*units[: cut.index], *pieces, _Unit(glued.body), *units[cut.index + 1 :]]
    return units


def _split_photo_credits(units: list[_Unit]) -> list[_Unit]:
    """A credit opening a line ("Photograph: Jane Doe/AP The lede ...") credits the photo whose
    caption is the text just before it; the text after the credit goes on as body."""
    out: list[_Unit] = []
    for unit in units:
        match = LEADING_CREDIT.match(unit.text) if unit.reason is None else None
        if match is None:
            out.append(unit)
            continue
        caption = next((u for u in reversed(out) if u.reason is None), None)
        # A page's first line runs its headline and standfirst into the caption, and they tell the
        # story: the caption is cut off it only where a header split it there.
        if caption is not None and caption is not out[0] and len(caption.text.split()) <= CAPTION_MAX_WORDS:
            caption.reason = "photo caption"
        out += [_Unit(match.group(0).strip(), "photo credit"), _Unit(unit.text[match.end():])]
    return out


def _mark_title(units: list[_Unit], given_title: str | None) -> str | None:
    """Find the headline before the body and mark it; later copies of it are repeated titles."""
    title = _detect_title(units) if given_title is None else given_title
    if title is not None:
        key = _loose(title)
        for unit in units:
            if unit.reason is None and _loose(unit.text) == key:
                unit.reason = "repeated title"
    return title


def _detect_title(units: list[_Unit]) -> str | None:
    """The first open unit is the headline when it reads like one and text follows it (a text of one
    paragraph, a headline and snippet on one line, is all body); short labels above it are navigation."""
    for index, unit in enumerate(units):
        if unit.reason:
            continue
        if is_furniture(unit.text):
            return None  # a byline, a stamp or the dateline that starts the body: no headline above
        words = unit.text.split()
        terminal = unit.text.endswith((".", ":", ";", ","))
        if (
            TITLE_WORDS[0] <= len(words) <= TITLE_WORDS[1]
            and not terminal
            and unit.text[0].isalnum()
            and not unit.text[0].islower()
            and any(later.reason is None for later in units[index + 1 :])
        ):
            unit.reason = "title"
            return unit.text
        if len(words) > NAV_MAX_WORDS or terminal:
            return None
        unit.reason = "navigation"
    return None


def _mark_alt_text(units: list[_Unit]) -> None:
    """Image alt text left in a scrape is an unpunctuated lower-case slug between body blocks."""
    previous: _Unit | None = None
    for unit in units:
        text = unit.text
        if unit.reason is None:
            slug = (
                ALT_TEXT_WORDS[0] <= len(text.split()) <= ALT_TEXT_WORDS[1]
                and re.fullmatch(r"[a-z0-9][a-z0-9 \-]*", text) is not None
            )
            open_sentence = previous is not None and not previous.text.endswith(TERMINAL)
            if slug and not open_sentence:
                unit.reason = "image alt text"
                continue
            previous = unit


def _loose(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _repair(units: list[_Unit]) -> tuple[str, ...]:
    """Join body units broken inside a sentence: an open sentence continues on the next unit."""
    paragraphs: list[str] = []
    for unit in units:
        if unit.reason:
            continue
        if paragraphs and _continues(paragraphs[-1], unit.text):
            paragraphs[-1] = f"{paragraphs[-1]} {unit.text}"
        else:
            paragraphs.append(unit.text)
    return tuple(paragraphs)


def _continues(previous: str, text: str) -> bool:
    if previous.endswith(TERMINAL):
        return False
    last_word = previous.rsplit(None, 1)[-1]
    return text[:1].islower() or last_word in FUNCTION_WORDS or previous.endswith(",")


def _with_metadata(
    source: str,
    given: dict[str, str | None],
    content_hash: str,
    title: str | None,
    paragraphs: tuple[str, ...],
    removed: tuple[Removed, ...],
    found: _Found,
    reference_date: dt.date,
) -> Article:
    dateline = _dateline(paragraphs)
    url = given.get("url") or found.url
    outlet = given.get("outlet") or outlet_from_url(url) or found.masthead or dateline.agency
    given_date = normalize_date(given.get("published"), reference_date)
    if given_date:
        evidence = DateEvidence(given_date, given["published"], "given", 1.0)
    else:
        url_date = date_from_url(url)
        candidates = [*found.dates, *([url_date] if url_date else [])]
        evidence = infer_published(
            candidates, "\n".join(paragraphs), dateline.date, dateline.paragraph, reference_date
        )
    authors = tuple(found.authors) or tuple(
        a.strip() for a in (given.get("authors") or "").split(";") if a.strip()
    )
    return Article(
        id=content_hash[:16],
        source=source,
        paragraphs=paragraphs,
        removed=removed,
        source_id=given.get("source_id"),
        url=url,
        outlet=outlet,
        title=title,
        published=evidence.value if evidence else None,
        published_evidence=evidence,
        dateline=dateline.place,
        authors=authors,
        credits=tuple(found.credits),
    )


@dataclass(frozen=True)
class _Dateline:
    place: str | None = None
    agency: str | None = None
    date: str | None = None
    paragraph: str = ""


def _dateline(paragraphs: Sequence[str]) -> _Dateline:
    """The dateline opens the lead, which may follow a standfirst paragraph or two."""
    for paragraph in paragraphs[:DATELINE_SEARCH_PARAGRAPHS]:
        match = DATELINE.match(paragraph)
        if not match:
            continue
        agency = match["paren"] or match["slash"]
        if not (agency or match["date"] or match["dash"]) or len(match["place"].replace(".", "")) < 3:
            continue
        place = " ".join(w.capitalize() if w.isupper() else w for w in match["place"].split())
        return _Dateline(place, agency.strip() if agency else None, match["date"], paragraph)
    return _Dateline()
