"""Building a session plan from a technique, a routine or results; editing it in place."""

import re

import pytest
from django.test import Client

from backtp.journal.models import PlanStep

pytestmark = pytest.mark.django_db


def _steps(client: Client) -> list[str]:
    from backtp.journal import plan

    request = type("R", (), {})()
    request.user = client.get("/session/plan/").wsgi_request.user
    request.session = client.session
    return [item.technique for item in plan.load(request)]


def _answer_the_safety_check(client: Client) -> None:
    """'No' to every safety question: no session starts before (tests/guide/test_safety_gate.py)."""
    from backtp.catalog.models import RedFlag

    answers = dict.fromkeys(RedFlag.objects.values_list("slug", flat=True), "no")
    assert client.post("/where-does-it-hurt/safety/", answers).status_code == 302


def test_adding_a_technique_uses_its_own_dose(client: Client, catalog) -> None:
    response = client.post("/session/plan/add/ql-ball-wall/")
    assert response["Location"] == "/session/plan/"
    html = client.get("/session/plan/").content.decode()
    assert "Ball against a wall" in html
    # the low end of its range (hold 30-90 s, 1-3 times), as a first session should be
    assert "One 30 s hold on each side" in html


def test_a_routine_becomes_the_plan_and_opens_the_timer(client: Client, catalog) -> None:
    _answer_the_safety_check(client)
    response = client.post("/session/plan/from-routine/tennis-ball-trio/")
    assert response["Location"] == "/session/"
    assert _steps(client) == [
        "mf-tennis-ball-wall",
        "gmed-thumb-strokes",
        "ql-tennis-ball-under-ribs-wall",
    ]
    html = client.get("/session/plan/").content.decode()
    assert "45 s on each side" in html


def test_routine_and_technique_pages_offer_to_start(client: Client, catalog) -> None:
    assert (
        'action="/session/plan/from-routine/tennis-ball-trio/"'
        in client.get("/routines/tennis-ball-trio/").content.decode()
    )
    assert (
        'action="/session/plan/add/ql-ball-wall/"'
        in client.get("/techniques/ql-ball-wall/").content.decode()
    )


def test_steps_can_be_reordered_removed_and_changed(client: Client, catalog) -> None:
    client.post("/session/plan/from-routine/tennis-ball-trio/")
    client.post("/session/plan/2/move/up/")
    assert _steps(client)[1] == "ql-tennis-ball-under-ribs-wall"
    client.post("/session/plan/0/remove/")
    assert _steps(client) == ["ql-tennis-ball-under-ribs-wall", "gmed-thumb-strokes"]
    client.post("/session/plan/0/change/", {"side": "left", "seconds": "60"})
    assert "1 min, left side" in client.get("/session/plan/").content.decode()


def test_htmx_edits_return_the_plan_fragment(client: Client, catalog) -> None:
    client.post("/session/plan/from-routine/tennis-ball-trio/")
    response = client.post("/session/plan/0/remove/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="plan"') and "<html" not in html


@pytest.mark.parametrize(
    ("url", "data", "status"),
    [
        ("/session/plan/9/remove/", {}, 404),
        ("/session/plan/0/move/sideways/", {}, 400),
        ("/session/plan/0/change/", {"side": "up"}, 400),
        ("/session/plan/0/change/", {"side": "left", "seconds": "5000"}, 400),
        ("/session/plan/add/ql-ball-wall/", {"side": "middle"}, 400),
        ("/session/plan/add/no-such-technique/", {}, 404),
        ("/session/plan/from-routine/nope/", {}, 404),
    ],
)
def test_bad_plan_edits_are_refused_clearly(client: Client, catalog, url, data, status) -> None:
    client.post("/session/plan/from-routine/tennis-ball-trio/")
    before = _steps(client)
    assert client.post(url, data).status_code == status
    assert _steps(client) == before


def test_a_logged_in_persons_plan_is_kept_in_the_database(
    person_client: Client, catalog, person
) -> None:
    client = person_client
    client.post("/session/plan/from-routine/three-step-programme/")
    assert PlanStep.objects.filter(user=person).count() == 5
    client.logout()
    assert "Your plan is empty" in client.get("/session/plan/").content.decode()
    client.force_login(person)
    assert "Both fists on the glute overlap point" in client.get("/session/plan/").content.decode()


def test_the_timer_page_carries_the_plan_as_json(client: Client, catalog) -> None:
    import json
    import re

    _answer_the_safety_check(client)
    client.post("/session/plan/from-routine/three-step-programme/")
    html = client.get("/session/").content.decode()
    data = json.loads(re.search(r'id="session-plan"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["routine"] == "three-step-programme"
    first = data["steps"][0]
    assert first["technique"] == "gmed-overlap-fists" and first["passes"] == ["both"]
    assert first["hold_seconds"] == 10 and first["repetitions"] == 3
    assert data["steps"][1]["passes"] == ["right", "left"]
    assert data["log_url"] == "/session/log/"


def test_the_time_to_move_is_part_of_the_plan_and_the_timer(client: Client, catalog) -> None:
    from tests.guide.test_safety_gate import timer_plan

    _answer_the_safety_check(client)
    client.post("/session/plan/add/ql-tennis-ball-side-lying/", {"side": "both"})
    html = client.get("/session/plan/").content.decode()
    assert 'name="move_seconds"' in html and 'value="10"' in html
    plan = timer_plan(client)
    assert plan["move_seconds"] == 10
    first = plan["id"]
    # What the voice says of the step: the muscle, and the picture in words without
    # "then change sides" (the timer says which side).
    assert plan["steps"][0]["muscle"] == "Quadratus lumborum"
    assert plan["steps"][0]["placement"].startswith("Lying on your side, propped on your forearm")
    assert "change sides" not in plan["steps"][0]["placement"]

    response = client.post("/session/plan/time-to-move/", {"move_seconds": "20"})
    assert response.status_code == 302
    plan = timer_plan(client)
    assert plan["move_seconds"] == 20
    assert plan["id"] != first  # a timer state kept for 10 s moves does not fit


@pytest.mark.parametrize("value", ["4", "31", "", "ten"])
def test_a_time_to_move_out_of_range_is_refused_with_a_reason(
    client: Client, catalog, value: str
) -> None:
    client.post("/session/plan/add/ql-tennis-ball-side-lying/", {"side": "right"})
    response = client.post("/session/plan/time-to-move/", {"move_seconds": value})
    assert response.status_code == 400
    # the plan as it was, with the reason beside the form, not a page of plain text
    html = response.content.decode()
    assert '<p class="field-error" role="alert">Not saved: ' in html
    assert "Tennis ball under the waist, lying on your side" in html
    kept = client.get("/session/plan/").content.decode()
    assert re.search(r'<input type="number" name="move_seconds"[^>]* value="10"', kept)
    htmx = client.post(
        "/session/plan/time-to-move/", {"move_seconds": value}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 400
    assert htmx.content.decode().lstrip().startswith('<section id="plan"')


def test_a_step_change_out_of_range_keeps_the_plan_and_says_why(client: Client, catalog) -> None:
    client.post("/session/plan/from-routine/tennis-ball-trio/")
    before = _steps(client)
    response = client.post(
        "/session/plan/0/change/",
        {"side": "left", "seconds": "5000"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    # the whole plan, as it was, with the reason beside the step's own form
    assert html.lstrip().startswith('<section id="plan"')
    assert html.count('class="card routine-step"') == len(before)
    first_form = html.split('<form class="plan-edit"')[1].split("</form>")[0]
    assert '<p class="field-error" role="alert">Not saved: ' in first_form
    assert _steps(client) == before
