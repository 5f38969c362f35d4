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

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from backtp.catalog import bodymap, illustrations


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
        # The kinds' values sort strongest first (book: the clinical references, then
        # guideline, literature, seed), so every list of sources cites the strongest first.
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
        RARE = 0, "A rare cause"

    class View(models.TextChoices):
        BACK = "back", "Back"
        FRONT = "front", "Front"

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
    view = models.CharField(
        "figure view",
        max_length=5,
        choices=View,
        default=View.BACK,
        help_text="The view of the body figure the point is drawn on: the view of its region.",
    )
    x = models.FloatField(
        "across",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text="Where the point lies on the right side, in the view's own units: 0 to 200 "
        "from the viewer's left, midline 100. The person's right is on the viewer's right "
        "from the back (x over 100) and on the viewer's left from the front (x under 100).",
    )
    y = models.FloatField(
        "down",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(488)],
        help_text="0 at the top of the figure, 488 at the soles: lowest rib about 172-177, "
        "top of the hip bone about 208, sacrum 222-250, knee about 360.",
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

    def clean(self) -> None:
        """A position is both numbers, on its region's view and inside its region's shape."""
        super().clean()
        if (self.x is None) != (self.y is None):
            raise ValidationError("Give the position across and down, or neither.")
        if self.x is None or self.y is None or self.region_id is None:
            return
        shape = bodymap.SHAPES.get(self.region.slug)
        if shape is None:
            return
        if self.view != shape.view:
            raise ValidationError(
                {"view": f"{self.region.name} is drawn on the {shape.view} view."}
            )
        if bodymap.region_at(self.view, self.x, self.y) != self.region.slug:
            raise ValidationError(
                f"The position ({self.x:g}, {self.y:g}) is outside {self.region.name.lower()} "
                "on the figure (right side)."
            )

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
        """Sources of the point, of its zones and of its prior, once each (uses prefetched
        sources)."""
        found = {source.pk: source for source in self.sources_with_prior()}
        for zone in self.zones.all():
            found.update((source.pk, source) for source in zone.sources.all())
        return sorted(found.values(), key=lambda source: (source.kind, source.key))

    def sources_with_prior(self) -> list["Source"]:
        """The point's own sources and those of its prior, once each (prefetched)."""
        found = {source.pk: source for source in self.sources.all()}
        found.update((source.pk, source) for source in self.prior_sources.all())
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


# Doses kept as ranges: each is a pair of fields, `<dose>_min` and `<dose>_max`.
DOSE_RANGES = ("hold_seconds", "repetitions", "strokes", "minutes_per_side", "times_per_day")
DOSE_FIELDS = tuple(f"{dose}_{end}" for dose in DOSE_RANGES for end in ("min", "max"))
SECONDS_PER_STROKE = 3  # a slow stroke, for timing a step counted in strokes


def range_check(model: str, dose: str) -> models.CheckConstraint:
    """`<dose>_min` and `<dose>_max` both empty, or both above zero with min <= max."""
    return models.CheckConstraint(
        # Explicit NOT NULLs: comparing NULL is unknown, and a CHECK lets that pass.
        condition=Q(**{f"{dose}_min__isnull": True, f"{dose}_max__isnull": True})
        | Q(
            **{
                f"{dose}_min__isnull": False,
                f"{dose}_max__isnull": False,
                f"{dose}_min__gt": 0,
                f"{dose}_max__gte": F(f"{dose}_min"),
            }
        ),
        name=f"{model}_{dose}_range",
        violation_error_message=(
            f"Give both ends of the {dose.replace('_', ' ')} range, above zero, the lower one "
            "first (the same number twice for a single value)."
        ),
    )


def span(low: int | Decimal, high: int | Decimal) -> str:
    """A range as a dose reads: '3' when both ends agree, '3–4' (an en dash) otherwise."""

    def number(value: int | Decimal) -> str:
        return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)

    return number(low) if low == high else f"{number(low)}–{number(high)}"


def zones_together(points: Iterable[TriggerPoint]) -> dict[str, str]:
    """Region slug -> zone kind for several points drawn on one figure (a technique's, a
    muscle's): where two share a region, essential wins (uses prefetched zones)."""
    zones: dict[str, str] = {}
    for point in points:
        for region, kind in point.zone_map().items():
            if zones.get(region) != ReferralZone.Kind.ESSENTIAL:
                zones[region] = kind
    return zones


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

    Spot = illustrations.Spot
    Movement = illustrations.Movement

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
    spot = models.CharField(
        "where the tool goes",
        max_length=20,
        choices=illustrations.Spot,
        help_text="Places the tool on the illustration and names the place in its text; "
        "each position reaches only some spots.",
    )
    movement = models.CharField(
        max_length=14,
        choices=illustrations.Movement,
        default=illustrations.Movement.NONE,
        help_text="The arrow on the illustration, and its words.",
    )
    # Each dose is a range, as the sources give it ("1-2 min per side", "6-12 strokes"):
    # both ends empty, or both set with the lower end first (equal for a single number).
    hold_seconds_min = models.PositiveSmallIntegerField(
        "shortest hold (s)",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="Length of one hold, when the technique holds.",
    )
    hold_seconds_max = models.PositiveSmallIntegerField(
        "longest hold (s)",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    repetitions_min = models.PositiveSmallIntegerField(
        "fewest repetitions",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    repetitions_max = models.PositiveSmallIntegerField(
        "most repetitions",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    strokes_min = models.PositiveSmallIntegerField(
        "fewest strokes",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    strokes_max = models.PositiveSmallIntegerField(
        "most strokes",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    minutes_per_side_min = models.DecimalField(
        "fewest minutes per side",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("5"))],
    )
    minutes_per_side_max = models.DecimalField(
        "most minutes per side",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("5"))],
    )
    per_side = models.BooleanField(default=True, help_text="Done on one side, then the other.")
    times_per_day_min = models.PositiveSmallIntegerField(
        "fewest times a day",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    times_per_day_max = models.PositiveSmallIntegerField(
        "most times a day",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
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
            *(range_check("technique", dose) for dose in DOSE_RANGES),
            models.CheckConstraint(
                condition=Q(hold_seconds_min__isnull=False)
                | Q(strokes_min__isnull=False)
                | Q(minutes_per_side_min__isnull=False),
                name="technique_has_a_dose",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:technique_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        """The tool goes to a spot the position can reach (the illustration draws it there)."""
        super().clean()
        reachable = illustrations.POSITION_SPOTS.get(self.position)
        if reachable is None or not self.spot:
            return
        if self.spot not in reachable:
            raise ValidationError(
                {
                    "spot": f"{self.get_position_display()} cannot reach "
                    f"{illustrations.SPOT_WORDS[illustrations.Spot(self.spot)]}; choose one of: "
                    + "; ".join(str(spot.label).lower() for spot in reachable)
                    + "."
                }
            )

    def zone_map(self) -> dict[str, str]:
        """Zones of all the points it treats (see zones_together)."""
        return zones_together(self.trigger_points.all())

    def point_regions(self) -> list[str]:
        """Where the points it treats lie, for the body map's markers."""
        return sorted({point.region.slug for point in self.trigger_points.all()})

    @property
    def on_floor(self) -> bool:
        return self.position in self.FLOOR_POSITIONS

    @property
    def hands_only(self) -> bool:
        return self.tool in self.HAND_TOOLS

    def dose_range(self, dose: str) -> tuple[Any, Any] | None:
        """(lowest, highest) of one of DOSE_RANGES, or None when the technique has no such dose."""
        low, high = getattr(self, f"{dose}_min"), getattr(self, f"{dose}_max")
        return None if low is None or high is None else (low, high)

    def hold_seconds_range(self) -> tuple[int, int]:
        """Seconds one hold may last; any hold the catalogue allows when the source gives none."""
        return self.dose_range("hold_seconds") or (5, 120)

    def repetitions_range(self) -> tuple[int, int]:
        return self.dose_range("repetitions") or (1, 10)

    def work_seconds_range(self) -> tuple[int, int]:
        """Seconds a timed step may work one side: the minutes per side, else time for the
        strokes, else the holds back to back."""
        if minutes := self.dose_range("minutes_per_side"):
            return int(minutes[0] * 60), int(minutes[1] * 60)
        if strokes := self.dose_range("strokes"):
            low, high = (max(30, n * SECONDS_PER_STROKE) for n in strokes)
            return low, high
        holds, times = self.hold_seconds_range(), self.repetitions_range()
        return holds[0] * times[0], holds[1] * times[1]

    def out_of_range(
        self,
        *,
        duration_seconds: int | None = None,
        hold_seconds: int | None = None,
        repetitions: int | None = None,
    ) -> dict[str, str]:
        """The step values given that lie outside this technique's dose, with what to choose."""
        limits = {
            "duration_seconds": (duration_seconds, self.work_seconds_range(), "seconds per side"),
            "hold_seconds": (hold_seconds, self.hold_seconds_range(), "seconds per hold"),
            "repetitions": (repetitions, self.repetitions_range(), "holds"),
        }
        return {
            field: (f"Keep {low}" if low == high else f"Choose {low} to {high}")
            + f" {unit} for {self.name} (dose: {self.dosage.lower()})."
            for field, (value, (low, high), unit) in limits.items()
            if value is not None and not low <= value <= high
        }

    def dosage_parts(self) -> list[str]:
        """The dose as short phrases, e.g. ['Hold 10 s', '3–4 times', 'each side']."""
        parts = []
        if minutes := self.dose_range("minutes_per_side"):
            amount = (
                f"{span(*(int(m * 60) for m in minutes))} s"  # "30–60 s" reads better than 0.5–1
                if minutes[0] < 1
                else f"{span(*minutes)} min"
            )
            parts.append(amount + (" per side" if self.per_side else ""))
        if holds := self.dose_range("hold_seconds"):
            parts.append(f"hold {span(*holds)} s")
        if times := self.dose_range("repetitions"):
            parts.append("once" if times == (1, 1) else f"{span(*times)} times")
        if strokes := self.dose_range("strokes"):
            parts.append(f"{span(*strokes)} strokes")
        if self.per_side and minutes is None:
            parts.append("each side")
        if per_day := self.dose_range("times_per_day"):
            parts.append("once a day" if per_day == (1, 1) else f"{span(*per_day)} times a day")
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
    times_per_day_min = models.PositiveSmallIntegerField(
        "fewest times a day",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    times_per_day_max = models.PositiveSmallIntegerField(
        "most times a day",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    order = models.PositiveSmallIntegerField(default=0)
    sources = models.ManyToManyField(Source, related_name="routines")

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [range_check("routine", "times_per_day")]

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
        """'5–7 times a day' as its source gives it, or nothing."""
        low, high = self.times_per_day_min, self.times_per_day_max
        if low is None or high is None:
            return ""
        return "once a day" if (low, high) == (1, 1) else f"{span(low, high)} times a day"


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

    def clean(self) -> None:
        """A routine keeps concrete values, each inside its technique's range."""
        super().clean()
        if self.technique_id is not None:
            problems = self.technique.out_of_range(
                duration_seconds=self.duration_seconds,
                hold_seconds=self.hold_seconds,
                repetitions=self.repetitions,
            )
            if problems:
                raise ValidationError(problems)

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
            amount = (
                f"one {self.hold_seconds} s hold"
                if self.repetitions == 1
                else f"{self.repetitions} × {self.hold_seconds} s holds"
            )
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
