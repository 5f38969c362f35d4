"""factory-boy factories for every catalogue model, and for people."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from backtp.accounts.models import User
from backtp.catalog import bodymap
from backtp.catalog.models import (
    AggravatingActivity,
    BodyRegion,
    Muscle,
    ReferralZone,
    Routine,
    RoutineStep,
    Source,
    Technique,
    TechniqueStep,
    TriggerPoint,
)

# Every UserFactory person's password, for the tests that log in with it.
PASSWORD = "pw-person-12345"


class UserFactory(DjangoModelFactory):
    """Someone with an account: person1, person1@example.com, ... and PASSWORD."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source number {n}")
    label = factory.Sequence(lambda n: f"Source {n}")
    author = "A. Author"
    year = 2020
    kind = Source.Kind.LITERATURE


class BodyRegionFactory(DjangoModelFactory):
    """Defaults to the right low back; pass slug/part/side for others."""

    class Meta:
        model = BodyRegion
        django_get_or_create = ["slug"]

    part = "low-back"
    side = BodyRegion.Side.RIGHT
    slug = factory.LazyAttribute(
        lambda o: o.part if o.side == BodyRegion.Side.MIDLINE else f"{o.side}-{o.part}"
    )
    part_name = factory.LazyAttribute(lambda o: o.part.replace("-", " ").capitalize())
    name = factory.LazyAttribute(
        lambda o: (
            o.part_name if o.side == "midline" else f"{o.side.capitalize()} {o.part_name.lower()}"
        )
    )
    view = BodyRegion.View.BACK
    group = BodyRegion.Group.BACK
    description = "Somewhere on the body."


class AggravatingActivityFactory(DjangoModelFactory):
    class Meta:
        model = AggravatingActivity
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"activity-{n}")
    name = factory.Sequence(lambda n: f"Activity {n}")


class MuscleFactory(DjangoModelFactory):
    class Meta:
        model = Muscle
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"muscle-{n}")
    name = factory.Sequence(lambda n: f"Muscle {n}")
    area = Muscle.Area.LOW_BACK
    summary = "A muscle that can send pain to the low back."
    description = "Described in plain words."
    location = "Beside the spine."
    function = "Holds you upright."

    @factory.post_generation
    def sources(self, create: bool, extracted: list[Source] | None, **kwargs: object) -> None:
        if create:
            self.sources.set(extracted or [SourceFactory()])


class TriggerPointFactory(DjangoModelFactory):
    class Meta:
        model = TriggerPoint
        skip_postgeneration_save = True

    muscle = factory.SubFactory(MuscleFactory)
    slug = factory.Sequence(lambda n: f"point-{n}")
    name = factory.Sequence(lambda n: f"Point {n}")
    locate = "Feel for the tender spot beside the spine."
    landmark = "Beside L3"
    region = factory.SubFactory(BodyRegionFactory)
    # At the centre of its region on the figure, as the catalogue stores it (right side).
    view = factory.LazyAttribute(lambda o: _centre(o.region.slug)[0])
    x = factory.LazyAttribute(lambda o: _centre(o.region.slug)[1])
    y = factory.LazyAttribute(lambda o: _centre(o.region.slug)[2])

    @factory.post_generation
    def sources(self, create: bool, extracted: list[Source] | None, **kwargs: object) -> None:
        if create:
            self.sources.set(extracted or [SourceFactory()])


def _centre(slug: str) -> tuple[str, float | None, float | None]:
    """A region's centre in its view's own units, for the right side (None: not drawn)."""
    shape = bodymap.SHAPES.get(slug)
    if shape is None or slug.startswith("left-"):
        return "back", None, None
    x, y = bodymap.anchor(slug)
    return shape.view, x - bodymap.VIEW_OFFSET[shape.view], y


class ReferralZoneFactory(DjangoModelFactory):
    class Meta:
        model = ReferralZone
        skip_postgeneration_save = True

    trigger_point = factory.SubFactory(TriggerPointFactory)
    region = factory.SubFactory(BodyRegionFactory)
    kind = ReferralZone.Kind.ESSENTIAL

    @factory.post_generation
    def sources(self, create: bool, extracted: list[Source] | None, **kwargs: object) -> None:
        if create:
            self.sources.set(extracted or [SourceFactory()])


class TechniqueFactory(DjangoModelFactory):
    class Meta:
        model = Technique
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"technique-{n}")
    name = factory.Sequence(lambda n: f"Technique {n}")
    summary = "Lean into a ball."
    tool = Technique.Tool.TENNIS_BALL
    position = Technique.Position.WALL
    method = Technique.Method.PRESSURE
    hold_seconds_min = hold_seconds_max = 30
    repetitions_min = repetitions_max = 3
    minutes_per_side_min = minutes_per_side_max = Decimal("1.5")
    pressure = "Firm but comfortable."

    @factory.post_generation
    def trigger_points(
        self, create: bool, extracted: list[TriggerPoint] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.trigger_points.set(extracted)

    @factory.post_generation
    def sources(self, create: bool, extracted: list[Source] | None, **kwargs: object) -> None:
        if create:
            self.sources.set(extracted or [SourceFactory()])

    @factory.post_generation
    def steps(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            for number, text in enumerate(extracted or ["Find the spot.", "Lean in."], 1):
                TechniqueStep.objects.create(technique=self, number=number, text=text)


class RoutineFactory(DjangoModelFactory):
    class Meta:
        model = Routine
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"routine-{n}")
    name = factory.Sequence(lambda n: f"Routine {n}")
    summary = "A short routine."
    description = "Do these in order."

    @factory.post_generation
    def sources(self, create: bool, extracted: list[Source] | None, **kwargs: object) -> None:
        if create:
            self.sources.set(extracted or [SourceFactory()])


class RoutineStepFactory(DjangoModelFactory):
    class Meta:
        model = RoutineStep

    routine = factory.SubFactory(RoutineFactory)
    number = factory.Sequence(lambda n: n + 1)
    technique = factory.SubFactory(TechniqueFactory)
    side = RoutineStep.Side.BOTH
    duration_seconds = 60
    rest_seconds = 10
