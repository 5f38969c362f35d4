"""The journal: list, detail, progress, summary, reminders; only ever one's own."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backtp.catalog.models import Technique
from backtp.journal.services import StepLog, treatment_session_save

pytestmark = pytest.mark.django_db


def log_session(
    user,
    *,
    before: int,
    after: int,
    techniques=("ql-ball-wall",),
    days_ago: float = 0,
    anonymous_owner: str = "",
):
    start = timezone.now() - timedelta(days=days_ago)
    steps = [
        StepLog(Technique.objects.get(slug=slug), "both", 180, 180, True, "yes")
        for slug in techniques
    ]
    session, _ = treatment_session_save(
        id=uuid.uuid4(),
        user=user,
        routine=None,
        started_at=start,
        finished_at=start + timedelta(minutes=6),
        pain_before=before,
        pain_after=after,
        note="Felt looser.",
        steps=steps,
        anonymous_owner=anonymous_owner,
    )
    return session


@pytest.fixture
def ana(person):
    return person


@pytest.fixture
def bob(other_person):
    return other_person


def test_the_journal_needs_an_account(client: Client) -> None:
    for url in ("/journal/", "/journal/progress/", "/journal/summary/", "/reminders/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_journal_lists_sessions_newest_first_with_pain(client: Client, catalog, ana) -> None:
    log_session(ana, before=7, after=5, days_ago=2)
    log_session(ana, before=6, after=3)
    client.force_login(ana)
    html = client.get("/journal/").content.decode()
    assert html.index("6 → 3") < html.index("7 → 5")
    assert "Ball against a wall" in html and "(-3)" in html


def test_the_journal_is_paginated(client: Client, catalog, ana) -> None:
    for n in range(25):
        log_session(ana, before=5, after=4, days_ago=n)
    client.force_login(ana)
    first = client.get("/journal/").content.decode()
    assert first.count('<tr>\n      <td><a href="/journal/') == 20
    assert "Page 1 of 2" in first
    assert client.get("/journal/?page=2").content.decode().count("5 → 4") == 5
    assert client.get("/journal/?page=99").status_code == 200  # the last page, not a 500


def test_a_session_page_shows_its_steps_and_note(client: Client, catalog, ana) -> None:
    session = log_session(ana, before=6, after=2, techniques=("ql-ball-wall", "es-c7-ball-wall"))
    client.force_login(ana)
    html = client.get(f"/journal/{session.pk}/").content.decode()
    assert "Felt looser." in html and "Ball against a wall" in html and "-4" in html


def test_nobody_sees_another_persons_sessions(client: Client, catalog, ana, bob) -> None:
    theirs = log_session(bob, before=8, after=2)
    client.force_login(ana)
    assert client.get(f"/journal/{theirs.pk}/").status_code == 404
    assert client.get(f"/journal/{uuid.uuid4()}/").status_code == 404
    assert "8 → 2" not in client.get("/journal/").content.decode()


def test_progress_shows_the_chart_its_table_and_what_helped(client: Client, catalog, ana) -> None:
    for before, after in [(7, 4), (6, 4), (5, 4)]:  # -3, -2, -1: average -2.0 over 3
        log_session(ana, before=before, after=after, techniques=("ql-ball-wall",))
    log_session(ana, before=5, after=5, techniques=("es-c7-ball-wall",))
    log_session(ana, before=4, after=5, techniques=("es-c7-ball-wall",))
    client.force_login(ana)
    html = client.get("/journal/progress/").content.decode()
    assert '<svg viewBox="0 0 640 276" role="img"' in html
    assert html.count('class="dot dot--before"') == 2 * 5  # for wide screens and for phones
    assert "Show the numbers as a table" in html
    assert "lowered your pain by 2.0 points on average" in html
    assert "(from 3 sessions: too few to be sure)" in html
    assert "raised your pain by 0.5 points on average" in html
    assert "(from 2 sessions: too few to be sure)" in html
    assert "You reached it on 1 of the last 14 days" in html  # 5 today, plan of 5


def test_sessions_per_day_are_counted_against_the_plan(client: Client, catalog, ana) -> None:
    ana.sessions_per_day = 2
    ana.save()
    log_session(ana, before=5, after=4)
    log_session(ana, before=5, after=4)
    client.force_login(ana)
    html = client.get("/journal/progress/").content.decode()
    assert "Your plan: 2 a day. You reached it on 1 of the last 14 days." in html


def test_the_summary_is_printable_and_shows_pain_regions(client: Client, catalog, ana) -> None:
    from backtp.guide.models import Assessment

    Assessment.objects.create(user=ana, regions={"right-flank": 6}, worst="right-flank")
    log_session(ana, before=6, after=3)
    client.force_login(ana)
    html = client.get("/journal/summary/").content.decode()
    assert "right flank (6/10) (worst)" in html
    assert "1 session logged" in html
    assert 'class="region is-marked"' in html


def test_the_owner_sees_what_helped_them_in_their_suggestions(client: Client, catalog, ana):
    from backtp.guide.models import Assessment

    assessment = Assessment.objects.create(
        user=ana, regions={"right-lateral-hip": None}, positions=["wall"], tools=["tennis-ball"]
    )
    client.force_login(ana)
    # Seen before any session: no history yet.
    assert "helped you before" not in client.get(assessment.get_absolute_url()).content.decode()
    for before, after in [(7, 4), (6, 5)]:
        log_session(ana, before=before, after=after, techniques=("ql-ball-wall",))
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "Helped you: -2.0 on average over 2 sessions." in html
    assert "helped you before" in html
    client.logout()
    assert "Helped you" not in client.get(assessment.get_absolute_url()).content.decode()


def test_the_ranking_history_agrees_with_what_helped(catalog, ana, bob) -> None:
    """point_history is the one-query twin of what_helped's points, used on every
    view of the owner's results: the same figures, only ever the owner's."""
    from backtp.journal.selectors import point_history, what_helped

    log_session(ana, before=7, after=3, techniques=("ql-ball-wall", "gmed-thumb-strokes"))
    log_session(ana, before=6, after=5, techniques=("ql-ball-wall",))
    log_session(ana, before=4, after=6, techniques=("mf-tennis-ball-wall",), days_ago=3)
    log_session(bob, before=9, after=0, techniques=("ql-ball-wall",))
    session = log_session(ana, before=8, after=2, techniques=("gmed-thumb-strokes",))
    session.steps.update(completed=False)  # started, not done: does not count

    history = point_history(ana)
    _, points = what_helped(ana)
    assert history == {e.slug: (e.average_change, e.sessions) for e in points}
    assert len(history) >= 3
    ql_points = Technique.objects.get(slug="ql-ball-wall").trigger_points.all()
    assert {history[p.slug] for p in ql_points} == {(-2.5, 2)}


def test_a_new_session_shows_at_once_and_personal_pages_are_never_stored(
    client: Client, catalog, ana
) -> None:
    session = log_session(ana, before=6, after=4, days_ago=2)
    client.force_login(ana)
    assert client.get("/journal/").content.decode().count("6 → 4") == 1
    log_session(ana, before=9, after=2, days_ago=1)
    assert "9 → 2" in client.get("/journal/").content.decode()
    for url in (
        "/journal/",
        f"/journal/{session.pk}/",
        "/journal/progress/",
        "/journal/summary/",
        "/reminders/calendar.ics",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }, url


@pytest.mark.parametrize("junk", ["abc", "-1", "1.5", "123456789", ""])
def test_a_junk_page_number_reads_as_the_first_page(client: Client, catalog, ana, junk) -> None:
    for n in range(25):
        log_session(ana, before=5, after=4, days_ago=n)
    client.force_login(ana)
    response = client.get("/journal/", {"page": junk})
    assert response.status_code == 200 and "Page 1 of 2" in response.content.decode()


def test_the_summary_has_its_own_name_and_the_journal_links_to_it(client: Client, ana) -> None:
    from django.urls import reverse

    assert reverse("clinician_summary") == "/journal/summary/"
    client.force_login(ana)
    assert 'href="/journal/summary/"' in client.get("/journal/").content.decode()


def test_sessions_attached_at_login_show_in_the_journal(client: Client, catalog, ana):
    from backtp.journal.services import pending_sessions_attach

    client.force_login(ana)
    assert "No sessions yet" in client.get("/journal/").content.decode()
    log_session(None, before=8, after=3, anonymous_owner="f00d")
    log_session(None, before=5, after=5, anonymous_owner="beef")  # someone else's
    assert pending_sessions_attach(user=ana, anonymous_owner="f00d") == 1
    html = client.get("/journal/").content.decode()
    assert "8 → 3" in html and "No sessions yet" not in html
