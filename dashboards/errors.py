"""The one error type for bad dashboard input: pages and the API turn it into a clear 400."""


class QueryError(ValueError):
    """A query parameter the dashboards cannot answer; `param` names it for the error message."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


class Unavailable(Exception):
    """The data behind a table does not exist yet (the page shows a note instead of the table)."""
