"""JSON Schema properties become columns by the PostgreSQL loader's type rules (spec 1.4)."""

from __future__ import annotations

import pytest

from warehouse.columns import Column, column_type, fit_identifier, schema_columns, snake_case
from warehouse.entity_tables import table_name


@pytest.mark.parametrize(
    ("prop", "pg_type"),
    [
        ({"type": "string", "format": "date-time"}, "timestamp"),
        ({"type": ["string", "null"], "format": "date-time"}, "timestamp"),
        ({"type": "string", "format": "date"}, "date"),
        ({"type": "string", "format": "uuid"}, "uuid"),
        ({"type": "string", "minLength": 2, "maxLength": 2}, "char(2)"),
        ({"type": "string", "maxLength": 255}, "varchar(255)"),
        ({"type": "string"}, "varchar(4096)"),
        ({"type": "string", "enum": ["small", "medium", "xl"]}, "varchar(6)"),
        ({"enum": ["a", "bcd"]}, "varchar(3)"),
        ({"type": "integer", "maximum": 100, "minimum": 0}, "integer"),
        ({"type": "integer", "maximum": 2**31}, "bigint"),
        ({"type": "integer", "maximum": 10, "minimum": -(2**40)}, "bigint"),
        ({"type": "integer"}, "bigint"),
        ({"type": "integer", "enum": [1, 2, 3]}, "integer"),
        ({"enum": [1, 2]}, "integer"),
        ({"type": "number"}, "double precision"),
        ({"type": ["integer", "number"]}, "double precision"),
        ({"type": ["number", "null"]}, "double precision"),
        ({"type": "boolean"}, "boolean"),
        ({"enum": [True, False]}, "jsonb"),  # the loader's complex-enum rule counts booleans as non-numeric
        ({"type": "array", "items": {"type": "string"}}, "jsonb"),
        ({"type": ["string", "integer"]}, "jsonb"),
        ({"enum": ["a", 1]}, "jsonb"),
        ({"type": "object"}, "jsonb"),
        ({}, "jsonb"),
    ],
)
def test_each_property_gets_the_loaders_type(prop, pg_type):
    assert column_type(prop) == pg_type


def test_names_are_snake_cased_like_schema_ddl():
    assert snake_case("AddToBasket") == "add_to_basket"
    assert snake_case("anonymous-customer") == "anonymous_customer"
    assert snake_case("HTTPStatus") == "http_status"
    assert snake_case("pageViewId2") == "page_view_id2"


def test_table_names_follow_the_loaders_rule():
    assert table_name("com.acme.website", "anonymous-customer", 1) == "com_acme_website_anonymous_customer_1"
    assert table_name("de.company", "AddToBasket", 2) == "de_company_add_to_basket_2"


def test_long_names_are_shortened_with_a_hash_instead_of_silently_truncated():
    name = "x" * 70
    short = fit_identifier(name)
    assert len(short) == 63
    assert short != fit_identifier("x" * 71)


def test_nested_objects_are_flattened_to_leaves_and_nullability_follows_required():
    schema = {
        "type": "object",
        "properties": {
            "sku": {"type": "string", "maxLength": 64},
            "price": {"type": ["number", "null"]},
            "tags": {"type": "array"},
            "dims": {
                "type": "object",
                "properties": {"widthCm": {"type": "integer", "maximum": 1000, "minimum": 0}},
                "required": ["widthCm"],
            },
            "seller": {
                "type": "object",
                "properties": {"id": {"type": "string", "format": "uuid"}},
                "required": ["id"],
            },
        },
        "required": ["sku", "price", "seller"],
    }
    assert schema_columns(schema) == [
        Column("dims.width_cm", "integer", True, ("dims", "widthCm")),  # its parent is optional
        Column("price", "double precision", True, ("price",)),  # required but may be null
        Column("seller.id", "uuid", False, ("seller", "id")),
        Column("sku", "varchar(64)", False, ("sku",)),
        Column("tags", "jsonb", True, ("tags",)),
    ]
