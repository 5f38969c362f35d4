"""The suggestion engine (backtp.guide.engine): scoring rules, real cases, properties.

Expected scores are written as the formula in the engine's docstring, by hand:
    weight(r) = (0.5 + intensity / 10) x (1.5 for the worst region), intensity 5 when unsaid
    score     = sum(3 essential | 1 spillover x weight) + 2 x covered / marked + activities
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
    POSITION_OPTIONS,
    TOOL_OPTIONS,
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
) -> Point:
    """A trigger point on the right side with these zones."""
    zones = tuple(Zone(r, "essential") for r in essential) + tuple(
        Zone(r, "spillover") for r in spillover
    )
    return Point(
        slug=slug,
        name=slug.replace("-", " "),
        muscle=f"{slug}-muscle",
        muscle_name=f"{slug.title()} muscle",
        muscle_area=area,
        region="right-low-back",
        zones=zones,
        activities=frozenset(activities),
        techniques=tuple(techniques),
        professional_only=professional_only,
        order=order,
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


# Scoring rules -------------------------------------------------------------------------


def test_an_essential_zone_counts_three_times_a_spillover_zone() -> None:
    catalogue = cat(
        tp("nearly-always", essential=["right-low-back"]),
        tp("sometimes", spillover=["right-low-back"], order=1),
    )
    result = suggest(Answers({"right-low-back": None}), catalogue)
    essential, spillover = one(result, "nearly-always"), one(result, "sometimes")
    assert essential.zone_score == pytest.approx(3 * 1.0)
    assert spillover.zone_score == pytest.approx(1 * 1.0)
    assert essential.score == pytest.approx(3 * 1.0 + 2 * 1 / 1)
    assert spillover.score == pytest.approx(1 * 1.0 + 2 * 1 / 1)
    assert [s.point for s in result.suggestions] == ["nearly-always", "sometimes"]


def test_intensity_weighs_a_region_from_half_to_one_and_a_half_defaulting_to_five() -> None:
    catalogue = cat(
        tp("back", essential=["right-low-back"]),
        tp("flank", essential=["right-flank"], order=1),
    )
    result = suggest(Answers({"right-low-back": 0, "right-flank": 10}), catalogue)
    # weight 0.5 + 0 / 10 and 0.5 + 10 / 10; each point explains one of two regions
    assert one(result, "back").score == pytest.approx(3 * 0.5 + 2 * 1 / 2)
    assert one(result, "flank").score == pytest.approx(3 * 1.5 + 2 * 1 / 2)
    unsaid = suggest(Answers({"right-low-back": None}), catalogue)
    assert one(unsaid, "back").score == pytest.approx(3 * (0.5 + 5 / 10) + 2 * 1 / 1)
    said = suggest(Answers({"right-low-back": 7}), catalogue)
    assert one(said, "back").matches[0].weight == pytest.approx(3 * 1.2)


def test_the_worst_region_counts_half_as_much_again() -> None:
    catalogue = cat(
        tp("back", essential=["right-low-back"]),
        tp("flank", essential=["right-flank"], order=1),
    )
    answers = Answers({"right-low-back": 7, "right-flank": 7}, worst="right-low-back")
    result = suggest(answers, catalogue)
    assert one(result, "back").score == pytest.approx(3 * 1.2 * 1.5 + 2 * 1 / 2)
    assert one(result, "flank").score == pytest.approx(3 * 1.2 + 2 * 1 / 2)
    # worst with no intensity given: the default 5
    worst_only = suggest(Answers({"right-low-back": None}, worst="right-low-back"), catalogue)
    assert one(worst_only, "back").score == pytest.approx(3 * 1.0 * 1.5 + 2 * 1 / 1)


def test_coverage_adds_twice_the_share_of_marked_regions_the_point_explains() -> None:
    catalogue = cat(tp("wide", essential=["right-low-back"], spillover=["right-flank"]))
    answers = Answers({"right-low-back": None, "right-flank": None, "right-heel": None})
    wide = one(suggest(answers, catalogue), "wide")
    # essential low back 3 x 1 + spillover flank 1 x 1; two of the three marked regions
    assert wide.coverage == pytest.approx(2 * 2 / 3)
    assert wide.score == pytest.approx(3 * 1 + 1 * 1 + 2 * 2 / 3)


def test_each_typical_activity_adds_half_a_point_up_to_one_and_a_half() -> None:
    typical = ["walking", "sitting", "standing", "bending"]
    catalogue = cat(tp("busy", essential=["right-low-back"], activities=typical))
    marked = {"right-low-back": None}

    def boost(ticked: set[str]) -> Suggestion:
        return one(suggest(Answers(marked, activities=frozenset(ticked)), catalogue), "busy")

    assert boost(set()).score == pytest.approx(3 * 1 + 2 * 1 / 1)
    assert boost({"walking"}).score == pytest.approx(3 * 1 + 2 * 1 / 1 + 0.5)
    assert boost({"walking", "sitting"}).score == pytest.approx(3 * 1 + 2 * 1 / 1 + 2 * 0.5)
    assert boost(set(typical)).activity_boost == pytest.approx(1.5)  # 4 x 0.5, capped
    assert boost(set(typical)).score == pytest.approx(3 * 1 + 2 * 1 / 1 + 1.5)
    assert boost({"lifting"}).activity_boost == 0  # ticked, but not typical of the muscle
    assert boost({"walking", "lifting"}).activities == ("walking",)


def test_activities_never_create_a_suggestion_on_their_own() -> None:
    catalogue = cat(
        tp("walker", essential=["right-flank"], activities=["walking"]),
        tp("back", essential=["right-low-back"], order=1),
    )
    answers = Answers({"right-low-back": None}, activities=frozenset({"walking"}))
    assert [s.point for s in suggest(answers, catalogue).suggestions] == ["back"]


def test_a_point_whose_two_sides_score_equally_is_one_suggestion_for_both_sides() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    result = suggest(Answers({"right-low-back": None, "left-low-back": None}), catalogue)
    # each side explains one of the two marked regions
    assert ranking(result) == [("back", "both", pytest.approx(3 * 1 + 2 * 1 / 2))]


def test_sides_that_score_the_same_are_one_suggestion_despite_float_rounding() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    answers = Answers({"right-low-back": 3, "left-low-back": 7}, worst="right-low-back")
    result = suggest(answers, catalogue)
    # right: (0.5 + 0.3) x 1.5 = 1.2; left: 0.5 + 0.7 = 1.2 (in floats 1.2000000000000002
    # and 1.2, which once made this two suggestions with the same score)
    assert ranking(result) == [("back", "both", pytest.approx(3 * 1.2 + 2 * 1 / 2))]


def test_a_point_whose_two_sides_score_differently_is_one_suggestion_per_side() -> None:
    catalogue = cat(tp("back", essential=["right-low-back"]))
    result = suggest(Answers({"right-low-back": 8, "left-low-back": None}), catalogue)
    assert ranking(result) == [
        ("back", "right", pytest.approx(3 * 1.3 + 2 * 1 / 2)),
        ("back", "left", pytest.approx(3 * 1.0 + 2 * 1 / 2)),
    ]
    only_left = suggest(Answers({"left-low-back": None}), catalogue)
    assert ranking(only_left) == [("back", "left", pytest.approx(3 * 1 + 2 * 1 / 1))]


def test_a_midline_region_scores_the_same_on_both_sides() -> None:
    catalogue = cat(tp("deep", essential=["sacrum", "right-low-back"]))
    result = suggest(Answers({"sacrum": None}), catalogue)
    assert ranking(result) == [("deep", "both", pytest.approx(3 * 1 + 2 * 1 / 1))]
    assert result.suggestions[0].zones_for_map(catalogue) == {
        "sacrum": "essential",
        "right-low-back": "essential",
        "left-low-back": "essential",
    }
    # marking the right low back too tips the balance to the right
    result = suggest(Answers({"sacrum": None, "right-low-back": None}), catalogue)
    assert ranking(result) == [
        ("deep", "right", pytest.approx(3 * 1 + 3 * 1 + 2 * 2 / 2)),
        ("deep", "left", pytest.approx(3 * 1 + 2 * 1 / 2)),
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
    assert ranking(result) == [("band", "both", pytest.approx(3 * 1 + 2 * 1 / 1))]
    # the belly spillover is only on the point's own side
    result = suggest(Answers({"left-low-back": None, "right-lower-abdomen": None}), catalogue)
    assert ranking(result) == [
        ("band", "right", pytest.approx(3 * 1 + 1 * 1 + 2 * 2 / 2)),
        ("band", "left", pytest.approx(3 * 1 + 2 * 1 / 2)),
    ]


def test_a_crossing_pattern_stays_one_suggestion_whatever_the_intensities() -> None:
    band = tp("band", essential=["left-low-back", "right-low-back", "left-flank", "right-flank"])
    answers = Answers(
        {"left-low-back": 5, "right-low-back": 5, "left-flank": 9, "right-flank": 4},
        worst="left-flank",
    )
    result = suggest(answers, cat(band))
    # 3 x (1.0 + 1.0 + 1.4 x 1.5 + 0.9), all four regions covered from either side
    assert ranking(result) == [("band", "both", pytest.approx(3 * (2 + 1.4 * 1.5 + 0.9) + 2))]


def test_a_region_listed_twice_for_one_point_counts_once_at_its_stronger_kind() -> None:
    catalogue = cat(tp("twice", essential=["sacrum"], spillover=["sacrum"]))
    twice = one(suggest(Answers({"sacrum": None}), catalogue), "twice")
    assert twice.score == pytest.approx(3 * 1 + 2 * 1 / 1)
    assert [(m.region, m.kind) for m in twice.matches] == [("sacrum", "essential")]


def test_ties_are_broken_by_catalogue_order() -> None:
    catalogue = cat(
        tp("a-second", essential=["right-low-back"], order=2),
        tp("b-first", essential=["right-low-back"], order=1),
        tp("c-third", essential=["right-low-back"], order=3),
    )
    result = suggest(Answers({"right-low-back": None}), catalogue)
    assert [s.point for s in result.suggestions] == ["b-first", "a-second", "c-third"]
    assert len({s.score for s in result.suggestions}) == 1


def test_equal_scores_on_the_two_sides_of_one_point_rank_the_stronger_zone_match_first() -> None:
    catalogue = cat(tp("hip", essential=["right-lateral-hip"], spillover=["right-low-back"]))
    answers = {
        "right-lateral-hip": None,
        "left-lateral-hip": 0,
        "left-low-back": None,
        "right-heel": None,
    }
    result = suggest(Answers(answers), catalogue)
    # right: 3 x 1.0 + 2 x 1/4; left: 3 x 0.5 + 1 x 1.0 + 2 x 2/4; the same total
    assert ranking(result) == [
        ("hip", "right", pytest.approx(3 * 1.0 + 2 * 1 / 4)),
        ("hip", "left", pytest.approx(3 * 0.5 + 1 * 1.0 + 2 * 2 / 4)),
    ]
    assert [s.zone_score for s in result.suggestions] == [3.0, 2.5]
    # so the mirrored map gives the mirrored ranking, not "left first" again
    mirrored = {REGIONS[region].mirror: value for region, value in answers.items()}
    assert [s.side for s in suggest(Answers(mirrored), catalogue).suggestions] == [
        "left",
        "right",
    ]


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


def test_reasons_name_the_matched_regions_and_the_typical_activities() -> None:
    catalogue = cat(
        tp(
            "busy",
            essential=["right-low-back", "sacrum"],
            spillover=["right-flank"],
            activities=["walking"],
        )
    )
    answers = Answers(
        {"right-low-back": 6, "sacrum": None, "right-flank": None},
        activities=frozenset({"walking"}),
    )
    busy = one(suggest(answers, catalogue), "busy", "right")
    assert busy.reasons == (
        "Commonly sends pain to your right low back and sacrum (where it nearly always refers) "
        "and to your right flank (where it sometimes refers).",
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
    assert belly.score == pytest.approx(3 * 1 + 2 * 1 / 1)
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
    assert pelvic.score == pytest.approx(3 * 1 + 2 * 1 / 1)


# Realistic cases on the real catalogue ---------------------------------------------------


def reason_names_every_match(suggestion: Suggestion, catalogue: Catalogue) -> bool:
    reason = suggestion.reasons[0]
    return reason.startswith("Commonly sends pain to your ") and all(
        catalogue.regions[match.region].name.lower() in reason for match in suggestion.matches
    )


@pytest.mark.django_db
def test_outer_hip_and_lower_buttock_on_one_side_put_gluteus_minimus_anterior_first(
    catalog,
) -> None:
    catalogue = build_catalogue()
    answers = Answers(
        {"right-lateral-hip": 6, "right-lower-buttock": 4},
        worst="right-lateral-hip",
        tools=frozenset({"tennis-ball"}),
        positions=frozenset({"wall"}),
    )
    result = suggest(answers, catalogue)
    # weights: outer hip (0.5 + 0.6) x 1.5 = 1.65 (worst); lower buttock 0.5 + 0.4 = 0.9
    # gmin-anterior: E lateral-hip, E outer-thigh, S lower-buttock, S outer-leg
    #   3 x 1.65 + 1 x 0.9 + 2 x 2/2 = 7.85
    # gmed-trp3 (E lateral-hip, S low-back) and ql-lower-lateral (E lateral-hip,
    #   S outer-thigh): 3 x 1.65 + 2 x 1/2 = 5.95 each; gluteus medius is earlier in
    #   the catalogue (buttock and hip before lower back), so it goes first
    # then every point with an essential lower-buttock zone: 3 x 0.9 + 2 x 1/2 = 3.7
    assert ranking(result)[:3] == [
        ("gmin-anterior", "right", pytest.approx(3 * 1.65 + 1 * 0.9 + 2 * 2 / 2)),
        ("gmed-trp3", "right", pytest.approx(3 * 1.65 + 2 * 1 / 2)),
        ("ql-lower-lateral", "right", pytest.approx(3 * 1.65 + 2 * 1 / 2)),
    ]
    assert {s.point for s in result.suggestions[3:7]} == {
        "gmax-trp2",
        "gmin-posterior",
        "ql-lower-medial",
        "es-longissimus-thoracis",
    }
    assert [s.score for s in result.suggestions[3:7]] == [pytest.approx(3 * 0.9 + 2 * 1 / 2)] * 4
    assert {s.side for s in result.suggestions} == {"right"}
    top = result.suggestions[0]
    assert top.reasons[0] == (
        "Commonly sends pain to your right outer hip (where it nearly always refers) "
        "and to your right lower buttock (where it sometimes refers)."
    )
    # a tennis ball against a wall fits; lying on the side is possible with other positions
    assert top.techniques == ("gmin-ball-wall",)
    assert top.other_tools == ("gmin-ball-side-lying",)
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)


@pytest.mark.django_db
def test_a_band_across_both_sides_of_the_low_back_puts_rectus_abdominis_first_for_both_sides(
    catalog,
) -> None:
    catalogue = build_catalogue()
    answers = Answers({"left-low-back": 6, "right-low-back": 6})
    result = suggest(answers, catalogue)
    # weights 0.5 + 0.6 = 1.1 on both sides
    # ra-lower: E left-low-back and E right-low-back from either side (a crossing band)
    #   3 x 1.1 + 3 x 1.1 + 2 x 2/2 = 8.6, the same on both sides: one "both"
    # a one-sided point with E low-back: 3 x 1.1 + 2 x 1/2 = 4.3 on the right, and
    #   mirrored 4.3 on the left: also "both", in catalogue order
    # S low-back (iliacus, gmed-trp3): 1 x 1.1 + 2 x 1/2 = 2.1
    assert ranking(result)[0] == ("ra-lower", "both", pytest.approx(3 * 1.1 * 2 + 2 * 2 / 2))
    assert ranking(result)[1:10] == [
        (point, "both", pytest.approx(3 * 1.1 + 2 * 1 / 2))
        for point in (
            "psoas-navel",
            "gmed-trp1",
            "gmed-overlap",
            "ql-middle-lateral",
            "ql-middle-medial",
            "es-thoracolumbar",
            "es-lumbosacral",
            "mf-l1",
            "mf-l4-l5",
        )
    ]
    assert ranking(result)[10:] == [
        ("iliacus-hip-crest", "both", pytest.approx(1 * 1.1 + 2 * 1 / 2)),
        ("gmed-trp3", "both", pytest.approx(1 * 1.1 + 2 * 1 / 2)),
    ]
    top = result.suggestions[0]
    assert top.reasons[0] == (
        "Commonly sends pain to your left low back and right low back "
        "(where it nearly always refers)."
    )
    assert top.zones_for_map(catalogue)["left-sacroiliac"] == "essential"
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)
    # in pregnancy, no pressure on the belly: the point stays, its techniques are left out
    pregnant = suggest(
        Answers(answers.regions, contraindications=frozenset({"pregnancy"})), catalogue
    )
    rectus = pregnant.suggestions[0]
    assert (rectus.point, rectus.score, rectus.techniques) == ("ra-lower", top.score, ())
    assert [o.technique for o in rectus.left_out] == [
        "rectus-abdominis-fingertips-lying",
        "rectus-abdominis-fingertips-seated",
    ]
    assert all("Are you pregnant?" in o.reason for o in rectus.left_out)


@pytest.mark.django_db
def test_buttock_back_of_thigh_and_outer_leg_put_gluteus_minimus_posterior_then_anterior_first(
    catalog,
) -> None:
    catalogue = build_catalogue()
    answers = Answers(
        {"right-lower-buttock": 5, "right-back-thigh": 6, "right-outer-leg": 7},
        worst="right-outer-leg",
    )
    result = suggest(answers, catalogue)
    # weights: lower buttock 1.0, back of thigh 1.1, outer leg (0.5 + 0.7) x 1.5 = 1.8
    # gmin-posterior: E lower-buttock, E back-thigh (S calf unmarked)
    #   3 x 1.0 + 3 x 1.1 + 2 x 2/3 = 7.633
    # gmin-anterior: S lower-buttock, S outer-leg: 1 x 1.0 + 1 x 1.8 + 2 x 2/3 = 4.133
    # then E lower-buttock alone (gmax-trp2, ql-lower-medial, es-longissimus-thoracis):
    #   3 x 1.0 + 2 x 1/3 = 3.667
    assert ranking(result)[:5] == [
        ("gmin-posterior", "right", pytest.approx(3 * 1.0 + 3 * 1.1 + 2 * 2 / 3)),
        ("gmin-anterior", "right", pytest.approx(1 * 1.0 + 1 * 1.8 + 2 * 2 / 3)),
        ("gmax-trp2", "right", pytest.approx(3 * 1.0 + 2 * 1 / 3)),
        ("ql-lower-medial", "right", pytest.approx(3 * 1.0 + 2 * 1 / 3)),
        ("es-longissimus-thoracis", "right", pytest.approx(3 * 1.0 + 2 * 1 / 3)),
    ]
    posterior, anterior = result.suggestions[:2]
    assert posterior.reasons[0] == (
        "Commonly sends pain to your right back of the thigh and right lower buttock "
        "(where it nearly always refers)."
    )
    assert anterior.reasons[0] == (
        "Commonly sends pain to your right outer lower leg and right lower buttock "
        "(where it sometimes refers)."
    )
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)


@pytest.mark.django_db
def test_sacroiliac_and_tailbone_pain_put_the_tailbone_points_first_for_both_sides(
    catalog,
) -> None:
    catalogue = build_catalogue()
    answers = Answers({"right-sacroiliac": 4, "coccyx": 7}, worst="coccyx")
    result = suggest(answers, catalogue)
    # weights: coccyx (0.5 + 0.7) x 1.5 = 1.8 (worst); right sacroiliac 0.5 + 0.4 = 0.9
    # E coccyx: gmax-trp3, mf-s1, pf-levator-coccygeus: 3 x 1.8 + 2 x 1/2 = 6.4; the
    #   coccyx is midline, so each is one "both" suggestion, in catalogue order
    # E right sacroiliac: 3 x 0.9 + 2 x 1/2 = 3.7; ra-lower reaches the right sacroiliac
    #   from either side ("both"); the rest are right-side points
    # no point covers both regions
    assert ranking(result)[:6] == [
        ("gmax-trp3", "both", pytest.approx(3 * 1.8 + 2 * 1 / 2)),
        ("mf-s1", "both", pytest.approx(3 * 1.8 + 2 * 1 / 2)),
        ("pf-levator-coccygeus", "both", pytest.approx(3 * 1.8 + 2 * 1 / 2)),
        ("ra-lower", "both", pytest.approx(3 * 0.9 + 2 * 1 / 2)),
        ("gmed-trp1", "right", pytest.approx(3 * 0.9 + 2 * 1 / 2)),
        ("gmed-overlap", "right", pytest.approx(3 * 0.9 + 2 * 1 / 2)),
    ]
    pelvic_floor = result.suggestions[2]
    assert pelvic_floor.professional_only
    assert pelvic_floor.techniques == pelvic_floor.other_tools == ()
    assert pelvic_floor.reasons[0] == (
        "Commonly sends pain to your tailbone (where it nearly always refers)."
    )
    assert all(reason_names_every_match(s, catalogue) for s in result.suggestions)
    assert all(s.score <= 3 * 0.9 + 2 * 1 / 2 + 1e-9 for s in result.suggestions[3:])


@pytest.mark.django_db
def test_pain_over_the_lumbar_spine_alone_suggests_only_lumbar_multifidus_for_both_sides(
    catalog,
) -> None:
    catalogue = build_catalogue()
    result = suggest(Answers({"lumbar-spine": 8}), catalogue)
    # only mf-l4-l5 refers to the lumbar spine (E, midline): 3 x 1.3 + 2 x 1/1 = 5.9
    assert ranking(result) == [("mf-l4-l5", "both", pytest.approx(3 * 1.3 + 2 * 1 / 1))]
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
    intensity = data.draw(INTENSITY, label="intensity")
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
            (s.point, swap[s.side], s.score, s.zone_score, s.coverage, s.activity_boost)
            + (s.techniques, s.left_out, s.other_tools, matches)
        )
    return rows


def as_is(result: Result) -> list[tuple]:
    return [
        (s.point, s.side, s.score, s.zone_score, s.coverage, s.activity_boost)
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
    assert first.score == pytest.approx(3 * 1.0 + 2 * 1 / 1 + 1.05)
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
