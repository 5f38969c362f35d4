from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from backtp.catalog.models import BodyRegion, ReferralZone, Technique
from tests.factories import (
    BodyRegionFactory,
    MuscleFactory,
    ReferralZoneFactory,
    SourceFactory,
    TechniqueFactory,
    TriggerPointFactory,
)

# Each test builds the catalogue it needs with the factories.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalog")]


def test_a_point_cannot_have_two_zones_in_the_same_region() -> None:
    zone = ReferralZoneFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralZone.objects.create(
            trigger_point=zone.trigger_point, region=zone.region, kind="spillover"
        )


def test_muscle_slugs_are_unique() -> None:
    MuscleFactory(slug="quadratus-lumborum")
    with pytest.raises(IntegrityError), transaction.atomic():
        MuscleFactory(slug="quadratus-lumborum")


@pytest.mark.parametrize("field", ["hold_seconds", "repetitions", "strokes", "times_per_day"])
def test_the_database_refuses_a_zero_dose(field: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TechniqueFactory(**{f"{field}_min": 0, f"{field}_max": 2})


def test_the_database_refuses_a_zero_minutes_per_side() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TechniqueFactory(minutes_per_side_min=Decimal("0"), minutes_per_side_max=Decimal("1"))


def test_a_technique_needs_some_dose() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TechniqueFactory(hold_seconds_min=None, hold_seconds_max=None, minutes_per_side_min=None)


def test_a_region_slug_must_carry_its_side() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyRegion.objects.create(
            slug="flank",
            name="Flank",
            part="flank",
            part_name="Flank",
            side="left",
            view="back",
            group="back",
            description="x",
        )


def test_dose_bounds_are_validated_for_editors() -> None:
    technique = TechniqueFactory.build(hold_seconds_max=300, strokes_min=6, strokes_max=50)
    with pytest.raises(ValidationError) as error:
        technique.full_clean(exclude=["slug"])
    assert {"hold_seconds_max", "strokes_max"} <= set(error.value.message_dict)


def test_mirror_slug_swaps_sides_and_keeps_midline() -> None:
    assert BodyRegionFactory.build(part="flank", side="right").mirror_slug == "left-flank"
    assert BodyRegionFactory.build(part="flank", side="left").mirror_slug == "right-flank"
    assert BodyRegionFactory.build(part="sacrum", side="midline").mirror_slug == "sacrum"


def test_every_model_names_itself_and_has_a_page() -> None:
    source = SourceFactory(key="003_seed.txt", title="Massage tips", author="Get Massage Smart")
    muscle = MuscleFactory(slug="quadratus-lumborum", name="Quadratus lumborum")
    point = TriggerPointFactory(muscle=muscle, slug="ql-upper-lateral", name="Upper outer point")
    zone = ReferralZoneFactory(trigger_point=point, region=BodyRegionFactory(part="flank"))
    technique = TechniqueFactory(slug="ql-wall", name="Ball on a wall", trigger_points=[point])
    step = technique.steps.first()

    assert str(source) == "Massage tips (Get Massage Smart, 2020)"
    assert source.get_absolute_url() == "/sources/#source-003_seed.txt"
    assert str(muscle) == "Quadratus lumborum"
    assert muscle.get_absolute_url() == "/muscles/quadratus-lumborum/"
    assert str(point) == "Quadratus lumborum: Upper outer point"
    assert point.get_absolute_url() == "/muscles/quadratus-lumborum/#ql-upper-lateral"
    assert str(zone) == "Quadratus lumborum: Upper outer point → Right flank (essential)"
    assert zone.get_absolute_url() == point.get_absolute_url()
    assert str(technique) == "Ball on a wall"
    assert technique.get_absolute_url() == "/techniques/ql-wall/"
    assert str(step) == "Ball on a wall, step 1"
    assert zone.region.get_absolute_url() == "/muscles/?region=flank"


def test_floor_and_hands_only_are_derived_from_position_and_tool() -> None:
    assert TechniqueFactory.build(position=Technique.Position.LYING_SIDE).on_floor
    assert not TechniqueFactory.build(position=Technique.Position.WALL).on_floor
    assert TechniqueFactory.build(tool=Technique.Tool.FISTS).hands_only
    assert not TechniqueFactory.build(tool=Technique.Tool.TENNIS_BALL).hands_only


def test_a_technique_for_two_points_shows_essential_where_their_zones_overlap() -> None:
    flank = BodyRegionFactory(part="flank")
    groin = BodyRegionFactory(part="groin", view="front", group="abdomen-groin")
    first, second = TriggerPointFactory(), TriggerPointFactory()
    ReferralZoneFactory(trigger_point=first, region=flank, kind="spillover")
    ReferralZoneFactory(trigger_point=second, region=flank, kind="essential")
    ReferralZoneFactory(trigger_point=second, region=groin, kind="spillover")
    technique = TechniqueFactory(trigger_points=[first, second])
    assert technique.zone_map() == {"right-flank": "essential", "right-groin": "spillover"}
    assert technique.point_regions() == ["right-low-back"]


def test_pain_parts_lists_essential_parts_before_spillover_without_repeats() -> None:
    muscle = MuscleFactory()
    for kind, part in [("spillover", "groin"), ("essential", "flank"), ("spillover", "flank")]:
        point = TriggerPointFactory(muscle=muscle)
        ReferralZoneFactory(trigger_point=point, region=BodyRegionFactory(part=part), kind=kind)
    assert muscle.pain_parts() == ["Flank", "Groin"]
