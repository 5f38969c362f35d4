from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F


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
    journal_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up whenever a session joins this person's journal; cached pages "
        "built from the journal are keyed on it (it comes with the user, at no cost).",
    )

    def journal_changed(self) -> None:
        """Call in the transaction that adds sessions to this person's journal."""
        from backtp.accounts import people

        type(self).objects.filter(pk=self.pk).update(journal_version=F("journal_version") + 1)
        people.changed(self.pk)  # an update() sends no post_save
