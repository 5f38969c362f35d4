"""The questionnaire's answers between steps, kept in the Django session."""

from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "guide"
STEPS = ("safety", "map", "feel", "have")
STEP_URLS = {
    "safety": "guide:safety",
    "map": "guide:body_map",
    "feel": "guide:feel",
    "have": "guide:have",
}
STOPPING = ("emergency", "urgent")


class GuideState:
    def __init__(self, session: SessionBase) -> None:
        self.session = session
        self.data: dict = session.get(SESSION_KEY, {})

    def get(self, step: str) -> dict | None:
        return self.data.get(step)

    def answered(self, step: str) -> dict:
        """A step's answers where they are known to be there (after the guard, or stopped)."""
        return self.data[step]

    def save(self, step: str, answers: dict) -> None:
        self.data[step] = answers
        self.session[SESSION_KEY] = self.data

    def clear(self) -> None:
        self.data = {}
        self.session.pop(SESSION_KEY, None)

    @property
    def stopped(self) -> str | None:
        """'emergency' or 'urgent' once the safety screen has stopped this assessment."""
        outcome = (self.get("safety") or {}).get("outcome")
        return outcome if outcome in STOPPING else None

    def first_missing(self, before: str) -> str | None:
        """The first unanswered step that must come before `before`."""
        for step in STEPS[: STEPS.index(before)]:
            if self.get(step) is None:
                return step
        return None

    @property
    def started(self) -> bool:
        return bool(self.data)
