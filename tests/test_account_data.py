"""Settings, exporting one's data, and deleting the account with everything in it."""

import csv
import io
import json
import re

import pytest
from django.test import Client

from backtp.guide.models import Assessment
from backtp.journal.models import PlanStep, SessionStep, TreatmentSession
from tests.test_journal import log_session

pytestmark = pytest.mark.django_db
PASSWORD = "pw-ana-12345"


@pytest.fixture
def ana(django_user_model):
    return django_user_model.objects.create_user("ana", "ana@example.com", PASSWORD)


def test_settings_save_the_daily_plan_and_contraindications(client: Client, catalog, ana):
    client.force_login(ana)
    response = client.post(
        "/accounts/settings/", {"sessions_per_day": "6", "contraindications": ["pregnancy"]}
    )
    assert response["Location"] == "/accounts/settings/"
    ana.refresh_from_db()
    assert ana.sessions_per_day == 6 and ana.contraindications == ["pregnancy"]


@pytest.mark.parametrize(
    "data", [{"sessions_per_day": "0"}, {"sessions_per_day": "50"}, {"contraindications": ["x"]}]
)
def test_bad_settings_are_a_400(client: Client, catalog, ana, data) -> None:
    client.force_login(ana)
    assert client.post("/accounts/settings/", {"sessions_per_day": "5", **data}).status_code == 400
    ana.refresh_from_db()
    assert ana.sessions_per_day == 5


def test_the_safety_check_remembers_contraindications(client: Client, catalog, ana) -> None:
    from backtp.catalog.models import RedFlag

    client.force_login(ana)
    answers = dict.fromkeys(RedFlag.objects.values_list("slug", flat=True), "no")
    answers["varicose-veins"] = "yes"
    client.post("/where-does-it-hurt/safety/", answers)
    ana.refresh_from_db()
    assert ana.contraindications == ["varicose-veins"]
    client.post("/where-does-it-hurt/start-again/")
    html = client.get("/where-does-it-hurt/safety/").content.decode()
    assert re.search(r'name="varicose-veins" value="yes"[^>]*checked', html)
    assert not re.search(r'name="fever" value="(yes|no)"[^>]*checked', html)  # asked afresh


def test_export_json_holds_all_of_a_persons_data_and_nobody_elses(
    client: Client, catalog, ana, django_user_model
) -> None:
    other = django_user_model.objects.create_user("bob", password="x")
    log_session(ana, before=6, after=3)
    log_session(other, before=9, after=9)
    Assessment.objects.create(user=ana, regions={"sacrum": 4})
    client.force_login(ana)
    client.post("/session/plan/add/ql-ball-wall/")
    response = client.get("/accounts/export.json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "ana"
    assert [s["pain_after"] for s in data["sessions"]] == [3]
    assert data["sessions"][0]["steps"][0]["technique"] == "ql-ball-wall"
    assert data["assessments"][0]["regions"] == {"sacrum": 4}
    assert data["plan"][0]["technique"] == "ql-ball-wall"


def test_export_csv_has_one_row_per_session(client: Client, catalog, ana) -> None:
    log_session(ana, before=6, after=3, days_ago=1)
    log_session(ana, before=5, after=5)
    client.force_login(ana)
    rows = list(
        csv.DictReader(io.StringIO(client.get("/accounts/export/sessions.csv").content.decode()))
    )
    assert [(r["pain_before"], r["pain_change"]) for r in rows] == [("6", "-3"), ("5", "0")]


def test_deleting_the_account_needs_the_password_and_removes_everything(
    client: Client, catalog, ana
) -> None:
    log_session(ana, before=6, after=3)
    Assessment.objects.create(user=ana, regions={"sacrum": 4})
    client.force_login(ana)
    client.post("/session/plan/add/ql-ball-wall/")
    wrong = client.post("/accounts/delete/", {"password": "nope"})
    assert wrong.status_code == 400 and "That password is not right." in wrong.content.decode()
    response = client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert "Your account and everything in it have been deleted." in response.content.decode()
    assert not type(ana).objects.filter(username="ana").exists()
    assert not TreatmentSession.objects.exists() and not SessionStep.objects.exists()
    assert not Assessment.objects.exists() and not PlanStep.objects.exists()


def test_account_pages_need_a_login(client: Client) -> None:
    for url in (
        "/accounts/settings/",
        "/accounts/export.json",
        "/accounts/export/sessions.csv",
        "/accounts/delete/",
    ):
        assert client.get(url)["Location"].startswith("/accounts/login/")
