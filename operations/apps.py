"""Operations: pipeline health, alerts, bad-row recovery, backups and configuration as code."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Celery workers report liveness through their heartbeat; connecting here reaches every worker process.
        from operations import workers

        workers.heartbeat_connect()
