"""Page headers glued onto the first line of a scrape: a headline, a timestamp, a byline or a
dateline run together with the lede when a page's layout is flattened into one line.

    "Oil spill to cost U.S. $10 billion LONDON | Tue Jul 27, 2010 7:37 am EDT LONDON (Reuters) - BP said ..."
    "Thursday, December 18, 2008; 11:33 AM The Interior Department is reviewing ..."
    "Striking miners vow to fight on VANCOUVER -- Police are investigating ..."

The dateline ("LONDON (Reuters) -", "VANCOUVER --", "(CNN) --") marks where the body starts; a
timestamp with its clock ("Tue Jul 27, 2010 7:37 am EDT", "22.47 BST") is a header, and so is
the place or name written before it with a bar ("LONDON |", "Jane Doe |"). What comes before the
header or the dateline is the headline when it reads like one, else a run of highlights.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.lexicon import CLOCK_TIME, MONTH, WEEKDAY
from newsprism.text import sentence_spans

_DAY_DATE = (
    rf"(?:{WEEKDAY}\s*,?\s*)?(?:{MONTH}\s*\d{{1,2}}\s*,?\s*(?:19|20)\d\d|\d{{1,2}}\s+{MONTH}\s*,?\s*(?:19|20)\d\d)"
)
# A timestamp is a date and a clock next to each other, in either order, with an optional label:
# "Tuesday, January 11, 2011; 12:31 AM", "Page last updated at 07:41 GMT, Wednesday, 9 June 2010".
STAMP = re.compile(
    rf"(?:(?:page\s+)?(?:last\s+)?(?:updated|published|posted)(?:\s+(?:at|on))?:?\s*)?"
    rf"(?:{_DAY_DATE}\s*[;,|-]?\s*(?:(?:last\s+)?updated\s+)?(?:at\s+)?{CLOCK_TIME}(?:\s+{CLOCK_TIME})?"
    rf"|{CLOCK_TIME}\s*[;,|-]?\s*{_DAY_DATE}(?:\s+{CLOCK_TIME})?)",
    re.I,
)
# What a bar sets before a timestamp: a place or a name ("LONDON |", "Claudia Bradshaw |").
BAR_LABEL = re.compile(r"(?:By\s+)?[A-Z][\w.'’/\\-]*(?:\s*,?\s+(?:[A-Z][\w.'’/\\-]*|\d\d?\b)){0,3}\s*\|\s*$")
_OPEN = r"(?:\(|\[|-LRB-\s*)"
_CLOSE = r"(?:\)|\]|\s*-RRB-)"
_AGENCY = rf"{_OPEN}[A-Z][\w.&]*(?:\s+[A-Z][\w.&]*){{0,3}}{_CLOSE}"
_PLACE_WORD = r"[A-Z][\w.'’-]*"
_CAPS_WORD = r"[A-Z][A-Z.'’-]{2,}"
# A dateline inside a line: a place (any case) with an agency and a dash, or a place in capitals
# with a dash: "RABAT (Reuters) -", "Montreal [Canada], Jan 1 (ANI):", "VANCOUVER --", "(CNN) --",
# "ISTANBUL -" (one hyphen only after a place of plain capitals: "U.S. -" is prose).
GLUED_DATELINE = re.compile(
    rf"(?<![\w(\[-])(?:(?:{_PLACE_WORD}(?:\s*,?\s+{_PLACE_WORD}){{0,3}}(?:\s*{_OPEN}[A-Z][\w ]+{_CLOSE})?"
    rf"(?:\s*,\s*{MONTH}\s*\d{{1,2}})?\s*)?{_AGENCY}\s*(?:--|[-–—:])"
    rf"|{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,5}}(?:\s*,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?"
    rf"(?:\s*,\s*{MONTH}\s*\d{{1,2}})?\s*(?:--|—)|[A-Z]{{4,}}(?:\s+[A-Z]{{3,}}){{0,2}}\s+-)\s+(?=[A-Z\"“‘'`])"
)
# A header glued before the lede comes within its first words: a headline, a stamp, a byline.
HEAD_CHARS = 400
HEADLINE_WORDS = (3, 30)
# Furniture that a headline never holds: a byline, a photo credit, a label with a colon.
NOT_HEADLINE = re.compile(r"^By\s|\b(?i:credit|full article|highlights)\b|\b[A-Z]{2,}/[A-Z]|:$")


_FUNCTION_WORDS = frozenset(
    ("a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but", "as",
     "that")
)


@dataclass(frozen=True)
class Glued:
    """A line cut where its header ends: ``head`` before the header (a headline, or highlights when
    ``headline`` is false), the ``header`` dropped and the ``body`` from the dateline on."""

    head: str
    headline: bool
    header: str
    body: str


def split_glued(text: str) -> Glued | None:
    """Cut a line at a glued timestamp header or, with none, at a dateline after its first words;
    None when the line opens with its body."""
    window = text[:HEAD_CHARS]
    stamp = STAMP.search(window)
    if stamp:
        start, end = stamp.start(), stamp.end()
        before = text[:start].split()
        if label := BAR_LABEL.search(window[:start]):
            start = label.start()
        elif before and before[-1].lower() in _FUNCTION_WORDS:
            return None  # a date and time inside a sentence ("... on May 5, 2009 at 10:00"), not above it
        # The dateline under a stamp repeats its place: "LONDON | Tue ... EDT LONDON (Reuters) -".
        head, body = text[:start].strip(), text[end:].strip(" ;,|")
        if not body or body[0].islower():
            return None
        return Glued(head, _headline(head), text[start:end].strip(" ;,|-"), body)
    dateline = GLUED_DATELINE.search(window)
    if dateline is None or dateline.start() == 0:
        return None
    head = text[: dateline.start()].strip()
    if not head or head.endswith(".") or len(head.split()) > HEADLINE_WORDS[1] * 2:
        return None
    return Glued(head, _headline(head), "", text[dateline.start() :].strip())


# A photo's credit left before a post's stamp: "REUTERS/Jason Lee", "(AP Photo/Alastair Grant, File)".
PHOTO_CREDIT = re.compile(r"\b(?:[A-Z]{2,}|(?i:photo))\s*\\?/\s*[A-Z]")
# A header glued to the lede is in the first line of text, or the second under a headline line.
GLUED_HEAD_UNITS = 2
# A page prints a few related headlines, a caption or a kicker above its stamped dateline; further
# down, a stamp with its dateline is a second post of a page of posts, not where the body starts.
STAMPED_HEAD_UNITS = 6


@dataclass(frozen=True)
class Cut:
    """A line to cut at its header, and the open lines above it that are the page's header too
    (``above``): when a stamp and a dateline start the body, what a page prints over them is related
    headlines, a caption or a kicker, except the headline nearest them."""

    index: int
    glued: Glued
    above: tuple[int, ...] = ()
    heads_page: bool = False  # the page's own header, whose stamp dates it


def header_cuts(texts: Sequence[str], open_: Sequence[bool]) -> list[Cut]:
    """Where the open lines of a flattened page are cut at a header: the first glued header in the
    first lines, then every line that opens with a timestamp or holds a stamped dateline within its
    first words, wherever it is (a page of posts stamps each one)."""
    opened = [i for i, o in enumerate(open_) if o]
    glued_head = ((i, split_glued(texts[i])) for i in opened[:GLUED_HEAD_UNITS])
    first_index, first = next(((i, g) for i, g in glued_head if g is not None), (None, None))
    cuts: list[Cut] = []
    for rank, index in enumerate(opened):
        glued = first if index == first_index else _stamped(texts[index])
        if glued is None:
            continue
        stamped_dateline = bool(glued.header) and LEDE_DATELINE.match(glued.body) is not None
        heads_page = index == first_index or (stamped_dateline and rank < STAMPED_HEAD_UNITS)
        above = _page_header(texts, opened[:rank]) if heads_page and stamped_dateline else ()
        # A line above the body's start is header whole, whatever a first cut made of it.
        cuts = [cut for cut in cuts if cut.index not in above]
        cuts.append(Cut(index, glued, above, heads_page and not any(cut.heads_page for cut in cuts)))
    return cuts


def _page_header(texts: Sequence[str], lines: Sequence[int]) -> tuple[int, ...]:
    headlines = [i for i in lines if _headline(texts[i])]
    return tuple(i for i in lines if not headlines or i != headlines[-1])


def _stamped(text: str) -> Glued | None:
    """A line cut at a timestamp that no prose writes: opening the line, set off by a bar, or with
    a dateline after it; what comes before it is a few words of header, never a sentence."""
    glued = split_glued(text)
    if glued is None or not glued.header:
        return None
    if glued.head and (len(glued.head.split()) > HEADLINE_WORDS[1] or glued.head.endswith((".", "?", "!"))):
        return None
    if glued.head and "|" not in glued.header and LEDE_DATELINE.match(glued.body) is None \
            and not PHOTO_CREDIT.search(glued.head):
        return None
    return glued


def _headline(text: str) -> bool:
    words = text.split()
    return (
        HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1]
        and text[0].isalnum()
        and not text[0].islower()
        and not text.endswith((".", ":", ";", ",", "(", "[", "-"))
        and text.split()[-1].lower() not in _FUNCTION_WORDS
        and not NOT_HEADLINE.search(text)
    )


# A dateline opening a lede: the glued forms, or a place in capitals with one dash ("WASHINGTON -").
LEDE_DATELINE = re.compile(
    rf"^(?:{GLUED_DATELINE.pattern}|{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,5}}(?:\s*,\s*[A-Z][\w.]*)?\s*[-–:]\s+)"
)
# Lines that open with furniture, never a headline: a byline, a credit, a comment's or a post's
# header, a "PLACE |" header, a date with its year or a colon ("June 2 :" opens a caption), a clock.
FURNITURE = re.compile(
    r"^(?:by\s|(?:photo\s+)?credit\s*:|posted\s+by\b|written\s+by\b"
    r"|(?:updated|published|posted)(?:\s+(?:on|at|by)\b|\s*:)|[\w.-]{2,40}\s+wrote\s*:"
    rf"|[A-Z][\w.'’-]*(?:[ ,]+[A-Za-z][\w.'’-]*){{0,4}}\s*\|)"
    rf"|^(?:{WEEKDAY}\s*,?\s*)?(?:{MONTH}\s*\d{{1,2}}|\d{{1,2}}\s+{MONTH})\b\s*(?:,?\s*(?:19|20)\d\d\b|[:;|]|-\s)"
    rf"|^\d{{1,2}}[:.]\d\d\b|^{WEEKDAY}\s*(?:,?\s*(?:{MONTH}|\d)|[:;|])",
    re.I,
)
# Where a long lede sentence can be cut for a headline: after a comma, semicolon or colon, at a dash.
CLAUSE_END = re.compile(r"^(?:[,;:]|--|—|–)$|[,;:]$")
MIN_CUT_WORDS = 8
LEDE_SENTENCES = 6


# A sentence opening with what a page prints around its text: a byline naming someone (not "By June"
# or "By the time"), a timestamp, a post's or a comment's header, a "Name |" bar, a photo credit.
_FURNITURE_OPENING = re.compile(
    rf"^(?:(?:posted|written)\s+by\b|[\w.-]{{2,40}}\s+wrote\s*:|(?:photo(?:graph)?|picture|image)\s+credit\b"
    rf"|(?-i:By)\s+(?!(?:{MONTH}|{WEEKDAY})(?:\W|$))(?-i:[A-Z][a-z]+(?:\s+[A-Z][\w'’-]+)+)"
    rf"|[A-Z][\w.'’-]*(?:[ ,]+[A-Za-z][\w.'’-]*){{0,4}}\s*\|)",
    re.I,
)


def furniture_sentence(text: str) -> bool:
    """A sentence that opens with page furniture cleaning left glued to it ("By Lisa Rein and Ed
    O'Keefe BP has reimbursed ...", "May 3, 2009 22:40 UTC If it intensifies ..."): a summary or a
    timeline tells nothing with it."""
    text = text.strip()
    return bool(_FURNITURE_OPENING.match(text) or STAMP.match(text))


def is_furniture(text: str) -> bool:
    """A line that opens with a byline, a timestamp, a comment's header or a dateline: not a headline."""
    text = text.strip()
    return bool(FURNITURE.match(text) or STAMP.match(text) or GLUED_DATELINE.match(text + " "))


def headline(title: str | None, paragraphs: list[str] | tuple[str, ...], limit: int) -> str | None:
    """The article's own title unless it is furniture; else the first sentence of the lede that is
    not, its dateline cut off, shortened to ``limit`` words at a clause boundary."""
    title = _title_head(title or "")
    if title and not is_furniture(title):
        return title
    seen = 0
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            seen += 1
            if seen > LEDE_SENTENCES:
                return None
            if (glued := split_glued(sentence)) is not None:
                sentence = glued.body
            sentence = LEDE_DATELINE.sub("", sentence).strip()
            if len(sentence.split()) >= HEADLINE_WORDS[0] and not is_furniture(sentence):
                return _shortened(sentence, limit)
    return None


def _title_head(title: str) -> str:
    """A title with a header glued after it ("BP cuts the riser LONDON | Tue Jun 1, 2010 7:37 am EDT")
    is the headline before the header."""
    title = title.strip()
    found = STAMP.search(title) or GLUED_DATELINE.search(title)
    if found is None or found.start() == 0:
        return title
    cut = label.start() if (label := BAR_LABEL.search(title[: found.start()])) else found.start()
    head = title[:cut].strip()
    return head if _headline(head) else title


def _sentences(paragraph: str) -> list[str]:
    return [paragraph[a:b] for a, b in sentence_spans(paragraph)]


def _shortened(sentence: str, limit: int) -> str:
    words = sentence.split()
    if len(words) <= limit:
        return sentence
    cuts = [i for i in range(MIN_CUT_WORDS, limit + 1) if CLAUSE_END.search(words[i - 1])]
    if cuts:
        kept = words[: cuts[-1]]
        if re.fullmatch(r"--|—|–|[,;:]", kept[-1]):
            kept = kept[:-1]
        return " ".join(kept).rstrip(",;:") + " …"
    return " ".join(words[:limit]) + " …"
