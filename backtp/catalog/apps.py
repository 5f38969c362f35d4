from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CatalogConfig(AppConfig):
    name = "backtp.catalog"
    verbose_name = "Trigger-point catalogue"

    def ready(self) -> None:
        from backtp.catalog.caching import changed
        from backtp.catalog.models import CatalogueVersion

        for model in self.get_models():
            if model is CatalogueVersion:
                continue
            post_save.connect(changed, sender=model, dispatch_uid=f"catalogue-{model.__name__}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"catalogue-d-{model.__name__}")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    changed, sender=field.remote_field.through, dispatch_uid=f"catalogue-m-{field}"
                )
