"""The suggestion engine: which trigger points most likely cause the pain a person marked.

A pure, deterministic function over plain data: `suggest(answers, catalogue)`. No ORM,
no request. `backtp.guide.snapshot` builds the `Catalogue` from the database.

Scoring (documented for people, with worked examples, in docs/suggestions.md)
-----------------------------------------------------------------------------
Every trigger point is scored as it lies on the person's right side and mirrored onto
the left (the catalogue describes points on the right). Regions rated 0/10 count as not
marked. With w(r) the weight of a marked region r (its intensity, 5 when unsaid, x1.5
for the worst one) and W the sum over the map:

    pattern     = essential zones the map shows / the point's essential zones
                  how much of the point's own pattern the map reproduces (0-1)
    explained   = sum of share(r) x w(r) / W  over marked regions the point reaches,
                  share 1 through an essential zone, 0.5 through a spillover zone:
                  how much of the map the point accounts for (0-1)
    muscle      = the same for all the muscle's points on that side together (0-1):
                  two points of one muscle that explain the map lift the muscle
    prior       = how commonly the point causes low back pain, 1-4 (catalogue data
                  with its sources, reference §9): orders what the map cannot tell apart;
                  0 for a point its sources call rare, which also loses 2 points
    activities  = 0.5 per aggravating activity ticked that is typical of the muscle,
                  at most 1.5
    history     = for a logged-in person whose logged releases of the point (at least
                  2 sessions) lowered pain by d on average: 0.5 x d, at most 1.5

    score = 4 x pattern + 4 x explained + 4 x muscle + 0.4 x prior (- 2 if rare)
            + activities + history

only for points that reach at least one marked region. The three map terms can add up
to 12, the prior to at most 1.2 more than the least common point: the prior decides
between points the map fits about as well, never against a map that points elsewhere.

A one-sided point that reaches the map from both sides is one suggestion for both sides
when treating both explains more than either side alone (or the sides fit alike): it
then explains what either side reaches, with the better side's pattern. A point whose
pattern lies on or crosses the midline (the rectus abdominis band) reaches both sides by
itself: one suggestion when its sides fit alike. Otherwise each side that scores is its
own suggestion. Ties go by catalogue order, and between the two sides of one point by the
larger share explained, so the ranking is deterministic and a mirrored map gives the
mirrored ranking.

Pain marked over more than half of the regions, or on both sides of the back, the
buttocks or hips and the legs, is not a typical trigger-point pattern: the result then
carries a warning to see a doctor, shown before any suggestion.

Techniques are then filtered: contraindications leave out every technique for
muscles in the area they rule out (and say why); the rest must fit the person's
tools and positions. Professional-only muscles are suggested with no technique.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

PATTERN_WEIGHT = 4.0
MAP_WEIGHT = 4.0
MUSCLE_WEIGHT = 4.0
PRIOR_WEIGHT = 0.4
# A point its sources call rare (prior 0) is held back further: it leads only where the
# map points to it (the upper soleus point: by the sacroiliac joint only with the heel).
RARE_PENALTY = 2.0
SPILLOVER_SHARE = 0.5  # a spillover zone explains a region half as well as an essential one
WORST_MULTIPLIER = 1.5
DEFAULT_INTENSITY = 5
DEFAULT_PRIOR = 2
SIDES = ("right", "left")
WIDESPREAD_SHARE = 0.5  # more than this share of all regions marked
WIDESPREAD_GROUPS = frozenset({"back", "buttock-hip", "leg"})  # ...or these, on both sides
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
    side: str = ""  # "right", "left" or "midline"
    group: str = ""  # "back", "buttock-hip", "abdomen-groin" or "leg"


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
    prior: int = DEFAULT_PRIOR  # how commonly it causes low back pain: 0 rare, 1 less to 4 often
    prior_label: str = ""  # e.g. "Often found in low back pain"
    prior_basis: str = ""  # what the prior rests on, one sentence


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

    @cached_property
    def geometry(self) -> "Geometry":
        """Where each point and muscle reaches on each side: the same for every set of
        answers, so worked out once per catalogue (it is immutable)."""
        return Geometry.of(self)


@dataclass(frozen=True)
class Geometry:
    reach: Mapping[tuple[str, str], Mapping[str, "ZoneMatch"]]  # (point, side) -> region
    essential: Mapping[tuple[str, str], frozenset[str]]  # (point, side) -> regions
    crosses: frozenset[str]  # points whose essential zones are the same on both sides
    muscle_reach: Mapping[tuple[str, str], Mapping[str, "ZoneMatch"]]  # (muscle, side)

    @classmethod
    def of(cls, catalogue: "Catalogue") -> "Geometry":
        reach: dict[tuple[str, str], Mapping[str, ZoneMatch]] = {}
        essential: dict[tuple[str, str], frozenset[str]] = {}
        muscles: dict[tuple[str, str], list[Point]] = {}
        for point in catalogue.points:
            for side in SIDES:
                reach[point.slug, side] = _reach((point,), side, catalogue)
                essential[point.slug, side] = frozenset(
                    _on_side(catalogue, zone.region, side)
                    for zone in point.zones
                    if zone.kind == "essential"
                )
                muscles.setdefault((point.muscle, side), []).append(point)
        return cls(
            reach=reach,
            essential=essential,
            crosses=frozenset(
                point.slug
                for point in catalogue.points
                if essential[point.slug, "right"] == essential[point.slug, "left"]
            ),
            muscle_reach={
                key: _reach(points, key[1], catalogue) for key, points in muscles.items()
            },
        )


# Outputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneMatch:
    region: str
    kind: str
    weight: float  # share (1 essential, 0.5 spillover) x the region's weight


@dataclass(frozen=True)
class LeftOut:
    technique: str
    reason: str


@dataclass(frozen=True)
class Suggestion:
    point: str
    side: str  # "right", "left" or "both"
    score: float
    pattern: float  # share of the point's essential zones the map shows, 0-1
    explained: float  # share of the map the point accounts for, 0-1
    muscle_explained: float  # share of the map the muscle's points account for, 0-1
    prior: int
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
    warning: str = ""  # shown before any suggestion: widespread pain


EMPTY_MESSAGE = (
    "Mark at least one place where it hurts on the body map, and backtp will suggest "
    "the trigger points that most often send pain there."
)
NO_PAIN_MESSAGE = (
    "You rated every place you marked 0 out of 10. backtp suggests trigger points for "
    "places that hurt: give each one a number above 0."
)
WIDESPREAD_WARNING = (
    "You marked pain over much of your body. Pain this widespread is not a typical "
    "trigger-point pattern, and it can have other causes that need checking: please see "
    "a doctor before treating yourself. The suggestions below cover only the places "
    "trigger points commonly reach."
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
    """A marked region's weight: its intensity (5 when unsaid), x1.5 for the worst one;
    0 for a region rated 0/10, which counts as not marked."""
    intensity = answers.regions.get(region)
    base = float(DEFAULT_INTENSITY if intensity is None else intensity)
    return base * (WORST_MULTIPLIER if region == answers.worst else 1.0)


def _reach(points: Iterable[Point], side: str, catalogue: Catalogue) -> dict[str, ZoneMatch]:
    """The regions these points reach on one side, each with its stronger zone kind
    (weight: the share it explains, before the region's weight)."""
    reach: dict[str, ZoneMatch] = {}
    for point in points:
        for zone in point.zones:
            region = _on_side(catalogue, zone.region, side)
            share = 1.0 if zone.kind == "essential" else SPILLOVER_SHARE
            known = reach.get(region)
            if known is None or share > known.weight:
                reach[region] = ZoneMatch(region, zone.kind, share)
    return reach


def _explained(reach: Mapping[str, ZoneMatch], weights: Mapping[str, float], total: float) -> float:
    """The share of the map (total: the sum of its weights) these zones explain."""
    return sum(match.weight * weights[r] for r, match in reach.items() if r in weights) / total


@dataclass(frozen=True)
class _Fit:
    """How well one point (and its muscle) fits the map on one side, or on both."""

    pattern: float
    explained: float
    muscle: float
    matches: tuple[ZoneMatch, ...]

    def key(self) -> tuple[float, float, float]:
        return (round(self.pattern, 6), round(self.explained, 6), round(self.muscle, 6))


def _fit(
    reach: Mapping[str, ZoneMatch],
    essential: frozenset[str],
    muscle: float,
    weights: Mapping[str, float],
    total: float,
) -> _Fit | None:
    """How the point fits the map on one side; `muscle` is its muscle's share there."""
    matches = [
        ZoneMatch(region, match.kind, match.weight * weights[region])
        for region, match in reach.items()
        if region in weights
    ]
    if not matches:
        return None
    pattern = len(essential & weights.keys()) / len(essential) if essential else 0.0
    ordered = tuple(sorted(matches, key=lambda m: (-m.weight, m.region)))
    return _Fit(pattern, _explained(reach, weights, total), muscle, ordered)


def prior_points(prior: int) -> float:
    """What the clinical prior adds to a score."""
    return PRIOR_WEIGHT * prior - (RARE_PENALTY if prior == 0 else 0.0)


def _total(fit: _Fit) -> float:
    """The part of the score that depends on the map."""
    return round(
        PATTERN_WEIGHT * fit.pattern + MAP_WEIGHT * fit.explained + MUSCLE_WEIGHT * fit.muscle, 6
    )


def _union(one: Mapping[str, ZoneMatch], other: Mapping[str, ZoneMatch]) -> dict[str, ZoneMatch]:
    union = dict(one)
    for region, match in other.items():
        if region not in union or match.weight > union[region].weight:
            union[region] = match
    return union


def _both_sides(
    right: _Fit,
    left: _Fit,
    reach: Mapping[str, Mapping[str, ZoneMatch]],
    muscle: float,
    weights: Mapping[str, float],
    total: float,
) -> _Fit:
    """A one-sided point treated on both sides: it explains what either side reaches, and
    shows as much of its pattern as the better side does. `muscle`: the muscle's share
    of the map from both sides."""
    union = _union(reach["right"], reach["left"])
    matches = tuple(
        sorted(
            (ZoneMatch(r, m.kind, m.weight * weights[r]) for r, m in union.items() if r in weights),
            key=lambda m: (-m.weight, m.region),
        )
    )
    return _Fit(
        max(right.pattern, left.pattern), _explained(union, weights, total), muscle, matches
    )


def widespread(regions: Iterable[str], catalogue: Catalogue) -> bool:
    """More than half of all regions, or the back, buttocks or hips and legs on both sides."""
    marked = [catalogue.regions[slug] for slug in regions if slug in catalogue.regions]
    if len(marked) > WIDESPREAD_SHARE * len(catalogue.regions):
        return True
    return all(
        {region.group for region in marked if region.side == side} >= WIDESPREAD_GROUPS
        for side in ("right", "left")
    )


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


def _percent(share: float) -> int:
    """A share as a percentage rounded to 5, for reasons people read."""
    return int(5 * round(share * 20))


def _fit_reasons(point: Point, fit: _Fit, side: str, catalogue: Catalogue) -> tuple[str, ...]:
    essential = [zone for zone in point.zones if zone.kind == "essential"]
    shown = round(fit.pattern * len(essential))
    if not essential or shown == 0:
        pattern = "Your map shows none of the places it nearly always sends pain to."
    elif shown == len(essential):
        every = {1: "the one place", 2: "both places"}.get(shown, f"all {shown} places")
        pattern = f"Your map shows {every} it nearly always sends pain to."
    else:
        pattern = (
            f"Your map shows {shown} of the {len(essential)} places it nearly always sends pain to."
        )
    reasons = [pattern, f"It accounts for about {_percent(fit.explained)}% of the pain you marked."]
    if side == "both" and point.slug not in catalogue.geometry.crosses:
        reasons.append("Suggested for both sides: the point on each side explains part of it.")
    if fit.muscle > fit.explained + 1e-9:
        reasons.append(
            f"With the other {point.muscle_name.lower()} points: about "
            f"{_percent(fit.muscle)}% of it."
        )
    if point.prior_label:
        reasons.append(f"{point.prior_label}. {point.prior_basis}".strip())
    return tuple(reasons)


def suggest(answers: Answers, catalogue: Catalogue) -> Result:
    """Rank the catalogue's trigger points for these answers (see the module docstring)."""
    if not answers.regions:
        return Result((), EMPTY_MESSAGE)
    weights = {
        region: weight
        for region in answers.regions
        if region in catalogue.regions and (weight := region_weight(answers, region)) > 0
    }
    if not weights:
        return Result((), NO_PAIN_MESSAGE)
    cautions = tuple(
        catalogue.contraindications[slug].question
        for slug in sorted(answers.contraindications)
        if slug in catalogue.contraindications
        and not catalogue.contraindications[slug].excludes_area
    )
    warning = WIDESPREAD_WARNING if widespread(weights, catalogue) else ""
    geometry = catalogue.geometry
    marked = weights.keys()
    total = sum(weights.values())
    muscle_share: dict[tuple[str, str], float] = {}  # (muscle, side or "both") -> share

    def share(muscle: str, side: str) -> float:
        if (muscle, side) not in muscle_share:
            reach = (
                _union(
                    geometry.muscle_reach[muscle, "right"], geometry.muscle_reach[muscle, "left"]
                )
                if side == "both"
                else geometry.muscle_reach[muscle, side]
            )
            muscle_share[muscle, side] = _explained(reach, weights, total)
        return muscle_share[muscle, side]

    sorter = _TechniqueSorter(answers, catalogue)
    ranked: list[tuple[tuple, Suggestion]] = []
    for point in catalogue.points:
        reach = {side: geometry.reach[point.slug, side] for side in SIDES}
        if marked.isdisjoint(reach["right"]) and marked.isdisjoint(reach["left"]):
            continue
        fits = {
            side: _fit(
                reach[side],
                geometry.essential[point.slug, side],
                share(point.muscle, side),
                weights,
                total,
            )
            for side in SIDES
        }
        right, left = fits["right"], fits["left"]
        sides: list[tuple[str, _Fit]]
        if right is not None and left is not None and point.slug in geometry.crosses:
            # One point reaches both sides: "both" when it fits them alike.
            sides = [("both", right)] if right.key() == left.key() else []
        elif right is not None and left is not None:
            # Treated on each side, the point explains both sides' share of the map.
            both = _both_sides(right, left, reach, share(point.muscle, "both"), weights, total)
            better = _total(both) > max(_total(right), _total(left))
            sides = [("both", both)] if better or right.key() == left.key() else []
        else:
            sides = []
        if not sides:
            sides = [(side, fit) for side, fit in fits.items() if fit is not None]
        if not sides:
            continue
        activities = tuple(sorted(answers.activities & point.activities))
        boost = min(ACTIVITY_CAP, ACTIVITY_BOOST * len(activities))
        history_boost, helped, history_reason = _history(point, answers)
        more_reasons = _activity_reasons(point, activities, catalogue) + history_reason
        fitting, left_out, other = sorter.sort(point)
        for side, fit in sides:
            score = round(
                PATTERN_WEIGHT * fit.pattern
                + MAP_WEIGHT * fit.explained
                + MUSCLE_WEIGHT * fit.muscle
                + prior_points(point.prior)
                + boost
                + history_boost,
                6,
            )
            suggestion = Suggestion(
                point=point.slug,
                side=side,
                score=score,
                pattern=round(fit.pattern, 6),
                explained=round(fit.explained, 6),
                muscle_explained=round(fit.muscle, 6),
                prior=point.prior,
                activity_boost=boost,
                matches=fit.matches,
                activities=activities,
                techniques=fitting,
                left_out=left_out,
                other_tools=other,
                reasons=(
                    _zone_reason(fit.matches, catalogue),
                    *_fit_reasons(point, fit, side, catalogue),
                    *more_reasons,
                ),
                professional_only=point.professional_only,
                history_boost=history_boost,
                helped=helped,
            )
            # Two sides of one point with equal scores: the one explaining more first, so
            # a mirrored map gives the mirrored ranking (never "left" first by its name).
            ranked.append(
                ((-score, point.order, point.slug, -suggestion.explained, side), suggestion)
            )
    ranked.sort(key=lambda item: item[0])
    suggestions = tuple(suggestion for _, suggestion in ranked)
    return Result(suggestions, "" if suggestions else NO_MATCH_MESSAGE, cautions, warning)
