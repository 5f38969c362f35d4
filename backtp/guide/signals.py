"""After logging in or signing up, questionnaires answered while logged out become the
person's, as the journal does for sessions (journal/signals.py): the clinician's summary
and the ranking by what helped then use them.

An anonymous questionnaire carries the token of the browser session that saved it
(journal/device.py); only that session can claim it. Logging in keeps the session's data
(Django cycles its key), logging out flushes it, so the next person on the device
claims nothing."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from backtp.accounts.models import User
from backtp.guide.models import Assessment
from backtp.journal.device import anonymous_token


def anonymous_assessments_attach(*, user: User, anonymous_owner: str) -> int:
    """Give a person the questionnaires their browser session answered before logging in."""
    if not anonymous_owner:
        return 0
    return Assessment.objects.filter(user=None, anonymous_owner=anonymous_owner).update(
        user=user, anonymous_owner=""
    )


@receiver(user_logged_in)
def attach_anonymous_assessments(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    if request is not None and hasattr(request, "session"):
        anonymous_assessments_attach(user=user, anonymous_owner=anonymous_token(request))
