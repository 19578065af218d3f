"""Credit lines: who reported, wrote, edited or photographed, as a page prints it around the story.

A credit is furniture, but the names in it are evidence of the article's authors, so cleaning both
removes the line and keeps its names (``names_in_credit``).
"""

from __future__ import annotations

import re

# Brackets as scraped, or as Penn-Treebank tokenized text writes them; an agency's credit line may
# open with its currency note ("($1 = 0.75 pounds)"). Whatever a line runs into after the credit
# is the page's trailer (adverts, comment policy), not the story.
_OPEN, _CLOSE = r"(?:\(|-LRB-)", r"(?:\)|-RRB-)"
CREDITS = re.compile(
    rf"^(?:{_OPEN}\s*\$\s*1\s*=[^()]*?{_CLOSE}\s*)?{_OPEN}?\s*(?:additional reporting|reporting|editing|"
    r"writing|compiled|edited|written|production|research) by\b",
    re.I,
)
CONTRIBUTED = re.compile(rf"\s*\bcontributed (?:to )?this (?:report|story|article)\s*\.?\s*{_CLOSE}?$", re.I)
PERSON_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+)+(?=\s+in\s|\s*,|\s+and\s|$)")
CREDIT_ROLE_WORDS = frozenset({"Associated", "Press", "Reuters", "Writer", "Writers", "Staff"})
NAME_IN_CREDIT = re.compile(r"[A-Z][\w.'’-]+(?:\s+(?:de|van|von|al|bin|da|del|[A-Z][\w.'’-]+))*")
# A photo's credit that opens the line after its caption ("Photograph: Jane Doe/AP The lede ..."):
# a name, a slash and the agency mark where the credit ends and the text goes on.
LEADING_CREDIT = re.compile(
    r"^(?:(?:Photograph|Photo|Picture|Image)s?\s*:\s*[^/\\:]{1,40}?|AP Photo)"
    r"\\?/\s*(?:Getty Images|[A-Z][\w.-]*)\s+(?=\S)"
)

# A line opening with a photo's credit label is the photo's furniture, its caption after or before
# the credit ("Picture credit : A dead crab sits among the oil ...").
PHOTO_CREDIT_LINE = re.compile(r"^(?:photo(?:graph)?|picture|image)s?\s+credits?\s*:", re.I)

# A graphic's sources and makers: "SOURCES : BP , U.S. Coast Guard | The Washington Post - May 30, 2010".
GRAPHIC_CREDIT = re.compile(r"\bSOURCES?\s*:\s*\S.*\|")
GRAPHIC_CREDIT_MAX_WORDS = 40


def is_credit(text: str, *, short: bool) -> bool:
    """A reporting credit ("(Reporting by ...; Editing by ...)"), a short "... contributed to this
    report" line, or a graphic's sources."""
    return bool(
        CREDITS.match(text)
        or (short and CONTRIBUTED.search(text))
        or (len(text.split()) <= GRAPHIC_CREDIT_MAX_WORDS and GRAPHIC_CREDIT.search(text))
    )


def names_in_credit(text: str) -> list[str]:
    if CONTRIBUTED.search(text):
        # "Associated Press writer Jane Doe in Paris contributed to this report."
        return [m.group(0) for m in PERSON_NAME.finditer(CONTRIBUTED.sub("", text))
                if m.group(0).split()[0] not in CREDIT_ROLE_WORDS]
    names = []
    for part in re.split(r"[;|]", text):
        _, by, rest = part.partition(" by ")
        if not by:
            continue
        for chunk in re.split(r",|\band\b|&", rest):
            chunk = re.split(r"\s+(?:in|at|from)\s+", chunk.strip())[0]
            if match := NAME_IN_CREDIT.match(chunk):
                names.append(match.group(0))
    return names
