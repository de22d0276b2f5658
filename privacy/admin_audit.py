"""Audit every change made through the admin: each registered ModelAdmin is swapped for a subclass whose
save/delete calls `audit_record` explicitly (no signals), so users, groups, sites, roles, tokens, enrichments,
schemas and webhooks are all covered without editing the apps that own them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from privacy.audit import audit_record, changed_only, snapshot

PERMISSION_MODELS = frozenset({"auth.user", "auth.group", "dashboards.sitemembership", "dashboards.apitoken",
                               "dashboards.sharelink"})


def action_name(instance: models.Model, verb: str) -> str:
    """`permission.change` for who-may-do-what models, else `config.change` (and .create / .delete)."""
    family = "permission" if instance._meta.label_lower in PERMISSION_MODELS else "config"
    return f"{family}.{verb}"


def site_of(instance: models.Model) -> Any:
    from dashboards.models import Site

    if isinstance(instance, Site):
        return instance
    return getattr(instance, "site", None) if isinstance(getattr(instance, "site", None), Site) else None


def _stored(instance: models.Model) -> models.Model | None:
    if instance.pk is None:
        return None
    return type(instance)._default_manager.filter(pk=instance.pk).first()


def audit_save(request: HttpRequest, instance: models.Model, before: dict | None) -> None:
    after = snapshot(instance)
    if before is None:
        audit_record(request.user, action_name(instance, "create"), instance, site=site_of(instance), after=after)
        return
    before, after = changed_only(before, after)
    if after:
        audit_record(request.user, action_name(instance, "change"), instance, site=site_of(instance),
                     before=before, after=after)


class AuditedAdminMixin:
    """Records create/change/delete of the object and of its inline objects (roles are inlines of Site)."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        before = snapshot(_stored(obj)) if change else None
        super().save_model(request, obj, form, change)
        audit_save(request, obj, before)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(request.user, action_name(obj, "delete"), obj, site=site_of(obj), before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            audit_record(request.user, action_name(obj, "delete"), obj, site=site_of(obj), before=snapshot(obj))
        super().delete_queryset(request, queryset)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        return {name: (func if name == "delete_selected" else audited_action(func, name), name, description)
                for name, (func, _name, description) in actions.items()}

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        befores = {f.instance.pk: snapshot(_stored(f.instance)) for f in formset.forms
                   if f.instance.pk is not None}
        doomed = [(f.instance, snapshot(f.instance)) for f in formset.deleted_forms if f.instance.pk is not None]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_save(request, obj, None)
        for obj, _fields in formset.changed_objects:
            audit_save(request, obj, befores.get(obj.pk))
        for obj, before in doomed:
            audit_record(request.user, action_name(obj, "delete"), obj, site=site_of(obj), before=before,
                         object_id=str(before["id"]) if before and "id" in before else "")


def audited_action(func: Any, name: str) -> Any:
    """Wrap an admin action (such as `revoke`) so each object it changed gets an audit row `<family>.<name>`."""

    def run(modeladmin: Any, request: HttpRequest, queryset: models.QuerySet) -> Any:
        befores = {obj.pk: snapshot(obj) for obj in queryset}
        result = func(modeladmin, request, queryset)
        for obj in queryset.model._default_manager.filter(pk__in=list(befores)):
            before, after = changed_only(befores[obj.pk], snapshot(obj))
            if after:
                family = action_name(obj, name).partition(".")[0]
                audit_record(request.user, f"{family}.{name}", obj, site=site_of(obj), before=before, after=after)
        return result

    return run


def audit_admin_site(site: admin.AdminSite, skip: frozenset[str]) -> None:
    """Swap each registered ModelAdmin (except `skip` labels) for its audited subclass."""
    for model, model_admin in list(site._registry.items()):
        cls = type(model_admin)
        if model._meta.label_lower in skip or issubclass(cls, AuditedAdminMixin):
            continue
        audited = type(f"Audited{cls.__name__}", (AuditedAdminMixin, cls), {"__module__": cls.__module__})
        site.unregister(model)
        site.register(model, audited)
