"""One form per questionnaire step. Unknown values are invalid choices, so tampering gets a 400."""

from typing import Any, cast

from django import forms

from backtp.catalog.models import AggravatingActivity, BodyRegion, RedFlag

YES_NO = [("no", "No"), ("yes", "Yes")]
INTENSITIES = [("", "–")] + [(str(n), str(n)) for n in range(11)]
QUALITIES = [
    ("dull-ache", "A dull, deep ache"),
    ("sharp-moving", "Sharp pain when I move"),
    ("brace-standing", "I brace myself or drop to all fours when I stand up"),
]
TOOLS = [
    ("tennis-ball", "Tennis ball"),
    ("lacrosse-ball", "Lacrosse ball"),
    ("massage-ball", "Massage ball"),
    ("two-balls", "Two balls in a sock (or taped together)"),
    ("foam-roller", "Foam roller"),
    ("hands", "Nothing but my hands"),
]
POSITIONS = [
    ("floor", "Lying on the floor or a firm bed"),
    ("wall", "Leaning on a wall"),
    ("seated", "Sitting on a chair"),
    ("discreet", "In public, unnoticed (at work, on a train)"),
]


# The safety questions in groups, each answerable "none of these" with one tick: the
# levels of RedFlag that each group holds, its key and its title.
SAFETY_GROUPS = [
    ("now", "Signs that need medical help straight away", (RedFlag.Level.EMERGENCY,)),
    (
        "doctor",
        "Signs a doctor should check",
        (RedFlag.Level.URGENT, RedFlag.Level.SOON),
    ),
    ("limits", "Things that change which techniques are safe", (RedFlag.Level.CONTRAINDICATION,)),
]
NONE_PREFIX = "none-"


class SafetyForm(forms.Form):
    """Every red flag as a yes/no question, emergencies first, in groups.

    Each group has a "None of these" checkbox: ticked, the group's unanswered questions
    count as "No", so the form is valid without JavaScript (the script only fills in the
    radios to show it). Nothing is ever chosen for the person: a question is answered
    by its own radio or by that explicit tick, and a "Yes" with the tick is a mistake to
    point out, not to guess at."""

    def __init__(self, *args: Any, flags: list[RedFlag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flags = flags
        for flag in flags:
            self.fields[flag.slug] = forms.ChoiceField(
                label=flag.question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
        for key, _, levels in SAFETY_GROUPS:
            count = sum(flag.level in levels for flag in flags)
            self.fields[NONE_PREFIX + key] = forms.BooleanField(
                required=False,
                label=f"None of these: answer “No” to all {count}",
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for key, _, levels in SAFETY_GROUPS:
            none = cleaned.get(NONE_PREFIX + key)
            slugs = [flag.slug for flag in self.flags if flag.level in levels]
            if none and any(cleaned.get(slug) == "yes" for slug in slugs):
                self.add_error(
                    NONE_PREFIX + key,
                    "You ticked “None of these” but answered “Yes” to a question above: "
                    "untick it, or change that answer to “No”.",
                )
                continue
            for slug in slugs:
                if cleaned.get(slug):
                    continue
                if none:
                    cleaned[slug] = "no"
                elif slug not in self.errors:
                    self.add_error(slug, "Please answer yes or no.")
        return cleaned

    def yes(self, *levels: str) -> list[RedFlag]:
        return [
            flag
            for flag in self.flags
            if flag.level in levels and self.cleaned_data.get(flag.slug) == "yes"
        ]

    def outcome(self) -> str:
        """'emergency' or 'urgent' stop the questionnaire; otherwise 'clear'."""
        if self.yes(RedFlag.Level.EMERGENCY):
            return "emergency"
        if self.yes(RedFlag.Level.URGENT):
            return "urgent"
        return "clear"

    def answers(self) -> dict[str, str]:
        """Each question's answer, "yes" or "no" (after validation)."""
        return {flag.slug: self.cleaned_data[flag.slug] for flag in self.flags}

    def unanswered(self) -> int:
        """How many questions still need a yes or no (after validation)."""
        return sum(flag.slug in self.errors for flag in self.flags)

    def groups(self) -> list[tuple[str, str, list[forms.BoundField], forms.BoundField]]:
        """The questions in their groups, each with its "None of these" box, for the template."""
        return [
            (
                key,
                title,
                [self[flag.slug] for flag in self.flags if flag.level in levels],
                self[NONE_PREFIX + key],
            )
            for key, title, levels in SAFETY_GROUPS
        ]


class BodyMapForm(forms.Form):
    regions = forms.MultipleChoiceField(
        error_messages={
            "required": "Mark at least one place where it hurts.",
            "invalid_choice": "That body area does not exist.",
        },
    )
    worst = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, regions: list[BodyRegion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region_list = regions
        choices = [(region.slug, region.name) for region in regions]
        cast(forms.ChoiceField, self.fields["regions"]).choices = choices
        cast(forms.ChoiceField, self.fields["worst"]).choices = [("", "Not sure"), *choices]
        for region in regions:
            self.fields[f"intensity-{region.slug}"] = forms.ChoiceField(
                choices=INTENSITIES,
                required=False,
                label=f"How bad is your {region.name.lower()}, from 0 to 10?",
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        marked = cleaned.get("regions") or []
        worst = cleaned.get("worst") or ""
        if worst and worst not in marked:
            self.add_error("worst", "The worst place must be one of the places you marked.")
        if not worst and len(marked) == 1:
            cleaned["worst"] = marked[0]
        return cleaned

    def answers(self) -> dict:
        marked = self.cleaned_data["regions"]
        intensities = {}
        for slug in marked:
            value = self.cleaned_data.get(f"intensity-{slug}")
            intensities[slug] = int(value) if value not in (None, "") else None
        return {"regions": intensities, "worst": self.cleaned_data["worst"]}


class FeelForm(forms.Form):
    qualities = forms.MultipleChoiceField(
        choices=QUALITIES, required=False, widget=forms.CheckboxSelectMultiple
    )
    activities = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["activities"]).choices = list(
            AggravatingActivity.objects.values_list("slug", "name")
        )


class HaveForm(forms.Form):
    tools = forms.MultipleChoiceField(
        choices=TOOLS, required=False, widget=forms.CheckboxSelectMultiple
    )
    positions = forms.MultipleChoiceField(
        choices=POSITIONS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one place or position you can use now."},
    )
