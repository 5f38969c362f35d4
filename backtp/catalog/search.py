"""Catalogue search, the parts that need no database: cleaning what was typed, the
synonyms, one-typo tolerance and how a match in each field counts.

`parse()` turns a query into terms; every term must match a result, and a term
matches when any of its alternatives does (the word itself, a synonym's names, the
tools or methods it names). selectors.search_catalog turns them into one query per
kind of result; docs/search.md has the whole picture.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

MAX_LENGTH = 100
MAX_WORDS = 8
# Words shorter than this are matched exactly: one typo in "hip" is another word.
TYPO_MIN_LENGTH = 5
# pg_trgm's word_similarity above which PostgreSQL takes a word for a misspelling of one
# in the field. One wrong, missing or extra letter in a word of five or more letters
# scores about 0.55-0.9, but so little as a shared four-letter start ("lumborm" and
# "Lumbar spine") scores 0.5. Two swapped letters can score 0.5 too: PostgreSQL misses
# some of those ("glutues" vs "Gluteus"), which the SQLite fallback finds.
TRIGRAM_THRESHOLD = 0.5

# Words that say nothing about what to find: "pain in the buttock" searches "buttock".
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "that",
        "the",
        "to",
        "what",
        "when",
        "where",
        "which",
        "why",
        "with",
    ]
)
# Unicode categories a search may not contain: controls (NUL included), surrogates,
# private-use and unassigned code points. Format characters (zero-width spaces, bidi
# marks, soft hyphens) are dropped instead: they come with copied text and are invisible.
REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")
REPLACEMENT_CHARACTER = "\ufffd"  # what Django decodes a malformed %-escape to
CONTROL_CHARACTER = "Your search has an invisible control character in it. Please type it again."


class Weight(IntEnum):
    """What a match in each field is worth; a typo match is worth one less than an exact
    match in the same field, so it still beats an exact match in the field below."""

    TEXT = 2
    PAIN = 4  # where a muscle's points send pain
    REGION = 6  # where a muscle, a point or what a technique presses on lies
    OTHER_NAMES = 8  # a muscle's other names; a technique's tool, method or position
    NAME = 10


TYPO_PENALTY = 1


@dataclass(frozen=True)
class Synonym:
    """What a word or phrase people use means in the catalogue's terms."""

    shown: str  # what the results page says it searched for too
    means: tuple[str, ...] = ()  # names or words the catalogue uses
    tools: tuple[str, ...] = ()  # Technique.Tool values
    methods: tuple[str, ...] = ()  # Technique.Method values
    note: str = ""  # shown above the results


GLUTES = Synonym("gluteus maximus, medius and minimus", means=("gluteus",))
ROLLER = Synonym(
    "the double roller and the rolling techniques",
    means=("roller",),
    tools=("foam-roller", "double-roller"),
    methods=("rolling",),
)
LACROSSE = Synonym(
    "massage-ball techniques", means=("lacrosse",), tools=("lacrosse-ball", "massage-ball")
)

# Reviewed by hand against fixtures/ and ../shared/domain/reference.md; keys are lower
# case, phrases included. tests/catalog/test_search_terms.py checks that every name,
# tool and method here exists in the catalogue.
SYNONYMS: dict[str, Synonym] = {
    "ql": Synonym("quadratus lumborum", means=("quadratus lumborum",)),
    "glute": GLUTES,
    "glutes": GLUTES,
    "psoas": Synonym("iliopsoas", means=("iliopsoas",)),
    "six pack": Synonym("rectus abdominis", means=("rectus abdominis",)),
    "abs": Synonym("rectus abdominis", means=("rectus abdominis",)),
    # The reference calls gluteus minimus "pseudo-sciatica"; the sciatic nerve runs by
    # piriformis, whose pain can spread down the back of the thigh.
    "sciatica": Synonym(
        "gluteus minimus and piriformis",
        means=("sciatic", "gluteus minimus", "piriformis"),
        note="Sciatica is a nerve problem, but trigger points in gluteus minimus and "
        "piriformis can feel just like it. Weakness, numbness or pain in both legs, or a "
        "leg getting weaker, needs a doctor first.",
    ),
    # The catalogue has no foam-roller technique: it offers the double roller and the
    # techniques that roll instead.
    "foam roller": ROLLER,
    "roller": ROLLER,
    # A lacrosse ball is a firmer massage ball; the steps name it where it fits.
    "lacrosse ball": LACROSSE,
    "lacrosse": LACROSSE,
}
LONGEST_PHRASE = max(len(key.split()) for key in SYNONYMS)


@dataclass(frozen=True)
class Term:
    """One thing every result must match: `text` as typed, or any alternative."""

    text: str
    alternatives: tuple[str, ...]  # lower case, accents removed; the first is `text`
    tools: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    shown: str = ""  # what a synonym added, in words
    note: str = ""

    @property
    def tolerates_typo(self) -> bool:
        """A single word long enough for one wrong letter to be a typo, not a new word."""
        return " " not in self.text and len(self.text) >= TYPO_MIN_LENGTH


@dataclass(frozen=True)
class Query:
    """A cleaned query and its terms (none for a query of only punctuation or emoji)."""

    text: str
    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def also(self) -> list[tuple[str, str]]:
        """(word as typed, what its synonym added) pairs, for 'Including … for …'."""
        return [(term.text, term.shown) for term in self.terms if term.shown]

    @property
    def notes(self) -> list[str]:
        return [term.note for term in self.terms if term.note]


def problem(raw: str) -> str:
    """Why `raw` cannot be searched, in words for the person; empty when it can."""
    if any(
        unicodedata.category(char) in REFUSED_CATEGORIES and char not in WHITESPACE_CONTROLS
        for char in raw
    ):
        return CONTROL_CHARACTER
    if REPLACEMENT_CHARACTER in raw:
        return "Part of your search could not be read. Please type it again."
    cleaned = clean(raw)
    if len(cleaned) > MAX_LENGTH:
        return f"Please keep your search under {MAX_LENGTH} characters."
    if raw and not cleaned:
        return "Please type a word to search for."
    if len(cleaned.split()) > MAX_WORDS:
        return f"Please search for {MAX_WORDS} words or fewer."
    return ""


def clean(raw: str) -> str:
    """The query as it will be shown: compatibility forms folded (full-width letters,
    ligatures, no-break spaces), invisible format characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(text.split())


def printable(raw: str) -> str:
    """`raw` cleaned, without what `problem` refuses: for the search box to show again."""
    return clean(
        "".join(
            char
            for char in raw
            if char in WHITESPACE_CONTROLS
            or (
                unicodedata.category(char) not in REFUSED_CATEGORIES
                and char != REPLACEMENT_CHARACTER
            )
        )
    )


def fold(text: str) -> str:
    """Lower case without accents, for matching: 'Psóas' -> 'psoas'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str) -> list[str]:
    """Words to search for: folded, split on anything but letters and digits (a hyphen
    or a slash too), stop words left out unless nothing else is left."""
    words = re.findall(r"[^\W_]+", fold(text))
    return [word for word in words if word not in STOP_WORDS] or words


def singular(word: str) -> str:
    """'buttocks' -> 'buttock': the plain English plural, so either form finds both. Words
    like 'gluteus', 'psoas' or 'press' are left alone."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os")):
        return word[:-1]
    return word


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` with at most one inserted, deleted, replaced or swapped
    (adjacent) letter."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i = diffs[0]
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    shorter, longer = sorted((a, b), key=len)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


def one_typo_pattern(word: str) -> str:
    """A regular expression for `word` or any spelling one edit away from it, for the
    SQLite fallback's `iregex` (PostgreSQL uses pg_trgm instead). Only letters and digits
    reach it, so nothing needs escaping beyond re.escape's caution."""
    letters = [re.escape(char) for char in word]
    variants = {"".join(letters)}
    for i in range(len(letters)):
        variants.add("".join(letters[:i] + ["."] + letters[i + 1 :]))  # one letter wrong
        variants.add("".join(letters[:i] + letters[i + 1 :]))  # one letter too many
        variants.add("".join(letters[:i] + ["."] + letters[i:]))  # one letter missing
        if i + 1 < len(letters):
            swapped = letters[:i] + [letters[i + 1], letters[i]] + letters[i + 2 :]
            variants.add("".join(swapped))
    return "(?:" + "|".join(sorted(variants)) + ")"


def labels_matching(text: str, choices: Iterable[tuple[str, str]]) -> list[str]:
    """Values of the choices whose label contains `text` ('tennis' -> 'tennis-ball')."""
    return [value for value, label in choices if text in fold(label)]


@dataclass(frozen=True)
class Choices:
    """Technique.Tool, Method and Position's (value, label) pairs: a word in a label
    finds the techniques with that value ('wall' -> leaning on a wall)."""

    tools: Sequence[tuple[str, str]] = ()
    methods: Sequence[tuple[str, str]] = ()
    positions: Sequence[tuple[str, str]] = ()


def parse(text: str, choices: Choices = Choices()) -> Query:
    """The terms of a cleaned query. A synonym's phrase ('foam roller') or a tool's name
    ('tennis ball') is one term; any other word is a term of its own."""
    words = words_of(text)
    tool_names = {fold(label): value for value, label in choices.tools}
    terms: list[Term] = []
    i = 0
    while i < len(words):
        for size in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            term = _phrase_term(phrase, tool_names) if size > 1 else None
            if term is not None:
                terms.append(term)
                i += size
                break
        else:
            terms.append(_word_term(words[i], choices))
            i += 1
    return Query(text, tuple(dict.fromkeys(terms)))


def _phrase_term(phrase: str, tool_names: dict[str, str]) -> Term | None:
    if synonym := _synonym(phrase):
        return _with_synonym(phrase, synonym)
    if phrase in tool_names:
        return Term(phrase, (phrase,), tools=(tool_names[phrase],))
    return None


def _word_term(word: str, choices: Choices) -> Term:
    base = singular(word)
    tools = tuple(labels_matching(base, choices.tools))
    for text in (word, base):
        if synonym := _synonym(text):
            return _with_synonym(text, synonym, tools)
    return Term(
        base,
        (base,),
        tools=tools,
        methods=tuple(labels_matching(base, choices.methods)),
        positions=tuple(labels_matching(base, choices.positions)),
    )


def _synonym(phrase: str) -> Synonym | None:
    """The synonym for `phrase`, or for a key one typo away from it ('lacrose ball'), unless
    the phrase is what that synonym means ('gluteus' is no typo of 'glutes')."""
    if phrase in SYNONYMS:
        return SYNONYMS[phrase]
    if len(phrase) >= TYPO_MIN_LENGTH:
        for key, synonym in SYNONYMS.items():
            if (
                len(key) >= TYPO_MIN_LENGTH
                and within_one_edit(phrase, key)
                and phrase not in synonym.means
            ):
                return synonym
    return None


def _with_synonym(text: str, synonym: Synonym, tools: tuple[str, ...] = ()) -> Term:
    alternatives = tuple(dict.fromkeys((text, *synonym.means)))
    tools = tuple(dict.fromkeys(synonym.tools + tools))
    return Term(text, alternatives, tools, synonym.methods, (), synonym.shown, synonym.note)
