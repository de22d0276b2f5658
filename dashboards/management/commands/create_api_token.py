"""Create an API token (shown once) for the REST API, the Micro debug API or /metrics."""

from django.core.management.base import BaseCommand, CommandError

from dashboards.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token; its secret is printed once and only its hash is stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("--scope", action="append", dest="scopes", required=True,
                            help="api, micro or metrics (repeatable)")

    def handle(self, *args, name: str, scopes: list[str], **options) -> None:
        try:
            _, secret = token_create(name, scopes)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(secret)
