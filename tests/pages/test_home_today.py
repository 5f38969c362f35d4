"""Home for someone logged in: today's sessions against their plan ("2 of 5 today"), the
session to continue, their last result; a visitor's home is the catalogue's alone."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backtp.guide.models import Assessment
from tests.factories import UserFactory
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_today_shows_sessions_done_of_the_sessions_a_day_planned(
    person_client: Client, person, catalog
) -> None:
    log_session(person, before=6, after=4, days_ago=1)  # yesterday: not today's
    log_session(person, before=6, after=3)
    last = log_session(person, before=5, after=2)
    html = home(person_client)
    assert "2 of 5 today" in text(html)
    assert "3 to go" in text(html)
    assert html.count('class="is-done"') == 2 and html.count("<li", html.index("today__marks")) >= 5
    assert f'href="/journal/{last.pk}/"' in html
    assert "Last session: today" in text(html)
    assert "5 → 2 (-3)" in text(html)


def test_the_count_follows_the_persons_setting_and_says_when_the_plan_is_done(
    client: Client, catalog
) -> None:
    person = UserFactory(sessions_per_day=2)
    for _ in range(3):
        log_session(person, before=4, after=3)
    client.force_login(person)
    words = text(home(client))
    assert "3 of 2 today" in words and "today's plan done" in words


def test_continue_your_session_when_the_plan_has_steps(person_client: Client, catalog) -> None:
    assert "Continue your session" not in home(person_client)
    person_client.post("/session/plan/add/ql-ball-wall/")
    html = home(person_client)
    assert re.search(
        r'<a class="button button--primary" href="/session/">Continue your session</a>', html
    )
    assert 'href="/session/plan/"' in html


def test_without_a_plan_it_points_to_where_does_it_hurt(person_client: Client, catalog) -> None:
    html = home(person_client)
    assert re.search(r'class="button button--primary" href="/where-does-it-hurt/"', html)
    assert "0 of 5 today" in text(html)
    assert "Last session" not in html and "latest results" not in html


def test_the_last_result_of_yesterday_and_the_latest_questionnaire(
    person_client: Client, person, catalog
) -> None:
    log_session(person, before=7, after=7, days_ago=1)
    older = Assessment.objects.create(user=person, regions={"sacrum": 4})
    Assessment.objects.filter(pk=older.pk).update(created=timezone.now() - timedelta(days=3))
    latest = Assessment.objects.create(user=person, regions={"sacrum": 2})
    Assessment.objects.create(user=UserFactory(), regions={"sacrum": 9})  # someone else's
    words = text(home(person_client))
    html = home(person_client)
    assert "Last session: yesterday" in words and "7 → 7" in words and "(+0)" not in words
    assert "0 of 5 today" in words
    assert f'href="/where-does-it-hurt/results/{latest.pk}/"' in html
    assert str(older.pk) not in html


def test_someone_elses_sessions_do_not_count(person_client: Client, catalog) -> None:
    log_session(UserFactory(), before=6, after=2)
    words = text(home(person_client))
    assert "0 of 5 today" in words and "Last session" not in words


def test_home_for_someone_logged_in_takes_a_fixed_number_of_queries(
    person_client: Client, person, catalog, django_assert_num_queries
) -> None:
    home(person_client)  # the catalogue's parts are cached from now on
    for _ in range(3):
        log_session(person, before=6, after=3)
    Assessment.objects.create(user=person, regions={"sacrum": 4})
    person_client.post("/session/plan/add/ql-ball-wall/")
    # The session and its user, the catalogue version, the last session, today's count,
    # whether the plan has steps, the latest results.
    with django_assert_num_queries(7):
        home(person_client)
    for _ in range(20):
        log_session(person, before=6, after=3, days_ago=2)
    with django_assert_num_queries(7):
        home(person_client)


def test_a_visitors_home_is_unchanged_and_still_shared(client: Client, catalog) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert "public" in response["Cache-Control"]
    assert "Welcome back" not in html and "today__" not in html
    words = text(html)
    assert "Find the knots that feed your back pain, and learn to release them yourself." in words
    hero = html.index('<section class="hero">')
    figure = html.index('<figure class="hero__figure card">')
    safety = html.index("Check this first")
    how = html.index("How it works")
    assert html.index('<div class="hero-layout">') < hero < figure < safety < how
    assert words.count("Where does it hurt?") >= 2  # the nav and the hero's button


def test_a_logged_in_home_is_never_stored(person_client: Client, catalog) -> None:
    response = person_client.get("/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
