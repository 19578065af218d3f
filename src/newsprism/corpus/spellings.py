"""How names are written: spellings of one name (transliterations, a letter off) and acronyms,
spelled letter by letter and fitted to the words of the names they stand for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

# Two names are spelling variants when each aligned word scores at least TOKEN_SIMILARITY and the whole
# name at least NAME_SIMILARITY (rapidfuzz ratio, 0-100). One substituted letter in a six-letter word
# (Dmitry/Dmitri, Yevgeny/Yevgeni) scores 83; in a five-letter word (Sudan/Sedan, Dan/Don) 80 or less,
# which the whole-name bar then rejects for one-word names: short words are too easily confused.
TOKEN_SIMILARITY = 80
NAME_SIMILARITY = 85
# Words shorter than this must sound the same to be one name's spellings.
MIN_FUZZY_WORD = 5
# A name of fewer letters ("A", "AC") is letters, not a word: it never merges by how it sounds or
# by the prefixes its letters share with a longer name's words.
MIN_LETTERS = 3
LINK_WORDS = frozenset({"of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le", "van", "von"})


# Letters and pairs that transliterations of one name swap: Gaddafi, Gadhafi, Qaddafy, Kadafi and
# Khadafi all spell "kadafi"; Sergei and Sergey "serkei"; Muammar and Moammar stay 83 apart.
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("dh", "d"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("ou", "u"))
_SWAPS = str.maketrans("qgcyzw", "kkkisv")
_VOWELS = re.compile(r"[aeiou]")


# A batch resolves thousands of stored names again, and their tokens repeat.
@lru_cache(maxsize=1 << 16)
def spelling(token: str) -> str:
    """A token as it sounds, near enough to compare transliterations. A token without a vowel is
    spelled letter by letter (BHP is not BP, VW not WH): it is kept as written."""
    token = re.sub(r"['’-]", "", token)
    if not _VOWELS.search(token):
        return token
    for pair, single in _DIGRAPHS:
        token = token.replace(pair, single)
    token = token.translate(_SWAPS)
    token = re.sub(r"h(?![aeiou])|(?<=[aeiou])h(?=[aeiou])", "", token)
    return re.sub(r"(.)\1+", r"\1", token)


def sound_skeleton(tokens: Iterable[str]) -> str:
    return " ".join(_VOWELS.sub("", spelling(t)) or spelling(t) for t in tokens)


def acronym_letters(form: str) -> str:
    letters = re.sub(r"[^\w]", "", form)
    return letters.lower() if letters.isupper() and 2 <= len(letters) <= 6 else ""


def similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    a, b = tuple(map(spelling, a)), tuple(map(spelling, b))
    return (all(_similar_word(x, y) for x, y in zip(a, b, strict=True))
            and fuzz.ratio(" ".join(a), " ".join(b)) >= NAME_SIMILARITY)


def _similar_word(a: str, b: str) -> bool:
    """Spellings of one word: the same sound, or long words that start alike and differ by a letter
    or two. Short words are too easily confused (Rice and Rig, Rowe and ROV), and so are words
    that start differently (Manuel and Emanuel)."""
    if a == b:
        return True
    # Spellings of one name differ by a letter, not by a syllable (Landry is not Landrieu).
    return (min(len(a), len(b)) >= MIN_FUZZY_WORD and a[0] == b[0] and abs(len(a) - len(b)) <= 1
            and fuzz.ratio(a, b) >= TOKEN_SIMILARITY)


def _name_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in LINK_WORDS]


def initials(text: str) -> str:
    words = _name_words(text)
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


def acronym_fits(letters: str, text: str, person: bool = False) -> bool:
    """Whether an acronym's letters spell a name: the initials of two or more words, from one on to
    the last ("of", "the", "and" left out), the last giving a prefix of itself ("AGOCO": Arabian Gulf
    Oil COmpany, "SAS": British Special Air Service; "SEC" is not the SEcurity Council). One or two
    letters fit too many names, and a person's name is abbreviated by initials alone ("JFK"; "BST"
    is not Ben STewart): they must be the initials of every word ("UN": United Nations)."""
    words = [w.lower() for w in _name_words(text)]
    if len(letters) < MIN_LETTERS or person:
        return "".join(w[0] for w in words) == letters
    return any(_spells(letters, words[start:]) for start in range(len(words) - 1))


def _spells(letters: str, words: list[str]) -> bool:
    head = len(words) - 1
    return (len(letters) > head and letters[:head] == "".join(w[0] for w in words[:head])
            and words[-1].startswith(letters[head:]))


def within(part: list[str], whole: list[str]) -> bool:
    """Whether ``part`` is a run of ``whole``'s words, and shorter."""
    return len(part) < len(whole) and any(whole[i:i + len(part)] == part for i in range(len(whole)))
