"""Every technique row and every routine of the domain reference has its fixture."""

import re

import pytest

from backtp.catalog.models import Routine, Technique

pytestmark = pytest.mark.django_db

SEED = {
    "000": "000_8cb7dea9feb47feb.txt",
    "001": "001_83efa0136990b797.txt",
    "003": "003_9e969d5dec7781d0.txt",
    "004": "004_3e2bd6025ae74312.txt",
}

# Section 3, row by row, in the reference's order: (seed, muscle column) -> slug and
# the facts of that row the fixture must keep.
TECHNIQUE_ROWS = [
    (
        "000",
        "QL",
        "ql-tennis-ball-side-lying",
        {"position": "lying-side", "minutes_per_side": (1, 2)},
    ),
    (
        "000",
        "erector spinae",
        "es-ball-lying-back-rolling",
        {"position": "lying-back", "minutes_per_side": (2, 3)},
    ),
    (
        "000",
        "psoas",
        "psoas-ball-face-down",
        {"position": "lying-front", "minutes_per_side": (1, 2)},
    ),
    (
        "000",
        "glutes",
        "gmax-sit-on-ball",
        {"position": "seated", "minutes_per_side": (1, 2)},
    ),
    (
        "001",
        "deep spinal muscles",
        "mf-tennis-ball-wall",
        {"tool": "tennis-ball", "position": "wall"},
    ),
    (
        "001",
        "gluteus medius",
        "gmed-thumb-strokes",
        {"tool": "thumbs", "method": "strokes", "strokes": (6, 12), "hold_seconds": None},
    ),
    ("001", "QL", "ql-thumb-along-lowest-rib", {"tool": "thumbs"}),
    ("001", "QL", "ql-tennis-ball-under-ribs-wall", {"tool": "tennis-ball"}),
    ("001", "all three", "routine:tennis-ball-trio", {"times_per_day": (5, 7)}),
    (
        "003",
        "glute max/med overlap",
        "gmed-overlap-fists",
        {"tool": "fists", "hold_seconds": (10, 10), "repetitions": (3, 4)},
    ),
    ("003", "glute max/med overlap", "gmed-overlap-ball-wall", {"position": "wall"}),
    ("003", "erector C7-T1", "es-c7-fingertips", {"tool": "fingertips"}),
    ("003", "erector C7-T1", "es-c7-ball-wall", {"position": "wall"}),
    ("003", "erector floating-rib level", "es-floating-rib-fists", {"tool": "fists"}),
    ("003", "erector lumbosacral", "es-lumbosacral-fists", {"tool": "fists", "discreet": True}),
    (
        "003",
        "multifidus",
        "mf-two-balls-lying-back",
        {"tool": "two-balls", "position": "lying-back"},
    ),
    ("003", "QL", "ql-ball-lying-back", {"position": "lying-back"}),
    ("003", "QL lateral edge", "ql-ball-side-lying-outer-edge", {"position": "lying-side"}),
    ("003", "QL", "ql-ball-wall", {"position": "wall"}),
    ("003", "QL", "ql-fists-hands-on-hips", {"tool": "fists"}),
    ("003", "psoas", "psoas-bolster-release", {"tool": "bolster", "method": "mobilisation"}),
    ("004", "back, glutes, thighs", "gmax-massage-ball-press-release", {"method": "press-release"}),
]

ROUTINES = {
    "000": "four-muscle-ball-routine",
    "001": "tennis-ball-trio",
    "003": "three-step-programme",
}


def dose_or_field(obj: Technique | Routine, field: str) -> object:
    """A field's value, or a dose's (lowest, highest) pair; None when it has no such dose."""
    if hasattr(obj, f"{field}_min"):
        low, high = getattr(obj, f"{field}_min"), getattr(obj, f"{field}_max")
        return None if low is None else (low, high)
    return getattr(obj, field)


def reference_rows(reference: str) -> list[tuple[str, str]]:
    section = reference.split("## 3.")[1].split("## 4.")[0]
    return re.findall(r"^\| (\d{3}) \| ([^|]+?) \|", section, re.MULTILINE)


def test_the_mapping_follows_the_reference_table_row_by_row(domain_reference) -> None:
    assert reference_rows(domain_reference) == [
        (seed, muscle) for seed, muscle, _, _ in TECHNIQUE_ROWS
    ]


@pytest.mark.parametrize(("seed", "muscle", "slug", "facts"), TECHNIQUE_ROWS)
def test_each_row_exists_with_its_facts_and_its_source(catalog, seed, muscle, slug, facts) -> None:
    kind, _, slug = slug.rpartition(":")
    model = Routine if kind == "routine" else Technique
    obj = model.objects.get(slug=slug)
    for field, value in facts.items():
        assert dose_or_field(obj, field) == value, f"{slug}.{field}"
    assert obj.sources.filter(key=SEED[seed]).exists(), f"{slug} does not cite seed {seed}"


def test_the_ready_made_routines_exist_and_credit_their_seed(catalog, domain_reference) -> None:
    for seed, slug in ROUTINES.items():
        routine = Routine.objects.get(slug=slug)
        assert routine.sources.filter(key=SEED[seed]).exists()
    section = domain_reference.split("## 4.")[1].split("## 5.")[0]
    assert len(re.findall(r"^- seed \d{3}", section, re.MULTILINE)) == len(ROUTINES)


def test_the_four_muscle_routine_works_each_muscle_the_seed_names(catalog) -> None:
    routine = Routine.objects.get(slug="four-muscle-ball-routine")
    muscles = [
        {p.muscle.slug for p in step.technique.trigger_points.all()} for step in routine.steps.all()
    ]
    assert "quadratus-lumborum" in muscles[0]
    assert "erector-spinae" in muscles[1]
    assert "iliopsoas" in muscles[2]
    assert muscles[3] & {"gluteus-maximus", "gluteus-medius"}


def test_the_three_step_programme_follows_the_seeds_order(catalog) -> None:
    routine = Routine.objects.get(slug="three-step-programme")
    muscles_by_step = [
        {p.muscle.slug for p in step.technique.trigger_points.all()} for step in routine.steps.all()
    ]
    assert "gmed-overlap" in {p.slug for p in routine.steps.first().technique.trigger_points.all()}
    assert all("erector-spinae" in muscles for muscles in muscles_by_step[1:-1])
    assert "quadratus-lumborum" in muscles_by_step[-1]
