from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide pieces every app may use: middleware, htmx helpers, the outage 503."""

    name = "backtp.core"
    verbose_name = "Core"
