from django.contrib import admin

from enrichment.models import BadRow


@admin.register(BadRow)
class BadRowAdmin(admin.ModelAdmin):
    list_display = ("type", "app_id", "first_seen", "status", "failure_signature")
    list_filter = ("type", "status")
    search_fields = ("app_id", "failure_signature")
    readonly_fields = ("type", "processor", "failure_signature", "app_id", "first_seen", "last_seen", "data")
    exclude = ("payload",)

    def has_add_permission(self, request) -> bool:
        return False  # bad rows come from the pipeline, never from a form

# Enrichment configurations (issue 6) register their admin in their own module.
import enrichment.configuration_admin  # noqa: E402, F401
