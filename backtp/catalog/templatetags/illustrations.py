"""{% technique_figure %}: a technique's illustration, drawn from its fields (no queries).

Usage: {% load illustrations %}{% technique_figure technique size="card" id_prefix="t3-" %}
and {{ technique|figure_alt }} for the text alternative alone. Sizes: "card" (small),
"page" (medium), "timer" (large): a CSS class; the SVG is the same.

As with the body map, the first illustration of a render carries the poses, tools and
insets in its <defs>, and the ones after it place those with <use>; the ids already
drawn are kept in the render's root state, which includes share.
"""

from functools import lru_cache

from django import template
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from backtp.catalog.illustrations import describe, render_context
from backtp.catalog.models import Technique

register = template.Library()

_DRAWN = "backtp.illustrations.drawn"
SIZES = ("card", "page", "timer")


@register.simple_tag(takes_context=True)
def technique_figure(
    context: Context, technique: Technique, size: str = "page", id_prefix: str = "", label: str = ""
) -> SafeString:
    """The technique's illustration; give each one on a page its own `id_prefix`."""
    state = context.render_context.dicts[0]
    drawn: frozenset[str] = state.get(_DRAWN, frozenset())  # type: ignore[assignment]
    html, new = _render(
        technique.position,
        technique.tool,
        technique.spot,
        technique.movement,
        bool(technique.per_side),
        size if size in SIZES else "page",
        str(id_prefix or ""),
        drawn,
        str(label or ""),
    )
    state[_DRAWN] = drawn | new  # type: ignore[assignment]  # stubs say str values; any object fits
    return html


@lru_cache(maxsize=1024)
def _render(
    position: str,
    tool: str,
    spot: str,
    movement: str,
    per_side: bool,
    size: str,
    id_prefix: str,
    drawn: frozenset[str],
    label: str,
) -> tuple[SafeString, frozenset[str]]:
    context = render_context(
        position=position,
        tool=tool,
        spot=spot,
        movement=movement,
        per_side=per_side,
        id_prefix=id_prefix,
        drawn=drawn,
        label=label,
    )
    context["size"] = size
    html = get_template("catalog/_illustration.html").render(context)
    return mark_safe(html), frozenset(context["new_defs"])  # noqa: S308


@register.filter
def figure_alt(technique: Technique) -> str:
    """The illustration in words: position, tool and where it goes, and the movement."""
    return describe(
        technique.position,
        technique.tool,
        technique.spot,
        technique.movement,
        bool(technique.per_side),
    )
