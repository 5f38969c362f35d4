"""What a reminder says: kind, short, about the person's own plan; no streaks, no blame."""

NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
SIDES = {"both": "both sides", "left": "left side", "right": "right side"}


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return NUMBERS[minutes - 1] if minutes <= len(NUMBERS) else str(minutes)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _listed(names: list[str]) -> str:
    if len(names) > 3:
        return f"{', '.join(names[:2])} and {len(names) - 2} more"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    return names[0]


def reminder_text(muscles: list[str], sides: set[str], seconds: int) -> str:
    """ "Time for a two-minute release? Your plan: quadratus lumborum, both sides."

    muscles: the plan's muscles in plan order; sides: the sides its steps work; seconds:
    how long the plan takes. An empty plan gets a reminder to choose a release."""
    if not muscles:
        return "Time for a short release? Open backtp to choose one for today."
    plan = _listed([_lower_first(name) for name in muscles])
    side = SIDES.get(next(iter(sides))) if len(sides) == 1 else None
    where = f"{plan}, {side}" if side else plan
    return f"Time for a {_minutes(seconds)}-minute release? Your plan: {where}."
