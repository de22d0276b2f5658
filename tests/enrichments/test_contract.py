"""One contract, checked for every registered enrichment (Django's shared session-backend tests, for enrichments)."""

from __future__ import annotations

import dataclasses

import pytest

from enrichment.config import ORDER, build_steps
from enrichment.enrichments.base import Enrichment, EnrichmentFailure
from enrichment.enrichments.registry import REGISTRY
from enrichment.pipeline import PHASE_1, EnrichmentContext
from iglu import api as iglu
from tests.enrichments.examples import examples
from tests.enrichments.support import CHROME, LONDON, build, mmdb_write, raw_event

pytestmark = pytest.mark.django_db
NAMES = sorted(REGISTRY)


@pytest.fixture
def example(tmp_path):
    mmdb_write(tmp_path / "GeoIP2-City.mmdb", {"81.2.69.0/24": LONDON})
    return examples(tmp_path)


class TestEveryEnrichment:
    """The same checks over every enrichment in the registry."""

    def test_every_registered_enrichment_has_a_working_example(self, example):
        assert sorted(example) == NAMES

    @pytest.mark.parametrize("name", NAMES)
    def test_it_is_registered_under_its_configuration_schema_name(self, name, example):
        cls = REGISTRY[name]
        assert cls.name == name
        key = iglu.parse_schema_key(example[name]["schema"])
        assert key.name == name and iglu.SchemaCriterion.parse(cls.criterion).matches(key)

    @pytest.mark.parametrize("name", NAMES)
    def test_its_place_in_the_pipeline_order_is_fixed(self, name):
        assert name in ORDER

    @pytest.mark.parametrize("name", NAMES)
    def test_its_configuration_parses_into_a_frozen_object(self, name, example):
        (_, enrichment), = build(example[name])
        config = enrichment.config
        assert config is None or (dataclasses.is_dataclass(config) and config.__dataclass_params__.frozen)
        enrichment.close()

    @pytest.mark.parametrize("name", NAMES)
    def test_its_failure_identifier_fits_the_bad_row_schema(self, name):
        assert 0 < len(REGISTRY[name].identifier) <= 256

    @pytest.mark.parametrize("name", NAMES)
    def test_it_enriches_an_event_raising_only_its_own_failures_and_adding_only_valid_contexts(self, name, example):
        (_, enrichment), = build(example[name])
        ctx = EnrichmentContext(raw_event({"uid": "alice", "url": "https://shop.example/?_sp=abc.1700000000000"},
                                          userAgent=CHROME, headers=["X-Forwarded-For: 81.2.69.142",
                                                                     "Cookie: sp=1"]))
        for _, step in [*PHASE_1, *build_steps([])]:
            step(ctx)
        ctx.event.update(user_ipaddress="81.2.69.142", geo_latitude=51.5, geo_longitude=-0.1)
        try:
            enrichment.enrich(ctx)
        except EnrichmentFailure as failure:
            assert REGISTRY[name].can_fail, f"{name} cannot fail but raised {failure.message}"
        finally:
            enrichment.close()
        for context in ctx.derived_contexts:
            if context["schema"].startswith("iglu:com.acme/"):
                continue
            assert iglu.validate_instance(context) == [], context

    @pytest.mark.parametrize("name", NAMES)
    def test_a_failing_enrichment_becomes_one_message_naming_it(self, name, example):
        (_, enrichment), = build(example[name])
        enrichment.enrich = _raise_failure
        ctx = EnrichmentContext(raw_event())
        enrichment.as_step()(ctx)
        assert ctx.enrichment_messages == [{"enrichment": {"schemaKey": example[name]["schema"],
                                                           "identifier": REGISTRY[name].identifier},
                                            "message": {"error": "broken"}}]
        enrichment.close()

    @pytest.mark.parametrize("name", NAMES)
    def test_an_unexpected_error_fails_the_event_only_if_the_enrichment_can_fail(self, name, example):
        (_, enrichment), = build(example[name])
        enrichment.enrich = _raise_bug
        ctx = EnrichmentContext(raw_event())
        enrichment.as_step()(ctx)
        assert bool(ctx.enrichment_messages) == REGISTRY[name].can_fail
        enrichment.close()

    @pytest.mark.parametrize("name", NAMES)
    def test_its_class_follows_the_base_contract(self, name):
        cls = REGISTRY[name]
        assert issubclass(cls, Enrichment) and cls.__name__.endswith("Enrichment")
        assert cls.parse_config is not Enrichment.parse_config and cls.enrich is not Enrichment.enrich


def _raise_failure(ctx):
    raise EnrichmentFailure.simple("broken")


def _raise_bug(ctx):
    raise RuntimeError("bug")
