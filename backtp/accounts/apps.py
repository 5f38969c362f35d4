from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backtp.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from backtp.accounts import people
        from backtp.accounts.models import User

        # Any change to a person's row makes the copies kept beside their sessions stale.
        post_save.connect(_person_changed, sender=User, dispatch_uid="person-saved")
        post_delete.connect(_person_changed, sender=User, dispatch_uid="person-deleted")
        request_started.connect(people.forget, dispatch_uid="person-copy-start")
        request_finished.connect(people.forget, dispatch_uid="person-copy-end")


def _person_changed(instance: object, **kwargs: object) -> None:
    from backtp.accounts import people

    people.changed(instance.pk)
