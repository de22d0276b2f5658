"""Admin registrations of the warehouse app: the modeling package's goals (warehouse/modeling/admin.py)."""

from warehouse.modeling import admin as modeling_admin  # noqa: F401
