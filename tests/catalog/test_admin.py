"""Content editors can reach, search and filter every catalogue model in the admin."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from backtp.catalog.models import Muscle, TriggerPoint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOG_MODELS = [
    "source",
    "bodyregion",
    "aggravatingactivity",
    "muscle",
    "triggerpoint",
    "referralzone",
    "technique",
    "techniquestep",
]


@pytest.fixture
def editor(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", CATALOG_MODELS)
def test_each_catalogue_model_has_a_searchable_changelist(editor: Client, catalog, model: str):
    url = reverse(f"admin:catalog_{model}_changelist")
    response = editor.get(url, {"q": "hip"})
    assert response.status_code == 200
    model_admin = admin.site._registry[
        next(m for m in admin.site._registry if m._meta.model_name == model)
    ]
    assert model_admin.search_fields


def test_muscle_change_page_edits_trigger_points_inline(editor: Client, catalog) -> None:
    muscle = Muscle.objects.get(slug="quadratus-lumborum")
    html = editor.get(reverse("admin:catalog_muscle_change", args=[muscle.pk])).content.decode()
    assert "trigger_points-TOTAL_FORMS" in html
    assert muscle.trigger_points.first().name in html


def test_trigger_point_change_page_edits_zones_inline(editor: Client, catalog) -> None:
    point = TriggerPoint.objects.filter(muscle__slug="quadratus-lumborum").first()
    html = editor.get(
        reverse("admin:catalog_triggerpoint_change", args=[point.pk])
    ).content.decode()
    assert "zones-TOTAL_FORMS" in html


def test_technique_change_page_edits_steps_inline(editor: Client, catalog) -> None:
    from backtp.catalog.models import Technique

    technique = Technique.objects.first()
    html = editor.get(
        reverse("admin:catalog_technique_change", args=[technique.pk])
    ).content.decode()
    assert "steps-TOTAL_FORMS" in html


def test_filters_narrow_the_trigger_point_list(editor: Client, catalog) -> None:
    muscle = Muscle.objects.get(slug="gluteus-medius")
    response = editor.get(
        reverse("admin:catalog_triggerpoint_changelist"), {"muscle__id__exact": muscle.pk}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == muscle.trigger_points.count()


def test_the_admin_is_closed_to_visitors(client: Client) -> None:
    response = client.get(reverse("admin:catalog_muscle_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
