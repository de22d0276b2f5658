"""Unique-visitor sketches: exact while small, HyperLogLog beyond, merged across buckets (warehouse.modeling
.sketches). Right values: the numbers of distinct ids made below, known by construction."""

import pytest

from tests.models.conftest import rows
from warehouse.modeling import sketches
from warehouse.modeling.sketches import REGISTERS, VisitorUnion, build_sketches_sql


def _sketches(days: int, per_day: int, overlap: int) -> list[bytes]:
    """One sketch per day; day d has ids d*(per_day-overlap) .. +per_day, so neighbours share `overlap` ids."""
    source = f"""(SELECT d AS day, hashtextextended('visitor-' || (d * {per_day - overlap} + i), 0) AS h
                 FROM generate_series(0, {days - 1}) d, generate_series(0, {per_day - 1}) i) AS src"""
    return [bytes(sketch) for _, sketch in rows(build_sketches_sql(source, "day") + " ORDER BY 1")]


@pytest.mark.django_db
def test_small_buckets_merge_exactly():
    found = _sketches(days=5, per_day=200, overlap=50)
    assert {s[0] for s in found} == {sketches.EXACT}
    assert VisitorUnion().update(found).count() == 5 * 150 + 50


@pytest.mark.django_db
@pytest.mark.parametrize("per_day", [600, 5000])  # sparse and dense HyperLogLogs
def test_large_buckets_merge_within_the_stated_error(per_day):
    found = _sketches(days=12, per_day=per_day, overlap=per_day // 4)
    expected = 12 * (per_day - per_day // 4) + per_day // 4
    kinds = {s[0] for s in found}
    assert kinds == ({sketches.SPARSE} if per_day == 600 else {sketches.DENSE})
    estimate = VisitorUnion().update(found).count()
    assert abs(estimate - expected) <= 0.048 * expected  # three standard errors of 1.6%
    # merging loses nothing: the union of the daily sketches is the sketch of all ids at once
    whole = _sketches(days=1, per_day=expected, overlap=0)
    assert estimate == VisitorUnion().update(whole).count()


def test_dense_merge_is_the_register_wise_maximum():
    a = bytes([3 if i % 2 else 0 for i in range(REGISTERS)])
    b = bytes([1 if i % 3 else 53 for i in range(REGISTERS)])
    union = VisitorUnion().update([b"\x03" + a, b"\x03" + b])
    union.count()
    assert bytes(union.registers) == bytes(max(x, y) for x, y in zip(a, b, strict=True))
