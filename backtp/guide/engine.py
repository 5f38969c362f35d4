"""The suggestion engine: which trigger points most likely cause the pain a person marked.

A pure, deterministic function over plain data: `suggest(answers, catalogue)`. No ORM,
no request. `backtp.guide.snapshot` builds the `Catalogue` from the database.

Scoring (documented for people in docs/suggestions.md)
------------------------------------------------------
Every trigger point is scored twice, once as it lies on the person's right side and
once mirrored onto the left (the catalogue describes points on the right). For one
side, with M the set of marked regions:

    weight(r)   = (0.5 + intensity(r) / 10) * (1.5 if r is the worst region else 1)
                  intensity defaults to 5 when not given, so weight is 1.0 or 1.5
    kind(z)     = 3 for an essential zone, 1 for a spillover zone
    zone_score  = sum of kind(z) * weight(r)  over zones z whose region r is in M
    coverage    = 2 * (marked regions the point's zones cover) / |M|
    activities  = 0.5 per aggravating activity the person ticked that is typical of
                  the muscle, at most 1.5 in all
    history     = for a logged-in person, when a point's releases were logged in at
                  least 2 sessions with pain falling by d points on average:
                  0.5 * d, at most 1.5 (a point that did not help gets no boost and
                  is marked)

    score       = zone_score + coverage + activities + history,   only when zone_score > 0

So essential overlap outweighs spillover three to one, the worst and the more intense
regions count more, a point explaining more of the map ranks higher, and activities
nudge (never create) a suggestion. A point whose two sides score the same (midline
pain, or a pattern that crosses the midline such as rectus abdominis) is one
suggestion for both sides; otherwise each side that scores is its own suggestion.
Ties are broken by catalogue order (and between the two sides of one point by the
larger zone_score), so the ranking is fully deterministic and mirrors with the map.

Techniques are then filtered: contraindications leave out every technique for
muscles in the area they rule out (and say why); the rest must fit the person's
tools and positions. Professional-only muscles are suggested with no technique.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ESSENTIAL_WEIGHT = 3.0
SPILLOVER_WEIGHT = 1.0
WORST_MULTIPLIER = 1.5
DEFAULT_INTENSITY = 5
COVERAGE_WEIGHT = 2.0
ACTIVITY_BOOST = 0.5
ACTIVITY_CAP = 1.5
HISTORY_WEIGHT = 0.5
HISTORY_CAP = 1.5
HISTORY_MIN_SESSIONS = 2

# What a person may say they have at hand, and which technique tools each unlocks.
BALLS = frozenset({"tennis-ball", "lacrosse-ball", "massage-ball"})
TOOL_OPTIONS = ("tennis-ball", "lacrosse-ball", "massage-ball", "foam-roller", "two-balls", "hands")
TOOL_NEEDS: Mapping[str, frozenset[str] | None] = {
    "tennis-ball": BALLS,
    "lacrosse-ball": BALLS,
    "massage-ball": BALLS,
    "massage-blocks": BALLS,
    "two-balls": frozenset({"two-balls"}),
    "double-roller": frozenset({"two-balls"}),
    "foam-roller": frozenset({"foam-roller"}),
    # Everyone has hands and a firm cushion.
    "bolster": None,
    "fists": None,
    "thumbs": None,
    "fingertips": None,
}
POSITION_OPTIONS = ("floor", "wall", "seated", "discreet")
POSITION_GROUP = {
    "lying-back": "floor",
    "lying-side": "floor",
    "lying-front": "floor",
    "wall": "wall",
    "seated": "seated",
    "standing": "standing",
}


# Inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What the person told the questionnaire."""

    regions: Mapping[str, int | None]  # marked region slug -> intensity 0-10, or None
    worst: str | None = None
    activities: frozenset[str] = frozenset()
    tools: frozenset[str] = frozenset()
    positions: frozenset[str] = frozenset()
    contraindications: frozenset[str] = frozenset()  # red-flag slugs answered yes
    # Point slug -> (average pain change, sessions) from this person's journal.
    history: Mapping[str, tuple[float, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Region:
    slug: str
    name: str
    mirror: str  # the same region on the other side; itself when midline


@dataclass(frozen=True)
class Zone:
    region: str
    kind: str  # "essential" or "spillover"


@dataclass(frozen=True)
class Point:
    slug: str
    name: str
    muscle: str
    muscle_name: str
    muscle_area: str
    region: str  # where the point lies, on the right side
    zones: tuple[Zone, ...]
    activities: frozenset[str]  # aggravating activities typical of the muscle
    techniques: tuple[str, ...]
    professional_only: bool = False
    order: int = 0  # catalogue order, for ties


@dataclass(frozen=True)
class Technique:
    slug: str
    name: str
    tool: str
    position: str
    discreet: bool
    areas: frozenset[str]  # areas of the muscles it works


@dataclass(frozen=True)
class Contraindication:
    slug: str
    question: str
    excludes_area: str  # "" when it only calls for care


@dataclass(frozen=True)
class Catalogue:
    regions: Mapping[str, Region]
    points: tuple[Point, ...]
    techniques: Mapping[str, Technique]
    activity_names: Mapping[str, str] = field(default_factory=dict)
    contraindications: Mapping[str, Contraindication] = field(default_factory=dict)
    area_names: Mapping[str, str] = field(default_factory=dict)


# Outputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneMatch:
    region: str
    kind: str
    weight: float  # kind weight x region weight: its share of zone_score


@dataclass(frozen=True)
class LeftOut:
    technique: str
    reason: str


@dataclass(frozen=True)
class Suggestion:
    point: str
    side: str  # "right", "left" or "both"
    score: float
    zone_score: float
    coverage: float
    activity_boost: float
    matches: tuple[ZoneMatch, ...]
    activities: tuple[str, ...]
    techniques: tuple[str, ...]  # fit tools, positions and contraindications
    left_out: tuple[LeftOut, ...]  # ruled out by a contraindication
    other_tools: tuple[str, ...]  # safe, but need a tool or position the person lacks
    reasons: tuple[str, ...]
    professional_only: bool = False
    history_boost: float = 0.0
    helped: bool | None = None  # None: not enough sessions to say

    def zones_for_map(self, catalogue: Catalogue) -> dict[str, str]:
        """The point's zones on the suggested side(s), for drawing over the person's map."""
        point = catalogue_point(catalogue, self.point)
        zones: dict[str, str] = {}
        sides = ("right", "left") if self.side == "both" else (self.side,)
        for side in sides:
            for zone in point.zones:
                region = _on_side(catalogue, zone.region, side)
                if zones.get(region) != "essential":
                    zones[region] = zone.kind
        return zones

    def marker_regions(self, catalogue: Catalogue) -> list[str]:
        point = catalogue_point(catalogue, self.point)
        sides = ("right", "left") if self.side == "both" else (self.side,)
        return sorted({_on_side(catalogue, point.region, side) for side in sides})


@dataclass(frozen=True)
class Result:
    suggestions: tuple[Suggestion, ...]
    message: str = ""
    cautions: tuple[str, ...] = ()  # contraindications that call for care everywhere


EMPTY_MESSAGE = (
    "Mark at least one place where it hurts on the body map, and backtp will suggest "
    "the trigger points that most often send pain there."
)
NO_MATCH_MESSAGE = (
    "None of the trigger points in backtp commonly sends pain to the places you marked. "
    "That does not rule out a muscular cause; a physiotherapist can examine you."
)


# The engine ------------------------------------------------------------------------


def catalogue_point(catalogue: Catalogue, slug: str) -> Point:
    return next(point for point in catalogue.points if point.slug == slug)


def _on_side(catalogue: Catalogue, region: str, side: str) -> str:
    return region if side == "right" else catalogue.regions[region].mirror


def region_weight(answers: Answers, region: str) -> float:
    intensity = answers.regions.get(region)
    base = 0.5 + (DEFAULT_INTENSITY if intensity is None else intensity) / 10
    return base * (WORST_MULTIPLIER if region == answers.worst else 1.0)


def _score_side(
    point: Point, side: str, weights: Mapping[str, float], catalogue: Catalogue
) -> tuple[float, float, tuple[ZoneMatch, ...]]:
    """`weights`: region_weight() of every marked region, worked out once per suggest()."""
    matches: dict[str, ZoneMatch] = {}
    for zone in point.zones:
        region = _on_side(catalogue, zone.region, side)
        weight = weights.get(region)
        if weight is None:
            continue
        weight *= ESSENTIAL_WEIGHT if zone.kind == "essential" else SPILLOVER_WEIGHT
        # A crossing pattern can reach one region twice; the stronger claim counts.
        stronger = matches.get(region)
        if stronger is None or weight > stronger.weight:
            matches[region] = ZoneMatch(region, zone.kind, weight)
    if not matches:
        return 0, 0.0, ()
    zone_score = sum(match.weight for match in matches.values())
    coverage = COVERAGE_WEIGHT * len(matches) / len(weights)
    ordered = tuple(sorted(matches.values(), key=lambda m: (-m.weight, m.region)))
    return zone_score, coverage, ordered


class _TechniqueSorter:
    """Sorts points' techniques for one set of answers: what the answers imply is worked
    out once, and each technique's verdict once, however many points share it."""

    def __init__(self, answers: Answers, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.tools = answers.tools
        self.discreet = "discreet" in answers.positions
        self.chosen = set(answers.positions) - {"discreet"}
        self.excluded_areas = {
            catalogue.contraindications[slug].excludes_area: catalogue.contraindications[slug]
            for slug in sorted(answers.contraindications)
            if slug in catalogue.contraindications
            and catalogue.contraindications[slug].excludes_area
        }
        self.verdicts: dict[str, LeftOut | bool] = {}

    def fits(self, technique: Technique) -> bool:
        needs = TOOL_NEEDS.get(technique.tool)
        if needs is not None and not (needs & self.tools):
            return False
        if self.discreet and technique.discreet:
            return True
        group = POSITION_GROUP[technique.position]
        # Standing is possible for anyone who can use any position at all.
        return group in self.chosen or (group == "standing" and bool(self.chosen))

    def verdict(self, slug: str) -> LeftOut | bool:
        """Why a contraindication leaves the technique out, else whether it fits."""
        known = self.verdicts.get(slug)
        if known is not None:
            return known
        technique = self.catalogue.techniques[slug]
        excluded = self.excluded_areas
        blocking = next(
            (excluded[area] for area in sorted(technique.areas) if area in excluded), None
        )
        if blocking is not None:
            area = self.catalogue.area_names.get(blocking.excludes_area, blocking.excludes_area)
            found: LeftOut | bool = LeftOut(
                slug,
                f"left out because you answered yes to: {blocking.question} "
                f"(no pressure on the {area.lower()})",
            )
        else:
            found = self.fits(technique)
        self.verdicts[slug] = found
        return found

    def sort(self, point: Point) -> tuple[tuple[str, ...], tuple[LeftOut, ...], tuple[str, ...]]:
        fitting, left_out, other = [], [], []
        for slug in point.techniques:
            verdict = self.verdict(slug)
            if isinstance(verdict, LeftOut):
                left_out.append(verdict)
            elif verdict:
                fitting.append(slug)
            else:
                other.append(slug)
        return tuple(fitting), tuple(left_out), tuple(other)


def _names(catalogue: Catalogue, slugs: Iterable[str]) -> str:
    names = [catalogue.regions[slug].name.lower() for slug in slugs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _zone_reason(matches: tuple[ZoneMatch, ...], catalogue: Catalogue) -> str:
    essential = [m.region for m in matches if m.kind == "essential"]
    spillover = [m.region for m in matches if m.kind == "spillover"]
    parts = []
    if essential:
        parts.append(f"your {_names(catalogue, essential)} (where it nearly always refers)")
    if spillover:
        parts.append(f"your {_names(catalogue, spillover)} (where it sometimes refers)")
    return f"Commonly sends pain to {' and to '.join(parts)}."


def _activity_reasons(
    point: Point, activities: tuple[str, ...], catalogue: Catalogue
) -> tuple[str, ...]:
    return tuple(
        f"Worse with {catalogue.activity_names.get(slug, slug).lower()}: "
        f"typical of the {point.muscle_name.lower()}."
        for slug in activities
    )


def _history(point: Point, answers: Answers) -> tuple[float, bool | None, tuple[str, ...]]:
    """The boost, verdict and reason from the person's own journal for this point."""
    change, sessions = answers.history.get(point.slug, (0.0, 0))
    if sessions < HISTORY_MIN_SESSIONS:
        return 0.0, None, ()
    if change < 0:
        boost = round(min(HISTORY_CAP, HISTORY_WEIGHT * -change), 6)
        return boost, True, (f"Helped you: {change:+.1f} on average over {sessions} sessions.",)
    return 0.0, False, (f"Has not helped you so far: {change:+.1f} over {sessions} sessions.",)


def suggest(answers: Answers, catalogue: Catalogue) -> Result:
    """Rank the catalogue's trigger points for these answers (see the module docstring)."""
    if not answers.regions:
        return Result((), EMPTY_MESSAGE)
    cautions = tuple(
        catalogue.contraindications[slug].question
        for slug in sorted(answers.contraindications)
        if slug in catalogue.contraindications
        and not catalogue.contraindications[slug].excludes_area
    )
    weights = {region: region_weight(answers, region) for region in answers.regions}
    sorter = _TechniqueSorter(answers, catalogue)
    ranked: list[tuple[tuple, Suggestion]] = []
    for point in catalogue.points:
        right = _score_side(point, "right", weights, catalogue)
        left = _score_side(point, "left", weights, catalogue)
        # Rounded: (0.5 + 0.3) x 1.5 and 0.5 + 0.7 are both 1.2, but not in binary floats.
        if round(right[0], 6) == round(left[0], 6) and right[1] == left[1]:
            sides = [("both", right)] if right[0] > 0 else []
        else:
            sides = [(side, scored) for side, scored in (("right", right), ("left", left))]
            sides = [(side, scored) for side, scored in sides if scored[0] > 0]
        if not sides:
            continue
        activities = tuple(sorted(answers.activities & point.activities))
        boost = min(ACTIVITY_CAP, ACTIVITY_BOOST * len(activities))
        history_boost, helped, history_reason = _history(point, answers)
        # Reasons after the first are the same for both sides.
        more_reasons = _activity_reasons(point, activities, catalogue) + history_reason
        fitting, left_out, other = sorter.sort(point)
        for side, (zone_score, coverage, matches) in sides:
            score = round(zone_score + coverage + boost + history_boost, 6)
            suggestion = Suggestion(
                point=point.slug,
                side=side,
                score=score,
                zone_score=round(zone_score, 6),
                coverage=round(coverage, 6),
                activity_boost=boost,
                matches=matches,
                activities=activities,
                techniques=fitting,
                left_out=left_out,
                other_tools=other,
                reasons=(_zone_reason(matches, catalogue), *more_reasons),
                professional_only=point.professional_only,
                history_boost=history_boost,
                helped=helped,
            )
            # Two sides of one point with equal scores: the stronger zone match first, so
            # a mirrored map gives the mirrored ranking (never "left" first by its name).
            ranked.append(
                ((-score, point.order, point.slug, -suggestion.zone_score, side), suggestion)
            )
    ranked.sort(key=lambda item: item[0])
    suggestions = tuple(suggestion for _, suggestion in ranked)
    return Result(suggestions, "" if suggestions else NO_MATCH_MESSAGE, cautions)
