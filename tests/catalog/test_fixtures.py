"""The catalogue fixtures load into an empty database, and loading again changes nothing."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backtp.catalog.management.commands.load_catalog import FIXTURES_DIR, catalog_fixture_paths
from backtp.catalog.models import (
    BodyRegion,
    Muscle,
    ReferralZone,
    Source,
    Technique,
    TechniqueStep,
    TriggerPoint,
)

pytestmark = pytest.mark.django_db

MODELS = [Source, BodyRegion, Muscle, TriggerPoint, ReferralZone, Technique, TechniqueStep]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _objects_in_fixtures(model_label: str) -> int:
    return sum(
        1
        for path in catalog_fixture_paths()
        for obj in json.loads(path.read_text())
        if obj["model"] == model_label
    )


def test_the_catalogue_loads_into_an_empty_database(empty_catalog) -> None:
    assert all(count == 0 for count in _counts().values())
    call_command("load_catalog", verbosity=0)
    counts = _counts()
    assert counts["BodyRegion"] == 35
    assert counts["Muscle"] == _objects_in_fixtures("catalog.muscle") >= 3
    assert counts["TriggerPoint"] == _objects_in_fixtures("catalog.triggerpoint")
    assert counts["ReferralZone"] == _objects_in_fixtures("catalog.referralzone")
    assert counts["Technique"] == _objects_in_fixtures("catalog.technique")


# The session's test database has the catalogue loaded once already (tests/conftest.py).


def test_loading_twice_adds_no_duplicates() -> None:
    first = _counts()
    call_command("load_catalog", verbosity=0)
    assert _counts() == first


def test_loading_again_restores_edited_content_from_the_fixtures() -> None:
    Muscle.objects.filter(slug="quadratus-lumborum").update(name="Edited")
    call_command("load_catalog", verbosity=0)
    assert Muscle.objects.get(slug="quadratus-lumborum").name == "Quadratus lumborum"


def test_the_first_muscles_have_real_content(catalog) -> None:
    for slug in ("quadratus-lumborum", "erector-spinae", "gluteus-medius"):
        muscle = Muscle.objects.get(slug=slug)
        assert muscle.trigger_points.count() >= 3, slug
        assert muscle.sources.exists(), slug
        assert Technique.objects.filter(trigger_points__muscle=muscle).exists(), slug


def test_a_missing_fixture_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="sources.json"):
        call_command("load_catalog", fixtures_dir=tmp_path, verbosity=0)


def test_fixtures_carry_no_database_ids() -> None:
    for path in catalog_fixture_paths():
        for obj in json.loads(path.read_text()):
            assert "pk" not in obj, f"{path.relative_to(FIXTURES_DIR)}: {obj['model']} has a pk"
