"""Catalogue reads beyond one queryset line; each runs a fixed number of queries."""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Prefetch, Q, QuerySet

from backtp.catalog.models import (
    BodyRegion,
    Muscle,
    ReferralZone,
    Routine,
    RoutineStep,
    Technique,
    TriggerPoint,
)

SEARCH_LIMIT = 12


def muscles_for_list(*, tool: str = "", part: str = "") -> QuerySet[Muscle]:
    """Muscles, optionally those with a technique for `tool` and/or that refer pain to `part`."""
    muscles = Muscle.objects.all()
    if tool:
        muscles = muscles.filter(trigger_points__techniques__tool=tool)
    if part:
        muscles = muscles.filter(trigger_points__zones__region__part=part)
    zones = ReferralZone.objects.select_related("region").order_by("region__order")
    points = TriggerPoint.objects.prefetch_related(Prefetch("zones", queryset=zones))
    return (
        muscles.distinct()
        .order_by("order", "name")
        .prefetch_related(Prefetch("trigger_points", queryset=points))
    )


@dataclass(frozen=True)
class AreaGroup:
    area: str
    label: str
    muscles: list[Muscle]


def group_by_area(muscles: list[Muscle]) -> list[AreaGroup]:
    """Muscles grouped in the order of Muscle.Area, empty areas left out."""
    return [
        AreaGroup(area, label, members)
        for area, label in Muscle.Area.choices
        if (members := [m for m in muscles if m.area == area])
    ]


def region_part_choices() -> list[tuple[str, str]]:
    """(part, part name) pairs in body order, one per part whatever its sides."""
    seen: dict[str, str] = {}
    for part, part_name in BodyRegion.objects.order_by("order").values_list("part", "part_name"):
        seen.setdefault(part, part_name)
    return list(seen.items())


def used_tool_choices() -> list[tuple[str, str]]:
    used = set(Technique.objects.values_list("tool", flat=True).distinct())
    return [(value, label) for value, label in Technique.Tool.choices if value in used]


def muscle_with_points(slug: str) -> Muscle:
    """A muscle with everything its page shows: points, zones, sources (raises DoesNotExist)."""
    zones = ReferralZone.objects.select_related("region").prefetch_related("sources")
    points = TriggerPoint.objects.select_related("region").prefetch_related(
        Prefetch("zones", queryset=zones.order_by("kind", "region__order")),
        "sources",
        "prior_sources",
        Prefetch("techniques", queryset=Technique.objects.only("slug", "name", "order")),
    )
    return Muscle.objects.prefetch_related(
        "sources",
        "aggravating_activities",
        Prefetch("trigger_points", queryset=points),
    ).get(slug=slug)


def techniques_for_muscle(muscle: Muscle) -> QuerySet[Technique]:
    return (
        Technique.objects.filter(trigger_points__muscle=muscle)
        .distinct()
        .prefetch_related("steps", "sources")
    )


def technique_with_steps(slug: str) -> Technique:
    points = TriggerPoint.objects.select_related("muscle", "region").prefetch_related(
        Prefetch("zones", queryset=ReferralZone.objects.select_related("region"))
    )
    return Technique.objects.prefetch_related(
        "steps", "sources", Prefetch("trigger_points", queryset=points)
    ).get(slug=slug)


def routines_with_steps() -> QuerySet[Routine]:
    steps = RoutineStep.objects.select_related("technique")
    return Routine.objects.prefetch_related(Prefetch("steps", queryset=steps), "sources")


def routine_with_steps(slug: str) -> Routine:
    """A routine with its steps, techniques and the muscles they work (raises DoesNotExist)."""
    points = TriggerPoint.objects.select_related("muscle")
    techniques = Technique.objects.prefetch_related(Prefetch("trigger_points", queryset=points))
    steps = RoutineStep.objects.prefetch_related(Prefetch("technique", queryset=techniques))
    return Routine.objects.prefetch_related(Prefetch("steps", queryset=steps), "sources").get(
        slug=slug
    )


@dataclass(frozen=True)
class SearchResults:
    query: str
    muscles: list[Muscle]
    trigger_points: list[TriggerPoint]
    techniques: list[Technique]
    regions: list[BodyRegion]

    @property
    def total(self) -> int:
        return (
            len(self.muscles) + len(self.trigger_points) + len(self.techniques) + len(self.regions)
        )


def _matching(words: list[str], fields: list[str]) -> Q:
    """Every word must appear in at least one of the fields."""
    return reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words))


def _tool_values_matching(words: list[str]) -> list[str]:
    """Tool codes whose label contains every word ('tennis' finds the tennis-ball techniques)."""
    return [
        value
        for value, label in Technique.Tool.choices
        if all(word.lower() in label.lower() for word in words)
    ]


def search_catalog(query: str) -> SearchResults:
    words = query.split()
    if not words:
        return SearchResults(query, [], [], [], [])
    muscles = Muscle.objects.filter(
        _matching(words, ["name", "other_names", "summary", "description"])
    )
    points = TriggerPoint.objects.select_related("muscle").filter(
        _matching(words, ["name", "locate", "landmark", "muscle__name"])
    )
    technique_match = _matching(words, ["name", "summary", "steps__text"])
    if tools := _tool_values_matching(words):
        technique_match |= Q(tool__in=tools)
    techniques = Technique.objects.filter(technique_match).distinct()
    regions = BodyRegion.objects.filter(_matching(words, ["name", "part_name", "description"]))
    # Left and right of a part lead to the same page: list each part once.
    parts = {region.part: region for region in regions.order_by("order")}
    return SearchResults(
        query=query,
        muscles=list(muscles[:SEARCH_LIMIT]),
        trigger_points=list(points[:SEARCH_LIMIT]),
        techniques=list(techniques.order_by("order", "name")[:SEARCH_LIMIT]),
        regions=list(parts.values())[:SEARCH_LIMIT],
    )
