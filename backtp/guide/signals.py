"""After logging in or signing up, questionnaires answered while logged out become the
person's, as the journal does for sessions (journal/signals.py): the clinician's summary
and the ranking by what helped then use them.

The browser session remembers the ids of the assessments it saved anonymously; only
that session can claim them. Logging in keeps the session's data (Django cycles its
key), logging out flushes it, so the next person on the device claims nothing."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from backtp.accounts.models import User
from backtp.guide.models import Assessment

SESSION_KEY = "guide_anonymous_assessments"
KEPT = 20  # the latest few are enough to carry over; the session stays small


def remember_anonymous(request: HttpRequest, assessment: Assessment) -> None:
    """Note an assessment saved by someone not logged in, for their account later."""
    if assessment.user_id is None:
        saved = request.session.get(SESSION_KEY, [])
        request.session[SESSION_KEY] = [*saved, str(assessment.pk)][-KEPT:]


def anonymous_assessments_attach(*, user: User, request: HttpRequest) -> int:
    """Give a person the assessments their browser session saved before they logged in."""
    ids = request.session.pop(SESSION_KEY, [])
    if not ids:
        return 0
    return Assessment.objects.filter(pk__in=ids, user=None).update(user=user)


@receiver(user_logged_in)
def attach_anonymous_assessments(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    if request is not None and hasattr(request, "session"):
        anonymous_assessments_attach(user=user, request=request)
