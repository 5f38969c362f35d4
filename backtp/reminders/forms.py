from datetime import time
from typing import Any

from django import forms

from backtp.reminders import push, schedule
from backtp.reminders.models import Schedule

WEEKDAYS = [
    (0, "Mon"),
    (1, "Tue"),
    (2, "Wed"),
    (3, "Thu"),
    (4, "Fri"),
    (5, "Sat"),
    (6, "Sun"),
]
# The shortest gap between two reminders: closer than this they would be one session.
MIN_GAP_MINUTES = 30


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class ScheduleForm(forms.Form):
    per_day = forms.IntegerField()  # its range depends on the plan: set in __init__
    mode = forms.ChoiceField(
        label="When", choices=Schedule.Mode, widget=forms.RadioSelect, initial="spread"
    )
    first_time = forms.TimeField(label="First reminder", widget=TimeInput(), required=False)
    last_time = forms.TimeField(label="Last reminder", widget=TimeInput(), required=False)
    times = forms.CharField(
        label="Times of day",
        required=False,
        max_length=200,
        help_text="Separated by commas, for example 07:30, 12:00, 17:45.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "07:30, 12:00"}),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="On these days",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="Filled in from your browser; change it if it is wrong, "
        "for example Europe/London or America/New_York.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, per_day_range: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.per_day_range = per_day_range
        low, high = per_day_range
        # Whether the plan's techniques limit how many a day (else anything up to the max).
        self.plan_limited = (low, high) != (1, schedule.MAX_PER_DAY)
        plan = f"your plan's releases are meant for {low} to {high}"
        why = f": {plan}." if self.plan_limited else "."
        self.fields["per_day"] = forms.IntegerField(
            label="Short sessions a day",
            min_value=low,
            max_value=high,
            help_text=f"{plan[0].upper()}{plan[1:]} sessions a day."
            if self.plan_limited
            else "Several short sessions a day work better than one long one.",
            error_messages={
                "min_value": f"At least {low} a day{why}",
                "max_value": f"At most {high} a day{why}",
                "required": "How many a day?",
                "invalid": "Write a whole number, for example 5.",
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if schedule.zone(name) is None:
            raise forms.ValidationError(
                "We don't know that time zone. Use a name like Europe/London or America/New_York."
            )
        return name

    def clean_times(self) -> list[time]:
        text = self.cleaned_data["times"]
        try:
            chosen = schedule.parse_times(text)
        except ValueError as error:
            raise forms.ValidationError(
                f"“{error}” is not a time. Write times like 07:30, separated by commas."
            ) from None
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError("The same time is there twice.")
        return sorted(chosen)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mode") == Schedule.Mode.SPREAD:
            self._clean_spread(cleaned)
        elif cleaned.get("mode") == Schedule.Mode.TIMES and "times" in cleaned:
            self._clean_times(cleaned)
        return cleaned

    def _clean_spread(self, cleaned: dict[str, Any]) -> None:
        first, last, per_day = (cleaned.get(f) for f in ("first_time", "last_time", "per_day"))
        if first is None:
            self.add_error("first_time", "When should the first reminder come?")
        if last is None and per_day != 1:
            self.add_error("last_time", "When should the last reminder come?")
        if not (first and last and per_day and per_day > 1):
            return
        span = schedule.minute_of_day(last) - schedule.minute_of_day(first)
        needed = (per_day - 1) * MIN_GAP_MINUTES
        if span <= 0:
            self.add_error("last_time", "The last reminder must come after the first.")
        elif span < needed:
            self.add_error(
                "last_time",
                f"{per_day} reminders need at least {needed // 60} h {needed % 60:02d} min "
                "between the first and the last.",
            )

    def _clean_times(self, cleaned: dict[str, Any]) -> None:
        """Chosen times set how many a day: within the plan's range, and apart."""
        chosen = cleaned["times"]
        low, high = self.per_day_range
        minutes = [schedule.minute_of_day(at) for at in chosen]
        if not chosen:
            self.add_error("times", "Give at least one time.")
        elif not low <= len(chosen) <= high:
            self.add_error(
                "times",
                f"You gave {len(chosen)} times; your plan suits {low} to {high} a day."
                if self.plan_limited
                else f"At most {high} times a day.",
            )
        elif any(b - a < MIN_GAP_MINUTES for a, b in zip(minutes, minutes[1:], strict=False)):
            self.add_error("times", f"Leave at least {MIN_GAP_MINUTES} minutes between two times.")
        else:
            cleaned["per_day"] = len(chosen)
            self.errors.pop("per_day", None)

    def schedule_fields(self) -> dict[str, Any]:
        """The cleaned data as Schedule fields."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "mode": data["mode"],
            "weekdays": sorted(data["weekdays"]),
            "time_zone": data["time_zone"],
        }
        if data["mode"] == Schedule.Mode.TIMES:
            fields["times"] = [at.strftime("%H:%M") for at in data["times"]]
        else:
            fields["first_time"] = data["first_time"]
            fields["last_time"] = data["last_time"] or data["first_time"]
        return fields

    @classmethod
    def initial_for(cls, saved: Schedule, per_day: int, per_day_range: tuple[int, int]) -> dict:
        low, high = per_day_range
        return {
            "per_day": min(max(per_day, low), high),
            "mode": saved.mode,
            "first_time": saved.first_time,
            "last_time": saved.last_time,
            "times": ", ".join(saved.times),
            "weekdays": saved.weekdays,
            "time_zone": saved.time_zone if saved.pk else "",
        }


class DeviceForm(forms.Form):
    """A browser's push subscription, as PushSubscription.toJSON() gives it."""

    endpoint = forms.URLField(max_length=2000, assume_scheme="https")
    p256dh = forms.RegexField(regex=r"^[A-Za-z0-9_-]{80,100}={0,2}$", max_length=120)
    auth = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,30}={0,2}$", max_length=40)
    name = forms.CharField(max_length=80, required=False)

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        if not push.known_service(endpoint):
            raise forms.ValidationError("That is not a browser's push service.")
        return endpoint
