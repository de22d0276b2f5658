"""CallRail: the post-call webhook's query string becomes one call_complete event (spec 2.2)."""

from tests.webhooks.support import adapt, messages, only_event, params, unstruct

PATH = "/com.callrail/v1"
SCHEMA = "iglu:com.callrail/call_complete/jsonschema/1-0-2"


def test_call_attributes_are_typed_booleans_integer_iso_datetime_and_strings():
    raw = only_event(adapt(PATH, "aid=dental&id=781&datetime=2024-02-14+17%3A05%3A09&answered=true&first_call=false"
                                 "&duration=312&callerzip=01234&ga=&cv=clj-1&nuid=n-1"))
    assert unstruct(raw) == (SCHEMA, {"id": "781", "datetime": "2024-02-14T17:05:09.000Z", "answered": True,
                                      "first_call": False, "duration": 312, "callerzip": "01234", "ga": None})
    assert params(raw) == {"tv": "com.callrail-v1", "e": "ue", "p": "srv", "aid": "dental", "cv": "clj-1",
                           "nuid": "n-1"}


def test_values_that_do_not_parse_stay_strings():
    _, data = unstruct(only_event(adapt(PATH, "id=1&datetime=yesterday&answered=yes&duration=long")))
    assert data == {"id": "1", "datetime": "yesterday", "answered": "yes", "duration": "long"}


def test_the_body_and_content_type_are_ignored():
    _, data = unstruct(only_event(adapt(PATH, "id=1&datetime=2024-02-14+17%3A05%3A09", '{"id": 2}',
                                        "application/json")))
    assert data["id"] == "1"


def test_eid_ttm_and_url_feed_the_atomic_fields_but_not_the_data():
    raw = only_event(adapt(PATH, "id=1&datetime=2024-02-14+17%3A05%3A09&eid=6f9c1c1e-8d7b-4a55-9b4e-2f1f0c7a3b21"
                                 "&ttm=1700000000000&url=https%3A%2F%2Fx.example%2F"))
    assert set(unstruct(raw)[1]) == {"id", "datetime"}
    assert params(raw)["eid"] == "6f9c1c1e-8d7b-4a55-9b4e-2f1f0c7a3b21" and params(raw)["ttm"] == "1700000000000"


def test_p_overrides_the_platform_and_is_not_data():
    raw = only_event(adapt(PATH, "id=1&p=mob"))
    assert params(raw)["p"] == "mob" and "p" not in unstruct(raw)[1]


def test_an_empty_query_string_is_the_only_failure():
    assert messages(adapt(PATH, "")) == [{"field": "querystring", "value": None, "expectation": "empty querystring"}]
