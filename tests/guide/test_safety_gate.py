"""No session starts before a recent safety check (backtp/journal/safety.py): the gate on
the timer and on starting a routine, coming back afterwards, contraindications leaving
steps out with the reason, "recently" on an account, the questions' "None of these"
boxes, and a suspected blood clot stopping the flow."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backtp.catalog.models import RedFlag
from backtp.journal import safety

pytestmark = pytest.mark.django_db

SAFETY = "/where-does-it-hurt/safety/"
TIMER = "/session/"
PLAN = "/session/plan/"
FOUR = "/session/plan/from-routine/four-muscle-ball-routine/"
ASK = SAFETY + "?next=%2Fsession%2F"
PSOAS = "psoas-ball-face-down"


def all_no(*yes: str) -> dict[str, str]:
    answers = dict.fromkeys(RedFlag.objects.values_list("slug", flat=True), "no")
    return {**answers, **dict.fromkeys(yes, "yes")}


def answer(client: Client, *yes: str, next: str | None = TIMER) -> str:
    """Answer the safety check ("yes" to `yes`), coming from the gate; where it leads."""
    data = all_no(*yes)
    if next is not None:
        data["next"] = next
    response = client.post(SAFETY, data)
    assert response.status_code == 302, response.content
    return response["Location"]


def timer_plan(client: Client) -> dict:
    response = client.get(TIMER)
    assert response.status_code == 200
    html = response.content.decode()
    return json.loads(re.search(r'id="session-plan"[^>]*>(.*?)</script>', html, re.S).group(1))


def plan_slugs(client: Client) -> list[str]:
    return [step.technique.slug for step in client.get(PLAN).context["steps"]]


# The gate -------------------------------------------------------------------------


def test_the_timer_sends_someone_who_has_not_answered_to_the_safety_check(
    client: Client, catalog
) -> None:
    client.post("/session/plan/add/ql-ball-wall/")
    response = client.get(TIMER)
    assert response.status_code == 302 and response["Location"] == ASK


def test_an_empty_plan_starts_nothing_so_the_timer_page_asks_nothing(
    client: Client, catalog
) -> None:
    response = client.get(TIMER)
    assert response.status_code == 200 and "Your session plan is empty" in response.content.decode()


def test_starting_a_routine_keeps_the_plan_asks_first_then_comes_back(
    client: Client, catalog
) -> None:
    response = client.post(FOUR)
    assert response.status_code == 302 and response["Location"] == ASK
    # Nothing is lost while the person answers: the plan is already saved.
    assert plan_slugs(client) == [
        "ql-tennis-ball-side-lying",
        "es-ball-lying-back-rolling",
        PSOAS,
        "gmax-sit-on-ball",
    ]
    page = client.get(ASK).content.decode()
    assert "Before your session: a safety check" in page
    assert '<input type="hidden" name="next" value="/session/">' in page
    assert "Next: your session" in page
    assert answer(client) == TIMER
    plan = timer_plan(client)
    assert plan["routine"] == "four-muscle-ball-routine"
    assert len(plan["steps"]) == 4 and plan["left_out"] == []


def test_someone_who_answered_goes_straight_on_in_the_same_browser_session(
    client: Client, catalog
) -> None:
    assert answer(client, next=None) == "/where-does-it-hurt/body-map/"
    response = client.post(FOUR)
    assert response["Location"] == TIMER
    assert client.get(TIMER).status_code == 200


def test_a_logged_in_persons_plan_is_kept_while_they_answer(person_client: Client, catalog) -> None:
    assert person_client.post(FOUR)["Location"] == ASK
    assert person_client.get(TIMER)["Location"] == ASK
    assert len(plan_slugs(person_client)) == 4
    assert answer(person_client) == TIMER
    assert len(timer_plan(person_client)["steps"]) == 4


# Contraindications ----------------------------------------------------------------


def test_a_pregnant_person_gets_the_routine_without_belly_pressure_and_sees_why(
    client: Client, catalog
) -> None:
    client.post(FOUR)
    assert answer(client, "pregnancy") == TIMER
    plan = timer_plan(client)
    assert PSOAS not in [step["technique"] for step in plan["steps"]]
    assert [step["number"] for step in plan["steps"]] == [1, 2, 3]
    (left_out,) = plan["left_out"]
    assert "Are you pregnant?" in left_out["reason"] and "belly" in left_out["reason"]
    timer = client.get(TIMER).content.decode()
    assert "Left out for your safety" in timer and "Are you pregnant?" in timer
    # The plan keeps the step, marked, so that nothing is lost if the answer changes.
    plan_page = client.get(PLAN).content.decode()
    assert PSOAS in plan_slugs(client)
    assert "Left out:" in plan_page and "Are you pregnant?" in plan_page


def test_a_plan_of_only_ruled_out_steps_says_so_instead_of_starting(
    client: Client, catalog
) -> None:
    client.post(f"/session/plan/add/{PSOAS}/")
    answer(client, "aortic-aneurysm")
    html = client.get(TIMER).content.decode()
    assert "No step of your plan is safe for you now" in html
    assert 'id="session-plan"' not in html


def test_leg_and_belly_contraindications_leave_out_only_their_own_areas(
    client: Client, catalog
) -> None:
    client.post(FOUR)
    answer(client, "varicose-veins")
    assert len(timer_plan(client)["steps"]) == 4  # the routine presses on no leg muscle


# Recently -------------------------------------------------------------------------


def test_an_answer_on_the_account_counts_on_another_device_for_a_week(
    client: Client, catalog, person
) -> None:
    client.force_login(person)
    answer(client, "pregnancy")
    person.refresh_from_db()
    assert person.safety_answered_at is not None and person.contraindications == ["pregnancy"]

    other_device = Client()
    other_device.force_login(person)
    other_device.post(FOUR)  # the plan lives on the account
    plan = timer_plan(other_device)
    assert [x["reason"] for x in plan["left_out"]] and len(plan["steps"]) == 3


def test_an_account_answer_older_than_a_week_asks_again(client: Client, catalog, person) -> None:
    person.safety_answered_at = timezone.now() - safety.RECENT - timedelta(minutes=1)
    person.save()
    client.force_login(person)
    assert client.post(FOUR)["Location"] == ASK
    person.safety_answered_at = timezone.now() - safety.RECENT + timedelta(minutes=1)
    person.save()
    assert client.get(TIMER).status_code == 200


def test_a_browser_session_answer_older_than_a_week_asks_again(client: Client, catalog) -> None:
    answer(client)
    session = client.session
    old = timezone.now() - safety.RECENT - timedelta(minutes=1)
    session[safety.SESSION_KEY] = {**session[safety.SESSION_KEY], "at": old.isoformat()}
    session.save()
    assert client.post(FOUR)["Location"] == ASK


@pytest.mark.parametrize(
    "stored",
    [
        "junk",
        {"at": "not a date", "contraindications": []},
        {"at": "2026-01-01T00:00:00", "contraindications": []},  # no time zone
        {"at": None, "contraindications": "pregnancy"},
    ],
)
def test_an_unreadable_record_in_the_session_just_asks_again(
    client: Client, catalog, stored: object
) -> None:
    client.post(FOUR)
    session = client.session
    session[safety.SESSION_KEY] = stored
    session.save()
    assert client.get(TIMER)["Location"] == ASK


def test_the_account_remembers_a_contraindication_the_session_did_not_say(
    client: Client, catalog, person
) -> None:
    """Answered before logging in (nothing), then the account's own list still counts."""
    person.contraindications = ["pregnancy"]
    person.save()
    answer(client)
    client.force_login(person)
    client.post(FOUR)
    assert len(timer_plan(client)["steps"]) == 3


# Where to go afterwards -----------------------------------------------------------


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/session/",
        "/\\evil.example",
        "javascript:x",
        "",
        "/\x00",
        "/ /evil.example",
        "/session/" + "a" * 300,
    ],
)
def test_next_is_followed_only_when_it_is_a_path_on_this_site(
    client: Client, catalog, next_url: str
) -> None:
    assert answer(client, next=next_url) == "/where-does-it-hurt/body-map/"
    html = client.get(SAFETY, {"next": next_url}).content.decode()
    assert 'name="next"' not in html


def test_with_htmx_the_safety_check_sends_the_whole_page_back_to_the_session(
    client: Client, catalog
) -> None:
    client.post(FOUR)
    response = client.post(SAFETY, {**all_no(), "next": TIMER}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == TIMER


# Signs that stop the flow -------------------------------------------------------


def test_an_urgent_answer_stops_the_flow_and_no_session_starts(client: Client, catalog) -> None:
    client.post(FOUR)
    assert answer(client, "fever") == "/where-does-it-hurt/stop/"
    assert client.get(TIMER)["Location"] == ASK
    assert client.get(ASK)["Location"] == "/where-does-it-hurt/stop/"


def test_stopping_forgets_an_earlier_answer_on_the_account(client: Client, catalog, person) -> None:
    client.force_login(person)
    answer(client)
    client.post("/where-does-it-hurt/start-again/")
    answer(client, "constant-pain")
    person.refresh_from_db()
    assert person.safety_answered_at is None
    assert client.post(FOUR)["Location"] == ASK


def test_a_suspected_blood_clot_stops_the_flow_with_same_day_advice(
    client: Client, catalog
) -> None:
    client.post(FOUR)
    assert answer(client, "blood-clot") == "/where-does-it-hurt/stop/"
    html = client.get("/where-does-it-hurt/stop/").content.decode()
    assert "Get medical help today" in html and 'href="tel:111"' in html
    assert "short of breath or have chest pain" in html
    assert "NHS DVT" in html  # the source of the advice
    assert client.get(TIMER)["Location"] == ASK


def test_other_urgent_signs_keep_the_day_or_two_wording(client: Client, catalog) -> None:
    answer(client, "weight-loss")
    html = client.get("/where-does-it-hurt/stop/").content.decode()
    assert "Please see a doctor first" in html and "today" not in html.split("<h2>")[0]


# "None of these" -------------------------------------------------------------------


def groups() -> dict[str, list[str]]:
    levels = {
        "now": ["emergency"],
        "doctor": ["urgent", "soon"],
        "limits": ["contraindication"],
    }
    return {
        key: list(RedFlag.objects.filter(level__in=found).values_list("slug", flat=True))
        for key, found in levels.items()
    }


def test_one_tick_per_group_answers_its_questions_no_without_javascript(
    client: Client, catalog
) -> None:
    response = client.post(SAFETY, {"none-now": "on", "none-doctor": "on", "none-limits": "on"})
    assert response.status_code == 302 and response["Location"] == "/where-does-it-hurt/body-map/"
    answers = client.session["guide"]["safety"]["answers"]
    assert set(answers.values()) == {"no"} and len(answers) == RedFlag.objects.count()


def test_a_tick_answers_only_its_own_group(client: Client, catalog) -> None:
    doctor = groups()["doctor"]
    data = {"none-now": "on", "none-limits": "on"}
    response = client.post(SAFETY, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{len(doctor)} still need a yes or no" in html


def test_a_tick_beside_a_yes_in_its_group_is_a_400_that_says_so(client: Client, catalog) -> None:
    response = client.post(
        SAFETY, {"none-now": "on", "none-doctor": "on", "none-limits": "on", "pregnancy": "yes"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "You ticked “None of these” but answered “Yes”" in html
    assert "still need" not in html


def test_the_safety_screen_preanswers_nothing_and_says_how_long_it_takes(
    client: Client, catalog
) -> None:
    html = client.get(SAFETY).content.decode()
    assert "checked" not in html
    assert html.count('type="checkbox"') == 3
    for key, slugs in groups().items():
        assert f"None of these: answer “No” to all {len(slugs)}" in html, key
    assert "about two minutes" in html
    start = client.get("/where-does-it-hurt/").content.decode()
    assert "About a minute" not in start and "A few yes/no questions" not in start
    assert f"{RedFlag.objects.count()} yes/no questions in three groups, about 2 minutes" in start


def test_a_new_account_is_not_preanswered_either(person_client: Client, catalog) -> None:
    assert "checked" not in person_client.get(SAFETY).content.decode()
