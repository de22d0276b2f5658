"""manage.py model_run: run the data models now, with a progress bar; --full-refresh rebuilds everything."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from warehouse.modeling.runs import model_run


class Command(BaseCommand):
    help = "Bring derived.page_views, sessions, users, goal conversions and rollups up to date with atomic.events."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--full-refresh", action="store_true", help="Drop all derived data and rebuild it.")

    def handle(self, *args, full_refresh: bool = False, **options) -> None:
        bars: dict[str, tqdm] = {}

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage) or bars.setdefault(stage, tqdm(total=total, desc=stage, unit="month"))
            bar.n = done
            bar.refresh()

        result = model_run(full_refresh=full_refresh, progress=progress)
        for bar in bars.values():
            bar.close()
        self.stdout.write(
            f"{result.mode}: {result.sessions} sessions from {result.events} events, "
            f"{result.days_rebuilt} day runs of rollups, {result.seconds:.1f} s"
        )
