from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "backtp.pages"
