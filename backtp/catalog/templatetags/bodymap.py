"""{% body_map %}: the body map partial, drawn from backtp.catalog.bodymap (no queries)."""

from collections.abc import Iterable, Mapping

from django import template

from backtp.catalog.bodymap import render_context

register = template.Library()


@register.inclusion_tag("catalog/_bodymap.html")
def body_map(
    zones: Mapping[str, str] | None = None,
    marked: Iterable[str] | None = None,
    marker: str | Iterable[str] | None = None,
    id_prefix: str = "",
    label: str = "",
    interactive: bool = False,
    legend: bool = True,
) -> dict:
    """Usage: {% body_map zones=zones marker="right-flank" id_prefix="tp1-" label="..." %}."""
    return render_context(
        zones=zones,
        marked=marked or (),
        marker=marker or None,
        id_prefix=id_prefix or "",
        label=label or "",
        interactive=bool(interactive),
        legend=bool(legend),
    )
