"""{% guide_progress "map" %}: the questionnaire's step list, with links to answered steps."""

from django import template

from backtp.guide.state import STEP_URLS, STEPS, GuideState

register = template.Library()

LABELS = {"safety": "Safety", "map": "Where", "feel": "How it feels", "have": "What you have"}


@register.inclusion_tag("guide/_progress.html", takes_context=True)
def guide_progress(context: template.Context, current: str) -> dict:
    state = GuideState(context["request"].session)
    done = [step for step in STEPS if state.get(step) is not None]
    return {
        "steps": [(step, LABELS[step], STEP_URLS[step]) for step in STEPS],
        "current": current,
        "done": done,
    }
