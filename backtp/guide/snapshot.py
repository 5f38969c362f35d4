"""Build the engine's plain-data Catalogue from the database, in a fixed number of queries."""

from functools import lru_cache

from django.db.models import Prefetch

from backtp.catalog import caching
from backtp.catalog.models import (
    AggravatingActivity,
    BodyRegion,
    Muscle,
    RedFlag,
    ReferralZone,
    Technique,
    TriggerPoint,
)
from backtp.guide import engine


def build_catalogue() -> engine.Catalogue:
    regions = {
        region.slug: engine.Region(
            region.slug, region.name, region.mirror_slug, region.side, region.group
        )
        for region in BodyRegion.objects.all()
    }
    zones = ReferralZone.objects.select_related("region").order_by("kind", "region__order")
    points = (
        TriggerPoint.objects.select_related("muscle", "region")
        .prefetch_related(
            Prefetch("zones", queryset=zones),
            Prefetch("techniques", queryset=Technique.objects.only("slug", "order", "name")),
            "muscle__aggravating_activities",
        )
        .order_by("muscle__area", "muscle__order", "order", "slug")
    )
    point_data = tuple(
        engine.Point(
            slug=point.slug,
            name=point.name,
            muscle=point.muscle.slug,
            muscle_name=point.muscle.name,
            muscle_area=point.muscle.area,
            region=point.region.slug,
            zones=tuple(engine.Zone(z.region.slug, z.kind) for z in point.zones.all()),
            activities=frozenset(a.slug for a in point.muscle.aggravating_activities.all()),
            techniques=tuple(t.slug for t in point.techniques.all()),
            professional_only=point.muscle.professional_only,
            order=position,
            prior=point.prior,
            prior_label=point.get_prior_display(),
            prior_basis=point.prior_basis,
        )
        for position, point in enumerate(points)
    )
    worked = TriggerPoint.objects.select_related("muscle").only("muscle__area")
    techniques = {
        technique.slug: engine.Technique(
            slug=technique.slug,
            name=technique.name,
            tool=technique.tool,
            position=technique.position,
            discreet=technique.discreet,
            areas=frozenset(point.muscle.area for point in technique.trigger_points.all()),
        )
        for technique in Technique.objects.prefetch_related(
            Prefetch("trigger_points", queryset=worked)
        )
    }
    contraindications = {
        flag.slug: engine.Contraindication(flag.slug, flag.question, flag.excludes_area)
        for flag in RedFlag.objects.filter(level=RedFlag.Level.CONTRAINDICATION)
    }
    return engine.Catalogue(
        regions=regions,
        points=point_data,
        techniques=techniques,
        activity_names=dict(AggravatingActivity.objects.values_list("slug", "name")),
        contraindications=contraindications,
        area_names=dict(Muscle.Area.choices),
    )


def current_catalogue() -> engine.Catalogue:
    """The snapshot for the catalogue as it is now, built once per catalogue version
    in each process (it is plain, immutable data, kept as it is: no pickling)."""
    return _catalogue_of(caching.version())


@lru_cache(maxsize=1)
def _catalogue_of(version: str) -> engine.Catalogue:
    return build_catalogue()
