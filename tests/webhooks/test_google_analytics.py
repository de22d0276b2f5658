"""Google Analytics measurement protocol: one hit per body line, hit type as the event, the rest as entities."""

import json

import pytest

from tests.webhooks.support import adapt, messages, params, process, unstruct
from webhooks.adapters.ga_parameters import schema_uri

PATH = "/com.google.analytics/v1"
BASE = "v=1&tid=UA-1234-5&cid=555&uid=u-1"
HITS = {
    "pageview": ("page_view", "&dl=https%3A%2F%2Fshop.example%2Fa&dh=shop.example&dp=%2Fa&dt=Home"),
    "screenview": ("screen_view", "&cd=Home&an=App&av=1.2"),
    "event": ("event", "&ec=video&ea=play&el=intro&ev=3"),
    "transaction": ("transaction", "&ti=T-1&ta=shop&tr=12.34&ts=1.5&tt=2.01&cu=EUR"),
    "item": ("item", "&ti=T-1&in=Socks&ip=4.99&iq=2&ic=SKU-1&iv=Clothes&cu=EUR"),
    "social": ("social", "&sn=mastodon&sa=boost&st=%2Fpost%2F1"),
    "exception": ("exception", "&exd=Oops&exf=1"),
    "timing": ("timing", "&utc=js&utv=load&utt=120&utl=cdn&plt=300&dns=10"),
}


@pytest.mark.parametrize("hit_type", sorted(HITS))
def test_every_hit_type_becomes_its_event_with_general_and_user_entities_and_validates(hit_type):
    name, extra = HITS[hit_type]
    outcome = process(PATH, "aid=ga", f"t={hit_type}&{BASE}{extra}", "text/plain")
    assert outcome.bad == [], outcome.bad and outcome.bad[0].failure
    [good] = outcome.good
    event = good.event
    assert event["unstruct_event"]["data"]["schema"] == schema_uri(name)
    assert event["v_tracker"] == "com.google.analytics.measurement-protocol-v1" and event["platform"] == "srv"
    entities = {entity["schema"]: entity["data"] for entity in event["contexts"]["data"]}
    assert entities[schema_uri("general")] == {"protocolVersion": "1", "trackingId": "UA-1234-5"}
    assert entities[schema_uri("user")] == {"clientId": "555", "userId": "u-1"}
    assert entities[schema_uri("hit")] == {"type": hit_type}


def test_event_fields_are_typed_and_some_parameters_also_fill_tracker_fields():
    [raw] = adapt(PATH, "", f"t=pageview&{BASE}&dl=https%3A%2F%2Fshop.example%2Fa&dt=Home&dr=https%3A%2F%2Fref."
                            "example%2F&uip=203.0.113.9&ua=Bot%2F1&je=1&ni=1", "text/plain").events
    assert unstruct(raw) == (schema_uri("page_view"),
                             {"documentLocationUrl": "https://shop.example/a", "documentTitle": "Home"})
    assert {k: params(raw)[k] for k in ("url", "page", "refr", "ip", "ua", "f_java")} == {
        "url": "https://shop.example/a", "page": "Home", "refr": "https://ref.example/", "ip": "203.0.113.9",
        "ua": "Bot/1", "f_java": "1"}
    entities = {e["schema"]: e["data"] for e in json.loads(params(raw)["co"])["data"]}
    assert entities[schema_uri("hit")] == {"type": "pageview", "nonInteractionHit": True}
    assert entities[schema_uri("system_info")] == {"javaEnabled": True}


def test_indexed_parameters_become_one_entity_per_index():
    body = (f"t=event&{BASE}&ec=shop&ea=view&cd1=gold&cd2=eu&cm1=4.5&cg1=blog&pa=detail&pr1id=P1&pr1nm=Socks"
            "&pr1pr=4.99&pr1cd3=red&il1nm=Search&il1pi1id=P2&il1pi1ps=1&promo1id=SUMMER&promo1cr=banner&cu=EUR")
    outcome = process(PATH, "", body, "text/plain")
    assert outcome.bad == [], outcome.bad and outcome.bad[0].failure
    entities = [(e["schema"].split("/")[1], e["data"]) for e in outcome.good[0].event["contexts"]["data"]]
    assert ("custom_dimension", {"index": 1, "value": "gold"}) in entities
    assert ("custom_dimension", {"index": 2, "value": "eu"}) in entities
    assert ("custom_metric", {"index": 1, "value": 4.5}) in entities
    assert ("content_group", {"index": 1, "value": "blog"}) in entities
    assert ("product_action", {"productAction": "detail"}) in entities
    assert ("product", {"index": 1, "sku": "P1", "name": "Socks", "price": 4.99, "currencyCode": "EUR"}) in entities
    assert ("product_custom_dimension", {"productIndex": 1, "dimensionIndex": 3, "value": "red"}) in entities
    assert ("product_impression_list", {"index": 1, "name": "Search"}) in entities
    assert ("product_impression", {"listIndex": 1, "productIndex": 1, "sku": "P2", "position": 1,
                                   "currencyCode": "EUR"}) in entities
    assert ("promotion", {"index": 1, "id": "SUMMER", "creative": "banner"}) in entities


def test_a_batch_body_is_one_event_per_line_and_a_bad_line_fails_alone():
    body = f"t=pageview&{BASE}&dp=%2Fa\nt=bogus&{BASE}\nt=event&{BASE}&ec=c&ea=a&ev=abc\n"
    result = adapt(PATH, "", body, "text/plain")
    assert len(result.events) == 1
    [row] = result.failures
    assert row.failure["messages"][0]["expectation"] == "no matching hit type at index 1"
    assert row.failure["messages"][1] == {"field": "ev", "value": "abc", "expectation": "cannot convert to integer"}
    assert row.payload["body"] == f"t=bogus&{BASE}\nt=event&{BASE}&ec=c&ea=a&ev=abc"


def test_errors():
    assert messages(adapt(PATH, "", "", "text/plain")) == [{"field": "body", "value": None,
                                                            "expectation": "empty body"}]
    assert messages(adapt(PATH, "", BASE, "text/plain")) == [{
        "field": "t", "value": None, "expectation": "no t parameter provided: cannot determine hit type"}]
