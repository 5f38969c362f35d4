"""Catalogue reads beyond one queryset line; each runs a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import add, or_
from typing import Any

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan

from backtp.catalog import search
from backtp.catalog.models import (
    BodyRegion,
    Muscle,
    ReferralZone,
    Routine,
    RoutineStep,
    Technique,
    TechniqueStep,
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
    query: search.Query
    muscles: list[Muscle]
    trigger_points: list[TriggerPoint]
    techniques: list[Technique]
    regions: list[BodyRegion]

    @property
    def total(self) -> int:
        return (
            len(self.muscles) + len(self.trigger_points) + len(self.techniques) + len(self.regions)
        )


TECHNIQUE_CHOICES = search.Choices(
    Technique.Tool.choices, Technique.Method.choices, Technique.Position.choices
)


def search_catalog(text: str) -> SearchResults:
    """Muscles, points, techniques and body areas matching every term of `text`, best
    first (search.Weight: name, other names, region, where pain goes, text), in four
    queries."""
    query = search.parse(text, TECHNIQUE_CHOICES)
    if not query:
        return SearchResults(query, [], [], [], [])
    muscles = _ranked(
        Muscle.objects.all(),
        query,
        _muscle_fields,
        {"A": ["name"], "B": ["other_names"], "D": MUSCLE_TEXT},
        _area_order("area"),
        "order",
        "name",
    )
    points = _ranked(
        TriggerPoint.objects.select_related("muscle"),
        query,
        _point_fields,
        {"A": ["name", "muscle__name"], "B": ["muscle__other_names"], "D": ["locate", "landmark"]},
        _area_order("muscle__area"),
        "muscle__order",
        "order",
        "slug",
    )
    techniques = _ranked(
        Technique.objects.all(),
        query,
        _technique_fields,
        {"A": ["name"], "D": ["summary"]},
        "order",
        "name",
    )
    # Left and right of a part lead to the same page: list each part once, where it ranks best.
    regions = _ranked(
        BodyRegion.objects.all(),
        query,
        _region_fields,
        {"A": ["part_name"], "D": ["description"]},
        "order",
        limit=None,
    )
    parts: dict[str, BodyRegion] = {}
    for region in regions:
        parts.setdefault(region.part, region)
    return SearchResults(query, muscles, points, techniques, list(parts.values())[:SEARCH_LIMIT])


# Each kind of result lists, for one term, where a match counts and how much (best
# first); a typo match counts one less than an exact one in the same field.
Levels = list[tuple[int, Q]]


def _muscle_fields(term: search.Term) -> Levels:
    points = TriggerPoint.objects.filter(muscle=OuterRef("pk"))
    zones = ReferralZone.objects.filter(trigger_point__muscle=OuterRef("pk"))
    areas = Q(area__in=_choices_matching(term, Muscle.Area.choices))
    return [
        *_field(search.Weight.NAME, term, ["name"]),
        *_field(search.Weight.OTHER_NAMES, term, ["other_names"]),
        *_field(search.Weight.REGION, term, ["region__part_name"], points, also=areas),
        *_field(search.Weight.PAIN, term, ["region__part_name"], zones),
        *_field(search.Weight.TEXT, term, MUSCLE_TEXT, typos=False),
    ]


MUSCLE_TEXT = ["summary", "description", "location", "function", "aggravating_notes", "cautions"]


def _point_fields(term: search.Term) -> Levels:
    return [
        *_field(search.Weight.NAME, term, ["name", "muscle__name"]),
        *_field(search.Weight.OTHER_NAMES, term, ["muscle__other_names"]),
        *_field(search.Weight.REGION, term, ["region__part_name"]),
        *_field(search.Weight.TEXT, term, ["locate", "landmark"], typos=False),
    ]


def _technique_fields(term: search.Term) -> Levels:
    points = TriggerPoint.objects.filter(techniques=OuterRef("pk"))
    steps = TechniqueStep.objects.filter(technique=OuterRef("pk"))
    how = Q(tool__in=term.tools) | Q(method__in=term.methods) | Q(position__in=term.positions)
    return [
        *_field(search.Weight.NAME, term, ["name"]),
        # How it is done, and the muscles it releases under any of their names.
        *_field(
            search.Weight.OTHER_NAMES,
            term,
            ["muscle__name", "muscle__other_names"],
            points,
            also=how,
        ),
        *_field(search.Weight.REGION, term, ["region__part_name"], points),
        *_field(search.Weight.TEXT, term, ["summary"], typos=False),
        *_field(search.Weight.TEXT, term, ["text"], steps, typos=False),
    ]


def _region_fields(term: search.Term) -> Levels:
    return [
        *_field(search.Weight.NAME, term, ["part_name"]),
        *_field(search.Weight.TEXT, term, ["description"], typos=False),
    ]


def _field(
    weight: int,
    term: search.Term,
    paths: list[str],
    *related: QuerySet[Any],
    also: Q | None = None,
    typos: bool = True,
) -> Levels:
    """The exact and, for a long enough word, the typo match of `term` in the fields,
    of this row or, given `related` querysets tied to it by OuterRef, of rows there."""

    def anywhere(match: Q) -> Q:
        if not related:
            return match
        return reduce(or_, (Q(Exists(rows.filter(match))) for rows in related))

    exact = anywhere(reduce(or_, (_contains(p, alt) for p in paths for alt in term.alternatives)))
    levels = [(weight, exact | also if also is not None else exact)]
    if typos and term.tolerates_typo:
        typo = anywhere(reduce(or_, (_misspelt(p, term.text) for p in paths)))
        levels.append((weight - search.TYPO_PENALTY, typo))
    return levels


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _contains(path: str, alternative: str) -> Q:
    """The words in the field: as typed, and on PostgreSQL also through its English
    full-text search, so that 'rolling' finds 'rolled' and 'sitting' finds 'sit'."""
    found = Q(**{f"{path}__icontains": alternative})
    if _postgres():
        found |= Q(**{f"{path}__search": SearchQuery(alternative, config="english")})
    return found


def _misspelt(path: str, word: str) -> Q:
    """A word in the field one typo away from `word`: pg_trgm's word similarity on
    PostgreSQL, every one-edit spelling as a regular expression elsewhere."""
    if _postgres():
        similarity = TrigramWordSimilarity(word, path)
        return Q(GreaterThan(similarity, search.TRIGRAM_THRESHOLD))
    return Q(**{f"{path}__iregex": search.one_typo_pattern(word)})


def _choices_matching(term: search.Term, choices: list[tuple[str, str]]) -> list[str]:
    return [value for alt in term.alternatives for value in search.labels_matching(alt, choices)]


def _ranked[M: Model](
    rows: QuerySet[M],
    query: search.Query,
    fields: Callable[[search.Term], Levels],
    weighted: dict[str, list[str]],
    *order: str | Case,
    limit: int | None = SEARCH_LIMIT,
) -> list[M]:
    """The rows matching every term, best first. A row's score adds up, for each term, the
    weight of the best field the term matched in. On PostgreSQL, rows of equal score go by
    the full-text rank of their own fields (`weighted`: PostgreSQL's weight letter ->
    fields), then, as on SQLite, by `order`."""
    scores = {
        f"term_{i}": Case(
            *(When(match, then=Value(weight)) for weight, match in fields(term)),
            default=Value(0),
        )
        for i, term in enumerate(query.terms)
    }
    ranked = (
        rows.alias(**scores)
        .filter(**{f"{name}__gt": 0 for name in scores})
        .annotate(score=reduce(add, (F(name) for name in scores)))
    )
    best_first = [F("score").desc()]
    if _postgres():
        vector = reduce(
            add,
            (
                SearchVector(*paths, config="english", weight=letter)
                for letter, paths in weighted.items()
            ),
        )
        words = reduce(
            or_,
            (
                SearchQuery(alt, config="english")
                for term in query.terms
                for alt in term.alternatives
            ),
        )
        ranked = ranked.annotate(rank=SearchRank(vector, words))
        best_first.append(F("rank").desc())
    return list(ranked.order_by(*best_first, *order)[:limit])


def _area_order(path: str) -> Case:
    """Muscle areas in the order of Muscle.Area (the muscle list's order)."""
    return Case(
        *(When(**{path: area}, then=Value(i)) for i, area in enumerate(Muscle.Area.values)),
        default=Value(len(Muscle.Area.values)),
    )
