import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from backtp.guide import engine


class Assessment(models.Model):
    """A completed questionnaire; its random id makes the results URL shareable but unguessable.

    Only answers are stored: suggestions are computed afresh from the current catalogue.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    created = models.DateTimeField(auto_now_add=True)
    regions = models.JSONField(help_text="Marked region slug -> intensity 0-10, or null.")
    worst = models.SlugField(blank=True)
    qualities = models.JSONField(default=list, blank=True)
    activities = models.JSONField(default=list, blank=True)
    tools = models.JSONField(default=list, blank=True)
    positions = models.JSONField(default=list, blank=True)
    contraindications = models.JSONField(default=list, blank=True)
    see_doctor_soon = models.JSONField(default=list, blank=True)
    anonymous_owner = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text="For a questionnaire answered by someone not logged in: the token of the "
        "browser session that saved it (journal/device.py), the same one its sessions "
        "carry. Only that browser session can claim it, by logging in or signing up.",
    )

    class Meta:
        ordering = ["-created"]
        indexes = [
            # Logging in claims the questionnaires the browser session answered before.
            models.Index(
                fields=["anonymous_owner"], condition=Q(user=None), name="assessments_of_nobody"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.id} ({len(self.regions)} regions)"

    def get_absolute_url(self) -> str:
        return reverse("guide:results", args=[self.id])

    def answers(self, history: dict[str, tuple[float, int]] | None = None) -> engine.Answers:
        return engine.Answers(
            history=history or {},
            regions=dict(self.regions),
            worst=self.worst or None,
            activities=frozenset(self.activities),
            tools=frozenset(self.tools),
            positions=frozenset(self.positions),
            contraindications=frozenset(self.contraindications),
        )
