"""{% body_map %}: the body map partial, drawn from backtp.catalog.bodymap (no queries).

A map is a pure function of its arguments (the geometry is code, not data), so each
distinct map is rendered once per process and reused: a results page or a muscle
page draws several, and they repeat across pages and visitors.

The first map of a render (a page, or the htmx fragment that replaces one) carries
the shapes every map shares; the ones after it refer to them. Likewise the first map
that shows a muscle defines its drawing and later maps refer to it. Includes share
the render's root state, so a map inside an {% include %} counts too.
"""

from collections.abc import Iterable, Mapping
from functools import lru_cache

from django import template
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from backtp.catalog.bodymap import Marker, muscle_drawings, region_at, render_context
from backtp.catalog.models import TriggerPoint

register = template.Library()


_SHAPES_DRAWN = "backtp.bodymap.shapes_drawn"
_MUSCLES_DRAWN = "backtp.bodymap.muscles_drawn"


@register.simple_tag(takes_context=True)
def body_map(
    context: Context,
    zones: Mapping[str, str] | None = None,
    marked: Iterable[str] | None = None,
    marker: str | Marker | Iterable[str | Marker] | None = None,
    id_prefix: str = "",
    label: str = "",
    interactive: bool = False,
    legend: bool = True,
    muscles: str | Iterable[str] | None = None,
    close_up: bool = False,
) -> SafeString:
    """Usage: {% body_map zones=zones marker=point|point_markers id_prefix="tp1-" label="..." %}.

    `marker`: Markers (see the filters below), or region slugs for a dot at a region's centre;
    each Marker's muscle is drawn under it. `muscles`: muscle slugs to draw on both sides
    without points. `close_up`: only the part of the figure around the points and their
    muscle, enlarged.
    """
    markers = (marker,) if isinstance(marker, str | Marker) else tuple(marker or ())
    muscle_slugs = (muscles,) if isinstance(muscles, str) else tuple(muscles or ())
    # The render's first dict lives as long as the whole render, includes too (Django's
    # own {% include %} caches its templates there).
    state = context.render_context.dicts[0]
    with_shapes = _SHAPES_DRAWN not in state
    state[_SHAPES_DRAWN] = True  # type: ignore[assignment]  # stubs say str values; any object fits
    defined: set[str] = state.setdefault(_MUSCLES_DRAWN, set())  # type: ignore[assignment,arg-type]
    new = tuple(d.id for d in muscle_drawings(list(markers), muscle_slugs) if d.id not in defined)
    defined.update(new)
    return _render(
        tuple(sorted((zones or {}).items())),
        tuple(sorted(marked or ())),
        markers,
        muscle_slugs,
        id_prefix or "",
        str(label or ""),
        bool(interactive),
        bool(legend),
        with_shapes,
        new,
        bool(close_up),
    )


@lru_cache(maxsize=1024)
def _render(
    zones: tuple[tuple[str, str], ...],
    marked: tuple[str, ...],
    markers: tuple[str | Marker, ...],
    muscles: tuple[str, ...],
    id_prefix: str,
    label: str,
    interactive: bool,
    legend: bool,
    with_shapes: bool,
    define_muscles: tuple[str, ...],
    close_up: bool,
) -> SafeString:
    context = render_context(
        zones=dict(zones),
        marked=marked,
        marker=list(markers) or None,
        muscles=muscles,
        id_prefix=id_prefix,
        label=label,
        interactive=interactive,
        legend=legend,
        with_shapes=with_shapes,
        define_muscles=define_muscles,
        close_up=close_up,
    )
    return mark_safe(get_template("catalog/_bodymap.html").render(context))  # noqa: S308


def _marker(point: TriggerPoint, side: str, number: int = 0) -> Marker:
    # Every page loads its points with their muscle (through muscle.trigger_points or
    # select_related), so its slug costs no query.
    muscle = point.muscle.slug
    if point.x is None or point.y is None:
        return Marker(
            region=point.region.slug, side=side, number=number, name=point.name, muscle=muscle
        )
    # The region is read off the figure (the admin keeps a position inside its region),
    # so a page that did not load the points' regions makes no query for them.
    region = region_at(point.view, point.x, point.y) or point.region.slug
    return Marker(
        region=region,
        view=point.view,
        x=point.x,
        y=point.y,
        side=side,
        number=number,
        name=point.name,
        muscle=muscle,
    )


@register.filter
def point_markers(point: TriggerPoint, side: str = "right") -> list[Marker]:
    """One trigger point at its own position: {{ point|point_markers:"both" }} draws it
    on the right, the left ("left": the mirror image) or both sides."""
    sides = ("right", "left") if side == "both" else (side or "right",)
    return [_marker(point, s) for s in sides]


@register.filter
def numbered_markers(points: Iterable[TriggerPoint]) -> list[Marker]:
    """Several trigger points, numbered 1, 2, ... in the order given (the list beside
    the map numbers them the same way); a single point gets no number."""
    points = list(points)
    if len(points) == 1:
        return [_marker(points[0], "right")]
    return [_marker(point, "right", number) for number, point in enumerate(points, 1)]
