"""The trigger-point catalogue: sources, body regions, muscles, points, zones, techniques.

Catalogue rows are content, seeded from fixtures/ and editable in the admin. Every
model has a natural key (its slug, or the pair that makes it unique) so the
fixtures carry no database ids and load idempotently.

Laterality convention: a trigger point is described as it lies on the person's
RIGHT side; its `region` and its referral zones use right-side (or midline)
regions. The same point on the left mirrors them (see `BodyRegion.mirror_slug`).
A zone stored on the left for a right-side point means the pattern crosses the
midline (rectus abdominis refers across both sides of the low back).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse


class SlugManager[M: models.Model](models.Manager[M]):
    def get_by_natural_key(self, slug: str) -> M:
        return self.get(slug=slug)


class SourceManager(models.Manager["Source"]):
    def get_by_natural_key(self, key: str) -> "Source":
        return self.get(key=key)


class Source(models.Model):
    class Kind(models.TextChoices):
        SEED = "seed", "Practitioner article"
        BOOK = "book", "Book"
        GUIDELINE = "guideline", "Health-service guidance"
        LITERATURE = "literature", "Published research"

    key = models.CharField(
        max_length=80,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9._-]+$", "Letters, digits, dot, dash, underscore.")
        ],
        help_text="Stable key; for the seed documents, the file name.",
    )
    title = models.CharField(max_length=300)
    label = models.CharField(
        max_length=60, help_text="Short form for citations, e.g. 'Travell & Simons 1992'."
    )
    author = models.CharField("author or publisher", max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind)
    note = models.TextField(blank=True, help_text="What this source is used for, and its limits.")

    objects = SourceManager()

    class Meta:
        ordering = ["kind", "key"]

    def __str__(self) -> str:
        return f"{self.title} ({self.author}{f', {self.year}' if self.year else ''})"

    def get_absolute_url(self) -> str:
        return reverse("catalog:sources") + f"#source-{self.key}"

    def natural_key(self) -> tuple[str]:
        return (self.key,)


class BodyRegion(models.Model):
    """One of the 35 canonical regions of the body map (domain reference, section 1)."""

    class Side(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        MIDLINE = "midline", "Midline"

    class View(models.TextChoices):
        BACK = "back", "Back"
        FRONT = "front", "Front"
        SIDE = "side", "Side"

    class Group(models.TextChoices):
        BACK = "back", "Back"
        BUTTOCK_HIP = "buttock-hip", "Buttock and hip"
        ABDOMEN_GROIN = "abdomen-groin", "Belly and groin"
        LEG = "leg", "Leg"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, help_text="With its side, e.g. 'Right flank'.")
    part = models.SlugField(help_text="The slug without its side, e.g. 'flank'.")
    part_name = models.CharField(max_length=80, help_text="The name without its side.")
    side = models.CharField(max_length=7, choices=Side)
    view = models.CharField(max_length=5, choices=View)
    group = models.CharField(max_length=13, choices=Group)
    description = models.CharField(max_length=200, help_text="Where it is, in plain words.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(side="midline") & ~Q(slug__startswith="left-"))
                | Q(side="left", slug__startswith="left-")
                | Q(side="right", slug__startswith="right-"),
                name="region_slug_matches_side",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:muscle_list") + f"?region={self.part}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def mirror_slug(self) -> str:
        """The same region on the other side of the body (itself when midline)."""
        if self.side == self.Side.LEFT:
            return "right-" + self.part
        if self.side == self.Side.RIGHT:
            return "left-" + self.part
        return self.slug


class AggravatingActivity(models.Model):
    """Something a person does that typically makes a muscle's trigger points hurt."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, help_text="As a person would say it: 'Standing up'.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "aggravating activities"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Muscle(models.Model):
    class Area(models.TextChoices):
        LOW_BACK = "low-back", "Lower back"
        BUTTOCK_HIP = "buttock-hip", "Buttock and hip"
        ABDOMEN = "abdomen", "Belly and front of the hip"
        LEG = "leg", "Leg"
        PELVIS = "pelvis", "Pelvis"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=200, blank=True, help_text="Comma-separated.")
    area = models.CharField(max_length=12, choices=Area, help_text="Groups the muscle list.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Position within its area.")
    summary = models.CharField(max_length=200, help_text="One line for the muscle list.")
    description = models.TextField()
    location = models.TextField(help_text="Where it lies, in plain words.")
    function = models.TextField()
    aggravating_activities = models.ManyToManyField(
        AggravatingActivity, blank=True, related_name="muscles"
    )
    aggravating_notes = models.TextField(blank=True, help_text="Anything the list does not say.")
    cautions = models.TextField(blank=True)
    professional_only = models.BooleanField(
        default=False, help_text="No self-release: the page points to a professional instead."
    )
    sources = models.ManyToManyField(Source, related_name="muscles")

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:muscle_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def other_names_list(self) -> list[str]:
        return [name.strip() for name in self.other_names.split(",") if name.strip()]

    def pain_parts(self) -> list[str]:
        """Body parts its points commonly refer pain to, essential first (uses prefetched zones)."""
        essential: dict[str, None] = {}
        spillover: dict[str, None] = {}
        for point in self.trigger_points.all():
            for zone in point.zones.all():
                bucket = essential if zone.kind == ReferralZone.Kind.ESSENTIAL else spillover
                bucket[zone.region.part_name] = None
        return list(essential) + [name for name in spillover if name not in essential]


class TriggerPoint(models.Model):
    class Prior(models.IntegerChoices):
        """How commonly a point causes low back pain: what orders the points a body map
        cannot tell apart (reference §9; see docs/suggestions.md)."""

        OFTEN = 4, "Often found in low back pain"
        COMMON = 3, "A common cause"
        OCCASIONAL = 2, "An occasional cause"
        LESS_COMMON = 1, "A less common cause"

    muscle = models.ForeignKey(Muscle, on_delete=models.CASCADE, related_name="trigger_points")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    locate = models.TextField("how to find it", help_text="Plain words a person can follow.")
    landmark = models.CharField(max_length=160, help_text="The bony landmark nearest to it.")
    region = models.ForeignKey(
        BodyRegion,
        on_delete=models.PROTECT,
        related_name="trigger_points_here",
        help_text="The region the point lies in, on the right side (marks it on the map).",
    )
    order = models.PositiveSmallIntegerField(default=0)
    sources = models.ManyToManyField(Source, related_name="trigger_points")
    prior = models.PositiveSmallIntegerField(
        "how common a cause",
        choices=Prior,
        default=Prior.OCCASIONAL,
        help_text="How commonly this point causes low back pain. Ranks points the body map "
        "cannot tell apart; a map that points elsewhere still wins.",
    )
    prior_basis = models.CharField(
        "what that rests on",
        max_length=300,
        blank=True,
        help_text="One sentence, shown with the suggestion: measured how often, or, where "
        "it was not measured, which sources describe it.",
    )
    prior_sources = models.ManyToManyField(
        Source, related_name="priors", blank=True, help_text="Where the prior comes from."
    )

    objects = SlugManager()

    class Meta:
        ordering = ["muscle__order", "order", "slug"]

    def __str__(self) -> str:
        return f"{self.muscle.name}: {self.name}"

    def get_absolute_url(self) -> str:
        return self.muscle.get_absolute_url() + f"#{self.slug}"

    def zone_map(self) -> dict[str, str]:
        """Region slug -> zone kind, for the body map (uses prefetched zones)."""
        return {zone.region.slug: zone.kind for zone in self.zones.all()}

    def _zone_names(self, kind: str) -> str:
        return ", ".join(z.region.name.lower() for z in self.zones.all() if z.kind == kind)

    def essential_zone_names(self) -> str:
        return self._zone_names(ReferralZone.Kind.ESSENTIAL)

    def spillover_zone_names(self) -> str:
        return self._zone_names(ReferralZone.Kind.SPILLOVER)

    def cited_sources(self) -> list["Source"]:
        """Sources of the point and of its zones, once each (uses prefetched sources)."""
        found = {source.pk: source for source in self.sources.all()}
        for zone in self.zones.all():
            found.update((source.pk, source) for source in zone.sources.all())
        return sorted(found.values(), key=lambda source: (source.kind, source.key))

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ZoneManager(models.Manager["ReferralZone"]):
    def get_by_natural_key(self, trigger_point: str, region: str) -> "ReferralZone":
        return self.get(trigger_point__slug=trigger_point, region__slug=region)


class ReferralZone(models.Model):
    class Kind(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        SPILLOVER = "spillover", "Spillover"

    trigger_point = models.ForeignKey(TriggerPoint, on_delete=models.CASCADE, related_name="zones")
    region = models.ForeignKey(BodyRegion, on_delete=models.PROTECT, related_name="zones")
    kind = models.CharField(
        max_length=9,
        choices=Kind,
        help_text="Essential: felt by nearly everyone with this point. Spillover: only sometimes.",
    )
    sources = models.ManyToManyField(Source, related_name="zones")

    objects = ZoneManager()

    class Meta:
        ordering = ["trigger_point", "kind", "region__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["trigger_point", "region"], name="one_zone_per_point_and_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trigger_point} → {self.region} ({self.get_kind_display().lower()})"

    def get_absolute_url(self) -> str:
        return self.trigger_point.get_absolute_url()

    def natural_key(self) -> tuple[str, str]:
        return (self.trigger_point.slug, self.region.slug)

    # Django's documented way to order natural keys in fixtures (a function attribute).
    natural_key.dependencies = ["catalog.triggerpoint", "catalog.bodyregion"]  # type: ignore[attr-defined]


DOSE_FIELDS = ("hold_seconds", "repetitions", "strokes", "minutes_per_side", "times_per_day")


class Technique(models.Model):
    class Tool(models.TextChoices):
        TENNIS_BALL = "tennis-ball", "Tennis ball"
        LACROSSE_BALL = "lacrosse-ball", "Lacrosse ball"
        MASSAGE_BALL = "massage-ball", "Massage ball"
        TWO_BALLS = "two-balls", "Two balls in a sock"
        FOAM_ROLLER = "foam-roller", "Foam roller"
        DOUBLE_ROLLER = "double-roller", "Double (peanut) roller"
        MASSAGE_BLOCKS = "massage-blocks", "Massage blocks"
        BOLSTER = "bolster", "Bolster or firm cushion"
        FISTS = "fists", "Fists"
        THUMBS = "thumbs", "Thumbs"
        FINGERTIPS = "fingertips", "Fingertips"

    HAND_TOOLS = frozenset({Tool.FISTS, Tool.THUMBS, Tool.FINGERTIPS})

    class Position(models.TextChoices):
        LYING_BACK = "lying-back", "Lying on your back"
        LYING_SIDE = "lying-side", "Lying on your side"
        LYING_FRONT = "lying-front", "Lying face down"
        WALL = "wall", "Leaning on a wall"
        SEATED = "seated", "Seated"
        STANDING = "standing", "Standing"

    FLOOR_POSITIONS = frozenset({Position.LYING_BACK, Position.LYING_SIDE, Position.LYING_FRONT})

    class Method(models.TextChoices):
        PRESSURE = "pressure", "Sustained pressure"
        ROLLING = "rolling", "Slow rolling"
        CIRCLES = "circles", "Small circles"
        STROKES = "strokes", "Sliding strokes"
        PRESS_RELEASE = "press-release", "Press and release"
        MOBILISATION = "mobilisation", "Gentle mobilisation"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    summary = models.CharField(max_length=200, help_text="One line: what you do.")
    trigger_points = models.ManyToManyField(TriggerPoint, related_name="techniques")
    tool = models.CharField(max_length=14, choices=Tool)
    position = models.CharField(max_length=11, choices=Position)
    method = models.CharField(max_length=13, choices=Method)
    hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="Length of one hold, when the technique holds.",
    )
    repetitions = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    strokes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    minutes_per_side = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("5"))],
    )
    per_side = models.BooleanField(default=True, help_text="Done on one side, then the other.")
    times_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    pressure = models.TextField("pressure guidance")
    cautions = models.TextField(blank=True)
    discreet = models.BooleanField(default=False, help_text="Can be done unnoticed in public.")
    order = models.PositiveSmallIntegerField(default=0)
    sources = models.ManyToManyField(Source, related_name="techniques")

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": 0}),
                    name=f"technique_{field}_positive",
                )
                for field in DOSE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=False)
                | Q(strokes__isnull=False)
                | Q(minutes_per_side__isnull=False),
                name="technique_has_a_dose",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:technique_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def zone_map(self) -> dict[str, str]:
        """Zones of all the points it treats; where two share a region, essential wins."""
        zones: dict[str, str] = {}
        for point in self.trigger_points.all():
            for region, kind in point.zone_map().items():
                if zones.get(region) != ReferralZone.Kind.ESSENTIAL:
                    zones[region] = kind
        return zones

    def point_regions(self) -> list[str]:
        """Where the points it treats lie, for the body map's markers."""
        return sorted({point.region.slug for point in self.trigger_points.all()})

    @property
    def on_floor(self) -> bool:
        return self.position in self.FLOOR_POSITIONS

    @property
    def hands_only(self) -> bool:
        return self.tool in self.HAND_TOOLS

    def dosage_parts(self) -> list[str]:
        """The dose as short phrases, e.g. ['Hold 10 s', '3 times', 'each side']."""
        parts = []
        if self.minutes_per_side is not None:
            minutes = f"{self.minutes_per_side.normalize():f}"
            parts.append(f"{minutes} min" + (" per side" if self.per_side else ""))
        if self.hold_seconds is not None:
            parts.append(f"hold {self.hold_seconds} s")
        if self.repetitions is not None:
            parts.append("once" if self.repetitions == 1 else f"{self.repetitions} times")
        if self.strokes is not None:
            parts.append(f"{self.strokes} strokes")
        if self.per_side and self.minutes_per_side is None:
            parts.append("each side")
        if self.times_per_day is not None:
            parts.append(f"up to {self.times_per_day}× a day")
        return parts

    @property
    def dosage(self) -> str:
        text = ", ".join(self.dosage_parts())
        return text[:1].upper() + text[1:]


class StepManager(models.Manager["TechniqueStep"]):
    def get_by_natural_key(self, technique: str, number: int) -> "TechniqueStep":
        return self.get(technique__slug=technique, number=number)


class TechniqueStep(models.Model):
    technique = models.ForeignKey(Technique, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    objects = StepManager()

    class Meta:
        ordering = ["technique", "number"]
        constraints = [
            models.UniqueConstraint(fields=["technique", "number"], name="one_step_per_number"),
            models.CheckConstraint(condition=Q(number__gt=0), name="step_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.technique.name}, step {self.number}"

    def get_absolute_url(self) -> str:
        return self.technique.get_absolute_url()

    def natural_key(self) -> tuple[str, int]:
        return (self.technique.slug, self.number)

    natural_key.dependencies = ["catalog.technique"]  # type: ignore[attr-defined]


class Routine(models.Model):
    """A ready-made sequence of techniques, run step by step by the session timer."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    summary = models.CharField(max_length=200)
    description = models.TextField()
    times_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(default=0)
    sources = models.ManyToManyField(Source, related_name="routines")

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:routine_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def total_seconds(self) -> int:
        """Work and rest of every step, counting both sides where needed (prefetched steps)."""
        return sum(step.total_seconds() for step in self.steps.all())

    def total_minutes(self) -> int:
        return max(1, round(self.total_seconds() / 60))

    def per_day_note(self) -> str:
        return f"up to {self.times_per_day} times a day" if self.times_per_day else ""


class RoutineStepManager(models.Manager["RoutineStep"]):
    def get_by_natural_key(self, routine: str, number: int) -> "RoutineStep":
        return self.get(routine__slug=routine, number=number)


class RoutineStep(models.Model):
    """One technique in a routine: either a timed stretch of work or holds x repetitions."""

    class Side(models.TextChoices):
        LEFT = "left", "Left side"
        RIGHT = "right", "Right side"
        BOTH = "both", "Both sides"

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    technique = models.ForeignKey(Technique, on_delete=models.PROTECT, related_name="routine_steps")
    side = models.CharField(max_length=5, choices=Side, default=Side.BOTH)
    duration_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(600)],
        help_text="Time on one side. Leave empty when the step counts holds instead.",
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    repetitions = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    rest_seconds = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(300)], help_text="Pause after this step."
    )
    note = models.CharField(max_length=200, blank=True)

    objects = RoutineStepManager()

    class Meta:
        ordering = ["routine", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["routine", "number"], name="one_routine_step_per_number"
            ),
            models.CheckConstraint(
                condition=(
                    # Explicit NOT NULLs: comparing NULL is unknown, and a CHECK lets that pass.
                    Q(duration_seconds__isnull=False, duration_seconds__gt=0)
                    & Q(hold_seconds__isnull=True, repetitions__isnull=True)
                )
                | (
                    Q(duration_seconds__isnull=True)
                    & Q(hold_seconds__isnull=False, hold_seconds__gt=0)
                    & Q(repetitions__isnull=False, repetitions__gt=0)
                ),
                name="routine_step_duration_or_holds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.routine.name}, step {self.number}: {self.technique.name}"

    def get_absolute_url(self) -> str:
        return self.routine.get_absolute_url() + f"#step-{self.number}"

    def natural_key(self) -> tuple[str, int]:
        return (self.routine.slug, self.number)

    natural_key.dependencies = ["catalog.routine", "catalog.technique"]  # type: ignore[attr-defined]

    def muscles(self) -> list["Muscle"]:
        """The muscles this step works, in catalogue order (uses prefetched points)."""
        found = {point.muscle.pk: point.muscle for point in self.technique.trigger_points.all()}
        return sorted(found.values(), key=lambda muscle: (muscle.area, muscle.order))

    @property
    def passes(self) -> int:
        """Two passes when a one-sided technique is done on both sides."""
        return 2 if self.side == self.Side.BOTH and self.technique.per_side else 1

    def work_seconds(self) -> int:
        """Time on one side."""
        if self.duration_seconds is not None:
            return self.duration_seconds
        return (self.hold_seconds or 0) * (self.repetitions or 0)

    def total_seconds(self) -> int:
        return self.work_seconds() * self.passes + self.rest_seconds

    @property
    def dose(self) -> str:
        if self.duration_seconds is not None:
            seconds = self.duration_seconds
            amount = f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")
            amount = amount if seconds >= 60 else f"{seconds} s"
        else:
            amount = f"{self.repetitions} × {self.hold_seconds} s holds"
        if self.passes == 2:
            return f"{amount} on each side"
        if self.side == self.Side.BOTH:
            return f"{amount}, both sides at once"
        return f"{amount}, {self.get_side_display().lower()}"


class RedFlag(models.Model):
    """A safety question asked before any suggestion (domain reference sections 6 and 7)."""

    class Level(models.TextChoices):
        EMERGENCY = "emergency", "Emergency: call now"
        URGENT = "urgent", "Urgent: see a doctor first"
        SOON = "soon", "See a doctor soon"
        CONTRAINDICATION = "contraindication", "Limits self-treatment"

    slug = models.SlugField(unique=True)
    question = models.CharField(max_length=240, help_text="A yes/no question in plain words.")
    level = models.CharField(max_length=16, choices=Level)
    advice = models.TextField(help_text="What to do when the answer is yes.")
    excludes_area = models.CharField(
        max_length=12,
        choices=Muscle.Area,
        blank=True,
        help_text="Contraindications: techniques for muscles in this area are left out.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    sources = models.ManyToManyField(Source, related_name="red_flags")

    objects = SlugManager()

    class Meta:
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excludes_area="") | Q(level="contraindication"),
                name="only_contraindications_exclude_areas",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("pages:safety") + f"#{self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def stops_self_treatment(self) -> bool:
        return self.level in (self.Level.EMERGENCY, self.Level.URGENT)


class CatalogueVersion(models.Model):
    """A single row whose token changes whenever catalogue content does.

    Cached pages and data built from the catalogue are keyed on this token (see
    backtp/catalog/caching.py), so an edit in the admin or a fixture reload is seen
    at once by every process, whatever cache they share. A random token rather than
    a counter: restoring an older database can never bring back an old key.
    """

    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"catalogue version {self.token}"
