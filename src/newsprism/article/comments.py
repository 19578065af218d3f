"""Readers' comments and page furniture recognised by shape, for ``clean``: no rule names a site.

A comment carries a signature: who wrote it and when, with the page's reply or report button
("Posted by: dakotahgeo | June 16, 2010 5:17 PM | Report abuse", "March 30, 2011 at 5:19 pm | Reply",
"Posted by kiwidave | Report as abusive", "At 18:40 23rd Mar 2010, jenny wrote:"). A signature
with a timestamp or a button starts a thread on its own; a bare one ("stanilic wrote:", "Posted by
David T on April 2, 2005 11:01 PM.") may be a letter an article quotes or the post's own byline, so
a thread needs a second. The thread runs from its first comment to the end of the page: from the
line with the first signature, or from the invitation to comment above it ("Leave your thoughts in
the comments section below"), since a signature that follows its comment leaves the first comment
above it. A signature before any body line is the post's byline.

Furniture lines: link prompts ("For more coverage, click here"), page stamps ("This post was last
changed at 03:02 AM, May 1 2005, when the top headline was ..."), share widgets (short links,
"Retweet"), link lists ("Home | World | Business | Sport"), and short unpunctuated lines a page
repeats ("Voted One of the Nation's Best Blogs").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsprism.lexicon import CLOCK_TIME, MONTH

COMMENT = "reader comment"

_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{MONTH}\s+{_DAY}\s*,?\s*\d{{4}}|{_DAY}\s+{MONTH}\s*,?\s*\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4})"
)
_GLUE = r"\s*(?:,|;|at|on|-+|\|)?\s*"
STAMP = rf"(?:{_DATE}{_GLUE}{CLOCK_TIME}|{CLOCK_TIME}{_GLUE}{_DATE})"
_NAME = r"[\w@][\w.@'’ -]{0,38}?"
_BUTTON = r"(?:report (?:abuse|as abusive|this comment)|reply|permalink|recommend|flag)\b"

# Each signature: ``strong`` when it starts a thread alone, ``header`` when it opens its comment.
_SIGNATURES = (
    # Posted by: name | June 16, 2010 5:17 PM | Report abuse   /   Posted by name on April 2, 2005 11:01 PM
    (re.compile(rf"\b(?-i:Posted) by\s*:?\s*(?P<author>{_NAME})\s*(?:\||,|\bon\b|-)*\s*(?P<time>{STAMP})"
                rf"(?P<button>\s*\|\s*{_BUTTON})?", re.I), False),
    # Posted by kiwidave | Report as abusive
    (re.compile(rf"\b(?-i:Posted) by\s*:?\s*(?P<author>{_NAME})\s*\|\s*(?P<button>{_BUTTON})", re.I), True),
    # March 30, 2011 at 5:19 pm | Reply
    (re.compile(rf"(?P<time>{STAMP})\s*\|\s*(?P<button>{_BUTTON})", re.I), True),
    # At 18:40 23rd Mar 2010, jenny wrote:   /   At 5:49 pm on 05 May 2009 , GiniaHickley wrote :
    (re.compile(rf"(?:^|\b(?-i:At)\s+)(?P<time>{STAMP})\s*,?\s*(?P<author>[\w.-]{{2,40}})\s+wrote\s*:", re.I),
     True),
    # -- June 02, 2010 2:41 PM Nice.   (the name a page prints before the dashes lost in the scrape)
    (re.compile(rf"^(?:--|—|–)\s*(?P<time>{STAMP})", re.I), False),
    # stanilic wrote:
    (re.compile(r"^(?P<author>[\w.-]{2,40}) wrote\s*:"), False),
    # Posted by chibeetle 2 May 2012
    (re.compile(rf"\b(?-i:Posted) by\s*:?\s*(?P<author>{_NAME})\s*(?:\||,|\bon\b|-)*\s*(?P<time>{_DATE})",
                re.I), False),
)
# An invitation to comment closes the article: the thread starts with it. A short line of its own
# ("Comments (12)"), or the phrase anywhere in a line, even with the first comment glued after it.
_INVITATION_LINE = re.compile(r"^(?:\d+\s+)?(?:reader )?comments?\s*(?:\(\d+\))?\W*$", re.I)
_INVITATION = re.compile(
    r"\bcomments? (?:section |box )?below\b|\b(?:leave|post|add) (?:a|your) (?:comment|thoughts)\b", re.I
)
INVITATION_REACH = 60
# A comment section's own notice opens it even where the comments kept no signatures.
_POLICY = re.compile(
    r"\bviews expressed in (?:the|these) comments\b|\bwe welcome comments\b"
    r"|\bthis discussion is (?:now )?closed\b"
    r"|\bcomments (?:are|have been) (?:now )?(?:closed|moderated|pre-moderated)\b",
    re.I,
)
POLICY_MAX_WORDS = 40
# A call for readers' own accounts ("Tell us your experiences ...", "Your comments may be published"):
# the comment section's furniture, in the reader's second person.
_CALL_FOR_READERS = re.compile(
    r"^(?:tell us (?:your|about your|what you)|send us your (?:comments|views|pictures|photos|experiences)"
    r"|have your say\b|share your (?:views|experiences|thoughts|stories)"
    r"|(?:a selection of )?your comments (?:may|will) be (?:published|edited))"
    r"|\bmay edit your comments\b|\bnot all (?:emails|comments) will be published\b",
    re.I,
)
# A post's own signature comes after its title and a label or two at most.
BYLINE_REACH = 3


@dataclass(frozen=True)
class Signature:
    author: str | None
    time: str | None
    strong: bool
    header: bool


def signature(text: str) -> Signature | None:
    """The first comment signature in a line, if any."""
    for pattern, strong in _SIGNATURES:
        if match := pattern.search(text):
            groups = match.groupdict()
            author = (groups.get("author") or "").strip(" ,|-:") or None
            button = bool(groups.get("button"))
            header = "wrote" in match.group(0)
            time = groups.get("time")
            if time and time.endswith(".") and not re.search(r"[ap]\.m\.$", time, re.I):
                time = time[:-1]
            return Signature(author, time, strong or button, header)
    return None


@dataclass(frozen=True)
class Thread:
    """Where a page's comments start (None: no thread), each line's signature, and the line signing
    the post itself, if one does."""

    start: int | None
    signatures: list[Signature | None]
    byline: int | None = None


def comment_thread(texts: list[str], open_: list[bool]) -> Thread:
    """Where the thread of comments starts among a page's lines, and each line's signature.

    ``open_`` says which lines no earlier rule removed; only those may be comments or the body."""
    signatures = [signature(t) if o else None for t, o in zip(texts, open_, strict=True)]
    found = [i for i, s in enumerate(signatures) if s]
    byline = None
    # A bare "Posted by" signature among the page's first lines, above the body, signs the post itself.
    first = signatures[found[0]] if found else None
    if first and not first.strong and not first.header and sum(open_[: found[0]]) < BYLINE_REACH:
        byline, found = found[0], found[1:]
    policy = next((i for i, t in enumerate(texts) if open_[i] and len(t.split()) <= POLICY_MAX_WORDS
                   and _POLICY.search(t)), None)
    if not found or (len(found) < 2 and not signatures[found[0]].strong):  # type: ignore[union-attr]
        return Thread(policy, signatures, byline)
    start = found[0] if policy is None else min(policy, found[0])
    # A header opens its comment; a signature after its comment leaves that comment above it.
    reach = 0 if signatures[start].header else INVITATION_REACH  # type: ignore[union-attr]
    for index in range(start - 1, max(-1, start - reach), -1):
        if open_[index] and (_INVITATION_LINE.match(texts[index]) or _INVITATION.search(texts[index])):
            start = index
            break
    return Thread(start, signatures, byline)


def authors_and_times(signatures: list[Signature | None], start: int) -> list[tuple[str | None, str | None]]:
    """Who wrote each line of the thread and when: a header signs the lines after it, a trailing
    signature ("... Posted by: X | date | Report abuse") the lines since the last one."""
    who: list[tuple[str | None, str | None]] = [(None, None)] * (len(signatures) - start)
    pending: list[int] = []
    current: tuple[str | None, str | None] = (None, None)
    for offset, sig in enumerate(signatures[start:]):
        if sig is None:
            who[offset] = current
            if current == (None, None):
                pending.append(offset)
            continue
        mark = (sig.author, sig.time)
        who[offset] = mark
        if sig.header:
            current = mark
        else:
            for earlier in pending:
                who[earlier] = mark
            current = (None, None)
        pending = []
    return who


# --- furniture lines -------------------------------------------------------------------------

_LINK_PROMPT = re.compile(
    r"\b(?:click (?:here|on (?:the|this) link)|follow this link|go to\s*:\s*here)\b", re.I
)
LINK_PROMPT_TAIL_WORDS = 8
LINK_PROMPT_MAX_WORDS = 60
_PAGE_STAMP = re.compile(
    r"^(?:this|the) (?:post|page|entry|article|story|blog|site) (?:was )?last (?:changed|updated|modified)\b"
    r"|\bwhen the top headline was\b",
    re.I,
)
# The print edition's note: "A version appeared on p25 of the Main section of the Guardian on ...".
# It closes the article, so a line it opens is the page's footer, however long.
_PRINT_NOTE = re.compile(
    r"\b(?:a version(?: of this (?:article|story))?|this (?:article|story))"
    r" appeared (?:on|in) (?:p|page )\s?\d+",
    re.I,
)
PAGE_STAMP_MAX_WORDS = 60
# A blog's list of its latest posts, flattened into one line: "Posted by A on June 1, 2010 10:20 AM
# Posted by B, on July 21, 2010 4:21 PM ...". One or two may be a post's byline and a comment.
_POST_HEADER = re.compile(rf"\b(?-i:Posted) by\s+[^|]{{1,60}}?\s*,?\s*\bon\s+{STAMP}", re.I)
POST_LIST_ITEMS = 3
_SHORT_LINK = re.compile(
    r"\b(?:bit\.ly|t\.co|tinyurl\.com|ow\.ly|goo\.gl|fb\.me|is\.gd|buff\.ly|dlvr\.it)/\S+", re.I
)
_WIDGET_WORD = re.compile(
    r"^(?:re)?tweet(?: this)?\b|^(?:share|email|print)(?: this)?(?: on)?\s*[:|]|\bretweet\b", re.I
)
_LINKISH = re.compile(r"^(?:https?://|www\.|@\w|#\w)|\.(?:com|org|net|co\.uk|ly)(?:/|$)", re.I)
WIDGET_MAX_WORDS = 25
LINK_DENSITY = 0.3
_LIST_SEPARATOR = re.compile(r"\s+(?:\||»|•|·|::)\s+")
LINK_LIST_ITEMS = 4
LINK_LIST_ITEM_WORDS = 5
REPEATED_MAX_WORDS = 12
_TERMINAL = (".", "!", "?", "…", '"', "”", "’", "'", ")", ":")


def furniture_reason(text: str) -> str | None:
    """The reason a whole line is page furniture, or None."""
    words = text.split()
    if len(words) <= POLICY_MAX_WORDS and _CALL_FOR_READERS.search(text):
        return "navigation: call for comments"
    if _outside_quotes(text, _LINK_PROMPT) and len(words) <= LINK_PROMPT_MAX_WORDS:
        tail = _LINK_PROMPT.split(text)[-1]
        if len(tail.split()) <= LINK_PROMPT_TAIL_WORDS:
            return "navigation: link prompt"
    if len(_POST_HEADER.findall(text)) >= POST_LIST_ITEMS:
        return "navigation: list of posts"
    if _PRINT_NOTE.match(text) or (
        len(words) <= PAGE_STAMP_MAX_WORDS and (_PAGE_STAMP.search(text) or _PRINT_NOTE.search(text))
    ):
        return "navigation: page stamp"
    if len(words) <= WIDGET_MAX_WORDS and (
        _SHORT_LINK.search(text)
        or _WIDGET_WORD.search(text)
        or (len(words) >= 2 and sum(bool(_LINKISH.search(w)) for w in words) / len(words) >= LINK_DENSITY)
    ):
        return "navigation: share widget"
    items = _LIST_SEPARATOR.split(text)
    if (
        len(items) >= LINK_LIST_ITEMS
        and all(0 < len(item.split()) <= LINK_LIST_ITEM_WORDS for item in items)
        and not re.search(STAMP, text)
        and not text.endswith((".", "!", "?"))
    ):
        return "navigation: link list"
    return None


def repeated_lines(texts: list[str], open_: list[bool]) -> set[int]:
    """Short unpunctuated lines that a page prints more than once: a slogan, a section label."""
    def key(text: str) -> str:
        return re.sub(r"\W+", " ", text.lower()).strip()

    candidates = [
        i for i, (t, o) in enumerate(zip(texts, open_, strict=True))
        if o and 1 <= len(t.split()) <= REPEATED_MAX_WORDS and not t.endswith(_TERMINAL) and key(t)
    ]
    counts = Counter(key(texts[i]) for i in candidates)
    return {i for i in candidates if counts[key(texts[i])] >= 2}


def _outside_quotes(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether the pattern occurs in the text outside quotation marks."""
    bare = re.sub(r"[\"“][^\"“”]*[\"”]|``.*?''", " ", text)
    return pattern.search(bare) is not None
