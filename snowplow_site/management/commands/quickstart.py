"""Run the whole product with one command: migrate, create the default site and admin, serve, enrich, schedule."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dashboards.models import Site
from snowplow_site.embedded import stop_embedded_server
from snowplow_site.supervisor import ManagedProcess, Supervisor

DEMO_APP_ID = "demo-site"


class Command(BaseCommand):
    help = "Migrate, create the default site and admin user, then run the web server, Celery worker and beat."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
        parser.add_argument("--worker-concurrency", type=int, default=int(os.environ.get("WORKER_CONCURRENCY", "2")))
        parser.add_argument("--demo", action="store_true", help="Send several days of demo traffic once it is up.")
        parser.add_argument("--demo-visitors", type=int, default=300)
        parser.add_argument("--demo-days", type=int, default=7)
        parser.add_argument("--no-serve", action="store_true", help="Only prepare the database and users.")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        ensure_front_end_assets(self.stdout)
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        site = ensure_site("My site", "my-site", ["my-site"])
        if options["demo"]:
            ensure_site("Demo shop", "demo-shop", [DEMO_APP_ID])
        credentials = ensure_admin()
        if options["no_serve"]:
            self.print_credentials(credentials)
            return
        base = f"http://{options['host']}:{options['port']}"
        supervisor = Supervisor(self.processes(options), child_environment())
        supervisor.start()
        try:
            wait_until_healthy(f"{base}/health", supervisor)
        except CommandError:
            supervisor.stop()
            raise
        self.print_banner(base, site, credentials, time.monotonic() - started)
        if options["demo"]:
            self.send_demo(base, options)
        status = supervisor.wait()
        if settings.EMBEDDED_DATABASE:
            from django.db import connections

            connections.close_all()
            stop_embedded_server(settings.VAR_DIR)
        if status:
            raise CommandError(f"A process stopped unexpectedly (status {status}).")

    def processes(self, options) -> list[ManagedProcess]:
        python = sys.executable
        web = [python, "-m", "uvicorn", "snowplow_site.asgi:application", "--host", options["host"],
               "--port", str(options["port"]), "--workers", str(options["web_workers"]), "--no-access-log",
               "--http", "httptools", "--loop", "uvloop", "--timeout-graceful-shutdown", "10",
               # The collector decides which forwarding headers to believe (COLLECTOR_TRUSTED_PROXIES).
               "--no-proxy-headers"]
        worker = [python, "-m", "celery", "-A", "snowplow_site", "worker", "--loglevel", "WARNING",
                  "--concurrency", str(options["worker_concurrency"]), "--without-gossip", "--without-mingle"]
        beat = [python, "-m", "celery", "-A", "snowplow_site", "beat", "--loglevel", "WARNING",
                "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")]
        return [ManagedProcess("web server", web), ManagedProcess("celery worker", worker),
                ManagedProcess("celery beat", beat)]

    def send_demo(self, base: str, options) -> None:
        self.stdout.write("Sending demo traffic through the collector…")
        command = [sys.executable, "manage.py", "demo_traffic", "--collector", base, "--app-id", DEMO_APP_ID,
                   "--visitors", str(options["demo_visitors"]), "--days", str(options["demo_days"]),
                   "--geoip-out", str(settings.VAR_DIR / "demo-geoip2-city.mmdb")]
        subprocess.run(command, env=child_environment(), cwd=settings.BASE_DIR, check=False)
        if wait_until_drained():
            self.stdout.write("Demo traffic enriched and loaded; running the data models once now…")
            call_command("model_run", verbosity=0)
        self.stdout.write(f"Demo traffic sent. Open {base}/dashboards/demo-shop/?period=7d")

    def print_credentials(self, credentials: tuple[str, str | None]) -> None:
        username, password = credentials
        if password:
            self.stdout.write(self.style.WARNING(f"Admin user: {username}  password: {password}  (shown once)"))
        else:
            self.stdout.write(f"Admin user: {username} (existing; password unchanged)")

    def print_banner(self, base: str, site: Site, credentials: tuple[str, str | None], seconds: float) -> None:
        collector = settings.COLLECTOR_PUBLIC_URL or base
        self.stdout.write(self.style.SUCCESS(f"\nSnowplow Django is running (ready in {seconds:.1f} s)."))
        self.stdout.write(f"  Collector:  {collector}   (GET /i, POST /com.snowplowanalytics.snowplow/tp2)")
        self.stdout.write(f"  Dashboards: {base}/dashboards/")
        self.stdout.write(f"  Admin:      {base}/admin/")
        self.print_credentials(credentials)
        self.stdout.write("\nPaste into your pages to track them with Snowplow's JavaScript tracker:\n")
        self.stdout.write(tracker_snippet(collector, site.app_ids[0]))
        self.stdout.write("\nPress Ctrl-C to stop.\n")


VENDOR_ASSETS = ("chart.umd.min.js", "jsvectormap.min.js", "jsvectormap.min.css", "world.js")


def ensure_front_end_assets(out) -> None:
    """Install the charting and map libraries from npm once, if Node is there; pages work without them."""
    vendor = settings.BASE_DIR / "dashboards" / "static" / "dashboards" / "vendor"
    if all((vendor / name).exists() for name in VENDOR_ASSETS):
        return
    npm = shutil.which("npm")
    if npm is None:
        out.write("Node.js/npm not found: dashboards will show tables without charts and the map.")
        return
    out.write("Installing the dashboards' chart and map libraries (npm, once)…")
    result = subprocess.run([npm, "install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"],
                            cwd=settings.BASE_DIR, check=False)
    if result.returncode != 0:
        out.write("npm could not install them: dashboards will show tables without charts and the map.")


def tracker_snippet(collector: str, app_id: str) -> str:
    """Snowplow's standard loader snippet (sp.js from its public CDN, pinned) pointed at this collector."""
    return (
        "<script type=\"text/javascript\" async=1>\n"
        ";(function(p,l,o,w,i,n,g){if(!p[i]){p.GlobalSnowplowNamespace=p.GlobalSnowplowNamespace||[];\n"
        "p.GlobalSnowplowNamespace.push(i);p[i]=function(){(p[i].q=p[i].q||[]).push(arguments)\n"
        "};p[i].q=p[i].q||[];n=l.createElement(o);g=l.getElementsByTagName(o)[0];n.async=1;\n"
        "n.src=w;g.parentNode.insertBefore(n,g)}}(window,document,\"script\",\n"
        f"\"{settings.TRACKER_JS_URL}\",\"snowplow\"));\n"
        f"snowplow('newTracker', 'sp', '{collector}', {{ appId: '{app_id}' }});\n"
        "snowplow('enableActivityTracking', { minimumVisitLength: 10, heartbeatDelay: 10 });\n"
        "snowplow('trackPageView');\n"
        "</script>\n"
    )


def ensure_site(name: str, slug: str, app_ids: list[str]) -> Site:
    site, _ = Site.objects.get_or_create(slug=slug, defaults={"name": name, "app_ids": app_ids})
    return site


def ensure_admin() -> tuple[str, str | None]:
    """Create the admin user once: from ADMIN_USERNAME/ADMIN_PASSWORD, else `admin` with a random password."""
    username = os.environ.get("ADMIN_USERNAME", "admin")
    password = os.environ.get("ADMIN_PASSWORD")
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        return username, None
    password = password or secrets.token_urlsafe(12)
    users.objects.create_superuser(username=username, email=os.environ.get("ADMIN_EMAIL", ""), password=password)
    return username, password


def child_environment() -> dict[str, str]:
    """Children get the resolved database URL, so they attach to the same (embedded) server."""
    env = dict(os.environ)
    env["DATABASE_URL"] = settings.DATABASE_URL
    env.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def wait_until_drained(timeout: float = 120.0) -> bool:
    """Wait until the worker has taken everything from the raw sink (so a model run sees the demo)."""
    from collector.sinks import get_sink

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if get_sink().pending_count() == 0:
            time.sleep(2)  # the last batch commits its load just after it leaves the sink
            return True
        time.sleep(1)
    return False


def wait_until_healthy(url: str, supervisor: Supervisor, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for managed in supervisor.processes:
            if managed.process and managed.process.poll() is not None:
                raise CommandError(f"The {managed.name} exited during start-up (status {managed.process.poll()}).")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise CommandError(f"The web server did not answer {url} within {timeout:.0f} seconds.")
