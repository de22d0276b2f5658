"""Create an API token (shown once) for the REST API, the Micro debug API or /metrics."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dashboards.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token; its secret is printed once and only its hash is stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("--scope", action="append", dest="scopes", required=True,
                            help="api, micro or metrics (repeatable)")
        parser.add_argument("--user", help="The user the token acts as; the REST API (scope api) needs one and "
                                           "shows that user's sites only.")

    def handle(self, *args, name: str, scopes: list[str], user: str | None = None, **options) -> None:
        owner = None
        if user:
            owner = get_user_model().objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"No user called {user!r}.")
        elif "api" in scopes:
            self.stderr.write("Without --user the token cannot read any site through the REST API.")
        try:
            _, secret = token_create(name, scopes, user=owner)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(secret)
