"""A questionnaire answered just before signing up or logging in becomes the person's:
the clinician's summary shows it, as the journal shows sessions saved logged out."""

import pytest
from django.test import Client

from backtp.guide.models import Assessment
from backtp.journal.device import ANONYMOUS_KEY
from tests.factories import PASSWORD
from tests.guide.test_guide import complete

pytestmark = pytest.mark.django_db

SUMMARY = "/journal/summary/"
NOTHING_YET = "No questionnaire saved to your account yet"


def answer_logged_out(client: Client) -> Assessment:
    complete(
        client,
        regions=["right-low-back", "right-flank"],
        map={"intensity-right-low-back": "6", "worst": "right-low-back"},
    )
    assessment = Assessment.objects.latest("created")
    assert assessment.user is None
    return assessment


def sign_up(client: Client, name: str = "cy") -> None:
    response = client.post(
        "/accounts/signup/", {"email": f"{name}@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_questionnaire_answered_before_signing_up_is_in_the_summary(
    client: Client, catalog
) -> None:
    assessment = answer_logged_out(client)
    sign_up(client)
    assessment.refresh_from_db()
    assert assessment.user.email == "cy@example.com"
    html = client.get(SUMMARY).content.decode()
    assert NOTHING_YET not in html and "No questionnaire answered while logged in" not in html
    assert "right low back (6/10) (worst)" in html and "right flank" in html


def test_a_questionnaire_answered_before_logging_in_is_in_the_summary(
    client: Client, catalog, person
) -> None:
    assessment = answer_logged_out(client)
    client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assessment.refresh_from_db()
    assert assessment.user == person
    assert "right low back (6/10) (worst)" in client.get(SUMMARY).content.decode()


def test_someone_elses_questionnaire_on_another_browser_is_not_taken(
    client: Client, catalog, person
) -> None:
    theirs = answer_logged_out(Client())
    client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    theirs.refresh_from_db()
    assert theirs.user is None
    assert NOTHING_YET in client.get(SUMMARY).content.decode()


def test_after_logging_out_the_next_person_on_the_device_claims_nothing(
    client: Client, catalog, person, other_person
) -> None:
    assessment = answer_logged_out(client)
    client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": other_person.username, "password": PASSWORD})
    assessment.refresh_from_db()
    assert assessment.user == person
    assert NOTHING_YET in client.get(SUMMARY).content.decode()


def test_an_assessment_that_already_has_an_owner_is_never_moved(
    client: Client, catalog, person, other_person
) -> None:
    # as if this browser session had saved it
    owned = Assessment.objects.create(
        user=other_person, regions={"right-flank": 5}, anonymous_owner="f00d"
    )
    session = client.session
    session[ANONYMOUS_KEY] = "f00d"
    session.save()
    client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    owned.refresh_from_db()
    assert owned.user == other_person


def test_the_summary_without_any_questionnaire_says_how_to_add_one(
    person_client: Client, catalog
) -> None:
    html = person_client.get(SUMMARY).content.decode()
    assert NOTHING_YET in html and 'href="/where-does-it-hurt/"' in html
