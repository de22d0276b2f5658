"""The webhooks app: vendor adapters, their admin configuration and signature checks."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebhooksConfig(AppConfig):
    name = "webhooks"

    def ready(self) -> None:
        # Like contenttypes: after migrating, every registered adapter has its admin row.
        post_migrate.connect(_sync_endpoints, sender=self)


def _sync_endpoints(**kwargs) -> None:
    from webhooks.endpoints import endpoints_sync

    endpoints_sync(using=kwargs.get("using", "default"))
