"""{% cite "key" ... %}: a short citation linking to the sources page.

Views that use it put `sources_by_key` (key -> Source) in the context, fetched once.
The sources are listed strongest kind first (clinical reference, guideline, study,
practitioner article), as everywhere else, whatever order the template names them in.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def cite(context: template.Context, *keys: str) -> str:
    sources = context["sources_by_key"]
    missing = [key for key in keys if key not in sources]
    if missing:
        raise template.TemplateSyntaxError(f"cite: unknown source {missing}")
    # Stable: within a kind, the template's order. Kinds sort strongest first by value, as
    # Source's own ordering relies on (models.py).
    cited = sorted((sources[key] for key in keys), key=lambda source: source.kind)
    links = format_html_join(
        "; ", '<a href="{}">{}</a>', ((source.get_absolute_url(), source.label) for source in cited)
    )
    return format_html('<span class="cite">({})</span>', links)
