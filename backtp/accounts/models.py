from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class User(AbstractUser):
    """backtp's own user model, with the few settings a person keeps."""

    sessions_per_day = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Short sessions a day to aim for (5 to 7 suits most people).",
    )
    contraindications = models.JSONField(
        default=list,
        blank=True,
        help_text="Red-flag slugs of the contraindications this person answered yes to.",
    )
    safety_answered_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When this person last answered the whole safety check with no sign that "
        "stops self-treatment (see backtp/journal/safety.py for how long it counts).",
    )
