"""SchemaVer publication rules of the Iglu Server (spec 4.2, IS `model/VersionCursor.scala`)."""

from __future__ import annotations

from collections.abc import Iterable

from iglu.errors import PublicationRefused
from iglu.keys import SchemaVer


def check_next_version(new: SchemaVer, existing: Iterable[SchemaVer]) -> None:
    """Raise PublicationRefused unless `new` may follow the versions already published in its family.

    1-0-0 is always allowed; M-0-0 needs some (M-1)-*-*; M-R-0 needs some M-(R-1)-*; M-R-A needs
    M-R-(A-1) and no M-(R+1)-* may exist yet. Re-publishing an existing version is a separate rule.
    """
    versions = set(existing)
    if new == SchemaVer(1, 0, 0):
        return
    if new.revision == 0 and new.addition == 0:
        if not any(v.model == new.model - 1 for v in versions):
            raise PublicationRefused(f"{new} needs a previous model {new.model - 1}-*-* to be published first")
        return
    if new.addition == 0:
        if not any(v.model == new.model and v.revision == new.revision - 1 for v in versions):
            raise PublicationRefused(
                f"{new} needs a previous revision {new.model}-{new.revision - 1}-* to be published first"
            )
        return
    previous = SchemaVer(new.model, new.revision, new.addition - 1)
    if previous not in versions:
        raise PublicationRefused(f"{new} needs {previous} to be published first")
    if any(v.model == new.model and v.revision == new.revision + 1 for v in versions):
        raise PublicationRefused(f"{new} cannot be added: revision {new.model}-{new.revision + 1}-* already exists")
