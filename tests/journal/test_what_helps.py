"""'What helps you': only what was treated gets credit, and each figure says how sure it is."""

import re

import pytest
from django.test import Client

from backtp.catalog.models import Technique, TriggerPoint
from backtp.journal.selectors import SURE_FROM
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.django_db

PROGRESS = "/journal/progress/"
SUMMARY = "/journal/summary/"


def what_helps(html: str) -> str:
    return html.split("What help")[1]


def lines(html: str) -> list[str]:
    """The text of each line under 'What helps you', tags removed."""
    items = re.findall(r"<li[^>]*>(.*?)</li>", what_helps(html), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_two_sessions_of_a_routine_are_not_fifteen_findings(
    person_client: Client, catalog, person
) -> None:
    routine = ("ql-tennis-ball-side-lying", "es-ball-lying-back-rolling", "gmax-sit-on-ball")
    log_session(person, before=6, after=4, techniques=routine)
    log_session(person, before=7, after=5, techniques=routine)
    worked = TriggerPoint.objects.filter(techniques__slug__in=routine).distinct()
    assert worked.count() >= 12  # what the old page listed, one line each

    html = person_client.get(PROGRESS).content.decode()
    shown = lines(html)
    # Three techniques, then the points a muscle shares one line: far fewer than one a point.
    assert len(shown) < worked.count()
    assert any(line.startswith("Quadratus lumborum, 3 points treated together") for line in shown)
    assert "cannot tell them apart" in html
    for line in shown:
        assert "lowered your pain by 2.0 points on average" in line, line
        assert "(from 2 sessions: too few to be sure)" in line, line
    # Every point those techniques work is named, and no other.
    section = what_helps(html)
    for point in TriggerPoint.objects.all():
        assert (point.get_absolute_url() in section) == (point in worked), point.slug


def test_only_the_completed_steps_are_credited(person_client: Client, catalog, person) -> None:
    session = log_session(person, before=8, after=3, techniques=("soleus-thumbs-seated",))
    log_session(person, before=6, after=5, techniques=("ql-ball-wall",))
    # A session whose only step was not finished credits nothing.
    session.delete()
    unfinished = log_session(person, before=8, after=2, techniques=("piriformis-ball-wall",))
    unfinished.techniques_done = ""
    unfinished.save(update_fields=["techniques_done"])

    html = person_client.get(PROGRESS).content.decode()
    section = what_helps(html)
    assert Technique.objects.get(slug="ql-ball-wall").name in section
    assert "Soleus" not in section and "Piriformis" not in section
    assert any(line.startswith("Quadratus lumborum, 6 points treated") for line in lines(html))


def test_a_figure_from_enough_sessions_drops_the_warning(
    person_client: Client, catalog, person
) -> None:
    for _ in range(SURE_FROM):
        log_session(person, before=6, after=3, techniques=("gmed-thumb-strokes",))
    log_session(person, before=5, after=5, techniques=("es-c7-ball-wall",))
    html = person_client.get(PROGRESS).content.decode()
    gmed = next(line for line in lines(html) if line.startswith("Thumb strokes"))
    assert f"(from {SURE_FROM} sessions)" in gmed and "too few" not in gmed
    es = next(line for line in lines(html) if line.startswith("Ball between shoulder blade"))
    assert "made no difference" in es and "(from 1 session: too few to be sure)" in es
    # Only a figure worth trusting is coloured as helping.
    assert 'class="effect--helped"' in html
    assert html.count('class="effect--helped"') == 2  # the technique and its points' line


def test_the_clinicians_summary_shows_the_same_counts(
    person_client: Client, catalog, person
) -> None:
    log_session(person, before=6, after=4, techniques=("ql-ball-wall",))
    log_session(person, before=7, after=5, techniques=("ql-ball-wall",))
    html = person_client.get(SUMMARY).content.decode()
    assert "(from 2 sessions: too few to be sure)" in html
    assert any(line.startswith("Quadratus lumborum, 6 points treated") for line in lines(html))
