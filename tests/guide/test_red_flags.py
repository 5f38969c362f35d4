"""The safety screen's questions, as data (domain reference sections 6 and 7)."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from backtp.catalog.models import RedFlag

pytestmark = pytest.mark.django_db

EMERGENCY = {
    "saddle-numbness",
    "bladder-bowel",
    "sexual-function",
    "both-legs",
    "serious-fall",
    "chest-pain",
    "sudden-severe",
}
URGENT = {
    "fever",
    "weight-loss",
    "lump",
    "constant-pain",
    "cancer-history",
    "thoracic-band",
    "osteoporosis-fall",
    "weak-immunity",
    "age-first-episode",
    "blood-clot",  # a suspected DVT needs a doctor the same day (NHS DVT)
}
SOON = {"no-improvement", "morning-stiffness"}
CONTRAINDICATIONS = {
    "blood-thinners": "",
    "osteoporosis": "",
    "skin-or-surgery": "",
    "abdominal-surgery": "abdomen",
    "pregnancy": "abdomen",
    "varicose-veins": "leg",
    "aortic-aneurysm": "abdomen",
    "recent-injury": "",
}


def _slugs(level: str) -> set[str]:
    return set(RedFlag.objects.filter(level=level).values_list("slug", flat=True))


def test_every_reference_red_flag_is_asked_at_its_level(catalog) -> None:
    assert _slugs("emergency") == EMERGENCY
    assert _slugs("urgent") == URGENT
    assert _slugs("soon") == SOON
    assert _slugs("contraindication") == set(CONTRAINDICATIONS)


def test_contraindications_leave_out_the_techniques_they_rule_out(catalog) -> None:
    for slug, area in CONTRAINDICATIONS.items():
        assert RedFlag.objects.get(slug=slug).excludes_area == area, slug


def test_emergencies_say_to_call_the_emergency_number_and_stop_self_treatment(catalog) -> None:
    for flag in RedFlag.objects.filter(level="emergency"):
        assert "emergency number" in flag.advice
        assert flag.stops_self_treatment
    for flag in RedFlag.objects.filter(level="urgent"):
        assert "doctor" in flag.advice and flag.stops_self_treatment
    for flag in RedFlag.objects.filter(level__in=["soon", "contraindication"]):
        assert not flag.stops_self_treatment


def test_a_suspected_blood_clot_stops_self_treatment_and_asks_for_help_today(catalog) -> None:
    flag = RedFlag.objects.get(slug="blood-clot")
    assert flag.stops_self_treatment and not flag.excludes_area
    assert "today" in flag.advice and "emergency number" in flag.advice
    assert "nhs-dvt" in flag.sources.values_list("key", flat=True)


def test_every_question_can_be_answered_yes_or_no(catalog) -> None:
    for flag in RedFlag.objects.all():
        assert flag.question.endswith("?"), flag.slug


def test_only_contraindications_can_exclude_techniques() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RedFlag.objects.create(
            slug="x", question="Fever?", level="urgent", advice="See a doctor.", excludes_area="leg"
        )


def test_the_safety_page_lists_every_flag_with_an_anchor(client: Client, catalog) -> None:
    html = client.get("/safety/").content.decode()
    for flag in RedFlag.objects.all():
        assert f'id="{flag.slug}"' in html, flag.slug
        assert flag.get_absolute_url() == f"/safety/#{flag.slug}"
