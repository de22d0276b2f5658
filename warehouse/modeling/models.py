"""Goals: what counts as a conversion on a site (a page, an event, or an event with a property value).

Imported by warehouse/models.py so Django registers it under the warehouse app."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import models


class Goal(models.Model):
    """A conversion a site cares about; every matching page view or event of a session is a conversion.

    - page: `page_pattern` matches the page path (or mobile screen name); `*` is any run of characters.
    - struct: a structured event; `se_category` and/or `se_action` must be equal (blank = any).
    - schema: a self-describing event named `event_vendor`/`event_name` (the schema's vendor and name).
    With `property_name` set, the event must also carry that property (an unstruct field, or se_label,
    se_property, se_value of a structured event) with the text `property_value`."""

    PAGE, STRUCT, SCHEMA = "page", "struct", "schema"
    KINDS = ((PAGE, "Page visit"), (STRUCT, "Structured event"), (SCHEMA, "Self-describing event"))

    site = models.ForeignKey("dashboards.Site", on_delete=models.CASCADE, related_name="goals")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=KINDS)
    page_pattern = models.CharField(max_length=1000, blank=True, help_text="For example /checkout/done or /blog/*")
    se_category = models.CharField(max_length=1000, blank=True)
    se_action = models.CharField(max_length=1000, blank=True)
    event_vendor = models.CharField(max_length=1000, blank=True, help_text="For example com.acme")
    event_name = models.CharField(max_length=1000, blank=True, help_text="For example sign_up")
    property_name = models.CharField(max_length=200, blank=True)
    property_value = models.CharField(max_length=1000, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "warehouse_goal"
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="warehouse_goal_site_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.PAGE and not self.page_pattern:
            errors["page_pattern"] = "A page goal needs a path pattern, for example /thank-you."
        if self.kind == self.STRUCT and not (self.se_category or self.se_action):
            errors["se_action"] = "A structured-event goal needs a category, an action or both."
        if self.kind == self.SCHEMA and not self.event_name:
            errors["event_name"] = "A self-describing-event goal needs the event's schema name."
        if self.property_value and not self.property_name:
            errors["property_name"] = "Name the property whose value must match."
        if self.kind == self.PAGE and self.property_name:
            errors["property_name"] = "Page goals take no property."
        if errors:
            raise ValidationError(errors)

    def definition(self) -> dict:
        """The fields that decide which events convert (what the models hash to notice a change)."""
        fields = ("id", "kind", "page_pattern", "se_category", "se_action", "event_vendor", "event_name",
                  "property_name", "property_value", "is_active")
        return {name: getattr(self, name) for name in fields}


def goals_hash(goals: list[Goal]) -> str:
    """A digest of a site's goal definitions; a change makes the next model run recount its conversions."""
    payload = json.dumps(sorted((g.definition() for g in goals), key=lambda d: d["id"]), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
