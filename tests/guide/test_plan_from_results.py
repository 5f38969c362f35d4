"""Starting a session from the results: only what the person has, on the sides suggested."""

import re

import pytest
from django.test import Client

from backtp.catalog.models import BodyRegion, Technique
from backtp.guide.models import Assessment
from backtp.journal.models import PlanStep
from tests.factories import (
    BodyRegionFactory,
    ReferralZoneFactory,
    TechniqueFactory,
    TriggerPointFactory,
)

pytestmark = pytest.mark.django_db

HANDS = {"fists", "thumbs", "fingertips", "bolster"}  # what "hands" lets a person use
ON_THE_FLOOR = {"lying-back", "lying-side", "lying-front", "standing"}


def plan_url(assessment: Assessment) -> str:
    return f"/where-does-it-hurt/results/{assessment.id}/plan/"


def planned(person) -> list[tuple[str, str]]:
    return list(PlanStep.objects.filter(user=person).values_list("technique__slug", "side"))


def test_the_plan_uses_only_the_tools_and_positions_the_person_chose(
    person_client: Client, catalog, person
) -> None:
    # Low back and front of the thigh: the psoas is suggested, and its face-down press
    # needs a ball that this person, with only their hands on the floor, does not have.
    assessment = Assessment.objects.create(
        user=person,
        regions={"right-low-back": 6, "right-front-thigh": 5},
        tools=["hands"],
        positions=["floor"],
    )
    response = person_client.post(plan_url(assessment))
    assert response["Location"] == "/session/plan/"
    steps = planned(person)
    assert steps, "something fits hands on the floor"
    for slug, _side in steps:
        technique = Technique.objects.get(slug=slug)
        assert technique.tool in HANDS and technique.position in ON_THE_FLOOR, slug
    assert "psoas-ball-face-down" not in dict(steps)
    html = person_client.get("/session/plan/").content.decode()
    for slug, _side in steps:
        assert Technique.objects.get(slug=slug).name in html


def test_a_technique_with_the_ball_the_person_named_comes_before_another_ball(
    person_client: Client, catalog, person
) -> None:
    # A tennis ball can stand in for a massage ball, but when one of the point's
    # releases needs only what the person named, the plan takes that one.
    assessment = Assessment.objects.create(
        user=person,
        regions={"right-low-back": 6, "right-front-thigh": 5},
        tools=["tennis-ball"],
        positions=["floor"],
    )
    person_client.post(plan_url(assessment))
    steps = planned(person)
    assert steps and "psoas-ball-face-down" not in dict(steps)
    for slug, _side in steps:
        assert Technique.objects.get(slug=slug).tool in HANDS | {"tennis-ball"}, slug


def test_the_results_page_says_what_the_session_will_start_with(
    person_client: Client, catalog, person
) -> None:
    assessment = Assessment.objects.create(
        user=person,
        regions={"right-lateral-hip": None, "right-lower-buttock": None},
        tools=["tennis-ball"],
        positions=["wall"],
    )
    results = person_client.get(assessment.get_absolute_url()).content.decode()
    preview = results.split('id="plan-preview-title"')[1].split("</section>")[0]
    person_client.post(plan_url(assessment))
    names = [Technique.objects.get(slug=slug).name for slug, _ in planned(person)]
    assert names and re.findall(r'<li><a href="[^"]+">([^<]+)</a>', preview) == names
    assert "(on your right side)" in preview
    assert "Start a session with the top suggestions" in preview


@pytest.fixture
def one_point(empty_catalog):
    """A catalogue of one low-back point with two techniques: a face-down massage-ball
    press listed first, then one with the fists, standing. The fists also work a second
    point, of another muscle, that sends pain to the flank."""
    right = BodyRegionFactory(part="low-back", side=BodyRegion.Side.RIGHT)
    BodyRegionFactory(part="low-back", side=BodyRegion.Side.LEFT)
    BodyRegionFactory(part="sacrum", side=BodyRegion.Side.MIDLINE)
    flank = BodyRegionFactory(part="flank", side=BodyRegion.Side.RIGHT)
    BodyRegionFactory(part="flank", side=BodyRegion.Side.LEFT)
    point = TriggerPointFactory(region=right)
    ReferralZoneFactory(trigger_point=point, region=right)
    flank_point = TriggerPointFactory(region=flank)
    ReferralZoneFactory(trigger_point=flank_point, region=flank)
    ball = TechniqueFactory(
        name="Massage ball face down",
        tool=Technique.Tool.MASSAGE_BALL,
        position=Technique.Position.LYING_FRONT,
        order=1,
        trigger_points=[point],
    )
    fists = TechniqueFactory(
        name="Fists standing",
        tool=Technique.Tool.FISTS,
        position=Technique.Position.STANDING,
        order=2,
        trigger_points=[point, flank_point],
    )
    return point, ball, fists


def test_a_technique_needing_a_ball_the_person_lacks_is_never_planned(
    person_client: Client, person, one_point
) -> None:
    _, ball, fists = one_point
    assessment = Assessment.objects.create(
        user=person, regions={"right-low-back": 7}, tools=["hands"], positions=["floor"]
    )
    person_client.post(plan_url(assessment))
    assert planned(person) == [(fists.slug, "right")]
    html = person_client.get("/session/plan/").content.decode()
    assert "Fists standing" in html and "Massage ball face down" not in html
    assert "right side" in html


def test_a_technique_for_a_point_on_the_right_and_one_on_the_left_works_both_sides(
    person_client: Client, person, one_point
) -> None:
    _, _, fists = one_point
    # The low-back point on the right, the flank point on the left: two suggestions
    # whose one fitting technique is the same.
    assessment = Assessment.objects.create(
        user=person,
        regions={"right-low-back": 7, "left-flank": 5},
        tools=["hands"],
        positions=["floor"],
    )
    results = person_client.get(assessment.get_absolute_url()).content.decode()
    assert "On your right side" in results and "On your left side" in results
    person_client.post(plan_url(assessment))
    assert planned(person) == [(fists.slug, "both")]
    html = person_client.get("/session/plan/").content.decode()
    assert "on each side" in html


def test_a_suggestion_for_both_sides_plans_both_sides(
    person_client: Client, person, one_point
) -> None:
    _, _, fists = one_point
    assessment = Assessment.objects.create(
        user=person,
        regions={"right-low-back": 5, "left-low-back": 5},
        tools=["hands"],
        positions=["floor"],
    )
    results = person_client.get(assessment.get_absolute_url()).content.decode()
    assert "On both sides" in results and "your both sides" not in results
    assert "(on both sides)" in results  # in what the session will start with
    person_client.post(plan_url(assessment))
    assert planned(person) == [(fists.slug, "both")]
    assert "on each side" in person_client.get("/session/plan/").content.decode()


def test_when_nothing_fits_the_person_is_told_and_their_plan_is_kept(
    person_client: Client, catalog, person
) -> None:
    ql = Technique.objects.get(slug="ql-ball-wall")
    PlanStep.objects.create(user=person, position=1, technique=ql, side="both", hold_seconds=30)
    # Heel pain comes from the soleus, whose releases are done seated; this person
    # can only use a wall and their hands.
    assessment = Assessment.objects.create(
        user=person, regions={"right-heel": 6}, tools=["hands"], positions=["wall"]
    )
    results = person_client.get(assessment.get_absolute_url()).content.decode()
    assert 'id="nothing-fits"' in results
    assert "Start a session with the top suggestions" not in results

    response = person_client.post(plan_url(assessment), follow=True)
    assert response.redirect_chain[-1][0] == assessment.get_absolute_url()
    html = response.content.decode()
    assert "so no session plan was made" in html
    assert planned(person) == [("ql-ball-wall", "both")]


def test_an_anonymous_persons_plan_follows_the_same_rules(client: Client, one_point) -> None:
    _, _, fists = one_point
    assessment = Assessment.objects.create(
        regions={"right-low-back": 8, "left-low-back": 3}, tools=["hands"], positions=["floor"]
    )
    assert client.post(plan_url(assessment))["Location"] == "/session/plan/"
    html = client.get("/session/plan/").content.decode()
    assert "Fists standing" in html and "on each side" in html
    assert "Massage ball face down" not in html
