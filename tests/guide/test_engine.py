"""The suggestion engine (backtp.guide.engine): scoring rules, real cases, properties.

Expected scores are written as the formula in the engine's docstring, by hand:
    w(r)      = intensity (5 when unsaid) x 1.5 for the worst region; 0/10 is not marked
    pattern   = essential zones marked / essential zones of the point
    explained = sum(share x w) / sum(w), share 1 essential, 0.5 spillover
    muscle    = the same for all the muscle's points together
    score     = 4 pattern + 4 explained + 4 muscle + 0.4 prior + activities + history
The clinical cases a clinician would expect are in test_clinical_rankings.py.
"""

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backtp.guide.engine import (
    EMPTY_MESSAGE,
    NO_MATCH_MESSAGE,
    NO_PAIN_MESSAGE,
    POSITION_OPTIONS,
    TOOL_OPTIONS,
    WIDESPREAD_WARNING,
    Answers,
    Catalogue,
    Contraindication,
    Point,
    Region,
    Result,
    Suggestion,
    Technique,
    Zone,
    suggest,
)
from backtp.guide.snapshot import build_catalogue

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# Hand-built catalogues ---------------------------------------------------------------

PARTS = ("low-back", "flank", "lateral-hip", "lower-abdomen", "heel")
MIDLINE = ("sacrum", "lumbar-spine")


def _regions() -> dict[str, Region]:
    regions = {}
    for part in PARTS:
        for side, other in (("right", "left"), ("left", "right")):
            name = f"{side.title()} {part.replace('-', ' ')}"
            regions[f"{side}-{part}"] = Region(f"{side}-{part}", name, f"{other}-{part}")
    for slug in MIDLINE:
        regions[slug] = Region(slug, slug.replace("-", " ").title(), slug)
    return regions


REGIONS = _regions()


def tp(
    slug: str,
    essential: Iterable[str] = (),
    spillover: Iterable[str] = (),
    *,
    order: int = 0,
    activities: Iterable[str] = (),
    techniques: Iterable[str] = (),
    area: str = "low-back",
    professional_only: bool = False,
    muscle: str = "",
    prior: int = 2,
) -> Point:
    """A trigger point on the right side with these zones."""
    zones = tuple(Zone(r, "essential") for r in essential) + tuple(
        Zone(r, "spillover") for r in spillover
    )
    return Point(
        slug=slug,
        name=slug.replace("-", " "),
        muscle=muscle or f"{slug}-muscle",
        muscle_name=f"{(muscle or slug).title()} muscle",
        muscle_area=area,
        region="right-low-back",
        zones=zones,
        activities=frozenset(activities),
        techniques=tuple(techniques),
        professional_only=professional_only,
        order=order,
        prior=prior,
    )


def tech(
    slug: str,
    tool: str = "thumbs",
    position: str = "standing",
    *,
    discreet: bool = False,
    areas: Iterable[str] = ("low-back",),
) -> Technique:
    return Technique(slug, slug.replace("-", " "), tool, position, discreet, frozenset(areas))


def cat(
    *points: Point,
    techniques: Iterable[Technique] = (),
    contraindications: Iterable[Contraindication] = (),
) -> Catalogue:
    return Catalogue(
        regions=REGIONS,
        points=points,
        techniques={t.slug: t for t in techniques},
        activity_names={"walking": "Walking", "sitting": "Sitting for a long time"},
        contraindications={c.slug: c for c in contraindications},
        area_names={"low-back": "Lower back", "abdomen": "Belly and front of the hip"},
    )


def one(result: Result, point: str, side: str | None = None) -> Suggestion:
    found = [s for s in result.suggestions if s.point == point and side in (None, s.side)]
    assert len(found) == 1, f"expected one suggestion for {point} {side}, got {found}"
    return found[0]


def ranking(result: Result) -> list[tuple[str, str, float]]:
    return [(s.point, s.side, s.score) for s in result.suggestions]


def score(pattern: float, explained: float, muscle: float | None = None, prior: int = 2) -> float:
    """The engine's formula, for a point whose muscle explains `muscle` (default: what the
    point itself explains, as for the one-point muscles of these hand-built catalogues)."""
    muscle = explained if muscle is None else muscle
    return pytest.approx(4 * pattern + 4 * explained + 4 * muscle + 0.4 * prior)


# Scoring rules -------------------------------------------------------------------------


def test_an_essential_zone_explains_a_region_fully_a_spillover_zone_half() -> None:
    catalogue = cat(
        tp("nearly-always", essential=["right-low-back"]),
        tp("sometimes", spillover=["right-low-back"], order=1),
    )
    result = suggest(Answers({"right-low-back": None}), catalogue)
    essential, spillover = one(result, "nearly-always"), one(result, "sometimes")
    assert (essential.pattern, essential.explained) == (1.0, 1.0)
    assert (spillover.pattern, spillover.explained) == (0.0, 0.5)
    assert essential.score == score(1, 1)
    assert spillover.score == score(0, 0.5)
    assert [s.point for s in result.suggestions] == ["nearly-always", "sometimes"]


def test_the_pattern_is_the_share_of_the_points_own_essential_zones_the_map_shows() -> None:
    catalogue = cat(
        tp("one-zone", essential=["right-low-back"]),
        tp("four-zones", essential=["right-low-back", "right-flank", "sacrum", "right-heel"]),
    )
    result = suggest(Answers({"right-low-back": None}), catalogue)
    # both explain the whole map; the one whose whole pattern the map shows comes first
    assert ranking(result) == [
        ("one-zone", "right", score(1, 1)),
        ("four-zones", "right", score(1 / 4, 1)),
    ]
    more = suggest(Answers({"right-low-back": None, "right-flank": None}), catalogue)
    assert one(more, "four-zones").pattern == 0.5


def test_intensity_weighs_a_region_and_zero_counts_as_not_marked() -> None:
    catalogue = cat(
        tp("back", essential=["right-low-back"]),
        tp("flank", essential=["right-flank"], order=1),
    )
    result = suggest(Answers({"right-low-back": 2, "right-flank": 8}), catalogue)
    assert one(result, "back").score == score(1, 2 / 10)
    assert one(result, "flank").score == score(1, 8 / 10)
    unsaid = suggest(Answers({"right-low-back": None, "right-flank": 10}), catalogue)
    assert one(unsaid, "back").explained == pytest.approx(5 / 15)
    # rated 0: not marked, not suggested, and it takes no share of the map
    zero = suggest(Answers({"right-low-back": 0, "right-flank": 8}), catalogue)
    assert ranking(zero) == [("flank", "right", score(1, 1))]


def test_a_map_rated_zero_everywhere_says_so_and_suggests_nothing() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    result = suggest(Answers({"right-low-back": 0, "left-low-back": 0}), catalogue)
    assert result.suggestions == ()
    assert result.message == NO_PAIN_MESSAGE
    assert "0 out of 10" in NO_PAIN_MESSAGE


def test_the_worst_region_counts_half_as_much_again() -> None:
    catalogue = cat(
        tp("back", essential=["right-low-back"]),
        tp("flank", essential=["right-flank"], order=1),
    )
    answers = Answers({"right-low-back": 6, "right-flank": 6}, worst="right-low-back")
    result = suggest(answers, catalogue)
    assert one(result, "back").score == score(1, 9 / 15)
    assert one(result, "flank").score == score(1, 6 / 15)
    assert one(result, "back").matches[0].weight == pytest.approx(9)


def test_explained_is_the_share_of_the_map_the_point_reaches() -> None:
    catalogue = cat(tp("wide", essential=["right-low-back"], spillover=["right-flank"]))
    answers = Answers({"right-low-back": None, "right-flank": None, "right-heel": None})
    wide = one(suggest(answers, catalogue), "wide")
    # essential low back 1 x 5 + spillover flank 0.5 x 5, of 15
    assert wide.explained == pytest.approx(7.5 / 15)
    assert wide.score == score(1, 0.5)


def test_two_points_of_one_muscle_that_explain_the_map_together_lift_the_muscle() -> None:
    catalogue = cat(
        tp("lower", essential=["right-low-back"], muscle="pair"),
        tp("upper", essential=["right-flank"], muscle="pair", order=1),
        tp("alone", essential=["right-low-back"], order=2),
    )
    result = suggest(Answers({"right-low-back": None, "right-flank": None}), catalogue)
    assert ranking(result) == [
        ("lower", "right", score(1, 0.5, muscle=1)),
        ("upper", "right", score(1, 0.5, muscle=1)),
        ("alone", "right", score(1, 0.5)),
    ]
    assert "With the other pair muscle points: about 100% of it." in result.suggestions[0].reasons


def test_the_prior_orders_what_the_map_cannot_tell_apart_but_never_beats_the_map() -> None:
    catalogue = cat(
        tp("rare", essential=["right-low-back"], prior=1),
        tp("common", essential=["right-low-back"], prior=4, order=1),
        tp("common-elsewhere", essential=["right-low-back", "right-flank"], prior=4, order=2),
    )
    result = suggest(Answers({"right-low-back": None}), catalogue)
    assert ranking(result) == [
        ("common", "right", score(1, 1, prior=4)),
        ("rare", "right", score(1, 1, prior=1)),
        # the map shows half its pattern: the most common prior does not make up for it
        ("common-elsewhere", "right", score(0.5, 1, prior=4)),
    ]


def test_each_typical_activity_adds_half_a_point_up_to_one_and_a_half() -> None:
    typical = ["walking", "sitting", "standing", "bending"]
    catalogue = cat(tp("busy", essential=["right-low-back"], activities=typical))
    marked = {"right-low-back": None}

    def boost(ticked: set[str]) -> Suggestion:
        return one(suggest(Answers(marked, activities=frozenset(ticked)), catalogue), "busy")

    base = 4 + 4 + 4 + 0.8
    assert boost(set()).score == pytest.approx(base)
    assert boost({"walking"}).score == pytest.approx(base + 0.5)
    assert boost({"walking", "sitting"}).score == pytest.approx(base + 2 * 0.5)
    assert boost(set(typical)).activity_boost == pytest.approx(1.5)  # 4 x 0.5, capped
    assert boost(set(typical)).score == pytest.approx(base + 1.5)
    assert boost({"lifting"}).activity_boost == 0  # ticked, but not typical of the muscle
    assert boost({"walking", "lifting"}).activities == ("walking",)


def test_activities_never_create_a_suggestion_on_their_own() -> None:
    catalogue = cat(
        tp("walker", essential=["right-flank"], activities=["walking"]),
        tp("back", essential=["right-low-back"], order=1),
    )
    answers = Answers({"right-low-back": None}, activities=frozenset({"walking"}))
    assert [s.point for s in suggest(answers, catalogue).suggestions] == ["back"]


def test_a_point_that_reaches_pain_on_both_sides_is_one_suggestion_for_both() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    result = suggest(Answers({"right-low-back": None, "left-low-back": None}), catalogue)
    # each side alone explains half the map; treated on both sides the point explains all
    assert ranking(result) == [("back", "both", score(1, 1))]
    assert "Suggested for both sides: the point on each side explains part of it." in (
        result.suggestions[0].reasons
    )
    lopsided = suggest(Answers({"right-low-back": 9, "left-low-back": 2}), catalogue)
    assert ranking(lopsided) == [("back", "both", score(1, 1))]


def test_a_point_on_one_side_only_is_suggested_on_that_side() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    assert ranking(suggest(Answers({"left-low-back": None}), catalogue)) == [
        ("back", "left", score(1, 1))
    ]
    assert ranking(suggest(Answers({"right-low-back": 3}), catalogue)) == [
        ("back", "right", score(1, 1))
    ]


def test_a_midline_region_scores_the_same_on_both_sides() -> None:
    catalogue = cat(tp("deep", essential=["sacrum", "right-low-back"]))
    result = suggest(Answers({"sacrum": None}), catalogue)
    assert ranking(result) == [("deep", "both", score(1 / 2, 1))]
    assert result.suggestions[0].zones_for_map(catalogue) == {
        "sacrum": "essential",
        "right-low-back": "essential",
        "left-low-back": "essential",
    }
    # marking the right low back too tips the balance to the right: the left point adds
    # nothing the right one does not already explain, so each side is its own suggestion
    result = suggest(Answers({"sacrum": None, "right-low-back": None}), catalogue)
    assert ranking(result) == [
        ("deep", "right", score(1, 1)),
        ("deep", "left", score(1 / 2, 1 / 2)),
    ]


def test_a_crossing_pattern_reaches_both_sides_from_either_side() -> None:
    crossing = tp(
        "band",
        essential=["left-low-back", "right-low-back"],
        spillover=["right-lower-abdomen"],
    )
    catalogue = cat(crossing)
    # mirrored onto the left, the band still covers the left low back
    result = suggest(Answers({"left-low-back": None}), catalogue)
    assert ranking(result) == [("band", "both", score(1 / 2, 1))]
    assert "It fits both sides alike" not in " ".join(result.suggestions[0].reasons)
    # the belly spillover is only on the point's own side
    result = suggest(Answers({"left-low-back": None, "right-lower-abdomen": None}), catalogue)
    assert ranking(result) == [
        ("band", "right", score(1 / 2, 7.5 / 10)),
        ("band", "left", score(1 / 2, 5 / 10)),
    ]


def test_a_crossing_pattern_stays_one_suggestion_whatever_the_intensities() -> None:
    band = tp("band", essential=["left-low-back", "right-low-back", "left-flank", "right-flank"])
    answers = Answers(
        {"left-low-back": 5, "right-low-back": 5, "left-flank": 9, "right-flank": 4},
        worst="left-flank",
    )
    assert ranking(suggest(answers, cat(band))) == [("band", "both", score(1, 1))]


def test_a_region_listed_twice_for_one_point_counts_once_at_its_stronger_kind() -> None:
    catalogue = cat(tp("twice", essential=["sacrum"], spillover=["sacrum"]))
    twice = one(suggest(Answers({"sacrum": None}), catalogue), "twice")
    assert twice.score == score(1, 1)
    assert [(m.region, m.kind) for m in twice.matches] == [("sacrum", "essential")]


def test_pain_marked_almost_everywhere_warns_to_see_a_doctor_before_any_list() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    half = dict.fromkeys(sorted(REGIONS)[: len(REGIONS) // 2 + 1], 5)
    assert suggest(Answers(half), catalogue).warning == WIDESPREAD_WARNING
    assert (
        "doctor" in WIDESPREAD_WARNING
        and "not a typical trigger-point pattern" in WIDESPREAD_WARNING
    )
    fewer = dict.fromkeys(sorted(REGIONS)[: len(REGIONS) // 2], 5)
    assert suggest(Answers(fewer), catalogue).warning == ""


def test_ties_are_broken_by_catalogue_order() -> None:
    catalogue = cat(
        tp("a-second", essential=["right-low-back"], order=2),
        tp("b-first", essential=["right-low-back"], order=1),
        tp("c-third", essential=["right-low-back"], order=3),
    )
    result = suggest(Answers({"right-low-back": None}), catalogue)
    assert [s.point for s in result.suggestions] == ["b-first", "a-second", "c-third"]
    assert len({s.score for s in result.suggestions}) == 1


def test_no_marked_region_asks_for_one_and_suggests_nothing() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"], activities=["walking"]))
    result = suggest(Answers({}, activities=frozenset({"walking"})), catalogue)
    assert result.suggestions == ()
    assert result.message == EMPTY_MESSAGE
    assert "Mark at least one place" in EMPTY_MESSAGE


def test_marked_regions_no_point_refers_to_say_so_without_ruling_out_a_muscle() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    result = suggest(Answers({"right-heel": None}), catalogue)
    assert result.suggestions == ()
    assert result.message == NO_MATCH_MESSAGE
    assert suggest(Answers({"right-low-back": None}), catalogue).message == ""


def test_reasons_show_every_factor_of_the_score() -> None:
    catalogue = cat(
        tp(
            "busy",
            essential=["right-low-back", "sacrum"],
            spillover=["right-flank"],
            activities=["walking"],
        )
    )
    catalogue = Catalogue(
        **{
            **catalogue.__dict__,
            "points": (
                Point(
                    **{
                        **catalogue.points[0].__dict__,
                        "prior_label": "Often found in low back pain",
                        "prior_basis": "Found in a third of people with it (a study).",
                    }
                ),
            ),
        }
    )
    answers = Answers(
        {"right-low-back": 6, "sacrum": None, "right-flank": None, "right-heel": 4},
        activities=frozenset({"walking"}),
    )
    busy = one(suggest(answers, catalogue), "busy", "right")
    assert busy.reasons == (
        "Commonly sends pain to your right low back and sacrum (where it nearly always refers) "
        "and to your right flank (where it sometimes refers).",
        "Your map shows both places it nearly always sends pain to.",
        "It accounts for about 70% of the pain you marked.",  # (6 + 5 + 2.5) / 20
        "Often found in low back pain. Found in a third of people with it (a study).",
        "Worse with walking: typical of the busy muscle.",
    )


# Techniques: tools, positions, contraindications ---------------------------------------

TOOL_TECHNIQUES = [
    tech("tennis", "tennis-ball", "wall"),
    tech("lacrosse", "lacrosse-ball", "wall"),
    tech("massage", "massage-ball", "wall"),
    tech("blocks", "massage-blocks", "wall"),
    tech("sock", "two-balls", "lying-back"),
    tech("peanut", "double-roller", "lying-back"),
    tech("roller", "foam-roller", "lying-back"),
    tech("bolster", "bolster", "lying-back"),
    tech("fists", "fists", "standing"),
    tech("thumbs", "thumbs", "standing"),
    tech("fingertips", "fingertips", "seated"),
]
BALL_TECHNIQUES = ["tennis", "lacrosse", "massage", "blocks"]
HAND_TECHNIQUES = ["bolster", "fists", "thumbs", "fingertips"]
EVERY_POSITION = frozenset({"floor", "wall", "seated"})


def with_tools(*tools: str) -> Suggestion:
    catalogue = cat(
        tp("back", essential=["right-low-back"], techniques=[t.slug for t in TOOL_TECHNIQUES]),
        techniques=TOOL_TECHNIQUES,
    )
    answers = Answers({"right-low-back": None}, tools=frozenset(tools), positions=EVERY_POSITION)
    return one(suggest(answers, catalogue), "back")


def test_any_ball_unlocks_every_ball_technique() -> None:
    for ball in ("tennis-ball", "lacrosse-ball", "massage-ball"):
        back = with_tools(ball)
        assert list(back.techniques) == BALL_TECHNIQUES + HAND_TECHNIQUES
        assert back.other_tools == ("sock", "peanut", "roller")


def test_hands_and_a_bolster_are_always_available() -> None:
    for tools in ((), ("hands",)):
        back = with_tools(*tools)
        assert list(back.techniques) == HAND_TECHNIQUES
        assert list(back.other_tools) == [*BALL_TECHNIQUES, "sock", "peanut", "roller"]
        assert back.left_out == ()


def test_two_balls_and_a_foam_roller_each_need_that_tool() -> None:
    assert list(with_tools("two-balls").techniques) == ["sock", "peanut", *HAND_TECHNIQUES]
    assert list(with_tools("foam-roller").techniques) == ["roller", *HAND_TECHNIQUES]
    assert list(with_tools(*TOOL_OPTIONS).techniques) == [t.slug for t in TOOL_TECHNIQUES]


POSITION_TECHNIQUES = [
    tech("on-back", position="lying-back"),
    tech("on-side", position="lying-side"),
    tech("face-down", position="lying-front"),
    tech("wall", position="wall"),
    tech("chair", position="seated"),
    tech("standing", position="standing"),
    tech("chair-discreet", position="seated", discreet=True),
    tech("standing-discreet", position="standing", discreet=True),
    tech("floor-discreet", position="lying-back", discreet=True),
]


def in_positions(*positions: str) -> list[str]:
    catalogue = cat(
        tp("back", essential=["right-low-back"], techniques=[t.slug for t in POSITION_TECHNIQUES]),
        techniques=POSITION_TECHNIQUES,
    )
    answers = Answers({"right-low-back": None}, positions=frozenset(positions))
    return list(one(suggest(answers, catalogue), "back").techniques)


def test_techniques_must_fit_a_chosen_position_and_standing_fits_any_choice() -> None:
    floor = ["on-back", "on-side", "face-down", "standing", "standing-discreet", "floor-discreet"]
    assert in_positions("floor") == floor
    assert in_positions("wall") == ["wall", "standing", "standing-discreet"]
    assert in_positions("seated") == ["chair", "standing", "chair-discreet", "standing-discreet"]
    assert in_positions() == []  # no position at all: not even standing
    assert in_positions(*POSITION_OPTIONS) == [t.slug for t in POSITION_TECHNIQUES]


def test_discreet_admits_discreet_techniques_whatever_their_position() -> None:
    assert in_positions("discreet") == ["chair-discreet", "standing-discreet", "floor-discreet"]
    assert in_positions("wall", "discreet") == [
        "wall",
        "standing",
        "chair-discreet",
        "standing-discreet",
        "floor-discreet",
    ]


PREGNANCY = Contraindication("pregnancy", "Are you pregnant?", "abdomen")
BLOOD_THINNERS = Contraindication("blood-thinners", "Do you take blood thinners?", "")
ANEURYSM = Contraindication("aortic-aneurysm", "Do you have an aortic aneurysm?", "abdomen")


def contraindicated(*answered: str) -> Result:
    techniques = [
        tech("belly-press", "fingertips", "lying-back", areas=["abdomen"]),
        tech("belly-and-back", "thumbs", "standing", areas=["abdomen", "low-back"]),
        tech("back-press", "thumbs", "standing", areas=["low-back"]),
    ]
    catalogue = cat(
        tp("belly", essential=["right-low-back"], area="abdomen", techniques=["belly-press"]),
        tp(
            "back",
            essential=["right-low-back"],
            order=1,
            techniques=["belly-and-back", "back-press"],
        ),
        techniques=techniques,
        contraindications=[PREGNANCY, BLOOD_THINNERS, ANEURYSM],
    )
    answers = Answers(
        {"right-low-back": None},
        positions=frozenset({"floor"}),
        contraindications=frozenset(answered),
    )
    return suggest(answers, catalogue)


def test_a_contraindication_leaves_out_the_techniques_for_its_area_and_says_why() -> None:
    result = contraindicated("pregnancy")
    belly, back = one(result, "belly"), one(result, "back")
    reason = (
        "left out because you answered yes to: Are you pregnant? "
        "(no pressure on the belly and front of the hip)"
    )
    assert belly.techniques == ()
    assert [(o.technique, o.reason) for o in belly.left_out] == [("belly-press", reason)]
    # a technique that also works the excluded area is left out; the rest stay
    assert [o.technique for o in back.left_out] == ["belly-and-back"]
    assert back.techniques == ("back-press",)
    # the point itself is still suggested, with the same score
    assert belly.score == score(1, 1)
    assert result.cautions == ()


def test_two_contraindications_for_one_area_leave_a_technique_out_once() -> None:
    result = contraindicated("pregnancy", "aortic-aneurysm")
    left_out = one(result, "belly").left_out
    assert len(left_out) == 1
    assert "Are you pregnant?" in left_out[0].reason  # the last in slug order


def test_a_contraindication_that_excludes_no_area_is_a_caution() -> None:
    result = contraindicated("blood-thinners", "unknown-flag")
    assert result.cautions == ("Do you take blood thinners?",)
    assert one(result, "belly").techniques == ("belly-press",)
    assert one(result, "belly").left_out == ()


def test_professional_only_points_are_suggested_with_no_technique() -> None:
    catalogue = cat(
        tp("pelvic", essential=["sacrum"], professional_only=True),
        techniques=[tech("thumbs")],
    )
    answers = Answers({"sacrum": None}, tools=frozenset(TOOL_OPTIONS))
    pelvic = one(suggest(answers, catalogue), "pelvic", "both")
    assert pelvic.professional_only
    assert (pelvic.techniques, pelvic.left_out, pelvic.other_tools) == ((), (), ())
    assert pelvic.score == score(1, 1)


# Realistic cases on the real catalogue ---------------------------------------------------


def reason_names_every_match(suggestion: Suggestion, catalogue: Catalogue) -> bool:
    reason = suggestion.reasons[0]
    return reason.startswith("Commonly sends pain to your ") and all(
        catalogue.regions[match.region].name.lower() in reason for match in suggestion.matches
    )


def top(result: Result, n: int) -> list[tuple[str, str]]:
    return [(s.point, s.side) for s in result.suggestions[:n]]


@pytest.mark.django_db
def test_outer_hip_and_lower_buttock_on_one_side_put_the_lower_ql_first(catalog) -> None:
    catalogue = build_catalogue()
    answers = Answers(
        {"right-lateral-hip": 6, "right-lower-buttock": 4},
        worst="right-lateral-hip",
        tools=frozenset({"tennis-ball"}),
        positions=frozenset({"wall"}),
    )
    result = suggest(answers, catalogue)
    # weights 9 (worst) and 4. ql-lower-lateral: its only essential zone is the outer hip
    # (9 / 13) and, with ql-lower-medial (E lower buttock), the QL explains all of it
    assert result.suggestions[0].point == "ql-lower-lateral"
    assert result.suggestions[0].score == score(1, 9 / 13, muscle=1, prior=4)
    assert top(result, 4) == [
        ("ql-lower-lateral", "right"),
        ("gmed-trp3", "right"),
        ("ql-lower-medial", "right"),
        ("gmin-anterior", "right"),
    ]
    assert {s.side for s in result.suggestions} == {"right"}
    minimus = one(result, "gmin-anterior")
    assert minimus.reasons[0] == (
        "Commonly sends pain to your right outer hip (where it nearly always refers) "
        "and to your right lower buttock (where it sometimes refers)."
    )
    # a tennis ball against a wall fits; lying on the side is possible with other positions
    assert minimus.techniques == ("gmin-ball-wall",)
    assert minimus.other_tools == ("gmin-ball-side-lying",)
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)


@pytest.mark.django_db
def test_both_low_backs_put_the_ql_first_and_the_band_with_the_sacroiliac_areas_lifts_the_rectus(
    catalog,
) -> None:
    catalogue = build_catalogue()
    answers = Answers({"left-low-back": 6, "right-low-back": 6})
    result = suggest(answers, catalogue)
    # treated on both sides, a QL middle point explains the whole map with its whole
    # pattern; the rectus abdominis band does too, but shows only 2 of its 4 essential
    # zones (the sacroiliac ones are not marked)
    assert top(result, 3) == [
        ("ql-middle-lateral", "both"),
        ("ql-middle-medial", "both"),
        ("mf-l1", "both"),
    ]
    assert result.suggestions[0].score == score(1, 1, prior=4)
    assert one(result, "ra-lower").score == score(1 / 2, 1, prior=1)
    assert {s.side for s in result.suggestions} == {"both"}
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)

    band = {**answers.regions, "left-sacroiliac": 6, "right-sacroiliac": 6}
    result = suggest(Answers(band), catalogue)
    rectus = one(result, "ra-lower", "both")
    assert ("ra-lower", "both") in top(result, 3)
    assert rectus.score == score(1, 1, prior=1)
    assert rectus.reasons[0] == (
        "Commonly sends pain to your left low back, left sacroiliac area, right low back "
        "and right sacroiliac area (where it nearly always refers)."
    )
    assert rectus.zones_for_map(catalogue)["left-sacroiliac"] == "essential"
    # in pregnancy, no pressure on the belly: the point stays, its techniques are left out
    pregnant = suggest(Answers(band, contraindications=frozenset({"pregnancy"})), catalogue)
    left_out = one(pregnant, "ra-lower", "both")
    assert (left_out.score, left_out.techniques) == (rectus.score, ())
    assert [o.technique for o in left_out.left_out] == [
        "rectus-abdominis-fingertips-lying",
        "rectus-abdominis-fingertips-seated",
    ]
    assert all("Are you pregnant?" in o.reason for o in left_out.left_out)


@pytest.mark.django_db
def test_buttock_back_of_thigh_and_outer_leg_put_gluteus_minimus_posterior_first(
    catalog,
) -> None:
    catalogue = build_catalogue()
    answers = Answers(
        {"right-lower-buttock": 5, "right-back-thigh": 6, "right-outer-leg": 7},
        worst="right-outer-leg",
    )
    result = suggest(answers, catalogue)
    # weights 5, 6 and 10.5 (worst), 21.5 in all. gmin-posterior: both essential zones
    # (lower buttock, back of the thigh), 11 / 21.5; with gmin-anterior (S lower buttock,
    # S outer leg) the gluteus minimus explains (5 + 6 + 0.5 x 10.5) / 21.5
    posterior = result.suggestions[0]
    assert (posterior.point, posterior.side) == ("gmin-posterior", "right")
    assert posterior.score == score(1, 11 / 21.5, muscle=(11 + 5.25) / 21.5, prior=2)
    assert posterior.reasons[0] == (
        "Commonly sends pain to your right back of the thigh and right lower buttock "
        "(where it nearly always refers)."
    )
    assert "gmin-anterior" in [point for point, _ in top(result, 5)]
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)


@pytest.mark.django_db
def test_sacroiliac_and_tailbone_pain_put_the_tailbone_points_first(catalog) -> None:
    catalogue = build_catalogue()
    answers = Answers({"right-sacroiliac": 4, "coccyx": 7}, worst="coccyx")
    result = suggest(answers, catalogue)
    # weights: coccyx 10.5 (worst), right sacroiliac 4. The gluteus maximus's tailbone
    # point comes first on the right, where its sacral point explains the rest too
    assert top(result, 3) == [("gmax-trp3", "right"), ("gmax-trp3", "left"), ("mf-s1", "both")]
    assert one(result, "gmax-trp3", "right").muscle_explained == 1.0
    pelvic_floor = one(result, "pf-levator-coccygeus")
    assert pelvic_floor.side == "both" and pelvic_floor.professional_only
    assert pelvic_floor.techniques == pelvic_floor.other_tools == ()
    assert pelvic_floor.reasons[0] == (
        "Commonly sends pain to your tailbone (where it nearly always refers)."
    )
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)


@pytest.mark.django_db
def test_pain_over_the_lumbar_spine_alone_suggests_only_lumbar_multifidus_for_both_sides(
    catalog,
) -> None:
    catalogue = build_catalogue()
    result = suggest(Answers({"lumbar-spine": 8}), catalogue)
    # only mf-l4-l5 refers to the lumbar spine (E, midline, with E low back on its side)
    assert ranking(result) == [("mf-l4-l5", "both", score(1 / 2, 1, prior=3))]
    only = result.suggestions[0]
    assert only.reasons[0] == (
        "Commonly sends pain to your lumbar spine (where it nearly always refers)."
    )
    assert only.marker_regions(catalogue) == ["left-low-back", "right-low-back"]


# Properties over the real catalogue ------------------------------------------------------


def _fixture(name: str) -> list[dict]:
    return [row["fields"] for row in json.loads((FIXTURES / name).read_text(encoding="utf-8"))]


REAL_REGIONS = _fixture("regions.json")
REAL_PARTS = sorted({r["part"] for r in REAL_REGIONS})
SIDED_PARTS = {r["part"] for r in REAL_REGIONS if r["side"] != "midline"}
ACTIVITIES = sorted(a["slug"] for a in _fixture("activities.json"))
CONTRAINDICATIONS = sorted(
    f["slug"] for f in _fixture("safety.json") if f["level"] == "contraindication"
)
INTENSITY = st.none() | st.integers(min_value=0, max_value=10)
PROPERTY = settings(max_examples=200, deadline=None)


@st.composite
def answers(draw: st.DrawFn, min_parts: int = 1) -> Answers:
    """A body map: some parts, each on one side or both (or midline), and the rest."""
    regions: dict[str, int | None] = {}
    for part in draw(st.lists(st.sampled_from(REAL_PARTS), min_size=min_parts, max_size=7)):
        if part not in SIDED_PARTS:
            regions[part] = draw(INTENSITY)
            continue
        for side in draw(st.sampled_from([("right",), ("left",), ("right", "left")])):
            regions[f"{side}-{part}"] = draw(INTENSITY)
    worst = draw(st.none() | st.sampled_from(sorted(regions))) if regions else None
    return Answers(
        regions=regions,
        worst=worst,
        activities=draw(st.frozensets(st.sampled_from(ACTIVITIES), max_size=4)),
        tools=draw(st.frozensets(st.sampled_from(TOOL_OPTIONS))),
        positions=draw(st.frozensets(st.sampled_from(POSITION_OPTIONS))),
        contraindications=draw(st.frozensets(st.sampled_from(CONTRAINDICATIONS), max_size=3)),
    )


@pytest.fixture(scope="module")
def snapshot(django_db_setup, django_db_blocker) -> Catalogue:
    """The real catalogue, built once for the module; the database is left as it was."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_catalog", verbosity=0)
        catalogue = build_catalogue()
        transaction.set_rollback(True)
    return catalogue


def test_the_property_snapshot_is_the_whole_real_catalogue(snapshot: Catalogue) -> None:
    assert len(snapshot.points) == 31
    assert len(snapshot.regions) == len(REAL_REGIONS) == 35
    assert sorted(snapshot.contraindications) == CONTRAINDICATIONS


def side_score(result: Result, point: str, side: str) -> float:
    return sum(s.score for s in result.suggestions if s.point == point and s.side in (side, "both"))


@PROPERTY
@given(data=st.data())
def test_marking_a_region_a_point_essentially_refers_to_never_lowers_its_score_on_that_side(
    snapshot: Catalogue, data: st.DataObject
) -> None:
    point = data.draw(st.sampled_from(snapshot.points), label="point")
    side = data.draw(st.sampled_from(["right", "left"]), label="side")
    zone = data.draw(st.sampled_from([z for z in point.zones if z.kind == "essential"]))
    region = zone.region if side == "right" else snapshot.regions[zone.region].mirror
    drawn = data.draw(answers(min_parts=0), label="answers")
    regions = {r: i for r, i in drawn.regions.items() if r != region}
    worst = None if drawn.worst == region else drawn.worst
    before = Answers(
        regions, worst, drawn.activities, drawn.tools, drawn.positions, drawn.contraindications
    )
    # 0/10 counts as not marked: a region marked is rated 1-10 or left unsaid
    intensity = data.draw(st.none() | st.integers(1, 10), label="intensity")
    new_worst = data.draw(st.sampled_from([worst, region])) if worst is None else worst
    after = Answers(
        {**regions, region: intensity},
        new_worst,
        drawn.activities,
        drawn.tools,
        drawn.positions,
        drawn.contraindications,
    )
    old = side_score(suggest(before, snapshot), point.slug, side)
    new = side_score(suggest(after, snapshot), point.slug, side)
    assert new >= old
    assert new > 0


def mirror(answers: Answers, catalogue: Catalogue) -> Answers:
    flip = {slug: region.mirror for slug, region in catalogue.regions.items()}
    return Answers(
        regions={flip[r]: i for r, i in answers.regions.items()},
        worst=flip[answers.worst] if answers.worst else None,
        activities=answers.activities,
        tools=answers.tools,
        positions=answers.positions,
        contraindications=answers.contraindications,
    )


def mirrored_view(result: Result, catalogue: Catalogue) -> list[tuple]:
    """Each suggestion as it should read on the mirrored map."""
    swap = {"right": "left", "left": "right", "both": "both"}
    rows = []
    for s in result.suggestions:
        matches = (
            frozenset((catalogue.regions[m.region].mirror, m.kind, m.weight) for m in s.matches)
            if s.side != "both"
            else None
        )
        rows.append(
            (s.point, swap[s.side], s.score, s.pattern, s.explained, s.muscle_explained)
            + (s.techniques, s.left_out, s.other_tools, matches)
        )
    return rows


def as_is(result: Result) -> list[tuple]:
    return [
        (s.point, s.side, s.score, s.pattern, s.explained, s.muscle_explained)
        + (s.techniques, s.left_out, s.other_tools)
        + (
            frozenset((m.region, m.kind, m.weight) for m in s.matches)
            if s.side != "both"
            else None,
        )
        for s in result.suggestions
    ]


@PROPERTY
@given(answers=answers())
@example(
    # gmed-trp3 scores 3.5 on each side, from different zones (a tie between its sides)
    answers=Answers(
        {"right-lateral-hip": None, "left-lateral-hip": 0, "left-low-back": None, "right-heel": 5}
    )
)
@example(
    # 0.8 x 1.5 on the right and 1.2 on the left: the same weight, up to float rounding
    answers=Answers(
        {"right-back-thigh": 3, "left-back-thigh": 7, "right-calf": None},
        worst="right-back-thigh",
    )
)
@example(
    # rectus abdominis reaches all four regions from either side, unevenly weighted
    answers=Answers(
        {"left-low-back": 5, "right-low-back": 5, "left-sacroiliac": 9, "right-sacroiliac": 4},
        worst="left-sacroiliac",
    )
)
def test_mirroring_every_answer_mirrors_the_suggestions_exactly(
    snapshot: Catalogue, answers: Answers
) -> None:
    original = suggest(answers, snapshot)
    flipped = suggest(mirror(answers, snapshot), snapshot)
    assert as_is(flipped) == mirrored_view(original, snapshot)
    assert flipped.cautions == original.cautions
    assert flipped.message == original.message


@PROPERTY
@given(answers=answers(min_parts=0))
def test_no_marked_region_gives_no_suggestion_and_the_helpful_message(
    snapshot: Catalogue, answers: Answers
) -> None:
    empty = Answers({}, answers.worst, answers.activities, answers.tools, answers.positions)
    result = suggest(empty, snapshot)
    assert result.suggestions == ()
    assert result.message == EMPTY_MESSAGE


@PROPERTY
@given(answers=answers())
def test_scores_are_never_negative_and_the_ranking_is_sorted_by_score(
    snapshot: Catalogue, answers: Answers
) -> None:
    result = suggest(answers, snapshot)
    scores = [s.score for s in result.suggestions]
    assert all(score > 0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    if all(intensity == 0 for intensity in answers.regions.values()):
        assert result.message == NO_PAIN_MESSAGE
    else:
        assert result.message == ("" if scores else NO_MATCH_MESSAGE)
    # a point is suggested once for both sides, or at most once per side
    pairs = [(s.point, s.side) for s in result.suggestions]
    assert len(pairs) == len(set(pairs))
    both = {point for point, side in pairs if side == "both"}
    assert not any(side != "both" and point in both for point, side in pairs)


@PROPERTY
@given(answers=answers(min_parts=0))
def test_the_same_answers_always_give_the_same_suggestions(
    snapshot: Catalogue, answers: Answers
) -> None:
    first = suggest(answers, snapshot)
    assert suggest(answers, snapshot) == first
    # nor does the order the regions were marked in matter
    reordered = Answers(
        dict(reversed(list(answers.regions.items()))),
        answers.worst,
        answers.activities,
        answers.tools,
        answers.positions,
        answers.contraindications,
    )
    assert suggest(reordered, snapshot) == first


# Personal history (a logged-in person's journal) ----------------------------------


def test_a_release_that_helped_before_gets_half_its_average_drop_as_a_boost() -> None:
    catalogue = cat(
        tp("helped", essential=["right-low-back"]), tp("other", ["right-low-back"], order=1)
    )
    answers = Answers(regions={"right-low-back": None}, history={"helped": (-2.1, 6)})
    result = suggest(answers, catalogue)
    first = result.suggestions[0]
    assert first.point == "helped"
    assert first.history_boost == pytest.approx(0.5 * 2.1)
    assert first.score == pytest.approx(4 + 4 + 4 + 0.8 + 1.05)
    assert first.helped is True
    assert "Helped you: -2.1 on average over 6 sessions." in first.reasons


def test_the_history_boost_is_capped_and_needs_two_sessions() -> None:
    catalogue = cat(tp("a", ["right-low-back"]), tp("b", ["right-low-back"], order=1))
    answers = Answers(regions={"right-low-back": None}, history={"a": (-6.0, 3), "b": (-4.0, 1)})
    result = suggest(answers, catalogue)
    assert one(result, "a").history_boost == 1.5
    assert one(result, "b").history_boost == 0 and one(result, "b").helped is None


def test_a_release_that_did_not_help_is_marked_without_a_boost() -> None:
    catalogue = cat(tp("flat", ["right-low-back"]))
    answers = Answers(regions={"right-low-back": None}, history={"flat": (0.5, 4)})
    suggestion = suggest(answers, catalogue).suggestions[0]
    assert suggestion.helped is False and suggestion.history_boost == 0
    assert "Has not helped you so far: +0.5 over 4 sessions." in suggestion.reasons


def test_history_never_creates_a_suggestion() -> None:
    catalogue = cat(tp("elsewhere", ["right-heel"]))
    answers = Answers(regions={"right-low-back": None}, history={"elsewhere": (-5.0, 9)})
    assert suggest(answers, catalogue).suggestions == ()
