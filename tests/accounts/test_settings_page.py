"""The settings pages' forms: Django's own number input for sessions a day, on the
reminders page (its range, its help and errors named for screen readers), and on the
settings page the conditions as a plain group, with a way to the reminders."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

REMINDERS = "/accounts/settings/reminders/"


def number_input(html: str) -> str:
    [tag] = re.findall(r'<input type="number"[^>]*>', html)
    return tag


def test_sessions_a_day_is_a_number_from_1_to_10_described_by_its_help(
    person_client: Client, catalog
) -> None:
    html = person_client.get(REMINDERS).content.decode()
    tag = number_input(html)
    assert 'name="per_day"' in tag and 'value="5"' in tag
    assert 'min="1"' in tag and 'max="10"' in tag and 'inputmode="numeric"' in tag
    assert 'aria-describedby="id_per_day_helptext"' in tag
    assert '<p class="field-help muted" id="id_per_day_helptext">Several short' in html


def test_a_number_out_of_range_is_marked_and_its_error_named(
    person_client: Client, catalog
) -> None:
    response = person_client.post(REMINDERS, {"per_day": "11", "mode": "spread"})
    assert response.status_code == 400
    html = response.content.decode()
    tag = number_input(html)
    assert 'aria-invalid="true"' in tag and 'value="11"' in tag
    assert 'aria-describedby="id_per_day_helptext id_per_day_error"' in tag
    assert re.search(r'<div id="id_per_day_error"><p class="field-error">[^<]*10', html)
    assert 'class="field has-error field--number"' in html


def test_the_conditions_are_a_group_without_the_browsers_box(
    person_client: Client, catalog
) -> None:
    html = person_client.get("/accounts/settings/").content.decode()
    assert '<fieldset class="field field-group">' in html
    assert "<legend>Conditions that limit self-treatment</legend>" in html


def test_settings_say_how_many_a_day_and_lead_to_the_reminders(
    person_client: Client, person, catalog
) -> None:
    person.sessions_per_day = 6
    person.save()
    html = person_client.get("/accounts/settings/").content.decode()
    assert "<h2>Reminders</h2>" in html and "6 short sessions a day." in html
    assert f'href="{REMINDERS}"' in html
    assert 'name="sessions_per_day"' not in html  # set in one place only


def test_saving_the_conditions_keeps_the_sessions_a_day(
    person_client: Client, person, catalog
) -> None:
    person.sessions_per_day = 7
    person.save()
    assert person_client.post("/accounts/settings/", {}).status_code == 302
    person.refresh_from_db()
    assert person.sessions_per_day == 7
