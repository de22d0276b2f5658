from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy and access"
    default_auto_field = "django.db.models.BigAutoField"
