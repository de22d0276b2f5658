from django.apps import AppConfig


class IgluConfig(AppConfig):
    name = "iglu"
