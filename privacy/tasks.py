"""Celery beat tasks of the privacy app. Both are idempotent: a lost or repeated run deletes nothing twice, so
they are plain tasks (no acks_late, no retries); a failed run is logged and the next beat run catches up."""

from __future__ import annotations

from celery import shared_task

from privacy.retention import site_retention_apply
from privacy.visitors import salts_purge


@shared_task(name="privacy.apply_site_retention")
def apply_site_retention() -> dict[str, dict[str, int]]:
    return {plan.site.slug: plan.deleted for plan in site_retention_apply()}


@shared_task(name="privacy.purge_salts")
def purge_salts() -> int:
    return salts_purge()


@shared_task(name="privacy.update_referrer_spam_list")
def update_referrer_spam_list() -> int:
    """Weekly; a failed download is logged by Celery and leaves the old list in place."""
    from privacy.referrer_spam import spam_list_update

    return spam_list_update()
