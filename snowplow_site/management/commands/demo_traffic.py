"""Send realistic demo visits through a running collector, over HTTP, with the official Snowplow Python tracker."""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from snowplow_site.demo.geoip import DEMO_GEOIP_FILENAME, demo_geoip_write
from snowplow_site.demo.sending import SendReport, check_collector_url, traffic_send
from snowplow_site.demo.visitors import TrafficPlan, traffic_plan


class Command(BaseCommand):
    help = (
        "Send several days of synthetic visits (page views, pings, clicks, searches, a transaction, campaigns, "
        "referrers) to a running collector with the Snowplow Python tracker. Nothing is written to the database "
        "directly: events take the same road as a real tracker's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--collector",
            default="http://127.0.0.1:8000",
            help="base URL of the running collector (default %(default)s)",
        )
        parser.add_argument("--days", type=int, default=7, help="days of history, today included (default 7)")
        parser.add_argument("--visitors", type=int, default=300, help="distinct visitors (default 300)")
        parser.add_argument("--seed", type=int, help="random seed; the same seed plans the same visits")
        parser.add_argument("--app-id", default="demo-site", help="the events' app_id (default %(default)s)")
        parser.add_argument("--batch-size", type=int, default=25, help="events per POST (default 25)")
        parser.add_argument(
            "--geoip-out",
            metavar="PATH",
            help=f"also write a DEMO GeoIP2 City database for the demo's addresses to PATH "
            f"(a directory gets {DEMO_GEOIP_FILENAME})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            collector = check_collector_url(options["collector"])
        except ValueError as error:
            raise CommandError(f"--collector: {error}") from error
        for name in ("days", "visitors", "batch_size"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        seed = options["seed"] if options["seed"] is not None else random.SystemRandom().randrange(2**31)
        if options["geoip_out"]:
            path = demo_geoip_write(options["geoip_out"])
            self.stdout.write(f"Wrote the DEMO GeoIP database {path} (demo data for the demo's addresses only).")
        plan = traffic_plan(days=options["days"], visitors=options["visitors"], seed=seed)
        with tqdm(total=plan.event_total, unit="event", disable=options["verbosity"] < 1) as progress:
            report = traffic_send(
                plan, collector, app_id=options["app_id"], batch_size=options["batch_size"], on_progress=progress.update
            )
        self.stdout.write("\n".join(_summary(plan, report, collector)))
        if not report.ok:
            raise CommandError(
                report.aborted
                or f"the collector refused {report.refused_requests} request(s); "
                f"{report.undelivered_events} event(s) not delivered"
            )


def _summary(plan: TrafficPlan, report: SendReport, collector: str) -> list[str]:
    dates = plan.event_dates
    span = f"{dates[0]} to {dates[-1]} UTC" if dates else "no events"
    lines = [
        f"Demo traffic for {collector} (seed {plan.seed}, rerun with --seed {plan.seed}):",
        f"  visitors {len({v.visitor.domain_userid for v in plan.visits})} "
        f"({plan.returning_visitors} returning), sessions {len(plan.visits)}, "
        f"days {plan.days} ({len(dates)} with events, {span})",
        "  events sent by type:",
        *(f"    {kind:<17}{count:>7}" for kind, count in report.tracked.most_common()),
        f"    {'total':<17}{report.tracked.total():>7}",
        f"  collector: {report.accepted_requests} request(s) accepted, {report.refused_requests} refused; "
        f"{report.delivered_events} event(s) delivered, {report.undelivered_events} not delivered",
    ]
    return lines
