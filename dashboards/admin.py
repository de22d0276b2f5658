from django.contrib import admin

from dashboards.models import Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "timezone", "app_ids")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
