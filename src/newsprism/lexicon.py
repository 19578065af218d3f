"""The words every stage reads alike: calendar names, verbs of speech, role nouns and abbreviations.

Each list is written once here; the stages build their patterns and sets from it, so a word added
here reaches cleaning (timestamps, datelines), dates, quotes and entities together. Verbs are kept as
lemmas and inflected by lemminflect's tables, irregular forms included ("say": said, says, saying).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lemminflect import getAllInflections, getAllInflectionsOOV, getInflection

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# "Sept" is the common news spelling beside the three-letter forms.
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun")
TIME_ZONES = ("GMT", "UTC", "EST", "EDT", "CET", "CEST", "MSK", "BST")
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


def either(words: Iterable[str]) -> str:
    """A regex group matching any of ``words``, longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


# A month by name, full or abbreviated, with the period an abbreviation may take ("Oct. 4").
MONTH = rf"{either(MONTH_NAMES + MONTH_ABBREVIATIONS)}\b\.?"
MONTH_NAME = rf"{either(MONTH_NAMES)}\b"
WEEKDAY = rf"(?:{either(WEEKDAY_NAMES)}|{either(WEEKDAY_ABBREVIATIONS)}\b\.?)"
# A clock as pages print it, for every rule that reads stamps: "7:37 am EDT", "22.47 BST",
# "11:33:05 AM", "5:19 p m", "10:39 UK time". Case is the rule's to ignore.
CLOCK_TIME = (
    r"\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?\s?m\b\.?)?"
    rf"(?:\s*(?:{either(TIME_ZONES)}|ET|PT|CT|PST|PDT|CST|CDT|MST|MDT|IST|JST|HKT|SGT|AEST|AEDT|UK(?:\s+time)?)\b)?"
)
WEEKDAY_NAME = either(WEEKDAY_NAMES)
ORDINAL = either(ORDINAL_SUFFIXES)
# Words of dates and times that cannot be a name: "Oct", "Thurs", "GMT", the "th" of "4th".
CALENDAR_WORDS = frozenset(
    w.lower()
    for w in (*MONTH_NAMES, *MONTH_ABBREVIATIONS, *WEEKDAY_NAMES, *WEEKDAY_ABBREVIATIONS, *TIME_ZONES,
              *ORDINAL_SUFFIXES, "am", "pm")
)


def month_number(name: str) -> int:
    """1-12 for a month's full or abbreviated name."""
    return [m[:3].lower() for m in MONTH_NAMES].index(name[:3].lower()) + 1


def weekday_number(name: str) -> int:
    """0 (Monday) to 6 for a weekday's full or abbreviated name, as ``datetime.date.weekday``."""
    return [d[:3].lower() for d in WEEKDAY_NAMES].index(name[:3].lower())


def verb_forms(*lemmas: str) -> frozenset[str]:
    """Every form of each verb, the lemma included: "tell" gives tell, tells, told, telling."""
    forms = set(lemmas)
    for lemma in lemmas:
        inflections = getAllInflections(lemma, upos="VERB") or getAllInflectionsOOV(lemma, upos="VERB")
        forms.update(form for tagged in inflections.values() for form in tagged)
    return frozenset(forms)


def _past_forms(*lemmas: str) -> frozenset[str]:
    """The simple past of each verb: "tell" gives told."""
    return frozenset(form for lemma in lemmas for form in getInflection(lemma, tag="VBD"))


# Verbs that report speech. Attribution takes any of their forms as a cue; "cite" and "quote" are
# not among them, since they report speech only as "cited"/"quoted" (attribution adds those forms).
SPEECH_VERBS = (
    "say", "tell", "write", "add", "stress", "note", "claim", "insist", "warn", "explain", "argue", "suggest",
    "announce", "urge", "state", "declare", "assert", "acknowledge", "confirm", "deny", "emphasize",
    "emphasise", "reiterate", "remark", "report", "respond", "reply", "recall", "observe", "contend",
    "maintain", "point", "predict", "promise", "vow", "pledge", "caution", "complain", "concede", "conclude",
    "reveal", "allege", "charge", "tweet", "post", "joke", "believe", "ask", "indicate", "accuse",
    "criticize", "criticise", "describe", "characterize", "characterise", "portray", "estimate", "answer",
    "comment", "counter", "agree", "disclose", "boast", "lament", "hint", "propose", "question", "repeat",
    "underline", "underscore", "clarify", "signal", "praise", "defend", "endorse", "dismiss", "blame",
    "condemn", "denounce", "reject", "mention", "tout", "decry", "blast", "mock", "applaud", "welcome",
    "demand", "slam", "think", "call", "admit", "fear", "forecast", "refer",
)  # fmt: skip
# Verbs that date a quote when a day follows them ("…," he said on Monday), in the past tense; of the
# present only "says", since most other present forms are nouns too ("reports", "states").
_DATING_VERBS = (
    "say", "tell", "add", "state", "note", "declare", "write", "explain", "stress", "insist", "warn",
    "remark", "argue", "ask", "announce", "report", "tweet", "quote",
)  # fmt: skip
REPORTED_SPEECH = either(_past_forms(*_DATING_VERBS) | {"says", "according to"})

# Role nouns, each with the role it names: spelling, gender and synonyms name one role ("premier"
# is a prime minister). Quotes reads the one-word nouns (a speaker described by a role); entities
# reads them all, to bind a title to a person and resolve "the minister" to that person.
ROLE_NOUNS: dict[str, str] = {
    **{noun: noun for noun in (
        "prime minister", "minister", "secretary", "president", "chancellor", "ambassador", "envoy",
        "attorney general", "attorney", "general", "commander", "chief", "director", "governor", "senator",
        "mayor", "king", "queen", "prince", "pope", "leader", "head", "counterpart", "adviser", "negotiator",
        "representative", "prosecutor", "judge", "official", "diplomat", "candidate", "nominee", "manager",
        "ceo", "founder", "lawmaker", "lawyer", "economist", "analyst", "professor",
    )},
    "secretary general": "secretary-general", "premier": "prime minister", "advisor": "adviser",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "chairman": "chair", "chairwoman": "chair", "congressman": "congress member",
    "congresswoman": "congress member",
}  # fmt: skip
# Words that narrow a role: a "foreign" minister, a "deputy" spokesman.
ROLE_MODIFIERS = frozenset({
    "foreign", "defence", "defense", "interior", "home", "finance", "economy", "trade", "justice", "health",
    "energy", "education", "state", "deputy", "vice", "special", "acting", "first", "press", "presidential",
    "national", "security", "military", "ministry",
})  # fmt: skip
# Abbreviated roles, with the words they stand for: "the Russian FM".
ROLE_ABBREVIATIONS = {
    "fm": ("foreign", "minister"), "pm": ("prime", "minister"), "sg": ("secretary", "general"),
}  # fmt: skip
# Titles written abbreviated with a period before a name ("Sen. Jones"), with the role each names.
TITLE_ABBREVIATIONS = {
    "Gen": "general", "Sen": "senator", "Rep": "representative", "Gov": "governor", "Lt": "lieutenant",
    "Col": "colonel", "Sec": "secretary", "Amb": "ambassador", "Pres": "president", "Atty": "attorney",
}  # fmt: skip
# Every abbreviation found in a title, lower case as tokens are compared, with the words it stands for.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    **ROLE_ABBREVIATIONS,
    "un": ("united", "nations"), "u.n.": ("united", "nations"), "u.s.": ("us",), "usa": ("us",),
    **{f"{title.lower()}.": (role,) for title, role in TITLE_ABBREVIATIONS.items()},
}  # fmt: skip
# Words a period follows without ending the sentence: "Oct. 17", "Mr. Smith", "Sen. Jones", "No. 10".
_PERIOD_ABBREVIATIONS = (*MONTH_ABBREVIATIONS, *WEEKDAY_ABBREVIATIONS, *TITLE_ABBREVIATIONS,
                         "Mr", "Mrs", "Ms", "Dr", "St", "No", "vs")
# Text ending in a period that abbreviates rather than ends a sentence: "Oct.", "Mr.", "U.S.", "J.".
ABBREVIATION_END = re.compile(rf"(?:\b{either(_PERIOD_ABBREVIATIONS)}|\b[A-Z]|\.[A-Z])\.$")
