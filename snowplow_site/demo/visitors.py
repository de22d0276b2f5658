"""Who visits the demo shop and when: visitors with stable ids who come back over the days, in a daily rhythm.

`traffic_plan` returns the whole demo as data. The same seed and `now` give the same plan; the timestamps are
relative to `now`, so that a run always fills the last few days up to the present.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from snowplow_site.demo.catalogue import (
    BROWSERS,
    LOCATIONS,
    SCREENS,
    WEEKDAY_HOURS,
    WEEKDAYS,
    WEEKEND_HOURS,
    Browser,
    Location,
)
from snowplow_site.demo.journeys import PlannedEvent, VisitContext, journey_plan, uuid_draw
from snowplow_site.demo.popularity import weighted_pick
from snowplow_site.demo.sources import SourceDeck, TrafficSource, source_pick

SESSION_TIMEOUT = timedelta(minutes=30)  # the JS tracker's default sessionCookieTimeout
VISITS_PER_VISITOR = {1: 62, 2: 20, 3: 9, 4: 5, 5: 3, 6: 1}
SAME_DAY_RETURN = 0.35
RETURN_DIRECT = 0.5  # share of returning sessions that come back directly (bookmark, typed URL)
LEAD_IN_DAYS = 3
MAX_SCHEDULE_DRAWS = 20
LOGGED_IN_SHARE = 0.06


@dataclass(frozen=True)
class Visitor:
    """One browser on one device: the `duid` cookie, the device, the place, the language; stable across visits."""

    domain_userid: str
    browser: Browser
    screen: tuple[int, int]
    viewport: tuple[int, int]
    location: Location
    language: str
    host: int  # the visitor's address inside the location's /24 network
    user_id: str | None


@dataclass(frozen=True)
class Visit:
    """One session: its `sid`, its index `vid` for the visitor, the address it came from and its events."""

    visitor: Visitor
    session_id: str
    session_index: int
    ip: str
    source: TrafficSource
    events: tuple[PlannedEvent, ...]
    journey_seed: int

    @property
    def start_ms(self) -> int:
        return self.events[0].at_ms

    @property
    def end_ms(self) -> int:
        return self.events[-1].at_ms


@dataclass(frozen=True)
class TrafficPlan:
    """Every visit of a demo run in time order, with what was asked for (days, visitors, seed)."""

    days: int
    visitors: int
    seed: int
    now_ms: int
    visits: tuple[Visit, ...]

    @cached_property
    def event_counts(self) -> Counter[str]:
        return Counter(event.kind for visit in self.visits for event in visit.events)

    @property
    def event_total(self) -> int:
        return self.event_counts.total()

    @property
    def returning_visitors(self) -> int:
        """Visitors with a session that is not their first (vid above 1)."""
        return len({visit.visitor.domain_userid for visit in self.visits if visit.session_index > 1})

    @property
    def event_dates(self) -> list[date]:
        """The UTC dates that have events, oldest first."""
        stamps = {event.at_ms // 86_400_000 for visit in self.visits for event in visit.events}
        return [date(1970, 1, 1) + timedelta(days=day) for day in sorted(stamps)]


def traffic_plan(*, days: int, visitors: int, seed: int, now: datetime | None = None) -> TrafficPlan:
    """Plan `visitors` visitors over the last `days` days (today included, up to `now`) from `seed`."""
    if days < 1 or visitors < 1:
        raise ValueError("days and visitors must be at least 1")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(seed)
    deck = SourceDeck(rng)
    visits: list[Visit] = []
    for _ in range(visitors):
        visits += _visits_of(rng, _visitor(rng), deck, days, now)
    visits.sort(key=lambda visit: visit.start_ms)
    return TrafficPlan(days, visitors, seed, _ms(now), tuple(_with_a_purchase(visits, _ms(now))))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _visitor(rng: random.Random) -> Visitor:
    browser = weighted_pick(rng, tuple((b, b.weight) for b in BROWSERS))
    width, height = weighted_pick(rng, tuple(((w, h), weight) for w, h, weight in SCREENS[browser.device]))
    chrome = {
        "desktop": (rng.choice((0, 0, 15, 17)), rng.randint(110, 160)),
        "mobile": (0, rng.randint(90, 190)),
        "tablet": (0, rng.randint(70, 120)),
    }[browser.device]
    location = weighted_pick(rng, tuple((loc, loc.weight) for loc in LOCATIONS))
    language = weighted_pick(rng, tuple((lang, 4 if i == 0 else 1) for i, lang in enumerate(location.languages)))
    user_id = f"customer-{rng.randint(10_000, 99_999)}" if rng.random() < LOGGED_IN_SHARE else None
    viewport = (width - chrome[0], height - chrome[1])
    return Visitor(uuid_draw(rng), browser, (width, height), viewport, location, language, rng.randint(2, 254), user_id)


def _visits_of(rng: random.Random, visitor: Visitor, deck: SourceDeck, days: int, now: datetime) -> list[Visit]:
    """Plan a visitor's sessions that fall in the window, drawing again if none does."""
    for _ in range(MAX_SCHEDULE_DRAWS):
        visits = _sessions(rng, visitor, deck, days, now)
        if visits:
            return visits
    return []


def _sessions(rng: random.Random, visitor: Visitor, deck: SourceDeck, days: int, now: datetime) -> list[Visit]:
    """The first session on a weighted day and hour, the next ones later, never after `now`.

    Planning starts LEAD_IN_DAYS before the window: sessions before it are not sent, but they count in the
    session index and bring returning visitors into the first days, so the first day is as busy as the others.
    """
    zone = ZoneInfo(visitor.location.time_zone)
    window_start = _ms(datetime.combine(now.astimezone(zone).date() - timedelta(days=days - 1), time(), zone))
    visits: list[Visit] = []
    start = _first_start(rng, zone, days + LEAD_IN_DAYS, now)
    for index in range(1, weighted_pick(rng, VISITS_PER_VISITOR) + 1):
        if start is None:
            break
        shown = _ms(start) >= window_start
        # A visitor's first session in the window always draws from the deck: then any 20 visitors show every medium.
        medium = deck.draw() if shown and (not visits or rng.random() >= RETURN_DIRECT) else "direct"
        # Phones change address between sessions (carrier NAT pools); home broadband keeps one.
        host = rng.randint(2, 254) if visitor.browser.device == "mobile" else visitor.host
        source = source_pick(rng, medium, visitor.location)
        visit = _visit(rng, visitor, index, visitor.location.address(host), source, _ms(start), _ms(now))
        if visit is None:
            break
        if shown:
            visits.append(visit)
        start = _next_start(rng, zone, visit.end_ms, now)
    return visits


def _visit(
    rng: random.Random,
    visitor: Visitor,
    index: int,
    ip: str,
    source: TrafficSource,
    start_ms: int,
    now_ms: int,
    journey_seed: int | None = None,
    *,
    force_purchase: bool = False,
) -> Visit | None:
    """Plan one session; events after `now` have not happened yet and are left out (the visit is still going on)."""
    journey_seed = rng.getrandbits(64) if journey_seed is None else journey_seed
    context = VisitContext(visitor.viewport[1], visitor.location, first_visit=index == 1)
    journey = journey_plan(random.Random(journey_seed), start_ms, source, context, force_purchase=force_purchase)
    events = tuple(event for event in journey if event.at_ms <= now_ms)
    return Visit(visitor, uuid_draw(rng), index, ip, source, events, journey_seed) if events else None


def _first_start(rng: random.Random, zone: ZoneInfo, days: int, now: datetime) -> datetime | None:
    today = now.astimezone(zone).date()
    dates = [today - timedelta(days=back) for back in range(days)]
    for _ in range(50):  # a moment later than now is drawn again: today only counts up to now
        moment = _moment_on(rng, weighted_pick(rng, tuple((d, WEEKDAYS[d.weekday()]) for d in dates)), zone)
        if moment < now:
            return moment
    return None


def _next_start(rng: random.Random, zone: ZoneInfo, after_ms: int, now: datetime) -> datetime | None:
    after = datetime.fromtimestamp(after_ms / 1000, UTC) + SESSION_TIMEOUT + timedelta(minutes=1)
    if rng.random() < SAME_DAY_RETURN:
        moment = after + timedelta(minutes=rng.uniform(0, 480))
    else:
        day = after.astimezone(zone).date() + timedelta(days=rng.choice((1, 1, 2, 3)))
        moment = max(after, _moment_on(rng, day, zone))
    # Fewer people come back on a quiet day: keep the weekly rhythm of first visits for returning ones too.
    if rng.random() > WEEKDAYS[moment.astimezone(zone).weekday()] / max(WEEKDAYS):
        return None
    return moment if moment < now else None


def _moment_on(rng: random.Random, day: date, zone: ZoneInfo) -> datetime:
    """A moment of a local day, in UTC, with weekday or weekend hourly weights."""
    hours = WEEKEND_HOURS if day.weekday() >= 5 else WEEKDAY_HOURS
    hour = rng.choices(range(24), weights=hours, k=1)[0]
    local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60), rng.randrange(1000) * 1000), zone)
    return local.astimezone(UTC)


def _with_a_purchase(visits: list[Visit], now_ms: int) -> list[Visit]:
    """Make sure the demo has at least one transaction: turn the earliest visit that has room into a purchase."""
    if any(event.kind == "transaction" for visit in visits for event in visit.events):
        return visits
    for position, visit in enumerate(visits):
        rng = random.Random(visit.journey_seed)
        bought = _visit(
            rng,
            visit.visitor,
            visit.session_index,
            visit.ip,
            visit.source,
            visit.start_ms,
            now_ms,
            visit.journey_seed,
            force_purchase=True,
        )
        if bought and _fits(bought, visits) and any(e.kind == "transaction" for e in bought.events):
            return [*visits[:position], replace(bought, session_id=visit.session_id), *visits[position + 1 :]]
    return visits


def _fits(visit: Visit, visits: list[Visit]) -> bool:
    """True if the visit ends at least a session timeout before the visitor's next visit starts."""
    gap = int(SESSION_TIMEOUT.total_seconds() * 1000)
    return all(
        other.start_ms >= visit.end_ms + gap
        for other in visits
        if other.visitor is visit.visitor and other.session_index > visit.session_index
    )
