"""The real catalogue is complete and consistent: every rule a content editor must keep."""

import re
from decimal import Decimal

import pytest

from backtp.catalog.bodymap import SHAPES
from backtp.catalog.models import (
    BodyRegion,
    Muscle,
    RedFlag,
    ReferralZone,
    Routine,
    Technique,
    TriggerPoint,
)

pytestmark = pytest.mark.django_db

MUSCLES = [
    "quadratus-lumborum",
    "erector-spinae",
    "multifidus",
    "gluteus-medius",
    "gluteus-maximus",
    "gluteus-minimus",
    "piriformis",
    "iliopsoas",
    "rectus-abdominis",
    "soleus",
    "pelvic-floor",
]

# Reference section 2, point by point.
REFERENCE_POINTS = {
    "quadratus-lumborum": [
        "ql-upper-lateral",
        "ql-upper-medial",
        "ql-middle-lateral",
        "ql-middle-medial",
        "ql-lower-lateral",
        "ql-lower-medial",
    ],
    "erector-spinae": [
        "es-cervicothoracic",
        "es-thoracolumbar",
        "es-iliocostalis-lumborum",
        "es-longissimus-thoracis",
        "es-lumbosacral",
    ],
    "multifidus": ["mf-l1", "mf-l4-l5", "mf-s1"],
    "gluteus-medius": ["gmed-trp1", "gmed-trp2", "gmed-trp3", "gmed-overlap"],
    "gluteus-maximus": ["gmax-trp1", "gmax-trp2", "gmax-trp3"],
    "gluteus-minimus": ["gmin-anterior", "gmin-posterior"],
    "piriformis": ["piri-lateral", "piri-medial"],
    "iliopsoas": ["psoas-navel", "iliacus-hip-crest"],
    "rectus-abdominis": ["ra-lower"],
    "soleus": ["soleus-upper", "soleus-lower"],
    "pelvic-floor": ["pf-levator-coccygeus"],
}

# Essential zones the reference gives, on the right side for a right-side point.
REFERENCE_ESSENTIAL = {
    "ql-upper-lateral": {"right-flank"},
    "ql-lower-lateral": {"right-lateral-hip"},
    "ql-upper-medial": {"right-sacroiliac"},
    "ql-lower-medial": {"right-lower-buttock"},
    "es-cervicothoracic": {"right-upper-back"},
    "es-thoracolumbar": {"right-mid-back", "right-low-back"},
    "es-lumbosacral": {"right-low-back", "right-sacroiliac"},
    "gmed-trp1": {"right-sacroiliac", "right-low-back", "sacrum"},
    "gmed-overlap": {"right-low-back", "right-sacroiliac"},
    "gmax-trp2": {"right-lower-buttock", "right-upper-buttock"},
    "gmax-trp3": {"coccyx"},
    "psoas-navel": {"right-low-back", "right-front-thigh"},
    "iliacus-hip-crest": {"right-groin", "right-front-thigh"},
    "ra-lower": {"left-low-back", "right-low-back", "left-sacroiliac", "right-sacroiliac"},
    "soleus-lower": {"right-heel"},
    "pf-levator-coccygeus": {"coccyx", "sacrum"},
}


def canonical_region_slugs(reference: str) -> set[str]:
    """Parse section 1 of the domain reference: 16 bilateral parts and 3 midline regions."""
    section = reference.split("## 1.")[1].split("## 2.")[0]
    parts = re.findall(r"^\| ([a-z-]+) \| (?:back|front|side) \|", section, re.MULTILINE)
    midline = re.findall(r"`([a-z-]+)`", section.split("Midline:")[1])
    return {f"{side}-{part}" for part in parts for side in ("left", "right")} | set(midline)


@pytest.fixture
def points(catalog) -> list[TriggerPoint]:
    return list(
        TriggerPoint.objects.select_related("muscle", "region").prefetch_related(
            "zones__region", "techniques", "sources"
        )
    )


def test_it_has_every_muscle_the_issue_names(catalog) -> None:
    assert set(MUSCLES) <= set(Muscle.objects.values_list("slug", flat=True))


def test_every_muscle_is_fully_described(catalog) -> None:
    for muscle in Muscle.objects.prefetch_related("aggravating_activities"):
        for field in ("summary", "description", "location", "function", "cautions"):
            assert getattr(muscle, field).strip(), f"{muscle.slug} has no {field}"
        assert muscle.aggravating_activities.exists() or muscle.aggravating_notes.strip(), (
            muscle.slug
        )


def test_it_has_every_trigger_point_of_the_reference(catalog) -> None:
    for muscle, slugs in REFERENCE_POINTS.items():
        found = set(TriggerPoint.objects.filter(muscle__slug=muscle).values_list("slug", flat=True))
        assert set(slugs) <= found, f"{muscle} lacks {set(slugs) - found}"


def test_essential_zones_match_the_reference(points) -> None:
    essential = {
        point.slug: {z.region.slug for z in point.zones.all() if z.kind == "essential"}
        for point in points
    }
    for slug, regions in REFERENCE_ESSENTIAL.items():
        assert regions <= essential[slug], f"{slug}: {regions - essential[slug]} not essential"


def test_self_treatable_muscles_have_points_and_techniques(catalog) -> None:
    for muscle in Muscle.objects.filter(professional_only=False):
        assert muscle.trigger_points.exists(), muscle.slug
        assert Technique.objects.filter(trigger_points__muscle=muscle).exists(), muscle.slug


def test_professional_only_muscles_have_no_self_release(catalog) -> None:
    pelvic_floor = Muscle.objects.get(slug="pelvic-floor")
    assert pelvic_floor.professional_only
    assert not Technique.objects.filter(trigger_points__muscle__professional_only=True).exists()


def test_every_point_has_an_essential_zone_and_a_technique(points) -> None:
    for point in points:
        kinds = {zone.kind for zone in point.zones.all()}
        assert ReferralZone.Kind.ESSENTIAL in kinds, point.slug
        if not point.muscle.professional_only:
            assert point.techniques.all(), f"{point.slug} has no technique"


def test_every_self_treatable_point_can_be_released_off_the_floor(points) -> None:
    for point in points:
        if point.muscle.professional_only:
            continue
        off_floor = [t for t in point.techniques.all() if not t.on_floor]
        assert off_floor, f"{point.slug} needs a wall, seated or standing technique"


def test_points_are_described_on_the_right_side(points) -> None:
    for point in points:
        assert point.region.side in ("right", "midline"), point.slug
        regions = {zone.region for zone in point.zones.all()}
        slugs = {region.slug for region in regions}
        for region in regions:
            # A left zone only where the pattern crosses the midline (both sides shaded).
            if region.side == "left":
                assert region.mirror_slug in slugs, f"{point.slug} has a stray {region.slug}"


def test_every_dose_is_within_sane_bounds(catalog) -> None:
    bounds = {
        "hold_seconds": (5, 120),
        "repetitions": (1, 10),
        "strokes": (1, 30),
        "minutes_per_side": (Decimal("0.5"), Decimal("5")),
        "times_per_day": (1, 10),
    }
    for technique in Technique.objects.all():
        technique.full_clean()
        for dose, (lowest, highest) in bounds.items():
            if found := technique.dose_range(dose):
                assert lowest <= found[0] <= found[1] <= highest, f"{technique.slug} {dose}"


def test_every_technique_has_numbered_steps_and_pressure_guidance(catalog) -> None:
    for technique in Technique.objects.prefetch_related("steps"):
        numbers = [step.number for step in technique.steps.all()]
        assert len(numbers) >= 2, technique.slug
        assert numbers == list(range(1, len(numbers) + 1)), technique.slug
        assert technique.pressure.strip(), technique.slug


@pytest.mark.parametrize(
    "model", [Muscle, TriggerPoint, ReferralZone, Technique, Routine, RedFlag], ids=str
)
def test_every_object_cites_a_source(catalog, model) -> None:
    unsourced = model.objects.filter(sources__isnull=True)
    assert not unsourced.exists(), [str(obj) for obj in unsourced[:5]]


def test_regions_are_exactly_the_canonical_35_and_all_on_the_body_map(
    catalog, domain_reference
) -> None:
    slugs = set(BodyRegion.objects.values_list("slug", flat=True))
    assert slugs == canonical_region_slugs(domain_reference)
    assert len(slugs) == 35
    assert slugs == set(SHAPES)


def test_every_used_region_is_canonical(points, domain_reference) -> None:
    canonical = canonical_region_slugs(domain_reference)
    for point in points:
        assert point.region.slug in canonical
        assert {zone.region.slug for zone in point.zones.all()} <= canonical


def test_routines_are_runnable(catalog) -> None:
    for routine in Routine.objects.prefetch_related("steps__technique"):
        steps = list(routine.steps.all())
        assert steps, routine.slug
        assert [step.number for step in steps] == list(range(1, len(steps) + 1))
        for step in steps:
            step.full_clean()
            assert step.work_seconds() > 0
            assert not step.technique.trigger_points.filter(muscle__professional_only=True).exists()
