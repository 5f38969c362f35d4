from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "backtp.guide"
    verbose_name = "Where does it hurt?"
