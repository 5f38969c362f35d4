"""Whether a person may start a session: have they answered the safety check recently,
and which contraindications did they say yes to?

The safety screen lives in guide, above journal; the timer and the plan live here. So
guide's safety view records the outcome through `record()`, and journal reads it with
`current()`, without ever importing guide (docs/architecture.md).

"Recently" is RECENT, seven days, wherever the answers are kept: in the Django session
(this browser), and for a logged-in person also on their account
(`User.safety_answered_at`), so that logging in on another device within the week does
not ask again. Seven days rather than a month because the signs that stop
self-treatment (a fever, new bladder trouble, a swollen calf) can appear between
sessions: a weekly check costs a minute or two, a missed sign costs far more. An answer
with a sign that stops self-treatment records nothing that lets a session start.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from backtp.catalog.models import Muscle, RedFlag, Technique

RECENT = timedelta(days=7)
SESSION_KEY = "safety_check"


@dataclass(frozen=True)
class SafetyCheck:
    answered_at: datetime
    contraindications: frozenset[str]


def record(request: HttpRequest, *, contraindications: Iterable[str], stops: bool) -> None:
    """Keep the outcome of a complete safety check: its time and contraindications when
    nothing stops self-treatment; otherwise forget any earlier one, so no session starts."""
    slugs = sorted(set(contraindications))
    now = timezone.now()
    if stops:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = {"at": now.isoformat(), "contraindications": slugs}
    if request.user.is_authenticated:
        user = request.user
        # Remembered for next time and editable in the account settings.
        user.contraindications = slugs
        user.safety_answered_at = None if stops else now
        user.save(update_fields=["contraindications", "safety_answered_at"])


def _from_session(request: HttpRequest) -> SafetyCheck | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    slugs = data.get("contraindications")
    try:
        answered_at = datetime.fromisoformat(str(data.get("at")))
    except ValueError:
        return None
    if not isinstance(slugs, list) or answered_at.tzinfo is None:
        return None
    return SafetyCheck(answered_at, frozenset(slug for slug in slugs if isinstance(slug, str)))


def current(request: HttpRequest) -> SafetyCheck | None:
    """The safety check that lets this person start a session now, or None: ask again."""
    now = timezone.now()
    found = _from_session(request)
    if found and not now - RECENT <= found.answered_at <= now:
        found = None
    if not request.user.is_authenticated:
        return found
    user = request.user
    # The account's list is what the person last said or ticked in their settings; with the
    # session's, whichever says more: a contraindication is never dropped by a stale copy.
    remembered = frozenset(user.contraindications)
    if found:
        return SafetyCheck(found.answered_at, found.contraindications | remembered)
    at = user.safety_answered_at
    if at and now - RECENT <= at <= now:
        return SafetyCheck(at, remembered)
    return None


def ask_url(next_path: str) -> str:
    """The safety screen, coming back to `next_path` afterwards."""
    return reverse("guide:safety") + "?" + urlencode({"next": next_path})


def left_out(slugs: Iterable[str], check: SafetyCheck | None) -> dict[str, str]:
    """Why each technique a contraindication rules out is left out, by technique slug.

    The rule of the results page: a contraindication's excluded area rules out every
    technique working a muscle in that area."""
    if check is None or not check.contraindications:
        return {}
    flags = {
        flag.excludes_area: flag
        for flag in RedFlag.objects.filter(
            slug__in=sorted(check.contraindications), level=RedFlag.Level.CONTRAINDICATION
        )
        .exclude(excludes_area="")
        .order_by("-order")  # the first question asked wins an area
    }
    if not flags:
        return {}
    pairs = (
        Technique.objects.filter(
            slug__in=set(slugs), trigger_points__muscle__area__in=sorted(flags)
        )
        .values_list("slug", "trigger_points__muscle__area")
        .distinct()
        .order_by("slug", "trigger_points__muscle__area")
    )
    areas = dict(Muscle.Area.choices)
    reasons: dict[str, str] = {}
    for slug, area in pairs:
        flag = flags[area]
        reasons.setdefault(
            slug,
            f"you answered yes to “{flag.question}”, so nothing presses on the "
            f"{areas[area].lower()}",
        )
    return reasons
