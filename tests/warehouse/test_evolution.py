"""A new schema version adds or widens columns; an incompatible change is detected (spec 1.5)."""

from __future__ import annotations

from warehouse.columns import Column
from warehouse.evolution import migrated_columns, plan_migration, type_change

SKU = Column("sku", "varchar(64)", False, ("sku",))
QTY = Column("qty", "integer", True, ("qty",))


def test_string_columns_widen_and_never_narrow():
    assert type_change("varchar(64)", "varchar(128)") == "varchar(128)"
    assert type_change("varchar(128)", "varchar(64)") == "varchar(128)"
    assert type_change("char(2)", "char(3)") == "varchar(3)"
    assert type_change("varchar(64)", "uuid") == "varchar(64)"


def test_integers_widen_to_bigint_and_other_type_changes_are_incompatible():
    assert type_change("integer", "bigint") == "bigint"
    assert type_change("bigint", "integer") == "bigint"
    assert type_change("varchar(64)", "integer") is None
    assert type_change("integer", "varchar(10)") is None
    assert type_change("jsonb", "varchar(10)") is None


def test_an_addition_adds_nullable_columns():
    new = Column("colour", "varchar(20)", False, ("colour",))
    migration = plan_migration([SKU, QTY], [SKU, QTY, new])
    assert migration.add == [Column("colour", "varchar(20)", True, ("colour",))]
    assert not (migration.widen or migration.drop_not_null or migration.incompatible)


def test_a_revision_widens_and_relaxes():
    wider = Column("sku", "varchar(128)", True, ("sku",))
    migration = plan_migration([SKU, QTY], [wider])
    assert migration.widen == {"sku": "varchar(128)"}
    assert migration.drop_not_null == ["sku"]
    assert migrated_columns([SKU, QTY], migration) == [Column("sku", "varchar(128)", True, ("sku",)), QTY]


def test_a_required_column_missing_from_a_version_becomes_nullable():
    migration = plan_migration([SKU, QTY], [QTY])
    assert migration.drop_not_null == ["sku"]


def test_a_type_change_is_incompatible():
    migration = plan_migration([SKU, QTY], [SKU, Column("qty", "varchar(10)", True, ("qty",))])
    assert migration.incompatible == ["qty: integer cannot hold varchar(10)"]
