"""What a person sees when they search the real catalogue: the order of the results,
typos, the names people use, and searches that cannot be run. The same tests run on
SQLite (the fallback) and on PostgreSQL (full-text search and pg_trgm)."""

import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalog")]


def page(client: Client, query: str, status: int = 200) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == status
    return response.content.decode()


def section(html: str, heading: str) -> str:
    found = re.search(rf"<h3>{heading}</h3>(.*?)</ul>", html, re.S)
    return found.group(1) if found else ""


def muscles(client: Client, query: str) -> list[str]:
    """The slugs of the muscles found, in the order shown."""
    return re.findall(r'href="/muscles/([a-z-]+)/"', section(page(client, query), "Muscles"))


def techniques(client: Client, query: str) -> list[str]:
    return re.findall(
        r'href="/techniques/([a-z0-9-]+)/"', section(page(client, query), "Techniques")
    )


GLUTES = {"gluteus-maximus", "gluteus-medius", "gluteus-minimus"}


def test_buttock_puts_the_buttock_muscle_first_and_the_pelvic_floor_after_the_glutes(client):
    found = muscles(client, "buttock")
    assert found[0] == "gluteus-maximus"  # "buttock muscle" is one of its names
    # The muscles that lie in the buttock come before one whose text only mentions it.
    assert found.index("pelvic-floor") > max(found.index(slug) for slug in GLUTES)
    assert found.index("pelvic-floor") > found.index("piriformis")


def test_a_name_beats_the_same_word_in_the_text(client):
    found = muscles(client, "gluteus maximus")
    assert found[0] == "gluteus-maximus"
    assert techniques(client, "psoas")[:2] == ["psoas-ball-face-down", "psoas-bolster-release"]


def test_a_typo_still_finds_the_muscle(client):
    assert muscles(client, "lumborm") == ["quadratus-lumborum"]
    assert muscles(client, "piriformus")[0] == "piriformis"
    assert "Nothing matches" not in page(client, "quadratis lumborm")


def test_ql_means_quadratus_lumborum(client):
    assert muscles(client, "QL") == ["quadratus-lumborum"]
    assert "ql-tennis-ball-side-lying" in techniques(client, "ql")
    assert "Including quadratus lumborum for “ql”" in page(client, "QL")


def test_glutes_means_the_three_gluteal_muscles_first(client):
    assert set(muscles(client, "glutes")[:3]) == GLUTES
    assert set(muscles(client, "glute")[:3]) == GLUTES


def test_psoas_means_iliopsoas(client):
    assert muscles(client, "psoas")[0] == "iliopsoas"


def test_foam_roller_offers_the_double_roller_and_the_rolling_techniques(client):
    found = techniques(client, "foam roller")
    assert found[0] == "gmax-massage-ball-press-release"  # "Massage ball or double roller"
    assert {"ql-tennis-ball-side-lying", "mf-two-balls-lying-back"} <= set(found)
    assert "gmed-overlap-fists" not in found
    assert "Including the double roller and the rolling techniques" in page(client, "foam roller")


def test_lacrosse_ball_finds_massage_ball_techniques_and_steps_that_name_it(client):
    found = techniques(client, "lacrosse ball")
    assert found[0] in {"es-ball-lying-back-rolling", "psoas-ball-face-down"}  # massage balls
    assert {"ql-ball-wall", "gmed-overlap-ball-wall"} <= set(found)  # "…or a lacrosse ball"
    assert "soleus-thumbs-seated" not in found


def test_sciatica_finds_the_muscles_that_mimic_it_and_warns(client):
    assert set(muscles(client, "sciatica")[:2]) == {"gluteus-minimus", "piriformis"}
    html = page(client, "sciatica")
    assert "Sciatica is a nerve problem" in html
    assert 'href="/safety/"' in html


def test_every_term_must_match(client):
    assert muscles(client, "psoas calf") == []
    assert "Nothing matches “psoas calf”" in page(client, "psoas calf")


@pytest.mark.parametrize("query", ["xqzt", "💥💥", "!!!", "%_%", "<script>qq</script>"])
def test_garbage_finds_nothing_and_says_so(client, query):
    html = page(client, query)
    assert "Nothing matches" in html
    assert "<script>qq" not in html


def test_sql_in_a_search_is_only_words(client):
    assert "for “&#x27; OR 1=1 --”" in page(client, "' OR 1=1 --")  # "1" is in L1, TrP1…


def test_an_empty_search_suggests_what_to_try(client):
    assert "Try “buttock”" in page(client, "")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("   ", "Please type a word to search for."),
        ("ql\x00", "invisible control character"),
        ("q\ufffdl", "could not be read"),
        ("x" * 101, "under 100 characters"),
        ("a b c d e f g h i", "8 words or fewer"),
    ],
)
def test_a_search_it_cannot_run_is_a_400_with_the_reason(client, query, message):
    html = page(client, query, status=400)
    assert message in html
    assert 'aria-invalid="true"' in html


def test_the_reason_comes_back_in_the_live_results_too(client):
    response = client.get("/search/", {"q": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Please type a word" in html


def test_invisible_characters_are_dropped_not_echoed(client):
    html = page(client, "\u202eQL\u200b")
    assert "\u202e" not in html and "\u200b" not in html
    assert "for “QL”" in html and 'value="QL"' in html
    assert "\x00" not in page(client, "ql\x00", status=400)


def test_a_results_page_takes_four_queries_whatever_it_finds(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = page(client, "sciatica glutes buttock")
    assert "Gluteus minimus" in html
    with django_assert_max_num_queries(4):
        page(client, "ball")
