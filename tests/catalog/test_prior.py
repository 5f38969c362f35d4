"""The clinical prior: how commonly each trigger point causes low back pain (reference §9),
stored with what it rests on and its sources, and editable in the admin."""

import re

import pytest
from django.test import Client

from backtp.catalog.models import TriggerPoint

pytestmark = pytest.mark.django_db

Prior = TriggerPoint.Prior


def test_every_point_says_what_its_prior_rests_on(catalog) -> None:
    for point in TriggerPoint.objects.prefetch_related("prior_sources"):
        assert point.prior_basis, point.slug
        kinds = {source.kind for source in point.prior_sources.all()}
        assert kinds, point.slug
        # A figure is a measurement: it must come from published research.
        if re.search(r"\d+%", point.prior_basis):
            assert "literature" in kinds, point.slug
        else:
            assert point.prior_basis.startswith("Not measured") or "literature" in kinds


def test_common_posterior_causes_come_before_belly_and_rare_points(catalog) -> None:
    """Reference §9: QL, gluteus medius and lumbar iliocostalis are the most often
    active; the psoas only in 5-10%; the rectus abdominis, soleus and pelvic floor are
    'less obvious sources' (seed 002)."""
    prior = dict(TriggerPoint.objects.values_list("slug", "prior"))
    often = ["ql-middle-medial", "gmed-trp1", "gmed-overlap", "es-iliocostalis-lumborum"]
    common = ["mf-l4-l5", "gmax-trp2", "es-lumbosacral"]
    less = ["psoas-navel", "iliacus-hip-crest", "ra-lower", "soleus-lower", "pf-levator-coccygeus"]
    assert {prior[slug] for slug in often} == {Prior.OFTEN}
    assert {prior[slug] for slug in common} == {Prior.COMMON}
    assert {prior[slug] for slug in less} == {Prior.LESS_COMMON}
    # reference §2: "upper point, rare"
    assert prior["soleus-upper"] == Prior.RARE


def test_the_figures_quoted_are_the_references(catalog, domain_reference: str) -> None:
    section = domain_reference.split("## 9.")[1]
    for basis in TriggerPoint.objects.values_list("prior_basis", flat=True):
        for figure in re.findall(r"\d+(?:-\d+)?%", basis):
            assert figure in section, (figure, basis)


def test_the_prior_is_edited_in_the_admin_list(catalog, admin_client: Client) -> None:
    point = TriggerPoint.objects.get(slug="soleus-upper")
    page = admin_client.get("/admin/catalog/triggerpoint/")
    assert page.status_code == 200 and 'name="form-0-prior"' in page.content.decode()
    change = admin_client.get(f"/admin/catalog/triggerpoint/{point.pk}/change/")
    assert 'name="prior_basis"' in change.content.decode()


def test_a_muscle_page_says_how_common_each_point_is_and_cites_it(client: Client, catalog) -> None:
    html = client.get("/muscles/quadratus-lumborum/").content.decode()
    assert "How common:</strong> Often found in low back pain. Active points were found" in html
    assert "Monclus-Diez et al. 2025" in html or "Prevalence of myofascial trigger points" in html
