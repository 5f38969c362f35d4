"""{% cite "key" ... %}: a short citation linking to the sources page.

Views that use it put `sources_by_key` (key -> Source) in the context, fetched once.
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
    links = format_html_join(
        "; ",
        '<a href="{}">{}</a>',
        ((sources[key].get_absolute_url(), sources[key].label) for key in keys),
    )
    return format_html('<span class="cite">({})</span>', links)
