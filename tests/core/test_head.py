"""HEAD answers like GET on every page that only shows something: the same status and
Content-Type, no body. Link checkers, uptime monitors and some load balancers ask with
HEAD; a 405 reads to them as a broken page."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from backtp.accounts.models import User
from backtp.catalog.models import Routine
from tests.core.test_isolation import _patterns
from tests.journal.test_journal import log_session

# Pages that only show something, and who looks at them.
VISITOR_PAGES = [
    "pages:home",
    "pages:healthz",
    "pages:evidence",
    "pages:safety",
    "pages:tips",
    "pages:diagnoses",
    "pages:manifest",
    "pages:service_worker",
    "pages:offline",
    "catalog:muscle_list",
    "catalog:muscle_detail",
    "catalog:technique_detail",
    "catalog:routine_list",
    "catalog:routine_detail",
    "catalog:search",
    "catalog:sources",
    "reminders:feed",
    "guide:start",
    "guide:stop",
    "guide:results",
    "journal:timer",
    "journal:plan",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
]
PERSONAL_PAGES = [
    "journal:journal",
    "journal:progress",
    "journal:reminders",
    "reminders:calendar",
    "journal:session_detail",
    "clinician_summary",
    "accounts:export_json",
    "journal:sessions_csv",
    "accounts:password_change_done",
]
# Everything else, so that a new page must be put in one list or the other.
FORMS = {  # GET shows the form, POST sends it
    "guide:safety",
    "guide:body_map",
    "guide:feel",
    "guide:have",
    "accounts:signup",
    "accounts:login",
    "accounts:settings",
    "accounts:delete",
    "accounts:password_change",
    "reminders:settings",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
}
ACTIONS = {  # POST only
    "guide:restart",
    "guide:plan_from_results",
    "accounts:logout",
    "journal:plan_add",
    "journal:plan_from_routine",
    "journal:plan_change",
    "journal:plan_move",
    "journal:plan_move_time",
    "journal:plan_remove",
    "journal:log",
    "reminders:device_add",
    "reminders:device_remove",
    "reminders:devices_remove_all",
    "reminders:devices_test",
    "reminders:feed_new",
    "reminders:feed_revoke",
}


def test_every_page_of_the_site_is_in_one_list() -> None:
    names = {name for name, _ in _patterns(get_resolver()) if not name.startswith("admin:")}
    listed = [*VISITOR_PAGES, *PERSONAL_PAGES, *FORMS, *ACTIONS]
    assert len(listed) == len(set(listed))
    assert names == set(listed)


def url_for(name: str, person: User) -> str:
    from backtp.guide.models import Assessment

    args = {
        "catalog:muscle_detail": lambda: ["quadratus-lumborum"],
        "catalog:technique_detail": lambda: ["mf-tennis-ball-wall"],
        "catalog:routine_detail": lambda: [Routine.objects.order_by("pk").first().slug],
        "journal:session_detail": lambda: [person.treatment_sessions.first().pk],
        "reminders:feed": lambda: ["no-such-calendar"],
    }
    if name == "guide:results":
        assessment = Assessment.objects.create(
            user=None,
            regions={"right-low-back": 5},
            worst="right-low-back",
            qualities=[],
            activities=[],
            tools=["ball"],
            positions=[],
            contraindications=[],
            see_doctor_soon=[],
        )
        return assessment.get_absolute_url()
    url = reverse(name, args=args.get(name, list)())
    return f"{url}?q=ball" if name == "catalog:search" else url


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_head_like_get(client: Client, url: str) -> None:
    # HEAD first: it must go through the view itself, not only be served from the
    # copy a GET left in the page cache...
    head = client.head(url)
    get = client.get(url)
    assert head.status_code == get.status_code, url
    assert head.status_code != 405, url
    assert head["Content-Type"] == get["Content-Type"], url
    assert body(head) == b"", url
    # ...and what HEAD left in the cache must not stand in for a GET.
    if get.status_code == 200:
        assert body(get), url


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_head_answers_like_get_for_a_visitor(catalog, person, name: str) -> None:
    assert_head_like_get(Client(), url_for(name, person))


@pytest.mark.parametrize("name", PERSONAL_PAGES + VISITOR_PAGES)
def test_head_answers_like_get_for_a_logged_in_person(
    catalog, person, person_client: Client, name: str
) -> None:
    log_session(person, before=6, after=3)
    assert_head_like_get(person_client, url_for(name, person))


@pytest.mark.parametrize("name", sorted(FORMS - {"accounts:password_reset_confirm"}))
def test_head_answers_like_get_on_a_form(catalog, person, client: Client, name: str) -> None:
    """Forms answer HEAD as well: a visitor's forms for a visitor, a person's for them."""
    if name in {
        "accounts:settings",
        "accounts:delete",
        "accounts:password_change",
        "reminders:settings",
    }:
        client.force_login(person)
    assert_head_like_get(client, reverse(name))
