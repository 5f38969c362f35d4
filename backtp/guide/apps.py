from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "backtp.guide"
    verbose_name = "Where does it hurt?"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from backtp.guide.models import Assessment

        post_delete.connect(_forget_owners_results, sender=Assessment, dispatch_uid="results-gone")


def _forget_owners_results(instance: object, **kwargs: object) -> None:
    """The owner's cached results page is keyed on their journal version (guide/views.py):
    move it on, so a deleted assessment's page is never served again."""
    from backtp.accounts.models import User

    if instance.user_id:
        User(pk=instance.user_id).journal_changed()
