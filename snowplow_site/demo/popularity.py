"""Which pages visitors pick: a fixed long-tail popularity over the catalogue, so a few pages lead the top pages."""

from __future__ import annotations

import itertools
import random
from functools import cache
from typing import TypeVar

from snowplow_site.demo.catalogue import Category, Page, pages

# Zipf-like exponent: 1.0 would make the top page about twice as popular as the second.
LONG_TAIL_EXPONENT = 0.8

T = TypeVar("T")


def page_pick(rng: random.Random, kind: str, category: Category | None = None) -> Page:
    """Return a page of this kind (and category, when one is given and has such pages), weighted by popularity."""
    group, cumulative = _ranked(kind, category.slug if category else None)
    if not group:
        group, cumulative = _ranked(kind, None)
    return rng.choices(group, cum_weights=cumulative, k=1)[0]


def weighted_pick(rng: random.Random, options: tuple[tuple[T, float], ...] | dict[T, float]) -> T:
    """Return one option drawn with its weight, from (option, weight) pairs or an {option: weight} mapping."""
    pairs = tuple(options.items()) if isinstance(options, dict) else options
    return rng.choices([option for option, _ in pairs], weights=[weight for _, weight in pairs], k=1)[0]


@cache
def _ranked(kind: str, category_slug: str | None) -> tuple[tuple[Page, ...], tuple[float, ...]]:
    everything = pages()[kind]
    # A fixed shuffle, not the catalogue order, decides the ranks: the best sellers are spread over categories.
    order = list(range(len(everything)))
    random.Random(f"popularity:{kind}").shuffle(order)
    ranked = [everything[index] for index in order]
    weights = {page.path: 1 / (rank + 1) ** LONG_TAIL_EXPONENT for rank, page in enumerate(ranked)}
    group = tuple(p for p in ranked if category_slug is None or (p.category and p.category.slug == category_slug))
    return group, tuple(itertools.accumulate(weights[p.path] for p in group))
