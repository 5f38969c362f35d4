from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backtp.accounts"
    verbose_name = "Accounts"
