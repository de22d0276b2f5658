"""Admin for goals: defined per site; the next model run counts their conversions over all history."""

from django.contrib import admin

from warehouse.modeling.models import Goal


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("name", "site", "kind", "page_pattern", "se_category", "se_action", "event_name", "is_active")
    list_filter = ("site", "kind", "is_active")
    search_fields = ("name", "page_pattern", "se_action", "event_name")
    fieldsets = (
        (None, {"fields": ("site", "name", "kind", "is_active")}),
        ("Page", {"fields": ("page_pattern",)}),
        ("Structured event", {"fields": ("se_category", "se_action")}),
        ("Self-describing event", {"fields": ("event_vendor", "event_name")}),
        ("Property value (events only)", {"fields": ("property_name", "property_value")}),
    )
