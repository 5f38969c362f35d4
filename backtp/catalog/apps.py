from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "backtp.catalog"
    verbose_name = "Trigger-point catalogue"
