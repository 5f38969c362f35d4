"""The pure parts of catalogue search (backtp/catalog/search.py): cleaning, synonyms,
one-typo tolerance, and the synonym table checked against the catalogue."""

import re

import pytest

from backtp.catalog import search
from backtp.catalog.models import Technique
from backtp.catalog.selectors import TECHNIQUE_CHOICES, search_catalog


def terms(text: str) -> list[search.Term]:
    return list(search.parse(search.clean(text), TECHNIQUE_CHOICES).terms)


# Cleaning and refusing ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  tennis   ball ", "tennis ball"),
        ("ｑｌ", "ql"),  # full-width letters from a phone keyboard
        ("hip\u00a0flexor", "hip flexor"),  # a no-break space
        ("q\u200bl", "ql"),  # a zero-width space copied with the text
        ("\u202eql", "ql"),  # a right-to-left override: invisible, and it would turn the echo
        ("soft\u00adhyphen", "softhyphen"),
    ],
)
def test_cleaning_folds_what_looks_the_same_and_drops_what_is_invisible(raw, cleaned) -> None:
    assert search.clean(raw) == cleaned
    assert search.problem(raw) == ""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a\x00b", "control character"),
        ("ql\x07", "control character"),
        ("ql\ue000", "control character"),  # private use
        ("q\ufffdl", "could not be read"),  # what a malformed %-escape decodes to
        ("   ", "type a word"),
        ("\u200b\u200b", "type a word"),
        ("ﷺ" * 6, "under 100 characters"),  # each one expands to 18 letters
        ("one two three four five six seven eight nine", "8 words or fewer"),
    ],
)
def test_a_search_it_cannot_use_is_refused_with_the_reason(raw, message) -> None:
    assert message in search.problem(raw)


def test_tabs_and_line_breaks_are_spaces_not_controls() -> None:
    assert search.problem("tennis\tball\n") == ""
    assert search.clean("tennis\tball\n") == "tennis ball"


# Words and terms -----------------------------------------------------------------


def test_words_are_folded_and_stop_words_left_out() -> None:
    assert search.words_of("Pain in the Buttocks") == ["pain", "buttocks"]
    assert search.words_of("Psóas") == ["psoas"]
    assert search.words_of("the") == ["the"]  # nothing but stop words: keep them


@pytest.mark.parametrize(
    ("word", "base"),
    [("buttocks", "buttock"), ("ribs", "rib"), ("gluteus", "gluteus"), ("psoas", "psoas")],
)
def test_a_plain_plural_is_searched_as_its_singular(word, base) -> None:
    assert search.singular(word) == base


def test_a_synonym_adds_the_catalogues_name_and_says_so() -> None:
    [ql] = terms("QL")
    assert ql.alternatives == ("ql", "quadratus lumborum")
    assert search.parse("QL").also == [("ql", "quadratus lumborum")]


def test_a_phrase_is_one_term() -> None:
    [roller] = terms("foam roller")
    assert roller.text == "foam roller"
    assert set(roller.tools) == {"foam-roller", "double-roller"}
    assert roller.methods == ("rolling",)
    [tennis] = terms("tennis ball")
    assert tennis.tools == ("tennis-ball",)


def test_a_word_of_a_tool_method_or_position_finds_those_techniques() -> None:
    [ball] = terms("ball")
    assert "tennis-ball" in ball.tools and "lacrosse-ball" in ball.tools
    [wall] = terms("wall")
    assert wall.positions == ("wall",)
    [rolling] = terms("rolling")
    assert rolling.methods == ("rolling",)


def test_a_synonym_with_a_typo_still_counts() -> None:
    [lacrosse] = terms("lacrose ball")
    assert "lacrosse-ball" in lacrosse.tools
    [sciatica] = terms("sciatca")
    assert "piriformis" in sciatica.alternatives


def test_the_name_a_synonym_stands_for_is_no_typo_of_it() -> None:
    [gluteus] = terms("gluteus")
    assert gluteus.alternatives == ("gluteus",) and not gluteus.shown


def test_only_a_long_enough_single_word_tolerates_a_typo() -> None:
    assert [term.tolerates_typo for term in terms("hip lumborm foam roller")] == [
        False,
        True,
        False,
    ]


# One typo -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("lumborm", "lumborum", True),  # a letter missing
        ("piriformus", "piriformis", True),  # a letter wrong
        ("glutues", "gluteus", True),  # two letters swapped
        ("soleuss", "soleus", True),  # a letter too many
        ("lumbrm", "lumborum", False),  # two missing
        ("gluteus", "glutes", True),
        ("hip", "lip", True),
        ("psoas", "spoas", True),
        ("psoas", "sopas", False),
    ],
)
def test_within_one_edit(a: str, b: str, close: bool) -> None:
    assert search.within_one_edit(a, b) is close
    assert search.within_one_edit(b, a) is close


@pytest.mark.parametrize(
    ("word", "text", "found"),
    [
        ("lumborm", "Quadratus lumborum", True),
        ("piriformus", "Piriformis", True),
        ("glutues", "Gluteus maximus", True),
        ("quadratis", "Quadratus lumborum", True),
        ("lumbrm", "Quadratus lumborum", False),
        ("buttock", "Outer hip", False),
    ],
)
def test_the_sqlite_typo_pattern_finds_one_edit_inside_a_field(word, text, found) -> None:
    assert bool(re.search("(?i)" + search.one_typo_pattern(word), text)) is found


# The synonym table against the catalogue ------------------------------------------


@pytest.mark.parametrize("key", sorted(search.SYNONYMS))
def test_every_synonym_names_tools_and_methods_that_exist(key: str) -> None:
    synonym = search.SYNONYMS[key]
    assert set(synonym.tools) <= set(Technique.Tool.values)
    assert set(synonym.methods) <= set(Technique.Method.values)
    assert synonym.shown


@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("key", sorted(search.SYNONYMS))
def test_every_synonym_finds_something_in_the_catalogue(key: str) -> None:
    assert search_catalog(key).total > 0
