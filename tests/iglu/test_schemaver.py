"""SchemaVer publication rules (spec 4.2, Iglu Server VersionCursor)."""

import pytest

from iglu.errors import PublicationRefused
from iglu.keys import SchemaVer
from iglu.schemaver import check_next_version


def versions(*texts):
    return [SchemaVer.parse(t) for t in texts]


def test_the_first_version_1_0_0_is_always_allowed():
    check_next_version(SchemaVer.parse("1-0-0"), [])


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        ("1-0-1", ["1-0-0"]),
        ("1-1-0", ["1-0-0"]),
        ("1-1-0", ["1-0-0", "1-0-1", "1-0-2"]),
        ("2-0-0", ["1-0-0"]),
        ("2-0-0", ["1-2-3", "1-0-0"]),
        ("1-0-2", ["1-0-0", "1-0-1"]),
    ],
)
def test_versions_that_follow_an_existing_one_are_allowed(new, existing):
    check_next_version(SchemaVer.parse(new), versions(*existing))


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        ("1-0-1", []),  # needs 1-0-0
        ("1-0-2", ["1-0-0"]),  # skips 1-0-1
        ("1-2-0", ["1-0-0"]),  # needs some 1-1-*
        ("2-0-0", []),  # needs some 1-*-*
        ("3-0-0", ["1-0-0"]),  # needs some 2-*-*
        ("1-0-1", ["1-0-0", "1-1-0"]),  # an addition after the next revision exists
    ],
)
def test_versions_that_skip_or_go_back_are_refused(new, existing):
    with pytest.raises(PublicationRefused):
        check_next_version(SchemaVer.parse(new), versions(*existing))
